"""``repli merge``: other seats' contacts into this store (or the site database).

Takes JSON Lines exports (``repli export --format jsonl``) and seat database files
(``repli.sqlite3``), streamed: they are read a chunk of revisions at a time and checked.
Into a seat's SQLite store, every file is first read to its end and checked into a staging
database, then applied (desktop.supervisor.staging: the seat goes on saving meanwhile); into
the site PostgreSQL, each chunk is written in one transaction that commits only once every
file was read to its end and checked completely. A truncated export (no trailer, or a count
or checksum that does not match), a foreign file, or a database from a newer Repli is
refused with the reason before anything is written to the store, and nothing changes. Each
revision is inserted once (deduplicated by contact id and revision), and each contact's row
is raised to its highest revision, never lowered. A revision already present with
different content is a conflict: ours is kept, and it is reported. Memory stays that of a
chunk, whatever the file's size.

Merged revisions are queued for this seat's sync targets like its own (the receivers
deduplicate by id and revision, so a contact the other seat had delivered is a duplicate
there, and one it had not is delivered now).
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import stat
import time
from collections import Counter
from collections.abc import Iterator
from functools import partial
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, select

from desktop.read_ahead import read_ahead
from desktop.store.bulk import IndexesSetAside, tuned_for_bulk
from desktop.store.cipher import PLAIN_HEADER
from desktop.store.models import ContactRevisionRow, ContactRow
from desktop.store.upsert import raise_contacts, store_revisions
from desktop.supervisor.export import EXPORT_SCHEMA
from desktop.supervisor.retention import erased_ids
from desktop.supervisor.revision_check import (
    MAX_LINE_BYTES,
    AsStaged,
    Lines,
    MergeError,
    Revision,
    Rows,
    checked,
    record_of,
)
from desktop.supervisor.revisions import MergeReport, bulk_at, file_counts
from desktop.supervisor.staging import CONTACT_COLUMNS, merge_staged
from desktop.tables.packfiles import shown
from desktop.workers import Workers

__all__ = ["MAX_LINE_BYTES", "MergeError", "Revision", "merge_files", "read_file", "revisions_of"]

MAX_DATABASE_SECONDS = 600.0  # reading a seat database: a view over an endless query stops
# A file this large has its revisions checked in worker processes (desktop.workers): about
# 4,000 revisions, for which starting them (~0.2 s) is worth it.
WORKERS_FROM_BYTES = 4 * 2**20
WORKERS = 0  # how many: every core
CHUNK = 500  # revisions checked at a time (a batch for a worker)
CHUNK_BYTES = 4 * 2**20  # and at most this many bytes of export lines


def read_file(path: Path) -> list[Revision]:
    """Every revision of ``path``, checked; MergeError says where and what is wrong."""
    return list(revisions_of(path))


def revisions_of(
    path: Path, client: str = "", workers: Workers | None = None
) -> Iterator[Revision]:
    """The revisions of ``path``, each checked; the file's own checks (its end record, its
    count, its checksum) raise MergeError after its last one. ``client``: the receiving
    store's; a file of another client is refused by its id."""
    for checked_batch in _checked(path, client, workers or Workers(1), None):
        yield from checked_batch


def _checked(
    path: Path, client: str, workers: Workers, staged: AsStaged | None
) -> Iterator[list[Any]]:
    """The revisions of ``path`` (or their staging rows), a checked batch at a time: in the
    worker processes for a large file, here for a small one."""
    batches = _batches_of(path, client)
    try:
        large = path.stat().st_size >= WORKERS_FROM_BYTES
    except OSError:
        large = False  # _batches_of says why
    check = partial(checked, staged=staged)
    return workers.in_order(batches, check) if large else map(check, batches)


