"""The save benchmarks' contact and their reference: a bare sqlite3 insert+commit into a
one-index table, with the pragmas every Repli connection gets (the floor for any save)."""

from __future__ import annotations

import sqlite3
import time
import uuid
from pathlib import Path

from desktop.contacts import ContactData
from desktop.store.engine import apply_sqlite_pragmas


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
