"""The database engine: SQLite by default (WAL, synchronous=FULL), PostgreSQL for a site store.

Every SQLite connection gets the pragmas that make a committed contact survive a power cut.
"""

from __future__ import annotations

import sqlite3
import threading
from typing import Any

from sqlalchemy import Engine, create_engine, event

from desktop.store.site_calls import CONNECT_ARGS, watch_connections

SQLITE_PRAGMAS = (
    "PRAGMA journal_mode=WAL",
    "PRAGMA synchronous=FULL",
    "PRAGMA foreign_keys=ON",
    "PRAGMA busy_timeout=5000",
)


def apply_sqlite_pragmas(connection: sqlite3.Connection) -> None:
    for pragma in SQLITE_PRAGMAS:
        connection.execute(pragma)


def make_engine(url: str, key: str | None = None) -> Engine:
    """``key``: the SQLite store is encrypted with it (desktop.store.cipher)."""
    if url.startswith("sqlite") and key is not None:
        from desktop.store import cipher

        path = url.split(":///", 1)[1]
        engine = create_engine(
            "sqlite:///" + path,
            module=cipher.dbapi(),  # its exceptions are the ones SQLAlchemy wraps
            creator=lambda: cipher.connect(path, key, timeout=5, check_same_thread=False),
        )
        event.listen(engine, "connect", _on_sqlite_connect)
        return engine
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 5})
        event.listen(engine, "connect", _on_sqlite_connect)
        return engine
    # an unreachable server must fail in seconds, not after the system's TCP timeout
    engine = create_engine(url, pool_pre_ping=True, connect_args=dict(CONNECT_ARGS))
    watch_connections(engine)
    return engine


SITE_POOL = 1  # connections a seat keeps to the site database (and one more at a peak)
_site_engines: dict[str, Engine] = {}
_site_lock = threading.Lock()


def make_site_engine(url: str) -> Engine:
    """The process's engine on a site database, shared by the seat's deliveries and its
    periodic reads (the site's mode, its tables): one connection kept (two at a peak), so
    that a backup center's 330 seats hold 330 to 660, not a pool each, and no delivery pays
    for a new server process (a connection per delivery cost the site ~20 ms of CPU each:
    benchmarks/site_load.py). Never disposed by its users; ``dispose_site_engines`` at exit."""
    if url.startswith("sqlite"):
        return make_engine(url)
    with _site_lock:
        engine = _site_engines.get(url)
        if engine is None:
            engine = _site_engines[url] = create_engine(
                url,
                pool_size=SITE_POOL,
                max_overflow=1,
                pool_recycle=600,
                pool_pre_ping=True,
                connect_args=dict(CONNECT_ARGS),
            )
            watch_connections(engine)
        return engine


def dispose_site_engines() -> None:
    with _site_lock:
        for engine in _site_engines.values():
            engine.dispose()
        _site_engines.clear()


def _on_sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    apply_sqlite_pragmas(dbapi_connection)