def _batches_of(path: Path, client: str) -> Iterator[Lines | Rows]:
    """``path``'s revisions in batches, not checked yet; what the file's own checks find
    wrong is raised after the batches read before it."""
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            raise MergeError(f"{shown(path)}: not a regular file (a folder, FIFO or device)")
        with path.open("rb") as f:
            probe = f.read(PROBE)
    except OSError as exc:
        raise MergeError(f"{shown(path)}: {exc.strerror or exc}") from None
    if probe[:16] == PLAIN_HEADER:
        return read_database(path, client=client)
    if _encrypted_store(path, probe):
        _same_client(path, _database_client(path) or "", client)
        return read_database(path, _store_key(path), client)
    return read_jsonl(path, client)


PROBE = 4096  # an export's header line is far shorter


def _encrypted_store(path: Path, probe: bytes) -> bool:
    """An encrypted seat store begins with a random salt, which is not JSON text; it may
    begin with "{" by chance (1 in 256), so a file that does is an export unless a store.json
    lies beside it and its first line is not JSON."""
    if probe.lstrip()[:1] not in (b"{", b""):
        return True
    if not probe or _database_client(path) is None:
        return False
    line, newline, _rest = probe.partition(b"\n")
    try:
        return not (newline and isinstance(json.loads(line), dict))
    except (ValueError, UnicodeDecodeError, RecursionError):
        return True


def _same_client(path: Path, theirs: str, ours: str) -> None:
    """One client's contacts never go into another's store, nor into a seat's own store
    (``clients adopt`` would then make them another client's). A file or store that names
    no client (a one-client seat, an export from before clients) goes anywhere."""
    if theirs and theirs != ours:
        whose = f"client {ours!r}'s" if ours else "the seat's own (no client)"
        raise MergeError(
            f"{shown(path)}: holds the contacts of client {theirs!r}, and this store is "
            f"{whose}: refused (merge it into {theirs!r}'s: repli merge --client {theirs})"
        )


def _database_client(path: Path) -> str | None:
    """The client named by the store.json beside ``path``; None when there is none."""
    from desktop.seat.store_key import read_store_file
    from desktop.store.cipher import StoreLocked

    try:
        found = read_store_file(path)
    except StoreLocked:
        return ""  # damaged: the key lookup says so
    return None if found is None else found.get("client", "")


def _store_key(path: Path) -> str:
    """The key of an encrypted seat store, when this account holds it (a seat of this PC);
    an encrypted store copied from elsewhere cannot be read, by design."""
    from desktop.seat import store_key
    from desktop.store.cipher import StoreLocked

    try:
        found = store_key.find(path)
    except StoreLocked as exc:
        raise MergeError(f"{shown(path)}: {exc}; merge that seat's export instead") from None
    if found is None:
        raise MergeError(
            f"{shown(path)}: not a Repli export, nor a seat database this account can read (an "
            "encrypted seat store opens only on its PC and account, beside its store.json): "
            "merge that seat's export (repli export --format jsonl)"
        )
    return found.key


def read_jsonl(path: Path, client: str = "") -> Iterator[Lines]:
    """The export's revision lines in batches. Its first line, its header, is read here, and
    its last one, its end record: the lines between are revisions, checked in the batches
    (where one that is not says so)."""
    count = 0
    digest = hashlib.sha256()
    name = shown(path)
    with path.open("rb") as f:
        lines = iter(lambda: f.readline(MAX_LINE_BYTES + 1), b"")
        _header(path, next(lines, b""), client)
        batch: list[bytes] = []
        size = 0
        last: bytes | None = None  # the line read before: the end record if it is the last
        for number, raw in enumerate(lines, 2):
            problem = _cut_or_long(raw)
            if last is not None:
                batch.append(last)
                size += len(last)
                digest.update(last)
                count += 1
            if problem:  # after the lines before it were checked, as they came first
                if batch:
                    yield Lines(name, number - len(batch), batch)
                raise MergeError(f"{name}:{number}: {problem}")
            if len(batch) >= CHUNK or size >= CHUNK_BYTES:
                yield Lines(name, number - len(batch), batch)
                batch, size = [], 0
            last = raw
        number = count + 2  # the last line's
        trailer = _trailer(f"{name}:{number}", last)
        if trailer is None and last is not None:  # a revision: checked, then the file is cut
            batch.append(last)
            number += 1
        if batch:
            yield Lines(name, number - len(batch), batch)
    if trailer is None:
        raise MergeError(f"{path}: no end record (the file is truncated)")
    if trailer.get("records") != count or trailer.get("sha256") != digest.hexdigest():
        raise MergeError(
            f"{path}: {count} revisions do not match the end record "
            f"({trailer.get('records')} and its checksum): the file was altered"
        )


