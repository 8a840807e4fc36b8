"""A seat that is not ready says why in the window, before the first call."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from tests.gui.conftest import Opener


def test_a_seat_that_is_not_ready_says_why(
    open_window: Opener, data_dir: Path, tmp_path: Path, qtbot: QtBot
) -> None:
    with (data_dir / "config.toml").open("a") as config:
        config.write(
            f'[[sync_targets]]\nname = "share"\nkind = "file"\nfolder = "{tmp_path / "unmounted"}"\n'
        )
    window = open_window()
    qtbot.waitUntil(lambda: "N'EST PAS PRÊT" in window.notice.text(), timeout=10_000)
    text = window.notice.text()
    # the area and its state in the window's language, the doctor's detail as IT reads it
    assert "Synchronisation vers share (en échec) :" in text and "mounted" in text
    assert "à transmettre au support informatique" in text
    assert "sync share:" not in text  # the doctor's English name is not shown
    assert window.notice.isVisible()


def test_a_ready_seat_shows_no_readiness_problem(open_window: Opener, qtbot: QtBot) -> None:
    window = open_window()
    with qtbot.waitSignal(window.services.readiness.checked, timeout=10_000) as blocker:
        pass
    report = blocker.args[0] if blocker.args else None
    assert report is not None and report.ready
    assert "N'EST PAS PRÊT" not in window.notice.text()
