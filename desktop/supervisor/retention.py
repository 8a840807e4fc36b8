"""Personal data: retention (``repli purge``) and erasure on request (``repli erase``).

- **Purge**: contacts older than the retention period whose every revision was delivered to
  every target are deleted with their revisions and delivery records; one audit line says
  how many and up to when, without any personal data. Nothing undelivered is ever purged.
- **Erasure**: every contact of a caller (by number, or by name) gets a last revision with
  the personal fields blanked and ``erased_at`` set, queued to the sync targets like any
  change (the CRM learns of the erasure); its earlier revisions, their pending deliveries,
  and any draft that mentions the caller are deleted. On SQLite, deleted content is
  overwritten (secure_delete) and the write-ahead log is checkpointed and truncated, so the
  database files on disk keep no copy.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Engine, and_, delete, exists, func, insert, or_, select
from sqlalchemy.sql.expression import ColumnElement

from desktop.contacts import ContactData, utc_now
from desktop.store.models import (
    AuditRow,
    ContactRevisionRow,
    ContactRow,
    DeliveryRow,
    DraftRow,
    OutboxRow,
)

PERSONAL_FIELDS = ("caller_number", "caller_name", "subject", "notes")
_FIELDS = [f.name for f in fields(ContactData)]


@dataclass(frozen=True)
class PurgeReport:
    cutoff: datetime
    contacts: int


@dataclass(frozen=True)
class ErasureReport:
    contacts: int
    revisions_removed: int
    drafts_removed: int


def purge(engine: Engine, days: int, actor: str, now: datetime | None = None) -> PurgeReport:
    if days <= 0:
        raise ValueError("the retention period must be one day or more")
    cutoff = (now or utc_now()) - timedelta(days=days)
    c = ContactRow
    delivered_everywhere = and_(
        exists().where(DeliveryRow.contact_id == c.id),
        ~exists().where(and_(DeliveryRow.contact_id == c.id, DeliveryRow.state != "delivered")),
    )
    with engine.begin() as conn:
        _secure(conn)
        ids = [
            row[0]
            for row in conn.execute(select(c.id).where(c.created_at < cutoff, delivered_everywhere))
        ]
        for start in range(0, len(ids), 500):
            _delete_contacts(conn, ids[start : start + 500])
        conn.execute(
            insert(AuditRow).values(
                at=utc_now(),
                actor=actor,
                action="purge",
                contact_id=None,
                detail=f"{len(ids)} delivered contacts created before {cutoff.isoformat()}",
            )
        )
    _checkpoint(engine)
    return PurgeReport(cutoff, len(ids))


def _delete_contacts(conn: Connection, ids: list[str]) -> None:
    for table, column in (
        (ContactRevisionRow, ContactRevisionRow.contact_id),
        (DeliveryRow, DeliveryRow.contact_id),
        (OutboxRow, OutboxRow.contact_id),
        (DraftRow, DraftRow.contact_id),
        (ContactRow, ContactRow.id),
    ):
        conn.execute(delete(table).where(column.in_(ids)))


def erase(
    engine: Engine, actor: str, number: str = "", name: str = "", region: str = "FR"
) -> ErasureReport:
    """Erase the contacts of the caller with this number (any way it is written) or this
    name (case-insensitive, whole name)."""
    from desktop.store.contacts import save_contact

    wanted, needles = _caller(number, name, region)
    c = ContactRow
    with engine.connect() as conn:
        contacts = [
            ContactData(*row)
            for row in conn.execute(
                select(*(c.__table__.c[f] for f in _FIELDS)).where(wanted, c.erased_at.is_(None))
            )
        ]
    now = utc_now()
    for contact in contacts:
        blank = contact.with_changes(**dict.fromkeys(PERSONAL_FIELDS, ""), call_id=None)
        save_contact(engine, blank.with_changes(erased_at=now), actor)
    drafts = 0
    with engine.begin() as conn:
        _secure(conn)
        # every erased contact's earlier revisions, so that an erasure interrupted after its
        # blank revision is finished by the next one
        removed = conn.execute(
            delete(ContactRevisionRow).where(_superseded(ContactRevisionRow))
        ).rowcount
        for table in (DeliveryRow, OutboxRow):
            conn.execute(delete(table).where(_superseded(table)))
        for needle in needles:
            drafts += conn.execute(delete(DraftRow).where(DraftRow.data.contains(needle))).rowcount
        conn.execute(
            insert(AuditRow).values(
                at=now,
                actor=actor,
                action="erase",
                contact_id=None,
                detail=f"{len(contacts)} contacts erased on request",
            )
        )
    _checkpoint(engine)
    return ErasureReport(len(contacts), removed, drafts)


def _superseded(table: Any) -> ColumnElement[bool]:
    """Rows of ``table`` (by contact_id and revision) older than an erased contact's blank
    revision."""
    return exists().where(
        ContactRow.id == table.contact_id,
        ContactRow.erased_at.is_not(None),
        table.revision < ContactRow.revision,
    )


def _caller(number: str, name: str, region: str) -> tuple[ColumnElement[bool], list[str]]:
    """The condition that picks a caller's contacts, and the texts to look for in drafts."""
    from desktop import phone

    if not number.strip() and not name.strip():
        raise ValueError("say whose contacts to erase: a number or a name")
    c = ContactRow
    wanted = []
    needles = []
    if number.strip():
        e164 = phone.normalise(number, region).e164 or number.strip()
        wanted.append(c.caller_number == e164)
        needles += [e164, number.strip()]
    if name.strip():
        wanted.append(func.lower(c.caller_name) == name.strip().lower())
        needles.append(name.strip())
    return or_(*wanted), needles


def count_caller(engine: Engine, number: str = "", name: str = "", region: str = "FR") -> int:
    """How many contacts (not erased yet) an erasure of this caller would erase."""
    wanted, _needles = _caller(number, name, region)
    query = select(func.count()).where(wanted, ContactRow.erased_at.is_(None))
    with engine.connect() as conn:
        return int(conn.execute(query).scalar_one())


def erased_ids(conn: Connection, ids: list[str]) -> set[str]:
    rows = conn.execute(
        select(ContactRow.id).where(ContactRow.id.in_(ids), ContactRow.erased_at.is_not(None))
    )
    return {r[0] for r in rows}


def _secure(conn: Connection) -> None:
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql("PRAGMA secure_delete = ON")


def _checkpoint(engine: Engine) -> None:
    """The search index forgets the deleted text, then the WAL is emptied into the file."""
    if engine.dialect.name == "sqlite":
        from desktop.store.search import catch_up

        catch_up(engine, secure=True)
        with engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
