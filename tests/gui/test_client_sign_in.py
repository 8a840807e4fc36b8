"""A seat with several client companies, as its agent uses it: the client chosen at sign-in
with the keyboard, its window in its colour, Ctrl+Shift+K back to the sign-in, and each
client's contacts (and its half-typed one) in its own store only."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from desktop.app import client_shift
from desktop.ui.client_shift import ClientShift, close_window
from desktop.ui.main_window import MainWindow
from tests.gui.conftest import engine_of, focused, press, type_text, unnamed_stops
from tests.gui.test_agent_call import saved_contacts
from tests.gui.test_clients_window import type_a_call

CTRL = Qt.KeyboardModifier.ControlModifier
CTRL_SHIFT = CTRL | Qt.KeyboardModifier.ShiftModifier


def provision(data_dir: Path, client: str, name: str, colour: str) -> None:
    folder = data_dir / "clients" / client
    folder.mkdir(parents=True)
    (folder / "config.toml").write_text(f'client_name = "{name}"\nclient_colour = "{colour}"\n')


@pytest.fixture
def shift(data_dir: Path, qtbot: QtBot) -> Iterator[ClientShift]:
    provision(data_dir, "assur-ouest", "Assurances de l'Ouest", "#f2c200")
    provision(data_dir, "pompes-sud", "Pompes Funèbres du Sud", "#1f7a3a")
    started = client_shift(["repli", "--data-dir", str(data_dir)], route_qt_messages=False)
    assert isinstance(started, ClientShift)
    yield started
    if started.choice is not None:
        started.choice.close()
    for window in list(started.windows):
        close_window(window)
    started.shutdown()


def signed_in(qtbot: QtBot, shift: ClientShift, agent: str, *moves: Qt.Key) -> MainWindow:
    """The sign-in as the agent meets it: the name typed, the client moved to, Enter."""
    choice = shift.choice or shift.show_choice()  # the shift closes and deletes it
    qtbot.waitExposed(choice)
    choice.activateWindow()
    qtbot.waitUntil(lambda: focused() is choice.agent)
    if agent:
        type_text(qtbot, agent)
    for key in moves:
        press(qtbot, key)
    press(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(
        lambda: shift.window is not None and shift.window.seat is not None, timeout=20000
    )
    window = shift.window
    assert window is not None
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    qtbot.waitUntil(lambda: window.page.started)
    return window


def test_the_agent_chooses_the_client_at_sign_in_and_changes_it_by_keyboard(
    shift: ClientShift, data_dir: Path, qtbot: QtBot
) -> None:
    choice = shift.show_choice()
    rows = [choice.list.item(i).text() for i in range(choice.list.count())]
    assert rows == ["1   Assurances de l'Ouest", "2   Pompes Funèbres du Sud"]
    qtbot.waitExposed(choice)
    assert unnamed_stops(choice) == []  # each field of the client sign-in named
    window = signed_in(qtbot, shift, "Claire", Qt.Key.Key_Down)
    assert window.settings.client_id == "pompes-sud"
    assert window.client_banner.text() == "POMPES FUNÈBRES DU SUD"
    assert window.stack.currentWidget() is window.page and window.agent == "Claire"
    assert window.paths.root == data_dir / "clients" / "pompes-sud"
    type_a_call(qtbot, "6881", "0612345678")
    press(qtbot, Qt.Key.Key_S, CTRL)
    qtbot.waitUntil(lambda: bool(saved_contacts(window)) and not window.page.saving)
    type_a_call(qtbot, "6881", "0698765432")  # a second caller, half typed when changing client
    press(qtbot, Qt.Key.Key_K, CTRL_SHIFT)
    qtbot.waitUntil(lambda: shift.choice is not None and shift.choice.isVisible())
    again = shift.choice
    assert again is not None
    assert again.agent.text() == "Claire"  # the name kept, the client chosen last offered
    assert again.client == "pompes-sud"
    qtbot.waitUntil(lambda: not window.isVisible())
    other = signed_in(qtbot, shift, "", Qt.Key.Key_Up)
    assert other.settings.client_id == "assur-ouest"
    assert other.client_banner.text() == "ASSURANCES DE L'OUEST"
    assert other.agent == "Claire" and saved_contacts(other) == []
    assert other.page.form.caller_number.text() == ""  # the other client's draft is not shown here
    press(qtbot, Qt.Key.Key_K, CTRL_SHIFT)
    qtbot.waitUntil(lambda: shift.choice is not None and shift.choice.isVisible())
    back = signed_in(qtbot, shift, "", Qt.Key.Key_Down)
    assert back.settings.client_id == "pompes-sud"
    qtbot.waitUntil(lambda: back.page.form.caller_number.text().replace(" ", "") == "0698765432")
    assert [c.caller_number for c in saved_contacts(back)] == ["+33612345678"]
    assert engine_of(back).url.database != engine_of(other).url.database


def test_a_client_whose_window_cannot_open_is_said_on_the_sign_in(
    shift: ClientShift, data_dir: Path, qtbot: QtBot
) -> None:
    (data_dir / "clients" / "assur-ouest" / "config.toml").write_text("mode = [broken\n")
    choice = shift.show_choice()
    qtbot.waitExposed(choice)
    qtbot.keyClicks(choice.agent, "Claire")
    qtbot.keyClick(choice.agent, Qt.Key.Key_Return)  # the first client: its config is broken
    qtbot.waitUntil(lambda: "config.toml" in choice.hint.text() and choice.isEnabled())
    assert shift.window is None and choice.isVisible()
    assert "Traceback" not in choice.hint.text()
    qtbot.keyClick(choice.list, Qt.Key.Key_2)  # its number in the list: the other one opens
    qtbot.waitUntil(lambda: shift.window is not None and shift.window.seat is not None)
    assert shift.window is not None and shift.window.settings.client_id == "pompes-sud"


def test_one_client_or_an_interrupted_shift_opens_without_a_choice(
    data_dir: Path, qtbot: QtBot
) -> None:
    from desktop import shift as shifts

    provision(data_dir, "assur-ouest", "Assurances de l'Ouest", "#f2c200")
    argv = ["repli", "--data-dir", str(data_dir)]
    assert client_shift(argv, route_qt_messages=False) == data_dir / "clients" / "assur-ouest"
    provision(data_dir, "pompes-sud", "Pompes Funèbres du Sud", "#1f7a3a")
    shifts.begin(data_dir / "clients" / "pompes-sud", "Claire")  # a crash kept this shift
    assert client_shift(argv, route_qt_messages=False) == data_dir / "clients" / "pompes-sud"
    by_client = ["repli", "--data-dir", str(data_dir / "clients" / "assur-ouest")]
    assert client_shift(by_client, route_qt_messages=False) is None  # repli --client ID
