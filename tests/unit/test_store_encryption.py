"""The seat's store is encrypted at rest: no caller's name or number in clear in the database,
its WAL or its draft; without its key it does not open, and says why; a plain store is
encrypted in place with nothing lost, whatever step a crash stops it at."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

import pytest

from desktop import config
from desktop.contacts import ContactData
from desktop.context import SeatContext
from desktop.seat import store_key
from desktop.store import cipher
from desktop.store import contacts as store
from desktop.store.history import ContactFilter
from desktop.supervisor.export import export
from desktop.supervisor.merge import MergeError, merge_files

NAME, NUMBER, NOTE = "Canari-Dupontel", "+33612983476", "note-canari-veuve"
PLAIN = replace(config.Settings(), store_encryption=False)


def a_contact(i: int = 0) -> ContactData:
    return ContactData(
        agent="Claire",
        seat_id="S1",
        caller_name=f"{NAME}{i}",
        caller_number=NUMBER,
        notes=NOTE,
    )


def store_bytes(folder: Path) -> bytes:
    return b"".join(p.read_bytes() for p in sorted(folder.glob("repli.sqlite3*")))


def canaries(blob: bytes) -> list[bytes]:
    needles = [NAME.encode(), NUMBER.encode(), NUMBER[1:].encode(), NOTE.encode()]
    needles += [n.encode("utf-16-le") for n in (NAME, NOTE)]
    return [n for n in needles if n in blob]


def filled(folder: Path, settings: config.Settings | None = None) -> SeatContext:
    seat = SeatContext.open(str(folder), settings)
    for i in range(20):
        store.save_contact(seat.engine, a_contact(i), "Claire")
    store.save_draft(seat.engine, a_contact(99))
    return seat


def test_no_caller_data_is_in_clear_in_the_database_its_wal_or_the_draft(tmp_path: Path) -> None:
    seat = filled(tmp_path / "seat")
    try:
        assert seat.key is not None
        assert (tmp_path / "seat" / "repli.sqlite3-wal").stat().st_size > 0  # the WAL is there
        assert canaries(store_bytes(tmp_path / "seat")) == []
        assert store.load_draft(seat.engine) is not None  # and it all reads back with the key
    finally:
        seat.close()
    assert canaries(store_bytes(tmp_path / "seat")) == []
    # the check can fail: the same contacts in a plain store are there in clear
    plain = filled(tmp_path / "plain", PLAIN)
    plain.close()
    assert NAME.encode() in store_bytes(tmp_path / "plain")


def test_the_key_is_kept_outside_the_data_directory_for_this_account_alone(tmp_path: Path) -> None:
    seat = SeatContext.open(str(tmp_path / "seat"))
    seat.close()
    found = store_key.find(seat.paths.database)
    assert found is not None and found.storage == "file"  # no keyring runs on this machine
    key_file = store_key.key_dir() / f"{found.store_id}.key"
    assert key_file.read_text().strip() == seat.key
    assert seat.paths.root not in key_file.parents
    assert key_file.stat().st_mode & 0o777 == 0o600
    assert key_file.parent.stat().st_mode & 0o777 == 0o700
    assert seat.key not in (tmp_path / "seat" / "store.json").read_text()


def test_without_its_key_the_store_does_not_open_and_is_left_as_it_was(tmp_path: Path) -> None:
    seat = filled(tmp_path / "seat")
    seat.close()
    found = store_key.find(seat.paths.database)
    assert found is not None
    before = hashlib.sha256(seat.paths.database.read_bytes()).hexdigest()
    store_key.forget(found)  # a PC returned to the pool without its keys
    with pytest.raises(cipher.StoreLocked, match="its key is not in"):
        SeatContext.open(str(tmp_path / "seat"))
    assert hashlib.sha256(seat.paths.database.read_bytes()).hexdigest() == before


def test_a_copied_data_directory_is_unreadable_elsewhere(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seat = filled(tmp_path / "seat")
    seat.close()
    shutil.copytree(tmp_path / "seat", tmp_path / "copy")
    monkeypatch.setenv(store_key.KEY_DIR_ENV, str(tmp_path / "another-account-keys"))
    with pytest.raises(cipher.StoreLocked, match="another PC or account"):
        SeatContext.open(str(tmp_path / "copy"))
    with pytest.raises(MergeError, match="merge that seat's export"):
        merge_files(
            SeatContext.open(str(tmp_path / "site")).engine, [tmp_path / "copy" / "repli.sqlite3"]
        )
    # the key of another store does not open it either
    other = SeatContext.open(str(tmp_path / "other"))
    other.close()
    stolen = store_key.find(other.paths.database)
    assert stolen is not None
    shutil.copy2(other.paths.root / "store.json", tmp_path / "copy" / "store.json")
    with pytest.raises(cipher.StoreLocked, match="cannot be read with this seat's key"):
        SeatContext.open(str(tmp_path / "copy"))


def test_an_encrypted_store_whose_salt_begins_like_json_is_still_merged(tmp_path: Path) -> None:
    """The salt SQLCipher writes first is random: 1 store in 256 begins with "{", as an
    export does. Merge still reads it as the store it is, and an export beside a store.json
    as the export it is."""
    seat = filled(tmp_path / "seat")
    seat.close()
    assert seat.key is not None
    database = seat.paths.database
    copy = tmp_path / "salted.sqlite3"
    conn = cipher.connect(database, seat.key, isolation_level=None)
    salt = "7b" + "00" * 15  # "{" then zeros
    conn.execute(f"ATTACH DATABASE ? AS salted KEY \"x'{seat.key}{salt}'\"", (str(copy),))
    conn.execute(f"PRAGMA salted.cipher_hmac_algorithm = {cipher.HMAC}")
    conn.execute("SELECT sqlcipher_export('salted')")
    conn.execute("DETACH DATABASE salted")
    conn.close()
    shutil.move(copy, database)
    assert database.read_bytes()[:1] == b"{"
    site = SeatContext.open(str(tmp_path / "site"))
    try:
        report = merge_files(site.engine, [database])
        assert report.as_dict()["new"] == 20
        beside = tmp_path / "seat" / "export.jsonl"  # an export kept in the data directory
        export(site.engine, beside, "jsonl", ContactFilter(exercise="include"))
        assert merge_files(site.engine, [beside]).as_dict()["present"] == 20
    finally:
        site.close()


def test_a_key_file_others_can_read_is_refused(tmp_path: Path) -> None:
    seat = SeatContext.open(str(tmp_path / "seat"))
    seat.close()
    found = store_key.find(seat.paths.database)
    assert found is not None
    key_file = store_key.key_dir() / f"{found.store_id}.key"
    key_file.chmod(0o644)
    with pytest.raises(cipher.StoreLocked, match="readable by it alone"):
        SeatContext.open(str(tmp_path / "seat"))


def test_a_key_folder_inside_the_data_directory_is_refused(tmp_path: Path) -> None:
    inside = replace(config.Settings(), store_key_dir=str(tmp_path / "seat" / "keys"))
    with pytest.raises(cipher.StoreLocked, match="outside the data directory"):
        SeatContext.open(str(tmp_path / "seat"), inside)
    assert not (tmp_path / "seat" / "keys").exists()


def test_a_key_folder_that_cannot_be_made_is_said_plainly(tmp_path: Path) -> None:
    blocking = tmp_path / "a-file"  # a file where the keys' folder should be
    blocking.write_text("not a folder")
    settings = replace(config.Settings(), store_key_dir=str(blocking))
    with pytest.raises(cipher.StoreLocked, match="the store's key cannot be kept there"):
        SeatContext.open(str(tmp_path / "seat"), settings)
    assert blocking.read_text() == "not a folder"
    assert not (tmp_path / "seat" / "store.json").exists()


@pytest.mark.parametrize(
    "damage", [b"", b"{not json", b'{"store_id": "../../etc", "storage": "file"}', b"x" * 10_000]
)
def test_a_damaged_store_file_is_said_and_nothing_changes(tmp_path: Path, damage: bytes) -> None:
    seat = filled(tmp_path / "seat")
    seat.close()
    (tmp_path / "seat" / "store.json").write_bytes(damage)
    before = hashlib.sha256(seat.paths.database.read_bytes()).hexdigest()
    with pytest.raises(cipher.StoreLocked, match=r"store\.json: damaged"):
        SeatContext.open(str(tmp_path / "seat"))
    assert hashlib.sha256(seat.paths.database.read_bytes()).hexdigest() == before


def test_an_encrypted_store_without_its_store_file_is_refused(tmp_path: Path) -> None:
    seat = filled(tmp_path / "seat")
    seat.close()
    (tmp_path / "seat" / "store.json").unlink()
    with pytest.raises(cipher.StoreLocked, match=r"store\.json, which names its key, is missing"):
        SeatContext.open(str(tmp_path / "seat"))


def test_a_plain_store_is_encrypted_in_place_with_nothing_lost(tmp_path: Path) -> None:
    plain = filled(tmp_path / "seat", PLAIN)
    wanted = {c.id: c for c in _all(plain)}
    draft = store.load_draft(plain.engine)
    plain.close()
    assert NAME.encode() in store_bytes(tmp_path / "seat")
    seat = SeatContext.open(str(tmp_path / "seat"))  # the upgrade: encryption on by default
    try:
        assert seat.key is not None and not cipher.is_plain(seat.paths.database)
        assert {c.id: c for c in _all(seat)} == wanted
        assert store.load_draft(seat.engine) == draft
        store.save_contact(seat.engine, a_contact(50), "Claire")  # and it goes on working
    finally:
        seat.close()
    assert not list((tmp_path / "seat").glob("repli.sqlite3.*"))  # no copy left behind
    assert canaries(store_bytes(tmp_path / "seat")) == []


def _all(seat: SeatContext) -> list[ContactData]:
    with seat.engine.connect() as conn:
        ids = [r[0] for r in conn.exec_driver_sql("SELECT id FROM contacts")]
    found = [store.get_contact(seat.engine, i) for i in ids]
    return [c for c in found if c is not None]


HOLDER = """
import sqlite3, sys
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("PRAGMA journal_mode=WAL")
db.execute("SELECT count(*) FROM contacts").fetchone()
print("open", flush=True)
sys.stdin.read()
db.execute("INSERT INTO audit (at, actor, action, contact_id, detail)"
           " VALUES ('2026-01-01', 'other', 'other', '', '')")
