"""``repli lookup --json`` at fixed instants, through the real command: the process's clock is
moved with faketime and its zone is UTC, so the answers are the branches' own clocks and
holidays, never the machine's date or zone."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers.cli import repli
from tests.helpers.packs import OVERSEAS_BRANCHES, OVERSEAS_NUMBERS, write_pack

FAKETIME = shutil.which("faketime")


def lookup_at(data_dir: Path, instant: str, number: str) -> dict[str, object]:
    assert FAKETIME, "faketime is missing: dev.py test installs it (Debian package faketime)"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "TZ": "UTC"}
    command = [str(FAKETIME), instant, sys.executable, "-m", "desktop"]
    command += ["--data-dir", str(data_dir), "lookup", number, "--json"]
    done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    (row,) = json.loads(done.stdout)
    assert isinstance(row, dict)
    return row


@pytest.fixture
def overseas_seat(data_dir: Path, tmp_path: Path) -> Path:
    pack = write_pack(tmp_path / "pack", branches=OVERSEAS_BRANCHES, numbers=OVERSEAS_NUMBERS)
    done = repli(data_dir, "tables", "import", str(pack))
    assert done.returncode == 0, done.stderr
    return data_dir


def test_open_now_by_each_branch_clock(overseas_seat: Path) -> None:
    instant = "2026-12-01 13:30:00"  # UTC: 14:30 in Paris, 17:30 in La Réunion, 10:30 in Cayenne
    reunion = lookup_at(overseas_seat, instant, "0262 21 34 56")
    assert reunion["number"] == "+262262213456" and reunion["national"] == "0262 21 34 56"
    assert (reunion["open_now"], reunion["next_change"]) == (False, "2026-12-02T08:00:00+04:00")
    assert (reunion["timezone"], reunion["country"]) == ("Indian/Reunion", "RE")
    cayenne = lookup_at(overseas_seat, instant, "0594301234")
    assert (cayenne["open_now"], cayenne["next_change"]) == (True, "2026-12-01T12:00:00-03:00")
    paris = lookup_at(overseas_seat, instant, "0199006677")
    assert (paris["open_now"], paris["next_change"]) == (True, "2026-12-01T17:00:00+01:00")
    martinique = lookup_at(overseas_seat, instant, "0596 21 34 56")
    assert martinique["number"] == "+596596213456" and martinique["country"] == "MQ"


def test_closed_on_a_public_holiday(overseas_seat: Path) -> None:
    paris = lookup_at(overseas_seat, "2026-11-11 09:00:00", "0199006677")  # Armistice, 10:00
    assert (paris["open_now"], paris["next_change"]) == (False, "2026-11-12T08:00:00+01:00")
    reunion = lookup_at(overseas_seat, "2027-12-20 07:00:00", "0262213456")  # 11:00 there
    assert (reunion["open_now"], reunion["next_change"]) == (False, "2027-12-21T08:00:00+04:00")


def test_no_digits_is_a_usage_error(data_dir: Path) -> None:
    done = repli(data_dir, "lookup", "")
    assert done.returncode == 2 and "no digits" in done.stderr and done.stdout == ""
    spaces = repli(data_dir, "lookup", "  ")
    assert spaces.returncode == 2
