"""The seat's SQLite store encrypted at rest: SQLCipher, through ``sqlcipher3``.

Why SQLCipher (``sqlcipher3``) and not SQLite3 Multiple Ciphers (``apsw-sqlite3mc``): both
ship wheels for Windows and Linux on CPython 3.11+, but ``sqlcipher3`` is a DB-API module
shaped like the standard ``sqlite3``, so SQLAlchemy's SQLite dialect, Alembic and every
query of Repli run on it unchanged (SQLAlchemy documents it as ``pysqlcipher``); APSW is
not DB-API and would need a dialect of our own. SQLCipher 4 (AES-256-CBC, an HMAC-SHA512
per page) is the most used format, and its WAL and temporary files are encrypted too.

The key is 32 random bytes, given raw (``x'…'``): no passphrase, so no key derivation on
every connection (SQLCipher's PBKDF2 costs tens of milliseconds each time). Each page is
authenticated with HMAC-SHA256 rather than SQLCipher 4's default SHA512: a save writes about
20 pages, and SHA256 takes a quarter off what encryption adds to it
(benchmarks/encrypted_store.py), with no weaker guarantee for a random 256-bit key.
``desktop.seat.store_key`` keeps it where the operating system protects it.
"""

from __future__ import annotations

import os
import re
import sqlite3
from pathlib import Path
from typing import Any

PLAIN_HEADER = b"SQLite format 3\x00"
CIPHER = "sqlcipher4/hmac-sha256"  # named in store.json: what every connection sets
HMAC = "HMAC_SHA256"
KEY_PATTERN = re.compile(r"[0-9a-f]{64}")


class StoreLocked(RuntimeError):
    """The store is encrypted and cannot be opened: no key, or not its key."""


def _module() -> Any:
    import sqlcipher3

    return sqlcipher3


def dbapi() -> Any:
    """The DB-API module of an encrypted store (its exceptions are SQLAlchemy's to wrap)."""
    return _module().dbapi2


def is_plain(path: Path) -> bool:
    """A plain SQLite database (or no database yet: an empty or absent file)."""
    try:
        with path.open("rb") as f:
            head = f.read(16)
    except FileNotFoundError:
        return True
    return head in (b"", PLAIN_HEADER)


def connect(path: Path | str, key: str, **kwargs: Any) -> Any:
    """A connection to the encrypted database at ``path`` (created when absent), keyed and
    checked: a wrong or missing key raises StoreLocked, saying so, never "file is not a
    database" from deep in a query."""
    if not KEY_PATTERN.fullmatch(key):
        raise StoreLocked("the store's key is not 64 hexadecimal digits")
    module = _module()
    conn = module.connect(str(path), **kwargs)
    try:
        conn.execute(f"PRAGMA key = \"x'{key}'\"")
        conn.execute(f"PRAGMA cipher_hmac_algorithm = {HMAC}")
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except module.DatabaseError:
        conn.close()
        raise StoreLocked(
            f"{path}: cannot be read with this seat's key (the key was lost, or the file "
            "comes from another PC or account): nothing was changed"
        ) from None
    return conn


def connect_store(path: Path | str, key: str | None, **kwargs: Any) -> Any:
    """A DB-API connection to a seat's store: encrypted with ``key``, or plain (None)."""
    return sqlite3.connect(path, **kwargs) if key is None else connect(path, key, **kwargs)


def encrypt_plain(path: Path, key: str) -> bool:
    """Encrypt the plain database at ``path`` in place; False when it already is (or is
    absent). Nothing is lost on a crash at any step: the encrypted copy is complete and on
    disk before it replaces the plain file, and the plain file is overwritten before it is
    removed. Refused (StoreLocked) while another process has the database open: leaving WAL
    mode needs every other connection gone."""
    leftover = path.with_name(path.name + ".plain")
    target = path.with_name(path.name + ".encrypting")
    if leftover.exists():  # a conversion stopped once its copy was complete and on disk
        if not path.exists():
            os.replace(target if target.exists() else leftover, path)
        if not is_plain(path):
            wipe(leftover)
    if not path.exists() or path.stat().st_size == 0 or not is_plain(path):
        return False
    for stale in (target, target.with_name(target.name + "-journal")):
        stale.unlink(missing_ok=True)
    module = _module()
    conn = module.connect(str(path), isolation_level=None, timeout=5)
    try:
        _leave_wal(conn, path, "encrypted")  # then held exclusively
        conn.execute("PRAGMA locking_mode=EXCLUSIVE")
        conn.execute("BEGIN EXCLUSIVE")
        conn.execute("COMMIT")
        conn.execute(f"ATTACH DATABASE ? AS encrypted KEY \"x'{key}'\"", (str(target),))
        conn.execute(f"PRAGMA encrypted.cipher_hmac_algorithm = {HMAC}")
        conn.execute("SELECT sqlcipher_export('encrypted')")
        version = conn.execute("PRAGMA main.user_version").fetchone()[0]
        conn.execute(f"PRAGMA encrypted.user_version = {int(version)}")
        conn.execute("DETACH DATABASE encrypted")
    finally:
        conn.close()
    _fsync(target)
    for journal in ("-wal", "-shm"):
        path.with_name(path.name + journal).unlink(missing_ok=True)
    os.replace(path, leftover)
    os.replace(target, path)
    fsync_dir(path.parent)
    wipe(leftover)
    return True


def release(path: Path, key: str | None, doing: str) -> None:
    """The store at ``path`` out of WAL mode, its WAL checkpointed into it and gone, so that
    its one file can be moved; StoreLocked while another process has it open."""
    conn = connect_store(path, key, isolation_level=None, timeout=5)
    try:
        _leave_wal(conn, path, doing)
    finally:
        conn.close()


def _leave_wal(conn: Any, path: Path, doing: str) -> None:
    """Refused by SQLite while another connection has the WAL open: a process holds it."""
    try:
        mode = conn.execute("PRAGMA journal_mode=DELETE").fetchone()[0].lower()
    except (sqlite3.OperationalError, _module().OperationalError):
        mode = "busy"
    if mode != "delete":
        raise StoreLocked(
            f"{path}: is in use by another Repli process, so it cannot be {doing} now: "
            "close the other Repli windows and commands of this seat, then start again"
        )


def wipe(path: Path) -> None:
    """Overwrite a plain copy of personal data, then remove it."""
    try:
        size = path.stat().st_size
        with path.open("r+b") as f:
            chunk = b"\0" * (1 << 20)
            for offset in range(0, size, len(chunk)):  # its own bytes, no more
                f.write(chunk[: size - offset])
            f.flush()
            os.fsync(f.fileno())
    except OSError:
        pass
    path.unlink(missing_ok=True)


def _fsync(path: Path) -> None:
    with path.open("rb") as f:
        os.fsync(f.fileno())


def fsync_dir(folder: Path) -> None:
    if os.name == "nt":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
