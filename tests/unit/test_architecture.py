"""The core stays Qt-free, and the first frame stays free of SQLAlchemy."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CORE = sorted(
    ".".join(p.relative_to(ROOT).with_suffix("").parts)
    for p in (ROOT / "desktop").rglob("*.py")
    if "ui" not in p.relative_to(ROOT / "desktop").parts[:1]
    and p.name not in ("app.py", "__main__.py")
    and "migrations" not in p.parts
)


def modules_after_import(*names: str) -> set[str]:
    code = (
        "import sys\n" + "".join(f"import {n}\n" for n in names) + "print('\\n'.join(sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    return set(done.stdout.split())


def test_the_core_imports_no_qt() -> None:
    assert "desktop.lookup" in CORE and "desktop.store.contacts" in CORE
    loaded = modules_after_import(*CORE)
    assert not {m for m in loaded if m.startswith("PySide6")}


def test_the_first_frame_loads_only_what_it_needs() -> None:
    """SQLAlchemy, Alembic, phonenumbers, the HTTP server and multiprocessing are loaded
    after the first frame (the store, the lookup of a full number, the listeners)."""
    loaded = modules_after_import("desktop.app", "desktop.store.quickstart", "desktop.lookup")
    assert "PySide6.QtWidgets" in loaded
    late = ("sqlalchemy", "alembic", "phonenumbers", "multiprocessing", "opening_hours")
    assert not {m for m in loaded if m.split(".")[0] in late}
    assert "http.server" not in loaded
