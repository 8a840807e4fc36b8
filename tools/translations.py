"""Refresh the translations: extract the UI's strings into the .ts, compile the .qm.

    .venv/bin/python tools/translations.py

Translate new entries with Qt Linguist (``pyside6-linguist resources/translations/repli_fr.ts``)
or by editing the .ts, then run this again and commit both files.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def main() -> None:
    sources = sorted(str(p) for p in (ROOT / "desktop" / "ui").rglob("*.py"))
    for ts in sorted((ROOT / "resources" / "translations").glob("*.ts")):
        subprocess.run(
            [str(BIN / "pyside6-lupdate"), *sources, "-ts", str(ts), "-no-obsolete"], check=True
        )
        subprocess.run(
            [str(BIN / "pyside6-lrelease"), str(ts), "-qm", str(ts.with_suffix(".qm"))], check=True
        )


if __name__ == "__main__":
    main()
