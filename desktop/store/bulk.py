"""Writing many rows into a seat's SQLite store in one transaction (``repli merge``).

Two things make a long write slow on SQLite, and both are undone when it ends:

- the connection's small page cache: ``tuned_for_bulk`` raises it for that connection, for
  the transaction's length (where temporary data goes is left as the store has it: in
  memory for an encrypted store, as SQLCipher keeps it; in files for a plain one, so that
  building an index of a large store sorts it in bounded memory);
- the secondary indexes, each row inserted at a random place in each: ``IndexesSetAside``
  drops them inside the transaction and builds them again, from the same SQL, before it
  commits, with the planner's statistics they had. A crash or a rollback leaves them as they
  were (SQLite's DDL is transactional), and other connections see them throughout (they
  read the last commit). Building an index from the whole table sorts it once: for a merge
  as large as a tenth of the store, that is faster than inserting into it row by row.

PostgreSQL (the site database) is left as it is.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection

CACHE_KIB = 64 * 1024  # the page cache for a long write: within a merge's memory goal


def _raw(conn: Connection) -> Any:
    return conn.connection.dbapi_connection


@contextmanager
def tuned_for_bulk(conn: Connection) -> Iterator[None]:
    """The connection's page cache raised while the block runs, then put back (the
    connection returns to the pool as it was)."""
    if conn.dialect.name != "sqlite":
        yield
        return
    raw = _raw(conn)
    cache = int(raw.execute("PRAGMA cache_size").fetchone()[0])
    raw.execute(f"PRAGMA cache_size=-{CACHE_KIB}")
    try:
        yield
    finally:
        raw.execute(f"PRAGMA cache_size={cache}")


class IndexesSetAside:
    """The non-unique indexes of ``table``, dropped by ``drop`` within the connection's open
    transaction and built again by ``restore`` before it commits."""

    def __init__(self, conn: Connection, table: str) -> None:
        self.conn = conn
        self.table = table
        self.dropped: list[tuple[str, str]] = []  # (name, its CREATE INDEX)
        self.stats: list[tuple[str, str, str]] = []

    @property
    def active(self) -> bool:
        return bool(self.dropped)

    def drop(self) -> None:
        raw = _raw(self.conn)
        if self.conn.dialect.name != "sqlite" or self.dropped or not raw.in_transaction:
            return  # outside a transaction DROP INDEX would commit at once: never
        self.dropped = [
            (name, sql)
            for name, sql in raw.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ?"
                " AND sql IS NOT NULL ORDER BY name",
                (self.table,),
            )
            if not sql.lstrip().upper().startswith("CREATE UNIQUE")
        ]
        names = [name for name, _sql in self.dropped]
        if _has_stats(raw):
            marks = ",".join("?" * len(names))
            self.stats = raw.execute(
                f"SELECT tbl, idx, stat FROM sqlite_stat1 WHERE idx IN ({marks})", names
            ).fetchall()
        for name in names:
            raw.execute(f'DROP INDEX "{name}"')

    def restore(self) -> None:
        if not self.dropped:
            return
        raw = _raw(self.conn)
        for _name, sql in self.dropped:
            raw.execute(sql)
        if self.stats:
            raw.executemany(
                "INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES (?, ?, ?)", self.stats
            )
            raw.execute("ANALYZE sqlite_schema")  # the planner reads them again
        self.dropped = []


def _has_stats(raw: Any) -> bool:
    found = raw.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'").fetchone()
    return found is not None
