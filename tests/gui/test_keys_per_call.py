"""A typical contact (the four last digits, the call type, the caller's number and name, a
note) takes at most 5 navigation keys beyond what is typed, 4 when a screen pop brought the
numbers: every key the agent presses is counted."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from desktop.contacts import utc_now
from desktop.telephony.events import CallEvent, EventKind
from desktop.ui.main_window import MainWindow
from tests.gui.conftest import focused, press, type_text
from tests.gui.test_agent_call import saved_contacts

pytestmark = pytest.mark.dates  # a contact saved on any day: run on other dates too (dev.py)

CTRL = Qt.KeyboardModifier.ControlModifier
NONE = Qt.KeyboardModifier.NoModifier


@dataclass
class Keyboard:
    """The agent's keyboard: what is typed (content), and every other key (navigation)."""

    qtbot: QtBot
    navigation: int = 0

    def type(self, text: str) -> None:
        type_text(self.qtbot, text)

    def key(self, key: Qt.Key, modifier: Qt.KeyboardModifier = NONE) -> None:
        self.navigation += 1
        press(self.qtbot, key, modifier)


def saved_one(window: MainWindow, qtbot: QtBot) -> None:
    qtbot.waitUntil(lambda: len(saved_contacts(window)) == 1 and not window.page.saving)


def test_a_typed_contact_takes_five_navigation_keys(window: MainWindow, qtbot: QtBot) -> None:
    keyboard = Keyboard(qtbot)
    form = window.page.form
    assert focused() is window.page.lookup.digits  # a fresh contact starts on the digits
    keyboard.type("6881")  # unique: chosen without a key
    assert window.page.lookup.chosen is not None
    keyboard.key(Qt.Key.Key_F6)  # the call type, and on to the caller's number
    assert form.call_type.currentData() == "RAP" and focused() is form.caller_number
    keyboard.type("06 12 34 56 78")
    keyboard.key(Qt.Key.Key_Tab)
    assert focused() is form.caller_name
    keyboard.type("Mme Durand")
    keyboard.key(Qt.Key.Key_Tab)  # the subject, left empty
    keyboard.key(Qt.Key.Key_Tab)
    assert focused() is form.notes
    keyboard.type("Rappeler demain matin.")
    keyboard.key(Qt.Key.Key_S, CTRL)
    saved_one(window, qtbot)
    assert keyboard.navigation == 5
    (contact,) = saved_contacts(window)
    assert contact.matched_number == "+33199006881" and contact.call_type == "RAP"
    assert contact.caller_number == "+33612345678" and contact.caller_name == "Mme Durand"
    assert contact.notes == "Rappeler demain matin."
    assert focused() is window.page.lookup.digits  # ready for the next call


def test_a_popped_contact_takes_four(window: MainWindow, qtbot: QtBot) -> None:
    keyboard = Keyboard(qtbot)
    form = window.page.form
    window.intake.deliver(CallEvent(EventKind.RINGING, "k1", "0199006881", "0612345678", utc_now()))
    qtbot.waitUntil(lambda: window.page.contact.call_id == "k1")
    assert focused() is form.caller_name  # the pop brought both numbers
    keyboard.key(Qt.Key.Key_F6)  # the call type; the cursor stays on the name
    assert focused() is form.caller_name
    keyboard.type("Mme Durand")
    keyboard.key(Qt.Key.Key_Tab)
    keyboard.key(Qt.Key.Key_Tab)
    keyboard.type("Rappeler demain matin.")
    keyboard.key(Qt.Key.Key_S, CTRL)
    saved_one(window, qtbot)
    assert keyboard.navigation == 4
    (contact,) = saved_contacts(window)
    assert contact.found_by == "pop" and contact.call_type == "RAP"
    assert contact.caller_number == "+33612345678" and contact.notes == "Rappeler demain matin."
