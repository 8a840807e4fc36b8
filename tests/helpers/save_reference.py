"""The save benchmarks' contact and their reference: a bare sqlite3 insert+commit into a
one-index table, with the pragmas every Repli connection gets (the floor for any save)."""

from __future__ import annotations

import sqlite3
import time
import uuid
from pathlib import Path
from typing import TYPE_CHECKING

from desktop.contacts import ContactData
from desktop.store.engine import apply_sqlite_pragmas

if TYPE_CHECKING:
    from sqlalchemy import Engine


def bench_contact(i: int) -> ContactData:
    return ContactData(
        agent="bench",
        seat_id="S",
        caller_name=f"Appelant {i}",
        notes="Notes " * 20,
        caller_number="+33612345678",
    )


def bare_table(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None)
    apply_sqlite_pragmas(conn)
    conn.execute("CREATE TABLE c (id TEXT PRIMARY KEY, name TEXT, notes TEXT, at TEXT)")
    return conn


def bare_save(conn: sqlite3.Connection, i: int) -> float:
    """One insert+commit; the seconds it took."""
    start = time.perf_counter()
    conn.execute("BEGIN")
    conn.execute(
        "INSERT INTO c VALUES (?, ?, ?, datetime('now'))",
        (str(uuid.uuid4()), f"Appelant {i}", "Notes " * 20),
    )
    conn.execute("COMMIT")
    return time.perf_counter() - start


def _schema_values(contact: ContactData) -> tuple[tuple[object, ...], tuple[object, ...]]:
    """A new contact's row and its revision's, as the save hands them to the driver."""
    from dataclasses import replace
    from datetime import UTC, datetime

    from desktop.store import contacts as store
    from desktop.store.stored import stored

    now = datetime.now(UTC)
    saved = replace(contact, id=str(uuid.uuid4()), revision=1, created_at=now, updated_at=now)
    values = tuple(stored(getattr(saved, name)) for name in store._COLUMNS)
    return values, (saved.id, 1, stored(now), "bench", saved.to_json())


def pooled_schema_save(engine: Engine, contact: ContactData) -> float:
    """``schema_save`` on a connection taken from the store's engine and given back, as the
    save takes it: the floor of a save that goes through SQLAlchemy's pool; the seconds."""
    from desktop.store import contacts as store

    values, revision = _schema_values(contact)
    start = time.perf_counter()
    raw = engine.raw_connection()
    driver = raw.driver_connection
    assert driver is not None
    driver.execute(store._CONTACT_SQL, values)
    driver.execute(store._REVISION_SQL, revision)
    driver.commit()
    raw.close()
    return time.perf_counter() - start


def schema_save(conn: sqlite3.Connection, contact: ContactData) -> float:
    """The save's own SQL, by bare sqlite3 into the store's tables (their indexes, the
    search's and the outbox's triggers): the contact's row and its revision's, one
    transaction, the values ready before the clock starts. The floor of a save with this
    schema; the seconds it took."""
    from desktop.store import contacts as store

    values, revision = _schema_values(contact)
    start = time.perf_counter()
    conn.execute("BEGIN")
    conn.execute(store._CONTACT_SQL, values)  # the very statements the save runs
    conn.execute(store._REVISION_SQL, revision)
    conn.execute("COMMIT")
    return time.perf_counter() - start
