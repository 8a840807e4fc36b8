"""Upgrading over an older Repli keeps the data: a database written by Repli 0.1.0 at schema
0001 (made by that version's code and kept as a fixture) is migrated at start, its contacts,
corrections and half-typed draft intact and still delivered; a database from a newer Repli is
refused with a clear message, byte for byte untouched."""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
from pathlib import Path

from desktop.context import SeatContext
from desktop.store.contacts import get_contact, load_draft, revisions
from desktop.store.quickstart import HEAD_REVISION
from desktop.store.schema import current_revision
from tests.helpers.cli import repli

OLD_DATABASE = Path(__file__).resolve().parents[1] / "fixtures" / "repli-0.1.0-schema-0001.sqlite3"


def test_an_older_database_is_migrated_with_everything_kept(data_dir: Path, tmp_path: Path) -> None:
    shutil.copy2(OLD_DATABASE, data_dir / "repli.sqlite3")
    drop = tmp_path / "drop"
    drop.mkdir()
    with (data_dir / "config.toml").open("a", encoding="utf-8") as config:
        config.write(f'[[sync_targets]]\nname = "share"\nkind = "file"\nfolder = "{drop}"\n')

    doctor = repli(data_dir, "doctor", "--json")  # the first start of the new version
    checks = {c["name"]: c for c in json.loads(doctor.stdout)["checks"]}
    assert checks["database"]["status"] == "ok", checks["database"]
    assert checks["tables"]["status"] != "fail", checks["tables"]

    from desktop.store.cipher import is_plain

    database = (data_dir / "repli.sqlite3").read_bytes()  # encrypted in place at that start
    assert not is_plain(data_dir / "repli.sqlite3") and b"Durand" not in database
    seat = SeatContext.open(str(data_dir))
    try:
        assert seat.key is not None
        assert current_revision(seat.engine) == HEAD_REVISION
        first = get_contact(seat.engine, "old-contact-1")
        assert first is not None and first.revision == 2
        assert (first.caller_name, first.notes) == (
            "Mme Durand",
            "Rappeler avant 17 h ; dossier 42",
        )
        assert first.urgent and first.callback_at is not None
        assert [c.revision for c, _actor in revisions(seat.engine, "old-contact-1")] == [1, 2]
        draft = load_draft(seat.engine)
        assert draft is not None and draft.caller_name == "M. Half-typed"
        index = seat.load_index()
        assert index is not None and index.search("6677").unique is not None
    finally:
        seat.close()

    # what the old version had queued is delivered by the new one
    sync = repli(data_dir, "sync", "--once")
    assert sync.returncode == 0, sync.stderr
    delivered = set()
    for batch in drop.glob("*.jsonl"):
        for line in batch.read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            delivered.add((record["id"], record["revision"]))
    assert delivered == {("old-contact-1", 1), ("old-contact-1", 2), ("old-contact-2", 1)}


def test_a_database_from_a_newer_repli_is_refused_and_untouched(data_dir: Path) -> None:
    database = data_dir / "repli.sqlite3"
    shutil.copy2(OLD_DATABASE, database)
    with sqlite3.connect(database) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '0099'")
    conn.close()
    before = hashlib.sha256(database.read_bytes()).hexdigest()

    doctor = repli(data_dir, "doctor")
    assert doctor.returncode != 0
    assert "newer Repli" in doctor.stdout and "install the newer Repli" in doctor.stdout
    status = repli(data_dir, "sync", "--status")
    assert status.returncode != 0 and "newer Repli" in status.stderr
    assert hashlib.sha256(database.read_bytes()).hexdigest() == before
    assert not Path(f"{database}-wal").exists() or Path(f"{database}-wal").stat().st_size == 0
