"""The window shows the seat's sync state, and each contact's, from a real CRM on 127.0.0.1."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from tests.gui.conftest import Opener, press, type_text
from tests.gui.test_agent_call import saved_contacts
from tests.helpers.crm_receiver import CrmReceiver

CTRL = Qt.KeyboardModifier.ControlModifier


def configure(data_dir: Path, url: str, token: str) -> None:
    with (data_dir / "config.toml").open("a") as f:
        f.write(
            f'[[sync_targets]]\nname = "crm"\nkind = "http"\nurl = "{url}"\ntoken = "{token}"\ntimeout_s = 2.0\n'
        )


def test_a_saved_contact_reaches_the_crm_and_the_window_says_so(
    open_window: Opener, data_dir: Path, qtbot: QtBot
) -> None:
    with CrmReceiver() as crm:
        configure(data_dir, crm.url, crm.token)
        window = open_window()
        press(qtbot, Qt.Key.Key_F3)
        type_text(qtbot, "0612345678")
        press(qtbot, Qt.Key.Key_S, CTRL)
        qtbot.waitUntil(lambda: bool(saved_contacts(window)))
        (contact,) = saved_contacts(window)
        qtbot.waitUntil(
            lambda: (contact.id, 1) in crm.stored, timeout=10_000
        )  # nudged, not 10 s later
        qtbot.waitUntil(lambda: "tout est livré" in window.status.sync_label.text(), timeout=5000)
        history = window.page.history
        assert history is not None
        qtbot.waitUntil(lambda: history.model.data(history.model.index(0, 8)) == "✔ envoyée")


def test_a_crm_that_refuses_the_token_is_shown_plainly(
    open_window: Opener, data_dir: Path, qtbot: QtBot
) -> None:
    with CrmReceiver() as crm:
        configure(data_dir, crm.url, "wrong-token")
        window = open_window()
        press(qtbot, Qt.Key.Key_F3)
        type_text(qtbot, "0612345678")
        press(qtbot, Qt.Key.Key_S, CTRL)
        qtbot.waitUntil(
            lambda: "configuration incorrecte" in window.status.sync_label.text(), timeout=10_000
        )
        assert (
            "401" in window.status.sync_label.text()
            and window.status.sync_label.property("off") is True
        )
        assert crm.stored == {}