def _cut_or_long(raw: bytes) -> str:
    if len(raw) > MAX_LINE_BYTES:
        return f"a line over {MAX_LINE_BYTES // 2**20} MiB"
    if not raw.endswith(b"\n"):
        return "the line is cut (the file is truncated)"
    return ""


def _header(path: Path, raw: bytes, client: str) -> None:
    if not raw:
        raise MergeError(f"{path}: no end record (the file is truncated)")
    if problem := _cut_or_long(raw):
        raise MergeError(f"{shown(path)}:1: {problem}")
    try:
        record = json.loads(raw)
    except (ValueError, UnicodeDecodeError, RecursionError):
        raise MergeError(f"{shown(path)}: not a Repli export (not JSON Lines)") from None
    if (
        not isinstance(record, dict)
        or record.get("kind") != "header"
        or record.get("schema") != EXPORT_SCHEMA
    ):
        raise MergeError(
            f"{path}: not a Repli export (its first line is not a {EXPORT_SCHEMA} header)"
        )
    theirs = record.get("client", "")
    _same_client(path, theirs if isinstance(theirs, str) else "?", client)


def _trailer(where: str, raw: bytes | None) -> dict[str, Any] | None:
    """The export's last line: its end record, or None when it is a revision (the file
    was cut after it) or there is none."""
    if raw is None:
        return None
    record, kind = record_of(raw, where)
    if kind == "end":
        return dict(record)
    if kind != "revision":
        raise MergeError(f"{where}: unknown record kind {kind!r}")
    return None


def read_database(path: Path, key: str | None = None, client: str = "") -> Iterator[Rows]:
    """The rows of its contact_revisions table in batches, not checked yet. ``key``: the
    store's when it is encrypted; ``client``: the receiving store's (a store that names
    another client in itself is refused)."""
    from desktop.store import cipher
    from desktop.store.owner import owner_in
    from desktop.store.quickstart import HEAD_REVISION

    name = shown(path)
    db: Any = cipher.dbapi() if key else sqlite3
    try:
        conn = cipher.connect_store(f"file:{path}?mode=ro", key, uri=True)
    except (db.Error, cipher.StoreLocked) as exc:
        raise MergeError(f"{name}: cannot be opened ({exc})") from None
    deadline = time.monotonic() + MAX_DATABASE_SECONDS
    conn.set_progress_handler(lambda: int(time.monotonic() > deadline), 100_000)
    try:
        kinds = dict(conn.execute("SELECT name, type FROM sqlite_master").fetchall())
        if kinds.get("contact_revisions") != "table" or kinds.get("alembic_version") != "table":
            raise MergeError(f"{name}: not a Repli seat database (its tables are not Repli's)")
        version = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        if version is None or not isinstance(version[0], str) or len(version[0]) > 32:
            raise MergeError(f"{name}: not a Repli seat database (no schema version)")
        if version[0] > HEAD_REVISION:
            raise MergeError(f"{name}: written by a newer Repli (schema {version[0]})")
        owner = owner_in(conn) if kinds.get("site_settings") == "table" else ""
        _same_client(path, owner, client)
        rows = conn.execute(
            "SELECT contact_id, revision, saved_at, saved_by, data FROM contact_revisions"
            " ORDER BY contact_id, revision"
        )
        while batch := rows.fetchmany(CHUNK):
            yield Rows(name, batch)
    except db.OperationalError as exc:
        if "interrupted" in str(exc):
            raise MergeError(
                f"{name}: reading it took over {MAX_DATABASE_SECONDS:.0f} s: not a seat database"
            ) from None
        raise MergeError(f"{name}: not a Repli seat database ({exc})") from None
    except db.DatabaseError as exc:
        raise MergeError(f"{name}: not a Repli seat database ({exc})") from None
    finally:
        conn.close()


