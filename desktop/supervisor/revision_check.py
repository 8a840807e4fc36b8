"""A merge's revisions checked, a batch at a time, in this process or in a worker process
(desktop.workers): each revision read from its export line or its seat database row and
held to the form's own rules.

Kept light (no SQLAlchemy, no Qt: a spawned worker imports this and desktop.contacts only,
in ~0.1 s). Each batch comes back either as revisions (the site database's merge) or as the
rows the staging table stores (a seat's merge, desktop.supervisor.staging): then the worker
also does the conversions SQLAlchemy would have done for each value, and the merge's own
process only writes them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cached_property
from typing import Any

from desktop.contacts import (
    DATETIME_FIELDS,
    EARLIEST,
    LATEST,
    BadContact,
    ContactData,
    from_inbound,
    plain_json,
    to_plain,
)
from desktop.store.stored import stored_iso, stored_time

MAX_LINE_BYTES = 4 * 2**20  # one revision: 100,000 characters of notes and the rest
FUTURE_SLACK = timedelta(days=1)


class MergeError(ValueError):
    """A file that cannot be merged (truncated, foreign, newer); nothing was written."""


@dataclass(frozen=True)
class Revision:
    contact: ContactData
    saved_at: datetime
    saved_by: str
    data: str  # the revision as saved (JSON)

    @property
    def key(self) -> tuple[str, int]:
        return (self.contact.id, self.contact.revision)


def record_of(raw: bytes, where: str) -> tuple[Any, object]:
    """An export line's record and its kind (None when it is not an object)."""
    try:
        record = json.loads(raw)
    except (ValueError, UnicodeDecodeError, RecursionError):
        raise MergeError(f"{where}: not JSON (the file is damaged)") from None
    return record, record.get("kind") if isinstance(record, dict) else None


@dataclass(frozen=True)
class Lines:
    """Consecutive revision lines of an export, the first being line ``first`` of ``name``."""

    name: str
    first: int
    lines: list[bytes]

    def revisions(self) -> list[Read]:
        found = []
        for number, raw in enumerate(self.lines, self.first):
            where = f"{self.name}:{number}"
            record, kind = record_of(raw, where)
            if kind == "end":  # a line follows it: the reader keeps the last line for itself
                raise MergeError(f"{self.name}:{number + 1}: lines after the end of the export")
            if kind != "revision":
                raise MergeError(f"{where}: unknown record kind {kind!r}")
            found.append(read(record, where))
        return found


@dataclass(frozen=True)
class Rows:
    """Rows of a seat database's contact_revisions table:
    (contact_id, revision, saved_at, saved_by, data)."""

    name: str
    rows: list[tuple[object, object, object, object, object]]

    def revisions(self) -> list[Read]:
        return [database_revision(self.name, *row) for row in self.rows]


@dataclass(frozen=True)
class AsStaged:
    """Answer a batch with the staging table's rows: (file, the revision's columns, the
    contact's columns), each value as SQLite stores it."""

    file: int
    contact_columns: tuple[str, ...]

    @cached_property
    def times(self) -> tuple[int, ...]:
        """The places of the contact's times among its columns."""
        times = set(DATETIME_FIELDS)
        return tuple(i for i, name in enumerate(self.contact_columns) if name in times)


def checked(batch: Lines | Rows, staged: AsStaged | None = None) -> list[Any]:
    """The batch's revisions, or their staging rows; MergeError at the first wrong one."""
    found = batch.revisions()
    if staged is None:
        return [item for item, _plain in found]
    return [staged_row(staged, item, plain) for item, plain in found]


def staged_row(staged: AsStaged, item: Revision, plain: dict[str, Any]) -> tuple[object, ...]:
    """``plain``: the contact's fields as its JSON holds them (``to_plain``)."""
    values = [plain[name] for name in staged.contact_columns]
    for place in staged.times:
        if (value := values[place]) is not None:
            values[place] = stored_iso(value)
    contact = item.contact
    # the revision's columns in the order of REVISION_COLUMNS, then the contact's
    return (staged.file, contact.id, contact.revision, stored_time(item.saved_at),
            item.saved_by, item.data, *values)  # fmt: skip


REVISION_COLUMNS = ("contact_id", "revision", "saved_at", "saved_by", "data")


Read = tuple[Revision, dict[str, Any]]  # a revision, and its contact's fields as its JSON's


def read(record: dict[str, Any], where: str) -> Read:
    try:
        contact = from_inbound(record.get("contact"))
        saved_at = _saved_at(record.get("saved_at"))
        saved_by = record.get("saved_by")
        if not isinstance(saved_by, str) or not 0 < len(saved_by) <= 120:
            raise BadContact("saved_by: who saved it is missing or too long")
        _not_in_the_future(contact, saved_at)
        plain = to_plain(contact)
        return Revision(contact, saved_at, saved_by, plain_json(plain)), plain
    except BadContact as exc:
        raise MergeError(f"{where}: not a valid revision ({exc})") from None


def _saved_at(value: object) -> datetime:
    if isinstance(value, datetime):
        when = value
    elif isinstance(value, str):
        try:
            when = datetime.fromisoformat(value)
        except ValueError:
            raise BadContact(f"saved_at: {value[:40]!r} is not an ISO 8601 time") from None
    else:
        raise BadContact(f"saved_at: {type(value).__name__} is not a time")
    when = when if when.tzinfo is not None else when.replace(tzinfo=UTC)
    if not EARLIEST <= when <= LATEST:
        raise BadContact(f"saved_at: a time outside {EARLIEST:%Y}–{LATEST:%Y}")
    return when


def _not_in_the_future(contact: ContactData, saved_at: datetime) -> None:
    """A revision saved tomorrow was made on a PC whose clock is wrong, or by hand."""
    limit = datetime.now(UTC) + FUTURE_SLACK
    for name, when in (("saved_at", saved_at), ("created_at", contact.created_at)):
        if when is not None and when > limit:
            raise BadContact(f"{name}: {when.isoformat()} is in the future")


def database_revision(
    name: str,
    contact_id: object,
    revision_number: object,
    saved_at: object,
    saved_by: object,
    data: object,
) -> Read:
    where = f"{name}: contact {str(contact_id)[:40]} revision {str(revision_number)[:12]}"
    try:
        if not isinstance(data, str) or len(data) > MAX_LINE_BYTES:
            raise BadContact("its data is not a JSON text of a revision")
        try:
            plain = json.loads(data)
        except (ValueError, RecursionError):
            raise BadContact("its data is not JSON") from None
        record = {"contact": plain, "saved_at": saved_at, "saved_by": saved_by}
        found, plain = read(record, where)
    except BadContact as exc:
        raise MergeError(f"{where}: not a valid revision ({exc})") from None
    if (found.contact.id, found.contact.revision) != (contact_id, revision_number):
        raise MergeError(f"{where}: its content says otherwise (the database is damaged)")
    return Revision(found.contact, found.saved_at, found.saved_by, data), plain
