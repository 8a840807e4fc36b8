"""``repli drill --script``: the scripted calls reach the real window as screen pops, at the
script's pace; a wrong script says which call is wrong and plays nothing."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from pytestqt.qtbot import QtBot

from desktop.ui.main_window import MainWindow

EXAMPLE = Path(__file__).resolve().parents[2] / "lookup_tables" / "drills" / "exemple.toml"


def drill(data_dir: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "desktop", "--data-dir", str(data_dir), "drill", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )


def test_a_scripted_drill_pops_calls_into_the_window(
    window: MainWindow, qtbot: QtBot, tmp_path: Path
) -> None:
    script = tmp_path / "drill.toml"
    script.write_text(
        'title = "Test"\npace = 0.3\n'
        '[[call]]\ncalled = "01 99 00 68 81"\ncaller = "06 12 34 56 78"\nafter = 0\n'
        'brief = "premier"\n'
        '[[call]]\ncalled = "01 99 00 66 77"\ncaller = "06 98 76 54 32"\nends_after = 0.2\n',
        encoding="utf-8",
    )
    running = drill(window.paths.root, "--script", str(script))
    page = window.page
    qtbot.waitUntil(
        lambda: (page.contact.call_id or "").startswith("drill-drill-1"), timeout=10_000
    )
    assert page.lookup.card.name.text() == "Obsèques Démo Paris Centre"
    assert page.form.caller_number.text() == "06 12 34 56 78"
    # the second call waits for the agent (the form is in use), then ends
    qtbot.waitUntil(lambda: len(page.pops.waiting) == 1, timeout=10_000)
    out, err = running.communicate(timeout=30)
    assert running.returncode == 0, err
    assert "call 1/2: 01 99 00 68 81 — premier" in out and "2 calls played" in out


def test_the_example_script_is_valid_and_a_wrong_one_plays_nothing(
    data_dir: Path, tmp_path: Path
) -> None:
    checked = drill(data_dir, "--script", str(EXAMPLE), "--check")
    out, err = checked.communicate(timeout=60)
    assert checked.returncode == 0, err
    assert "4 calls" in out
    wrong = tmp_path / "wrong.toml"
    wrong.write_text('[[call]]\ncalled = "01 99 00 66 77"\n[[call]]\ncaller = "0612345678"\n')
    refused = drill(data_dir, "--script", str(wrong))
    out, err = refused.communicate(timeout=60)
    assert refused.returncode == 1
    assert "call 2: called (the dialled number) is required" in err
    not_running = drill(data_dir, "--script", str(EXAMPLE))
    out, err = not_running.communicate(timeout=60)
    assert not_running.returncode == 1 and "not running" in err