def merge_files(engine: Engine, paths: list[Path], client: str = "") -> MergeReport:
    """Raises MergeError, with nothing written, when any file is refused: a file of another
    client than ``client`` (the store's) among them."""
    report = MergeReport()
    if engine.dialect.name == "sqlite":  # a seat's store: the seat goes on saving meanwhile
        merge_staged(engine, _chunks(paths, client, CONTACT_COLUMNS), paths, report)
        return report
    # the site database: PostgreSQL locks rows, not the table; one transaction
    with engine.connect() as conn, tuned_for_bulk(conn), conn.begin():
        # a MergeError rolls every file's chunks back, and the indexes set aside with them
        indexes = IndexesSetAside(conn, ContactRow.__tablename__)
        bulk_from = bulk_at(conn)
        counts = file_counts()
        for path, chunk in read_ahead(_chunks(paths, client)):
            if not chunk:  # the end of a file, checked whole
                report.per_file[str(path)] = counts
                counts = file_counts()
                continue
            _merge_chunk(conn, chunk, counts, report)
            if not indexes.active and report.total("new") + counts["new"] >= bulk_from:
                indexes.drop()
        indexes.restore()
    return report


def _chunks(
    paths: list[Path], client: str, contact_columns: tuple[str, ...] | None = None
) -> Iterator[tuple[Path, list[Any]]]:
    """Each file's revisions a checked chunk at a time (their staging rows, when the
    staging's ``contact_columns`` are given); an empty chunk once a file was read to its end
    and its own checks passed. One pool of workers serves every file."""
    with Workers(WORKERS) as workers:
        for place, path in enumerate(paths):
            staged = None if contact_columns is None else AsStaged(place, contact_columns)
            for chunk in _checked(path, client, workers, staged):
                if chunk:
                    yield path, chunk
            yield path, []


def _merge_chunk(
    conn: Connection, chunk: list[Revision], counts: Counter[str], report: MergeReport
) -> None:
    ids = sorted({r.contact.id for r in chunk})
    # by contact id, which the primary key's index serves (SQLite scans the whole table for
    # a tuple IN: a merge of a million took quadratic time)
    found = conn.execute(
        select(
            ContactRevisionRow.contact_id,
            ContactRevisionRow.revision,
            ContactRevisionRow.data,
        ).where(ContactRevisionRow.contact_id.in_(ids))
    )
    existing = {(row[0], row[1]): row[2] for row in found}
    fresh = []
    gone = erased_ids(conn, ids)
    for revision in chunk:
        if revision.contact.id in gone:  # erased on request: never brought back
            counts["erased"] += 1
        elif revision.key not in existing:
            fresh.append(revision)
        elif json.loads(existing[revision.key]) == json.loads(revision.data):
            counts["present"] += 1
        else:
            counts["conflicting"] += 1
            report.conflicts.append(revision.key)
    new = store_revisions(
        conn,
        [
            {
                "contact_id": r.contact.id,
                "revision": r.contact.revision,
                "saved_at": r.saved_at,
                "saved_by": r.saved_by,
                "data": r.data,
            }
            for r in fresh
        ],
    )
    counts["new"] += len(new)
    counts["present"] += len(fresh) - len(new)  # twice in the same files
    raise_contacts(conn, [r.contact for r in fresh if r.key in new])
