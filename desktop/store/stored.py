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


def stored_iso(text: str) -> str:
    """``stored_time`` of a time as ``to_plain`` writes it (in UTC, ISO 8601, its
    microseconds left out when there are none: ``2026-12-04T05:24:37.443921+00:00``),
    without making a datetime of it: a merge's worker converts nine a revision."""
    return f"{text[:10]} {text[11:19]}{text[19:26] if text[19] == '.' else '.000000'}"


def stored(value: object) -> object:
    """Any column's value: a time by ``stored_time``, the rest as it is."""
    return stored_time(value) if isinstance(value, datetime) else value
