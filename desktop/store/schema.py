"""Bringing a database to the schema this version of Repli expects.

Start-up must not pay for importing Alembic when the schema is already current, so the
version stamp is read with one query; Alembic runs only when an upgrade is due. A database
stamped by a newer Repli is refused, never touched.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, text
from sqlalchemy.exc import OperationalError, ProgrammingError

from desktop.store.quickstart import HEAD_REVISION

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
MIGRATION_LOCK = 0x52455031  # "REP1": the advisory lock serialising migrations


class SchemaTooNew(RuntimeError):
    """The database was written by a newer Repli."""


def current_revision(engine: Engine) -> str | None:
    try:
        with engine.connect() as conn:
            return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except (OperationalError, ProgrammingError):
        return None


def known_revisions() -> set[str]:
    return {p.stem.split("_", 1)[0] for p in (MIGRATIONS_DIR / "versions").glob("[0-9]*.py")}


def open_migrated(url: str, key: str | None = None) -> Engine:
    """An engine on ``url``, its database migrated to the head revision; ``key``: an
    encrypted SQLite store's."""
    from desktop.store.engine import make_engine

    engine = make_engine(url, key)
    ensure_schema(engine)
    return engine


def ensure_schema(engine: Engine) -> str:
    """Upgrade to the head revision if needed; returns what the database was at."""
    found = current_revision(engine)
    if found == HEAD_REVISION:
        return found
    refuse_newer(found)
    upgrade(engine)
    return found or "empty"


_SITE_READY: set[str] = set()  # the site databases whose schema this process checked


def ensure_site_schema(engine: Engine) -> None:
    """Once a process per site database, by whichever site reader comes first (a delivery,
    the mode watch, the tables follower, the roster, a supervisor): a fresh site works from
    its first seat. Checking each time cost the site a query per delivery."""
    url = str(engine.url)
    if url not in _SITE_READY:
        ensure_schema(engine)
        _SITE_READY.add(url)


def refuse_newer(found: str | None) -> None:
    """SchemaTooNew when ``found`` is a revision this Repli does not know."""
    if found is not None and found != HEAD_REVISION and found not in known_revisions():
        raise SchemaTooNew(
            f"the database is at schema {found!r}, written by a newer Repli than this one "
            f"(which knows up to {HEAD_REVISION!r}); install the newer version, the data is "
            "left untouched"
        )


def upgrade(engine: Engine, revision: str = "head") -> None:
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            # Seats sharing a site database may all migrate it at once: one at a time, and
            # Alembic reads the version only once this lock is held.
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
        config.attributes["connection"] = conn
        command.upgrade(config, revision)
