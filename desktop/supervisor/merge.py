"""``repli merge``: other seats' contacts into this store (or the site database).

Takes JSON Lines exports (``repli export --format jsonl``) and seat database files
(``repli.sqlite3``). Every file is read and checked completely before anything is written:
a truncated export (no trailer, or a count or checksum that does not match), a foreign file,
or a database from a newer Repli is refused with the reason, and nothing changes. Then, in
one transaction, each revision is inserted once (deduplicated by contact id and revision),
and each contact's row is raised to its highest revision, never lowered. A revision already
present with different content is a conflict: ours is kept, and it is reported.

Merged revisions are queued for this seat's sync targets like its own (the receivers
deduplicate by id and revision, so a contact the other seat had delivered is a duplicate
there, and one it had not is delivered now).
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, select, tuple_

from desktop.contacts import ContactData, from_plain
from desktop.store.models import ContactRevisionRow
from desktop.store.upsert import Key, raise_contacts, store_revisions
from desktop.supervisor.export import EXPORT_SCHEMA
from desktop.supervisor.retention import erased_ids

SQLITE_MAGIC = b"SQLite format 3\x00"
CHUNK = 500


class MergeError(ValueError):
    """A file that cannot be merged (truncated, foreign, newer); nothing was written."""


@dataclass(frozen=True)
class Revision:
    contact: ContactData
    saved_at: datetime
    saved_by: str
    data: str  # the revision as saved (JSON)

    @property
    def key(self) -> Key:
        return (self.contact.id, self.contact.revision)


@dataclass
class MergeReport:
    per_file: dict[str, Counter[str]] = field(default_factory=dict)
    conflicts: list[Key] = field(default_factory=list)

    def total(self, what: str) -> int:
        return sum(c[what] for c in self.per_file.values())

    def as_dict(self) -> dict[str, Any]:
        return {
            "files": {
                name: {k: c[k] for k in ("new", "present", "conflicting", "erased")}
                for name, c in self.per_file.items()
            },
            "new": self.total("new"),
            "present": self.total("present"),
            "conflicting": self.total("conflicting"),
            "erased": self.total("erased"),
            "conflicts": [{"id": k[0], "revision": k[1]} for k in self.conflicts],
        }


def read_file(path: Path) -> list[Revision]:
    try:
        with path.open("rb") as f:
            start = f.read(16)
    except OSError as exc:
        raise MergeError(f"{path}: {exc.strerror or exc}") from None
    if start == SQLITE_MAGIC:
        return read_database(path)
    return read_jsonl(path)


def read_jsonl(path: Path) -> list[Revision]:
    revisions: list[Revision] = []
    digest = hashlib.sha256()
    trailer: dict[str, Any] | None = None
    with path.open("rb") as f:
        for number, raw in enumerate(f, start=1):
            where = f"{path}:{number}"
            if trailer is not None:
                raise MergeError(f"{where}: lines after the end of the export")
            if not raw.endswith(b"\n"):
                raise MergeError(f"{where}: the line is cut (the file is truncated)")
            try:
                record = json.loads(raw)
            except (ValueError, UnicodeDecodeError):
                if number == 1:
                    raise MergeError(f"{path}: not a Repli export (not JSON Lines)") from None
                raise MergeError(f"{where}: not JSON (the file is damaged)") from None
            kind = record.get("kind") if isinstance(record, dict) else None
            if number == 1:
                if kind != "header" or record.get("schema") != EXPORT_SCHEMA:
                    raise MergeError(
                        f"{path}: not a Repli export (its first line is not a "
                        f"{EXPORT_SCHEMA} header)"
                    )
                continue
            if kind == "end":
                trailer = record
                continue
            if kind != "revision":
                raise MergeError(f"{where}: unknown record kind {kind!r}")
            digest.update(raw)
            revisions.append(_revision(record, where))
    if trailer is None:
        raise MergeError(f"{path}: no end record (the file is truncated)")
    if trailer.get("records") != len(revisions) or trailer.get("sha256") != digest.hexdigest():
        raise MergeError(
            f"{path}: {len(revisions)} revisions do not match the end record "
            f"({trailer.get('records')} and its checksum): the file was altered"
        )
    return revisions


def _revision(record: dict[str, Any], where: str) -> Revision:
    try:
        plain = record["contact"]
        contact = from_plain(plain)
        if not contact.id or contact.revision < 1:
            raise ValueError("a contact needs an id and a revision of 1 or more")
        saved_at = datetime.fromisoformat(record["saved_at"])
        return Revision(contact, saved_at, str(record["saved_by"]), contact.to_json())
    except (KeyError, TypeError, ValueError) as exc:
        raise MergeError(f"{where}: not a valid revision ({exc})") from None


def read_database(path: Path) -> list[Revision]:
    from desktop.store.quickstart import HEAD_REVISION

    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise MergeError(f"{path}: cannot be opened ({exc})") from None
    try:
        version = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        if version is None:
            raise MergeError(f"{path}: not a Repli seat database (no schema version)")
        if version[0] > HEAD_REVISION:
            raise MergeError(f"{path}: written by a newer Repli (schema {version[0]})")
        rows = conn.execute(
            "SELECT contact_id, revision, saved_at, saved_by, data FROM contact_revisions"
            " ORDER BY contact_id, revision"
        ).fetchall()
    except sqlite3.DatabaseError as exc:
        raise MergeError(f"{path}: not a Repli seat database ({exc})") from None
    finally:
        conn.close()
    revisions = []
    for contact_id, revision, saved_at, saved_by, data in rows:
        where = f"{path}: contact {contact_id} revision {revision}"
        try:
            contact = ContactData.from_json(data)
        except (TypeError, ValueError) as exc:
            raise MergeError(f"{where}: not a valid revision ({exc})") from None
        if (contact.id, contact.revision) != (contact_id, revision):
            raise MergeError(f"{where}: its content says otherwise (the database is damaged)")
        when = datetime.fromisoformat(saved_at)
        revisions.append(Revision(contact, when.replace(tzinfo=when.tzinfo or UTC), saved_by, data))
    return revisions


def merge_files(engine: Engine, paths: list[Path]) -> MergeReport:
    read = [(path, read_file(path)) for path in paths]  # everything checked before a write
    report = MergeReport()
    with engine.begin() as conn:
        for path, revisions in read:
            counts: Counter[str] = Counter(new=0, present=0, conflicting=0, erased=0)
            for start in range(0, len(revisions), CHUNK):
                chunk = revisions[start : start + CHUNK]
                keys = [r.key for r in chunk]
                found = conn.execute(
                    select(
                        ContactRevisionRow.contact_id,
                        ContactRevisionRow.revision,
                        ContactRevisionRow.data,
                    ).where(
                        tuple_(ContactRevisionRow.contact_id, ContactRevisionRow.revision).in_(keys)
                    )
                )
                existing = {(row[0], row[1]): row[2] for row in found}
                fresh = []
                gone = erased_ids(conn, sorted({r.contact.id for r in chunk}))
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
            report.per_file[str(path)] = counts
    return report
