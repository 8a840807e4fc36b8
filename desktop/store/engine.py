"""The database engine: SQLite by default (WAL, synchronous=FULL), PostgreSQL for a site store.

Every SQLite connection gets the pragmas that make a committed contact survive a power cut.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from sqlalchemy import Engine, create_engine, event

SQLITE_PRAGMAS = (
    "PRAGMA journal_mode=WAL",
    "PRAGMA synchronous=FULL",
    "PRAGMA foreign_keys=ON",
    "PRAGMA busy_timeout=5000",
)


def apply_sqlite_pragmas(connection: sqlite3.Connection) -> None:
    for pragma in SQLITE_PRAGMAS:
        connection.execute(pragma)


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 5})
        event.listen(engine, "connect", _on_sqlite_connect)
        return engine
    # an unreachable server must fail in seconds, not after the system's TCP timeout
    return create_engine(url, pool_pre_ping=True, connect_args={"connect_timeout": 5})


def _on_sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    apply_sqlite_pragmas(dbapi_connection)
