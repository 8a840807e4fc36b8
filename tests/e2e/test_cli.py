"""The real ``repli`` command, as a subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.helpers.cli import repli
from tests.helpers.packs import NUMBERS, write_pack


def test_lookup_json(data_dir: Path) -> None:
    done = repli(data_dir, "lookup", "6881", "--json")
    assert done.returncode == 0, done.stderr
    (row,) = json.loads(done.stdout)
    assert row["number"] == "+33199006881" and row["national"] == "01 99 00 68 81"
    assert row["branch_id"] == "AG00001" and row["city"] == "Paris"
    assert set(row) >= {"branch_name", "call_type", "call_type_label", "label"}


def test_lookup_full_number_and_national_line(data_dir: Path) -> None:
    (row,) = json.loads(repli(data_dir, "lookup", "+33 8 00 10 20 30", "--json").stdout)
    assert row["branch_id"] is None and row["call_type"] == "FAM"
    assert row["call_type_label"] == "Familles endeuillées"


def test_lookup_nothing_and_not_digits(data_dir: Path) -> None:
    nothing = repli(data_dir, "lookup", "00000000", "--json")
    assert nothing.returncode == 0 and json.loads(nothing.stdout) == []
    bad = repli(data_dir, "lookup", "12ab", "--json")
    assert bad.returncode == 2
    assert "not a phone number or digits: 'ab'" in bad.stderr
    assert bad.stdout == ""


def test_lookup_text_lists_shared_suffix(data_dir: Path) -> None:
    done = repli(data_dir, "lookup", "8099")
    assert done.returncode == 0
    assert "3 candidates: 2 more digit(s) make it unique" in done.stdout


def test_tables_import_status_and_rejection(data_dir: Path, tmp_path: Path) -> None:
    ok = repli(data_dir, "tables", "import", str(write_pack(tmp_path / "fr", excel_french=True)))
    assert ok.returncode == 0, ok.stderr
    assert "activated Test pack 7: 2 branches, 3 numbers, 2 call_types, 1 partners" in ok.stdout
    bad_numbers = [
        *NUMBERS,
        {"number": "12345", "branch_id": "B1"},
        {"number": "01 11 11 11 11", "branch_id": "ZZ"},
    ]
    bad = write_pack(tmp_path / "bad", numbers=bad_numbers, manifest=False)
    rejected = repli(data_dir, "tables", "import", str(bad))
    assert rejected.returncode == 1
    assert rejected.stderr.splitlines() == [
        "numbers.csv:5: number '12345' is not a valid phone number",
        "numbers.csv:6: branch_id 'ZZ' is not in branches.csv",
        "pack rejected: 2 problem(s); the active pack is unchanged",
    ]
    status = json.loads(repli(data_dir, "tables", "status", "--json").stdout)
    assert status["name"] == "Test pack" and status["version"] == "7"
    assert status["counts"] == {"branches": 2, "numbers": 3, "call_types": 2, "partners": 1}
    skipped = repli(data_dir, "tables", "import", str(bad), "--skip-invalid-rows")
    assert skipped.returncode == 0
    assert "skipped: numbers.csv:5: number '12345' is not a valid phone number" in skipped.stderr
    status = json.loads(repli(data_dir, "tables", "status", "--json").stdout)
    assert status["skipped_rows"] == 2 and status["counts"]["numbers"] == 3


def test_data_dir_from_environment(tmp_path: Path) -> None:
    env = {**os.environ, "REPLI_DATA_DIR": str(tmp_path / "env-seat")}
    done = subprocess.run(
        [sys.executable, "-m", "desktop", "tables", "status", "--json"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert done.returncode == 1  # no pack yet: status does not import anything
    assert (tmp_path / "env-seat" / "repli.sqlite3").exists()


def test_the_window_starts_from_the_command(data_dir: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    process = subprocess.Popen(
        [sys.executable, "-m", "desktop", "--data-dir", str(data_dir)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    log = data_dir / "logs" / "repli.log"
    try:
        import time

        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if log.exists() and "agent window ready" in log.read_text():
                break
            assert process.poll() is None, process.stdout.read() if process.stdout else ""
            time.sleep(0.1)
        assert "agent window ready" in log.read_text()
        assert "demo pack was imported" in log.read_text()
    finally:
        process.kill()
        process.wait()


def test_repli_pop_starts_the_window_when_none_runs(data_dir: Path) -> None:
    import time

    from desktop.telephony.pop_policy import short_id  # the log names a call by a digest

    first, second = short_id("first"), short_id("second")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    process = subprocess.Popen(
        [sys.executable, "-m", "desktop", "--data-dir", str(data_dir), "pop",
         "--called", "01 99 00 68 81", "--call-id", "first"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )  # fmt: skip
    log = data_dir / "logs" / "repli.log"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            text = log.read_text() if log.exists() else ""
            if f"call {first} waiting for the agent" in text:
                break
            assert process.poll() is None, process.stdout.read() if process.stdout else ""
            time.sleep(0.1)
        text = log.read_text()
        # Nobody is signed in yet: the call waits for the agent (it is shown at sign-in).
        assert f"call event ringing: call {first} (cli)" in text
        assert f"call {first} waiting for the agent" in text
        handed = repli(data_dir, "pop", "--caller", "0612345678", "--call-id", "second")
        assert handed.returncode == 0 and "handed to the running Repli" in handed.stdout
        deadline = time.monotonic() + 30
        while f"call {second} waiting" not in log.read_text() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert f"call event ringing: call {second} (cli)" in log.read_text()
    finally:
        process.kill()
        process.wait()


def test_self_test(data_dir: Path) -> None:
    done = repli(data_dir, "--self-test")
    assert done.returncode == 0, done.stdout + done.stderr
    for name in ("tables", "database", "translations", "phone numbers", "lookup"):
        assert f"ok   {name}:" in done.stdout
    assert not (data_dir / "repli.sqlite3").exists()  # a throwaway seat, not this one
