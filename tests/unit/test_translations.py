"""The French translation is complete and its compiled .qm matches the .ts source."""

from __future__ import annotations

import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TS = ROOT / "resources" / "translations" / "repli_fr.ts"
QM = TS.with_suffix(".qm")


def test_every_message_is_translated() -> None:
    messages = list(ET.parse(TS).getroot().iter("message"))
    assert len(messages) > 100
    unfinished = [
        m.findtext("source")
        for m in messages
        if (found := m.find("translation")) is None
        or found.get("type") in ("unfinished", "obsolete")
    ]
    assert unfinished == []


def test_sources_are_all_extracted(tmp_path: Path) -> None:
    """Every tr() in the UI has an entry in the .ts (lupdate finds nothing new)."""
    lupdate = Path(sys.executable).with_name("pyside6-lupdate")
    target = tmp_path / "check.ts"
    shutil.copy(TS, target)
    files = sorted(str(p) for p in (ROOT / "desktop" / "ui").glob("*.py"))
    done = subprocess.run(
        [str(lupdate), *files, "-ts", str(target)], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert "0 new and" in done.stdout, done.stdout


def test_compiled_qm_is_up_to_date(tmp_path: Path) -> None:
    lrelease = Path(sys.executable).with_name("pyside6-lrelease")
    fresh = tmp_path / "fresh.qm"
    subprocess.run([str(lrelease), str(TS), "-qm", str(fresh)], check=True, capture_output=True)
    assert fresh.read_bytes() == QM.read_bytes(), "run tools/translations.py and commit the .qm"
