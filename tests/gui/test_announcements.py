"""What a blind agent hears: each change that matters is said to the screen reader once, in
French, assertive when it cannot wait (a call arriving, a save refused)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from desktop.ui.announcer import Announcer
from desktop.ui.main_window import MainWindow
from tests.gui.conftest import focused, press, type_text
from tests.gui.test_agent_call import saved_contacts
from tests.gui.test_screen_pop import PARIS, event, send

CTRL = Qt.KeyboardModifier.ControlModifier


def listen(window: MainWindow) -> list[tuple[str, bool]]:
    said: list[tuple[str, bool]] = []
    window.announcer.said.connect(lambda text, assertive: said.append((text, assertive)))
    return said


def texts(said: list[tuple[str, bool]], part: str) -> list[tuple[str, bool]]:
    return [s for s in said if part in s[0]]


@pytest.mark.dates  # the branch's open/closed words: run on other dates too
def test_one_contact_is_heard_from_the_digits_to_the_save(window: MainWindow, qtbot: QtBot) -> None:
    said = listen(window)
    type_text(qtbot, "68")
    qtbot.waitUntil(lambda: bool(texts(said, "correspondances")))
    (several,) = texts(said, "correspondances")
    assert not several[1] and "↑↓" not in several[0]  # polite; no arrows read aloud
    type_text(qtbot, "81")
    qtbot.waitUntil(lambda: bool(texts(said, PARIS)))
    (found,) = texts(said, PARIS)
    assert not found[1]
    assert "Paris" in found[0] and "maintenant" in found[0]  # open or closed now, in words
    # the focused field's description carries it, for an Orca that knows no announcements
    digits = window.page.lookup.digits
    assert focused() is digits and digits.accessibleDescription().strip() == found[0]
    press(qtbot, Qt.Key.Key_Return)
    # its own again once the focus left (once the focus events are out)
    qtbot.waitUntil(lambda: digits.accessibleDescription() == "")
    type_text(qtbot, "06 12 34 56 78")
    press(qtbot, Qt.Key.Key_F6)  # the call type's key: RAP
    qtbot.waitUntil(lambda: bool(texts(said, "Type d'appel")))
    press(qtbot, Qt.Key.Key_S, CTRL)
    qtbot.waitUntil(lambda: bool(saved_contacts(window)))
    qtbot.waitUntil(lambda: bool(texts(said, "Fiche enregistrée")))
    qtbot.waitUntil(lambda: not window.ops.busy)
    assert len(texts(said, "Fiche enregistrée")) == 1
    assert len(texts(said, PARIS)) == 1  # nothing said twice for one change
    assert not any(assertive for _text, assertive in said)


def test_a_failed_save_and_a_pop_are_said_at_once(window: MainWindow, qtbot: QtBot) -> None:
    said = listen(window)
    type_text(qtbot, "6881")
    window.page.saver.failed(OSError("disque plein"))  # what the store's thread hands back
    qtbot.waitUntil(lambda: bool(texts(said, "NON ENREGISTRÉ")))
    (failed,) = texts(said, "NON ENREGISTRÉ")
    assert failed[1] and "disque plein" in failed[0]
    window.page.new_call()
    send(window, qtbot, event("ringing", called="01 99 00 68 81", caller="0612345678"))
    qtbot.waitUntil(lambda: bool(texts(said, "Appel entrant")))
    (pop,) = texts(said, "Appel entrant")
    assert pop[1]  # assertive: a call cannot wait
    assert pop[0].startswith("Appel entrant") and PARIS in pop[0]  # one message, the card in it
    assert len(texts(said[said.index(failed) + 1 :], PARIS)) == 1


def test_a_burst_is_one_message_each_part_once(qtbot: QtBot) -> None:
    from PySide6.QtWidgets import QLineEdit

    field = QLineEdit()
    field.setAccessibleDescription("Chiffres")
    qtbot.addWidget(field)
    field.show()
    qtbot.waitExposed(field)
    field.activateWindow()
    field.setFocus()
    qtbot.waitUntil(field.hasFocus)
    announcer = Announcer(field)
    said: list[tuple[str, bool]] = []
    announcer.said.connect(lambda text, assertive: said.append((text, assertive)))
    announcer.say("Appel entrant", assertive=True)
    announcer.say("Agence de Lyon.")
    announcer.say("Appel  entrant")  # the same, spaced otherwise
    qtbot.waitUntil(lambda: bool(said))
    assert said == [("Appel entrant. Agence de Lyon.", True)]
    if announcer.route == "description":
        first = field.accessibleDescription()
        announcer.say("Agence de Lyon")
        qtbot.waitUntil(lambda: len(said) == 2)
        assert field.accessibleDescription() != first  # said again: still a change
        announcer._give_back()
        assert field.accessibleDescription() == "Chiffres"


def test_tab_goes_through_the_contact_in_the_order_of_the_work(
    window: MainWindow, qtbot: QtBot
) -> None:
    """Each stop named and visible, in the order a contact is taken (the candidates are
    moved through with ↑↓ from the digits; the callback time only once a callback is the
    outcome); the page's scroll area is no stop of its own."""
    stops = []
    for _ in range(13):
        widget = focused()
        assert widget is not None and widget.isVisible()
        stops.append(widget.accessibleName() or widget.property("text"))
        press(qtbot, Qt.Key.Key_Tab)
    assert stops == [
        "Chiffres du numéro composé",
        "Type d'appel",
        "Numéro de l'appelant",
        "Nom de l'appelant",
        "Objet",
        "Notes",
        "Issue",
        "Urgent",
        "Enregistrer la fiche",
        "Chercher dans l'historique",
        "Fiches de tous les jours",
        "Historique des fiches",
        "Chiffres du numéro composé",
    ]
