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
from sqlalchemy.exc import SQLAlchemyError

from desktop.config import TargetConfig
from desktop.contacts import from_plain
from desktop.store.models import ContactRevisionRow
from desktop.store.site_calls import BACKOFF_MOST_S, bounded, describe
from desktop.store.upsert import raise_contacts, store_revisions
from desktop.sync.http_target import Misconfigured, Result, Retryable
from desktop.sync.outbox import Key

log = logging.getLogger("repli.sync.site")
HAS_AT_ONCE = 10_000  # ids asked about in one statement


class SiteDatabaseTarget:
    def __init__(self, config: TargetConfig, seat: dict[str, str]) -> None:
        from desktop.store.engine import make_site_engine

        self.config = config
        self.seat_id = seat.get("seat_id", "")
        self.engine: Engine = make_site_engine(config.database_url)

    def close(self) -> None:
        """The engine is the process's, shared (make_site_engine): its connection stays."""

    def send(self, contacts: list[dict[str, Any]]) -> dict[Key, Result]:
        """Bounded (desktop.store.site_calls): a frozen server holds the seat's sync for
        SEAT_BOUND_S at most; a failure is Misconfigured (a login, a database, a right:
        PostgreSQL's error code says which) or Retryable."""
        try:
            with bounded(self.engine):
                self._ensure_schema()
                return self._store(contacts)
        except SQLAlchemyError as exc:
            raise _failure(exc, self.config.database_url) from None

    def _ensure_schema(self) -> None:
        from desktop.store.schema import ensure_site_schema

        ensure_site_schema(self.engine)

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

    def before_run(self, local: Engine) -> int:
        """Raises ClientRetired when the site says the client was retired (the seat erases
        it, desktop.failback.retire); else the resends a failback report asked of this seat,
        put back in its outbox before the run delivers (desktop.failback.resend)."""
        from desktop.failback.resend import take_requests
        from desktop.failback.retire import ClientRetired, mark

        try:  # a run's first site call: it waits out the site's backoff (site_calls)
            with bounded(self.engine, wait_out=BACKOFF_MOST_S):
                self._ensure_schema()
                retired = mark(self.engine)
                if retired is not None:
                    raise ClientRetired(retired)
                return take_requests(local, self.engine, self.seat_id)
        except SQLAlchemyError as exc:
            raise _failure(exc, self.config.database_url) from None

    def reconciled(self, local: Engine, since_day: str) -> None:
        """After a reconciliation: this seat's ledger of the same days published to the site
        (desktop.failback.ledger), for the failback report; of the contacts this target takes
        (a seat's exercise site target publishes the exercise ones)."""
        from desktop.failback.ledger import publish

        kind = (self.config.exercise,)
        try:
            with bounded(self.engine):
                publish(local, self.engine, self.seat_id, since_day, kind)
        except SQLAlchemyError as exc:
            raise _failure(exc, self.config.database_url) from None

    def has(self, keys: list[Key]) -> set[Key]:
        """Which of ``keys`` the site holds (for reconciliation). The ids go as one array
        (``= ANY``): the statement's text is the same whatever their number, where an IN of
        a thousand values was a new statement for SQLAlchemy and psycopg to render and
        parse each time (most of a seat's sync CPU)."""
        try:
            with bounded(self.engine):
                self._ensure_schema()
                return self._has(keys)
        except SQLAlchemyError as exc:
            raise _failure(exc, self.config.database_url) from None

    def _has(self, keys: list[Key]) -> set[Key]:
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


def _failure(exc: SQLAlchemyError, url: str) -> Misconfigured | Retryable:
    problem = describe(exc, url)
    return Retryable(problem.text) if problem.retryable else Misconfigured(problem.text)
