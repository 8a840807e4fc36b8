"""Values as SQLAlchemy stores them in Repli's SQLite columns, for the few writes that go to
the driver directly (a save's two rows, a merge's staging rows: SQLAlchemy's compiling and
type processing cost them as much as the disk). Imports nothing heavy: a merge's worker
processes use it."""

from __future__ import annotations

from datetime import UTC, datetime


def stored_time(value: datetime) -> str:
    """A time as a UtcDateTime column holds it on SQLite: in UTC, ``YYYY-MM-DD
    HH:MM:SS.ffffff`` (tests/unit/test_merge_workers.py holds it to SQLAlchemy's own). Only
    times need this: sqlite3 stores True as 1, as SQLAlchemy's Boolean does."""
    return value.astimezone(UTC).replace(tzinfo=None).isoformat(" ", "microseconds")


def stored(value: object) -> object:
    """Any column's value: a time by ``stored_time``, the rest as it is."""
    return stored_time(value) if isinstance(value, datetime) else value
