"""The real ``repli`` on an encrypted store: ``repli doctor`` says it is encrypted and where
its key is; with the key gone every command says so in one line, the window included, and
never a traceback; the store is left as it was (the window's message: tests/gui)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from desktop.seat import store_key
from tests.helpers.cli import repli


def checks(data_dir: Path) -> tuple[int, dict[str, dict[str, str]]]:
    done = repli(data_dir, "doctor", "--json")
    report = json.loads(done.stdout)
    return done.returncode, {c["name"]: c for c in report["checks"]}


def test_doctor_says_the_store_is_encrypted_and_where_its_key_is(data_dir: Path) -> None:
    _, found = checks(data_dir)
    assert found["database"]["status"] == "ok"
    assert "encrypted (SQLCipher, key in a key file)" in found["database"]["detail"]


def test_a_store_whose_key_is_gone_is_said_by_every_command(data_dir: Path) -> None:
    assert repli(data_dir, "doctor").stdout  # the seat and its store made
    database = data_dir / "repli.sqlite3"
    found = store_key.find(database)
    assert found is not None
    before = hashlib.sha256(database.read_bytes()).hexdigest()
    store_key.forget(found)

    code, report = checks(data_dir)
    assert code != 0 and report["database"]["status"] == "fail"
    assert "the store is encrypted and its key is not in" in report["database"]["detail"]
    assert "restore the key" in report["database"]["fix"]
    status = repli(data_dir, "sync", "--status")
    assert status.returncode == 1 and "Traceback" not in status.stderr
    assert status.stderr.startswith("repli: ") and "its key is not in" in status.stderr
    assert hashlib.sha256(database.read_bytes()).hexdigest() == before
