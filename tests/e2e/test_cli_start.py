"""``repli lookup`` on a seat in use reads the active pack's index with the standard library,
as the window's first frame does: SQLAlchemy's import alone was half of its 0.7 s. Anything
the full path has to do or to say takes it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.helpers.cli import repli
from tests.helpers.packs import write_pack

ROOT = Path(__file__).resolve().parents[2]
PROBE = """
import contextlib, io, json, sys
from desktop.cli import main
out = io.StringIO()
with contextlib.redirect_stdout(out):
    code = main(sys.argv[1:])
print(json.dumps({"code": code, "out": out.getvalue(), "sqlalchemy": "sqlalchemy" in sys.modules}))
"""


def lookup_imports(data_dir: Path, *args: str) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, "--data-dir", str(data_dir), "lookup", *args],
        cwd=ROOT,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    result: dict[str, object] = json.loads(done.stdout.splitlines()[-1])
    return result


def test_a_seat_in_use_is_looked_up_without_sqlalchemy(data_dir: Path) -> None:
    first = lookup_imports(data_dir, "6881")  # a new seat: the store made, the demo pack in
    assert first["code"] == 0 and first["sqlalchemy"] is True
    again = lookup_imports(data_dir, "6881")
    assert again["code"] == 0 and again["sqlalchemy"] is False
    assert again["out"] == first["out"] and "Obsèques Démo Paris Centre" in str(again["out"])
    as_json = lookup_imports(data_dir, "6881", "--json")
    assert as_json["sqlalchemy"] is False
    (row,) = json.loads(str(as_json["out"]))
    assert row["branch_id"] == "AG00001" and row["open_now"] in (True, False)


def test_a_new_pc_pack_or_a_config_warning_takes_the_full_path(
    data_dir: Path, tmp_path: Path
) -> None:
    assert repli(data_dir, "lookup", "6881").returncode == 0
    config = data_dir / "config.toml"
    config.write_text(config.read_text(encoding="utf-8") + "\nno_such_setting = 1\n")
    warned = lookup_imports(data_dir, "6881")
    assert warned["sqlalchemy"] is True  # the full path, which says the warning
    config.write_text(config.read_text(encoding="utf-8").replace("no_such_setting = 1\n", ""))
    pack = write_pack(tmp_path / "pc-pack")
    config.write_text(config.read_text(encoding="utf-8") + f"\ntables_pack = {str(pack)!r}\n")
    changed = lookup_imports(data_dir, "0199006677")
    assert changed["sqlalchemy"] is True  # the PC's new pack imported first
    assert "01 99 00 66 77" in str(changed["out"])
    assert lookup_imports(data_dir, "0199006677")["sqlalchemy"] is False
