"""A merge into a seat's SQLite store in two steps, so that the seat goes on saving.

1. **Staged.** Every file is read and checked into a staging database of its own, attached
   to the merge's connection: a file beside the store, encrypted with a key drawn for this
   merge when the store is encrypted. Writing it takes no lock on the store. A refused file
   (truncated, altered, foreign) ends the merge here: the staging file is deleted and the
   store was never touched.
2. **Applied.** The staged revisions go into the store by SQL alone (``INSERT … SELECT``:
   no Python a row), a few thousand a transaction, so a save at the seat, its sync or its
   draft waits at most one of them (~0.1 s) instead of the whole merge (its SQLite waits
   5 s for a lock, then says NOT SAVED). A merge as large as a tenth of the store is applied
   in one transaction with the contacts' indexes set aside (desktop.store.bulk): faster by
   far, and it holds the lock for the writing only, no longer for the reading and checking.

A merge stopped during step 2 (killed, a power cut) leaves whole transactions of checked
revisions from files that were checked to their end: merging the same files again completes
it, each revision being inserted once.
"""

from __future__ import annotations

import json
import os
import secrets
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import (
    Column,
    Connection,
    Engine,
    Integer,
    MetaData,
    Table,
    and_,
    exists,
    select,
)
from sqlalchemy.dialects import sqlite

from desktop.read_ahead import read_ahead
from desktop.store.bulk import IndexesSetAside, tuned_for_bulk
from desktop.store.models import ContactRevisionRow, ContactRow
from desktop.store.upsert import COLUMNS
from desktop.supervisor.revision_check import REVISION_COLUMNS
from desktop.supervisor.revisions import MergeReport, bulk_at, file_counts

SCHEMA = "merge_staged"
APPLY_AT_ONCE = 2_000  # staged revisions a transaction of step 2
LEFTOVER_AFTER_S = 6 * 3600  # without file locks (Windows), a staging file this old is a leftover

_staged = Table(
    "revisions",
    MetaData(schema=SCHEMA),
    Column("seq", Integer, primary_key=True),
    Column("file", Integer),  # its file's place in the merge's list
    # the revision's row, as store_revisions would write it
    *[Column(c.name, c.type) for c in ContactRevisionRow.__table__.columns],
    # the contact's row at this revision, as raise_contacts would write it
    *[Column(f"c_{c.name}", c.type) for c in ContactRow.__table__.columns],
)
_REVISION_COLUMNS = [c.name for c in ContactRevisionRow.__table__.columns]
CONTACT_COLUMNS = tuple(COLUMNS)
# a staged row: its file's place, the revision's columns, the contact's (c_...) columns
_INSERT = "INSERT INTO {}.revisions ({}) VALUES ({})".format(
    SCHEMA,
    ", ".join(["file", *REVISION_COLUMNS, *[f"c_{name}" for name in CONTACT_COLUMNS]]),
    ", ".join("?" * (1 + len(REVISION_COLUMNS) + len(CONTACT_COLUMNS))),
)


def merge_staged(
    engine: Engine,
    chunks: Iterator[tuple[Path, list[tuple[object, ...]]]],
    paths: list[Path],
    report: MergeReport,
) -> None:
    """``chunks``: each file's checked revisions as the staging table's rows (made by
    desktop.supervisor.revision_check, in ``_INSERT``'s order), an empty chunk once the file
    was read to its end; a MergeError from it leaves the store untouched."""
    names = [str(path) for path in paths]
    with _staging_file(engine) as (staging, key), engine.connect() as conn:
        _attach(conn, staging, key)
        staged = 0
        try:
            with conn.begin():  # the staging database's lock, never the store's
                _staged.create(conn)
                for _path, chunk in read_ahead(chunks):
                    if chunk:  # their values as SQLite stores them already: no processing
                        conn.exec_driver_sql(_INSERT, chunk)
                        staged += len(chunk)
            with tuned_for_bulk(conn):
                _apply(conn, staged, report, names)
        finally:
            conn.rollback()  # DETACH fails inside a transaction
            conn.exec_driver_sql(f"DETACH DATABASE {SCHEMA}")


@contextmanager
def _staging_file(engine: Engine) -> Iterator[tuple[Path, str | None]]:
    """A new file beside the store (its folder is the seat's private data folder), deleted
    when the merge ends, with the key it is encrypted with when the store is."""
    database = engine.url.database
    folder = Path(database).parent if database and database != ":memory:" else None
    encrypted = "cipher" in getattr(engine.dialect.dbapi, "__name__", "")
    if folder is not None:
        wipe_leftovers(folder)
    # 0600, empty (SQLite takes an empty file as a new database); held with a shared lock
    # for the whole merge, so that erasure knows a leftover of a killed merge from this one
    handle, name = tempfile.mkstemp(prefix=".merge-", suffix=".sqlite3", dir=folder)
    path = Path(name)
    _hold(handle)
    try:
        yield path, secrets.token_hex(32) if encrypted else None
    finally:
        for leftover in (path, path.with_name(path.name + "-journal")):
            leftover.unlink(missing_ok=True)
        os.close(handle)


def _hold(handle: int) -> None:
    if os.name != "nt":
        import fcntl

        fcntl.flock(handle, fcntl.LOCK_SH)


