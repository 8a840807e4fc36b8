"""The seat's mode switched from the command line reaches the running window at once: one
core function (desktop.seat.mode) for the supervision and ``repli mode``."""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib

from pytestqt.qtbot import QtBot

from desktop.ui.main_window import MainWindow


def repli_mode(window: MainWindow, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    command = [sys.executable, "-m", "desktop", "--data-dir", str(window.paths.root), "mode"]
    return subprocess.run([*command, *args], capture_output=True, text=True, env=env, timeout=60)


def test_repli_mode_switches_the_running_window(window: MainWindow, qtbot: QtBot) -> None:
    assert "SECOURS" in window.mode_banner.text()
    qtbot.waitUntil(lambda: window.intake.instance is not None, timeout=5000)
    done = repli_mode(window, "exercise")
    assert done.returncode == 0, done.stderr
    assert "the running window shows it" in done.stdout
    qtbot.waitUntil(lambda: "EXERCICE" in window.mode_banner.text(), timeout=5000)
    assert window.page.contact.mode == "exercise"
    config = tomllib.loads((window.paths.root / "config.toml").read_text())
    assert config["mode"] == "exercise"
    assert repli_mode(window).stdout.strip() == "exercise"


def test_repli_mode_refuses_what_it_cannot_do(window: MainWindow) -> None:
    unknown = repli_mode(window, "panic")
    assert unknown.returncode == 2 and "unknown mode 'panic'" in unknown.stderr
    no_site = repli_mode(window, "exercise", "--site")
    assert no_site.returncode == 2 and "--site needs a site database" in no_site.stderr
    assert "SECOURS" in window.mode_banner.text()


def test_a_mode_switched_by_any_operation_is_shown_by_the_window(
    window: MainWindow, qtbot: QtBot
) -> None:
    """No callback chain: an operation on any ops (here not the window's) says it changed the
    mode, and the window reads the seat's mode and shows it (desktop.operations)."""
    from desktop import operations
    from desktop.ui.ops import Ops

    other = Ops()
    try:
        other.run(lambda: operations.switch_mode(window.paths, "overflow", "test@seat-1"))
        qtbot.waitUntil(lambda: window.mode_banner.property("mode") == "overflow")
        assert window.settings.mode.value == "overflow"
        assert window.page.contact.mode == "overflow"  # the call being taken records it
    finally:
        other.shutdown()
