"""What the agent reads is true: every call-type key of a pack works, even on F1–F4, and a
branch is open or closed by its own clock and public holidays, whatever the seat's zone.

The clock is moved to fixed instants (time-machine) and the seat runs on UTC, as a backup
site's PCs sometimes do; nothing here depends on today's date or the machine's zone."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
import time_machine
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from desktop.context import SeatContext
from desktop.tables.importer import import_tables
from desktop.ui.main_window import MainWindow
from tests.gui.conftest import Opener, focused, press, type_text
from tests.helpers.packs import F1_TO_F4, OVERSEAS_BRANCHES, OVERSEAS_NUMBERS, write_pack

SHIFT = Qt.KeyboardModifier.ShiftModifier


@pytest.fixture
def seat_on_utc(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def with_pack(data_dir: Path, tmp_path: Path, **pack: object) -> None:
    seat = SeatContext.open(str(data_dir))
    try:
        import_tables(seat.engine, write_pack(tmp_path / "site-pack", **pack))  # type: ignore[arg-type]
    finally:
        seat.close()


def each_key_chooses_its_type(window: MainWindow, qtbot: QtBot, keys: list[Qt.Key]) -> None:
    """The four call types of both packs, FAM RAP TRA ASS, one key each, in order."""
    for key, code in zip(keys, ("FAM", "RAP", "TRA", "ASS"), strict=True):
        press(qtbot, key)
        assert window.page.form.call_type.currentData() == code, key


def card_text(window: MainWindow) -> str:
    return window.page.lookup.card.hours.text()


def test_every_call_type_key_of_a_pack_on_f1_to_f4_chooses_its_type(
    open_window: Opener, qtbot: QtBot, data_dir: Path, tmp_path: Path
) -> None:
    with_pack(data_dir, tmp_path, call_types=F1_TO_F4)
    window = open_window()
    form = window.page.form
    type_text(qtbot, "6677")
    each_key_chooses_its_type(
        window, qtbot, [Qt.Key.Key_F1, Qt.Key.Key_F2, Qt.Key.Key_F3, Qt.Key.Key_F4]
    )
    # a call-type key pressed on the digits goes on to the caller; F2–F4 are not navigation
    assert focused() is form.caller_number
    # the navigation keys moved to Shift+F2…F4, and the window says so
    press(qtbot, Qt.Key.Key_F3, SHIFT)
    assert focused() is form.caller_number
    press(qtbot, Qt.Key.Key_F4, SHIFT)
    assert focused() is form.notes
    press(qtbot, Qt.Key.Key_F2, SHIFT)
    assert focused() is window.page.lookup.digits
    assert "Maj+F2" in window.page.lookup.digits_label.text()
    assert "F1–F4" in form._labels["call_type"].text()
    assert form.call_type.itemText(form.call_type.findData("FAM")).endswith("(F1)")
    assert window.menus.actions["keys"].shortcut().toString() == "Shift+F1"
    assert window.menus.actions["digits"].shortcut().toString() == "Shift+F2"


def test_the_demo_call_type_keys_still_work(window: MainWindow, qtbot: QtBot) -> None:
    type_text(qtbot, "6881")
    each_key_chooses_its_type(
        window, qtbot, [Qt.Key.Key_F5, Qt.Key.Key_F6, Qt.Key.Key_F7, Qt.Key.Key_F8]
    )
    press(qtbot, Qt.Key.Key_F3)
    assert focused() is window.page.form.caller_number


def test_an_overseas_branch_is_shown_by_its_own_clock(
    open_window: Opener, qtbot: QtBot, data_dir: Path, tmp_path: Path, seat_on_utc: None
) -> None:
    with_pack(data_dir, tmp_path, branches=OVERSEAS_BRANCHES, numbers=OVERSEAS_NUMBERS)
    # Tuesday 1 December 2026, 13:30 UTC: 14:30 in Paris, 17:30 in La Réunion, 10:30 in Cayenne
    with time_machine.travel(datetime.fromisoformat("2026-12-01T13:30:00+00:00"), tick=True):
        window = open_window()
        type_text(qtbot, "0262 21 34 56")
        assert window.page.lookup.card.name.text() == "Agence Saint-Denis"
        shown = card_text(window)
        assert shown.startswith("FERMÉE maintenant — ouvre mer. 02/12 08:00"), shown
        assert "Il est 17:30 à Saint-Denis (13:30 ici)" in shown
        press(qtbot, Qt.Key.Key_F2)
        type_text(qtbot, "0594 30 12 34")
        shown = card_text(window)
        assert shown.startswith("OUVERTE maintenant — ferme à 12:00"), shown
        assert "Il est 10:30 à Cayenne (13:30 ici)" in shown
        press(qtbot, Qt.Key.Key_F2)
        type_text(qtbot, "01 99 00 66 77")
        shown = card_text(window)
        assert shown.startswith("OUVERTE maintenant — ferme à 17:00"), shown
        assert "Il est 14:30 à Paris" in shown  # the seat is on UTC: Paris is not its clock


def test_a_branch_is_closed_on_a_public_holiday(
    open_window: Opener, qtbot: QtBot, data_dir: Path, tmp_path: Path
) -> None:
    with_pack(data_dir, tmp_path, branches=OVERSEAS_BRANCHES, numbers=OVERSEAS_NUMBERS)
    # Wednesday 11 November 2026, 10:00 in Paris: Armistice, every French branch is closed
    with time_machine.travel(datetime.fromisoformat("2026-11-11T10:00:00+01:00"), tick=True):
        window = open_window()
        type_text(qtbot, "01 99 00 66 77")
        shown = card_text(window)
        assert shown.startswith("FERMÉE maintenant — ouvre jeu. 12/11 08:00"), shown
        assert "Jour férié : Armistice" in shown
    # Monday 20 December 2027, 07:00 UTC: a holiday in La Réunion only (11:00 there)
    with time_machine.travel(datetime.fromisoformat("2027-12-20T07:00:00+00:00"), tick=True):
        press(qtbot, Qt.Key.Key_F2)
        type_text(qtbot, "0262 21 34 56")
        shown = card_text(window)
        assert shown.startswith("FERMÉE maintenant — ouvre mar. 21/12 08:00"), shown
        assert "Jour férié : Abolition de l'esclavage" in shown
        press(qtbot, Qt.Key.Key_F2)
        type_text(qtbot, "01 99 00 66 77")  # 08:00 in Paris: an ordinary Monday
        assert card_text(window).startswith("OUVERTE maintenant")


def test_a_card_left_on_screen_follows_the_branch_clock(
    open_window: Opener, qtbot: QtBot, data_dir: Path, tmp_path: Path
) -> None:
    with_pack(data_dir, tmp_path, branches=OVERSEAS_BRANCHES, numbers=OVERSEAS_NUMBERS)
    with time_machine.travel(datetime.fromisoformat("2026-12-01T07:59:00+00:00"), tick=False):
        window = open_window()
        type_text(qtbot, "0262 21 34 56")  # 11:59 in La Réunion
        assert card_text(window).startswith("OUVERTE maintenant — ferme à 12:00")
    with time_machine.travel(datetime.fromisoformat("2026-12-01T08:01:00+00:00"), tick=False):
        window.page.lookup.card._clock.timeout.emit()  # the card's next tick
        assert card_text(window).startswith("FERMÉE maintenant — ouvre 14:00")