def wipe_leftovers(folder: Path) -> int:
    """Overwrite then remove the staging files no merge holds any more (a merge killed while
    it staged leaves the revisions it read there, in plain text when the store is plain):
    ``repli erase`` reaches them too, and each merge before it stages. A merge running now
    holds its file's lock; where there are no such locks (Windows), a file is left for
    ``LEFTOVER_AFTER_S`` after its last change. Returns how many were wiped."""
    from desktop.store.cipher import wipe

    wiped = 0
    for leftover in sorted(folder.glob(".merge-*.sqlite3")):
        try:
            handle = os.open(leftover, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        except OSError:
            continue  # removed meanwhile
        try:
            if os.name != "nt":
                import fcntl

                try:
                    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except OSError:
                    continue  # a merge running now holds it
            elif time.time() - os.fstat(handle).st_mtime < LEFTOVER_AFTER_S:
                continue  # perhaps a merge running now
            for part in (leftover, leftover.with_name(leftover.name + "-journal")):
                if part.exists():
                    wipe(part)
            wiped += 1
        finally:
            os.close(handle)
    return wiped


def _attach(conn: Connection, path: Path, key: str | None) -> None:
    raw = conn.connection.dbapi_connection
    assert raw is not None
    old = os.umask(0o077)  # readable by this account only, whatever the umask
    try:
        if key is None:
            raw.execute(f"ATTACH DATABASE ? AS {SCHEMA}", (str(path),))
        else:  # the key is hexadecimal digits: nothing to quote
            raw.execute(f"ATTACH DATABASE ? AS {SCHEMA} KEY \"x'{key}'\"", (str(path),))
        raw.execute(f"PRAGMA {SCHEMA}.journal_mode = OFF")  # thrown away if anything fails
        raw.execute(f"PRAGMA {SCHEMA}.synchronous = OFF")
        raw.execute(f"SELECT count(*) FROM {SCHEMA}.sqlite_master")  # created here, now
    finally:
        os.umask(old)


def _apply(conn: Connection, staged: int, report: MergeReport, names: list[str]) -> None:
    counts = {name: file_counts() for name in names}
    with conn.begin():
        bulk = staged >= bulk_at(conn)
    ranges = [(low, low + APPLY_AT_ONCE - 1) for low in range(1, staged + 1, APPLY_AT_ONCE)]
    if staged and bulk:
        with conn.begin():
            indexes = IndexesSetAside(conn, ContactRow.__tablename__)
            for low, high in ranges:
                _apply_range(conn, low, high, counts, report, names)
                indexes.drop()  # once the first range began the transaction (it must)
            indexes.restore()
    else:
        for low, high in ranges:
            with conn.begin():
                _apply_range(conn, low, high, counts, report, names)
    report.per_file.update(counts)


_s, _r, _c = _staged.c, ContactRevisionRow.__table__.c, ContactRow.__table__.c
_ERASED = exists().where(_c.id == _s.contact_id, _c.erased_at.is_not(None))
_SAME_KEY = and_(_r.contact_id == _s.contact_id, _r.revision == _s.revision)


def _apply_range(
    conn: Connection,
    low: int,
    high: int,
    counts: dict[str, Counter[str]],
    report: MergeReport,
    names: list[str],
) -> None:
    """The staged revisions ``low``..``high``, in their files' order: what the store holds
    already is looked up first (by its primary key), then the others inserted, then each
    contact raised to its highest revision (never lowered, never an erased one)."""
    in_range = _s.seq.between(low, high)
    before = conn.execute(
        select(_s.file, _s.contact_id, _s.revision, _ERASED, _r.data, _s.data)
        .select_from(_staged.outerjoin(ContactRevisionRow.__table__, _SAME_KEY))
        .where(in_range)
        .order_by(_s.seq)
    ).all()
    inserted = conn.execute(
        sqlite.insert(ContactRevisionRow)
        .from_select(
            list(_REVISION_COLUMNS),
            select(*[_s[name] for name in _REVISION_COLUMNS])
            .where(in_range, ~_ERASED)
            .order_by(_s.seq),
        )
        .on_conflict_do_nothing()
        .returning(ContactRevisionRow.contact_id, ContactRevisionRow.revision)
    )
    new = {(row[0], row[1]) for row in inserted}
    for file, contact_id, revision, erased, ours, theirs in before:
        tally = counts[names[file]]
        key = (contact_id, revision)
        if erased:  # erased on request: never brought back
            tally["erased"] += 1
        elif ours is None and key in new:
            tally["new"] += 1
            new.discard(key)  # the same revision twice in the files: present the second time
        elif ours is None or ours == theirs or json.loads(ours) == json.loads(theirs):
            tally["present"] += 1
        else:
            tally["conflicting"] += 1
            report.conflicts.append(key)
    upsert = sqlite.insert(ContactRow).from_select(
        COLUMNS,
        select(*[_s[f"c_{name}"] for name in COLUMNS]).where(
            in_range,
            ~_ERASED,
            exists().where(_SAME_KEY, _r.data == _s.data),  # ours kept where they conflict
        ),
    )
    conn.execute(
        upsert.on_conflict_do_update(
            index_elements=[ContactRow.id],
            set_={name: upsert.excluded[name] for name in COLUMNS if name != "id"},
            where=ContactRow.revision < upsert.excluded.revision,
        )
    )
