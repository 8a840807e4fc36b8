"""The site-database sync target: a PostgreSQL that several seats share (and that the
supervisor reads), with the same schema and migrations as a seat.

Each revision is inserted once (``ON CONFLICT DO NOTHING``: a second delivery is a
duplicate), and the ``contacts`` row is upserted only when the site has a lower revision:
a revision is never lowered, whatever order seats deliver in.
"""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy import Engine, String, any_, bindparam, select
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.exc import DBAPIError, OperationalError

from desktop.config import TargetConfig
from desktop.contacts import from_plain
from desktop.store.models import ContactRevisionRow
from desktop.store.upsert import raise_contacts, store_revisions
from desktop.sync.http_target import Misconfigured, Result, Retryable
from desktop.sync.outbox import Key

log = logging.getLogger("repli.sync.site")
_SCHEMA_READY: set[str] = set()  # the site databases whose schema this process checked
HAS_AT_ONCE = 10_000  # ids asked about in one statement
_REFUSALS = ("authentication failed", "does not exist", "permission denied", "no pg_hba.conf entry")


class SiteDatabaseTarget:
    def __init__(self, config: TargetConfig, seat: dict[str, str]) -> None:
        from desktop.store.engine import make_site_engine

        self.config = config
        self.engine: Engine = make_site_engine(config.database_url)

    def close(self) -> None:
        """The engine is the process's, shared (make_site_engine): its connection stays."""

    def send(self, contacts: list[dict[str, Any]]) -> dict[Key, Result]:
        try:
            self._ensure_schema()
            return self._store(contacts)
        except (OperationalError, DBAPIError) as exc:
            reason = str(getattr(exc, "orig", exc)).strip().splitlines()[0]
            if any(word in reason for word in _REFUSALS):
                raise Misconfigured(f"site database refuses us: {reason}") from None
            if isinstance(exc, OperationalError):
                raise Retryable(f"site database unreachable: {reason}") from None
            raise Retryable(f"site database refused the batch: {reason}") from None

    def _ensure_schema(self) -> None:
        """Once a process per site database (a run makes a new target: checking the schema
        each time cost the site a query and an Alembic context per delivery)."""
        url = self.config.database_url
        if url not in _SCHEMA_READY:
            from desktop.store.schema import ensure_schema

            ensure_schema(self.engine)
            _SCHEMA_READY.add(url)

    def _store(self, contacts: list[dict[str, Any]]) -> dict[Key, Result]:
        """Two statements a batch: the revisions (RETURNING says which were new), then the
        contacts at the highest revision of the batch, never lowering one."""
        parsed = [(from_plain(p), p) for p in contacts]
        revisions = [
            {
                "contact_id": c.id,
                "revision": c.revision,
                "saved_at": c.updated_at or c.created_at,
                "saved_by": str(p.get("revision_saved_by", c.agent)),
                "data": c.to_json(),
            }
            for c, p in parsed
        ]
        with self.engine.begin() as conn:
            new = store_revisions(conn, revisions)
            raise_contacts(conn, [c for c, _p in parsed])
        return {
            (c.id, c.revision): Result("accepted" if (c.id, c.revision) in new else "duplicate")
            for c, _p in parsed
        }

    def has(self, keys: list[Key]) -> set[Key]:
        """Which of ``keys`` the site holds (for reconciliation). The ids go as one array
        (``= ANY``): the statement's text is the same whatever their number, where an IN of
        a thousand values was a new statement for SQLAlchemy and psycopg to render and
        parse each time (most of a seat's sync CPU)."""
        self._ensure_schema()
        found: set[Key] = set()
        ids = sorted({k[0] for k in keys})
        c = ContactRevisionRow
        chosen = select(c.contact_id, c.revision).where(
            c.contact_id == any_(bindparam("ids", type_=ARRAY(String)))
        )
        with self.engine.connect() as conn:
            for start in range(0, len(ids), HAS_AT_ONCE):
                rows = conn.execute(chosen, {"ids": ids[start : start + HAS_AT_ONCE]})
                found |= {(r[0], r[1]) for r in rows}
        return found & set(keys)