print("wrote", flush=True)
"""


@contextmanager
def held_open(database: Path) -> Iterator[Callable[[], str]]:
    """Another process with the store open (locks are per process, so a real one) until
    the ``let_go()`` it yields: then it writes a row of its own, exits, and its last words
    are returned."""
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(database)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )

    def let_go() -> str:
        out, _ = holder.communicate("", timeout=30)
        assert holder.returncode == 0, out
        return out.strip()

    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "open"
        yield let_go
    finally:
        holder.kill()


def test_a_store_in_use_by_another_process_is_not_encrypted_under_it(tmp_path: Path) -> None:
    """An older Repli still running on the seat: its writes must not go to a file that was
    renamed under it."""
    plain = filled(tmp_path / "seat", PLAIN)
    plain.close()
    with held_open(plain.paths.database) as let_go:
        with pytest.raises(cipher.StoreLocked, match="in use by another"):
            SeatContext.open(str(tmp_path / "seat"))
        assert let_go() == "wrote"
    assert cipher.is_plain(plain.paths.database)
    seat = SeatContext.open(str(tmp_path / "seat"))  # once it is gone, the store is encrypted
    try:
        assert seat.key is not None and len(_all(seat)) == 20
        with seat.engine.connect() as conn:
            assert (
                conn.exec_driver_sql("SELECT count(*) FROM audit WHERE actor = 'other'").scalar()
                == 1
            )
    finally:
        seat.close()


@pytest.mark.parametrize("stopped_after", ["copy", "first-rename", "second-rename"])
def test_an_encryption_stopped_at_any_step_loses_nothing(
    tmp_path: Path, stopped_after: str
) -> None:
    """The states a power cut can leave the conversion in, made by hand, then a start."""
    plain = filled(tmp_path / "seat", PLAIN)
    wanted = {c.id for c in _all(plain)}
    plain.close()
    database = plain.paths.database
    found = store_key.create(database)
    done = tmp_path / "done.sqlite3"
    shutil.copy2(database, tmp_path / "backup.sqlite3")
    assert cipher.encrypt_plain(database, found.key)
    shutil.move(database, done)  # the encrypted copy, complete
    shutil.move(tmp_path / "backup.sqlite3", database)  # the plain original
    encrypting, leftover = Path(f"{database}.encrypting"), Path(f"{database}.plain")
    if stopped_after == "copy":
        shutil.copy2(done, encrypting)
    elif stopped_after == "first-rename":
        shutil.move(database, leftover)
        shutil.copy2(done, encrypting)
    else:
        shutil.move(database, leftover)
        shutil.copy2(done, database)
    seat = SeatContext.open(str(tmp_path / "seat"))
    try:
        assert {c.id for c in _all(seat)} == wanted
    finally:
        seat.close()
    assert not leftover.exists() and not encrypting.exists()
    assert canaries(store_bytes(tmp_path / "seat")) == []


def test_the_administrator_may_leave_a_store_plain_but_an_agent_may_not(tmp_path: Path) -> None:
    data = tmp_path / "seat"
    data.mkdir()
    (data / "config.toml").write_text("store_encryption = false\n")
    settings, warnings = config.load(data / "config.toml")
    assert settings.store_encryption and any("store_encryption ignored" in w for w in warnings)
    system = tmp_path / "etc.toml"
    system.write_text("store_encryption = false\n")
    os.chmod(system, 0o644)
    settings, _ = config.load(data / "config.toml", system)
    assert not settings.store_encryption
