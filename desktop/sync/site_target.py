"""The site-database sync target: a PostgreSQL that several seats share (and that the
supervisor reads), with the same schema and migrations as a seat.

Each revision is inserted once (``ON CONFLICT DO NOTHING``: a second delivery is a
duplicate), and the ``contacts`` row is upserted only when the site has a lower revision:
a revision is never lowered, whatever order seats deliver in.
"""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.exc import DBAPIError, OperationalError

from desktop.config import TargetConfig
from desktop.contacts import from_plain
from desktop.store.models import ContactRevisionRow, ContactRow
from desktop.sync.http_target import Misconfigured, Result, Retryable
from desktop.sync.outbox import Key

log = logging.getLogger("repli.sync.site")
_COLUMNS = [c.name for c in ContactRow.__table__.columns]
_REFUSALS = ("authentication failed", "does not exist", "permission denied", "no pg_hba.conf entry")
# Built once: SQLAlchemy caches their compiled form and sends each batch as multi-row VALUES.
_NEW_REVISIONS = (
    pg_insert(ContactRevisionRow)
    .on_conflict_do_nothing()
    .returning(ContactRevisionRow.contact_id, ContactRevisionRow.revision)
)
_UPSERT = pg_insert(ContactRow)
_CONTACTS = _UPSERT.on_conflict_do_update(
    index_elements=[ContactRow.id],
    set_={name: _UPSERT.excluded[name] for name in _COLUMNS if name != "id"},
    where=ContactRow.revision < _UPSERT.excluded.revision,  # never lower a revision
)


class SiteDatabaseTarget:
    def __init__(self, config: TargetConfig, seat: dict[str, str]) -> None:
        from desktop.store.engine import make_engine

        self.config = config
        self.engine: Engine = make_engine(config.database_url)
        self._ready = False

    def close(self) -> None:
        self.engine.dispose()

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
        if not self._ready:
            from desktop.store.schema import ensure_schema

            ensure_schema(self.engine)
            self._ready = True

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
        latest: dict[str, Any] = {}
        for contact, _payload in parsed:
            if contact.id not in latest or latest[contact.id].revision < contact.revision:
                latest[contact.id] = contact
        with self.engine.begin() as conn:
            new = {(r[0], r[1]) for r in conn.execute(_NEW_REVISIONS, revisions)}
            conn.execute(
                _CONTACTS, [{name: getattr(c, name) for name in _COLUMNS} for c in latest.values()]
            )
        return {
            (c.id, c.revision): Result("accepted" if (c.id, c.revision) in new else "duplicate")
            for c, _p in parsed
        }

    def has(self, keys: list[Key]) -> set[Key]:
        """Which of ``keys`` the site holds (for reconciliation)."""
        self._ensure_schema()
        found: set[Key] = set()
        ids = sorted({k[0] for k in keys})
        with self.engine.connect() as conn:
            for start in range(0, len(ids), 1000):
                rows = conn.execute(
                    select(ContactRevisionRow.contact_id, ContactRevisionRow.revision).where(
                        ContactRevisionRow.contact_id.in_(ids[start : start + 1000])
                    )
                )
                found |= {(r[0], r[1]) for r in rows}
        return found & set(keys)
