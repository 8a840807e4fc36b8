"""The agent window of one client of a seat: the client's name in its colour above
everything, its contacts in its own store, nothing in the seat's own."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from desktop.config import ConfigError
from desktop.context import SeatContext
from desktop.ui.main_window import MainWindow
from tests.gui.conftest import Opener, press, type_text
from tests.gui.test_agent_call import saved_contacts

CTRL = Qt.KeyboardModifier.ControlModifier


def type_a_call(qtbot: QtBot, digits: str, caller: str) -> None:
    """An agent's call as far as the caller: the digits (F2), the call type on F6, the
    caller's number."""
    press(qtbot, Qt.Key.Key_F2)
    type_text(qtbot, digits)
    press(qtbot, Qt.Key.Key_F6)
    type_text(qtbot, caller)


def test_a_clients_window_shows_the_client_and_keeps_its_contacts_apart(
    open_window: Opener, data_dir: Path, qtbot: QtBot
) -> None:
    client = data_dir / "clients" / "pompes-sud"
    client.mkdir(parents=True)
    (client / "config.toml").write_text(
        'client_name = "Pompes Funèbres du Sud"\nclient_colour = "#1f7a3a"\n'
    )
    window = open_window("--data-dir", str(client))
    banner = window.client_banner
    assert banner.isVisible() and banner.text() == "POMPES FUNÈBRES DU SUD"
    assert "background: #1f7a3a" in banner.styleSheet() and "color: white" in banner.styleSheet()
    assert banner.y() < window.mode_banner.y()  # above the mode, first thing read
    assert window.windowTitle().endswith("— Pompes Funèbres du Sud")
    assert window.settings.client_id == "pompes-sud"
    type_a_call(qtbot, "6881", "0612345678")
    press(qtbot, Qt.Key.Key_S, CTRL)
    qtbot.waitUntil(lambda: bool(saved_contacts(window)) and not window.page.saving)
    assert window.seat is not None and window.seat.paths.root == client
    # the seat's own store: none was made, and none is made by asking for it
    assert not (data_dir / "repli.sqlite3").exists()
    with pytest.raises(ConfigError, match="this seat has clients"):
        SeatContext.open(str(data_dir))


def test_a_one_client_seat_shows_no_client_band(window: MainWindow) -> None:
    assert not window.client_banner.isVisible()
    assert window.mode_banner.isVisible()
