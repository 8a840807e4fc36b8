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

import json
from dataclasses import dataclass, fields
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, and_, delete, exists, insert, or_, select
from sqlalchemy.sql.expression import ColumnElement

from desktop import phone
from desktop.contacts import ContactData, utc_now
from desktop.store.models import (
    AuditRow,
    ContactRevisionRow,
    ContactRow,
    DeliveryRow,
    DraftRow,
    OutboxRow,
)
from desktop.store.search import catch_up_within

PERSONAL_FIELDS = ("caller_number", "caller_name", "subject", "notes")
_FIELDS = [f.name for f in fields(ContactData)]


# A running seat applies its retention itself: not during the first minutes' calls, then
# every six hours (``scheduled_purge``; the window only keeps the clock).
FIRST_PURGE_AFTER = timedelta(minutes=1)
PURGE_EVERY = timedelta(hours=6)


@dataclass(frozen=True)
class PurgeReport:
    cutoff: datetime
    contacts: int
    exercise: int = 0  # exercise contacts, by their own (shorter) period
    site: int = 0  # contacts purged from the site store at the same time


@dataclass(frozen=True)
class ErasureReport:
    contacts: int
    revisions_removed: int
    drafts_removed: int


def scheduled_purge(
    engine: Engine,
    days: int,
    seat_id: str,
    exercise_days: int = 0,
    site: Engine | None = None,
    now: datetime | None = None,
) -> PurgeReport | None:
    """The running seat's purge, by its retention settings (none when both are 0); with the
    site store (``site``) when no seat purged it in the last PURGE_EVERY."""
    if days <= 0 and exercise_days <= 0:
        return None
    done = purge(engine, days, f"retention@{seat_id}", now, exercise_days)
    if site is None:
        return done
    from desktop.store.site_calls import READ_BOUND_S, bounded

    with bounded(site, READ_BOUND_S):  # a frozen site server holds the purge that long at most
        if not site_purge_due(site, now):
            return done
        found = purge_site(site, days, exercise_days, f"retention@{seat_id}", now)
    return PurgeReport(done.cutoff, done.contacts, done.exercise, found.contacts + found.exercise)


def purge(
    engine: Engine,
    days: int,
    actor: str,
    now: datetime | None = None,
    exercise_days: int = 0,
) -> PurgeReport:
    """Contacts older than ``days`` (0: none) whose every revision was delivered to every
    target; exercise contacts older than ``exercise_days`` (0: none) that wait for no
    delivery (they go to exercise targets only, often none). One audit line each."""
    if days <= 0 and exercise_days <= 0:
        raise ValueError("the retention period must be one day or more")
    moment = now or utc_now()
    cutoff = moment - timedelta(days=days)
    c = ContactRow
    delivered_everywhere = and_(
        exists().where(DeliveryRow.contact_id == c.id),
        ~exists().where(and_(DeliveryRow.contact_id == c.id, DeliveryRow.state != "delivered")),
    )
    waiting_for_nothing = ~exists().where(
        and_(DeliveryRow.contact_id == c.id, DeliveryRow.state == "pending")
    )
    counts = []
    with engine.begin() as conn:
        _secure(conn)
        for period, kind, wanted in (
            (days, "delivered", and_(c.mode != "exercise", delivered_everywhere)),
            (exercise_days, "exercise", and_(c.mode == "exercise", waiting_for_nothing)),
        ):
            if period <= 0:
                counts.append(0)
                continue
            before = moment - timedelta(days=period)
            query = select(c.id).where(c.created_at < before, wanted)
            ids = [row[0] for row in conn.execute(query)]
            for start in range(0, len(ids), 500):
                _delete_contacts(conn, ids[start : start + 500])
            _audit(conn, actor, f"{len(ids)} {kind} contacts created before {before.isoformat()}")
            counts.append(len(ids))
        catch_up_within(conn)  # the index forgets them in the same commit
    _checkpoint(engine)
    return PurgeReport(cutoff, counts[0], counts[1])


def _audit(conn: Connection, actor: str, detail: str) -> None:
    conn.execute(
        insert(AuditRow).values(
            at=utc_now(), actor=actor, action="purge", contact_id=None, detail=detail
        )
    )


SITE_PURGED = "purged"  # site_settings: when a seat last purged the site store


def site_purge_due(site: Engine, now: datetime | None = None) -> bool:
    from desktop.store.models import SiteSettingRow

    with site.connect() as conn:
        last = conn.execute(
            select(SiteSettingRow.updated_at).where(SiteSettingRow.key == SITE_PURGED)
        ).scalar_one_or_none()
    return last is None or (now or utc_now()) - last >= PURGE_EVERY


def purge_site(
    site: Engine, days: int, exercise_days: int, actor: str, now: datetime | None = None
) -> PurgeReport:
    """The site store's contacts past their period, whichever seat took them: the site store
    is never what a seat delivers from (each seat keeps its own until delivered), so its old
    rows go by age alone. One audit line in the site store, and the time of this purge."""
    from desktop.supervisor.site_mode import put_setting

    moment = now or utc_now()
    c, r = ContactRow, ContactRevisionRow
    counts = []
    with site.begin() as conn:
        for period, wanted, kind in (
            (days, c.mode != "exercise", "contacts"),
            (exercise_days, c.mode == "exercise", "exercise contacts"),
        ):
            if period <= 0:
                counts.append(0)
                continue
            before = moment - timedelta(days=period)
            old = select(c.id).where(c.created_at < before, wanted)
            conn.execute(delete(r).where(r.contact_id.in_(old)))
            gone = conn.execute(delete(c).where(c.created_at < before, wanted)).rowcount
            _audit(conn, actor, f"{gone} {kind} created before {before.isoformat()} purged"
                                " from the site store")  # fmt: skip
            counts.append(int(gone))
        conn.execute(put_setting(site.dialect.name, SITE_PURGED, str(sum(counts)), actor, moment))
    return PurgeReport(moment - timedelta(days=days), counts[0], counts[1])


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

    wanted, caller = _caller(number, name, region)
    database = engine.url.database
    if engine.dialect.name == "sqlite" and database and database != ":memory:":
        from desktop.supervisor.staging import wipe_leftovers

        wipe_leftovers(Path(database).parent)  # a killed merge's staging holds copies
    c = ContactRow
    with engine.connect() as conn:
        contacts = [
            ContactData(*row)
            for row in conn.execute(
                select(*(c.__table__.c[f] for f in _FIELDS)).where(wanted, c.erased_at.is_(None))
            )
            if caller.matches(row.caller_number, row.caller_name)
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
        for slot, data in conn.execute(select(DraftRow.slot, DraftRow.data)).all():
            if caller.in_draft(data):
                drafts += conn.execute(delete(DraftRow).where(DraftRow.slot == slot)).rowcount
        conn.execute(
            insert(AuditRow).values(
                at=now,
                actor=actor,
                action="erase",
                contact_id=None,
                detail=f"{len(contacts)} contacts erased on request",
            )
        )
        catch_up_within(conn)  # the index forgets the caller in the same commit
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


@dataclass(frozen=True)
class _Caller:
    """Whom an erasure is for: a number however it was written, a name however it was
    typed (case, accents' case, spaces)."""

    e164: str
    raw_digits: str
    name: str
    region: str

    def matches(self, number: str, name: str) -> bool:
        return self._number(number) or bool(self.name and _name_key(name) == self.name)

    def _number(self, number: str) -> bool:
        if not self.e164 or not number:
            return False
        if number == self.e164:
            return True
        if number.startswith("+") and number[1:].isdigit():
            return False  # a stored E.164 number: equal, or another caller
        read = phone.normalise(number, self.region)
        return (read.e164 if read.valid else None) == self.e164 or (
            bool(self.raw_digits) and phone.only_digits(number) == self.raw_digits
        )

    def in_draft(self, data: str) -> bool:
        """A half-typed contact that names the caller, in any field a draft holds."""
        try:
            plain = json.loads(data)
        except ValueError:
            return True  # unreadable: erased rather than kept with the caller in it
        if not isinstance(plain, dict):
            return True
        number, name = str(plain.get("caller_number") or ""), str(plain.get("caller_name") or "")
        texts = " ".join(str(plain.get(k) or "") for k in ("subject", "notes", "digits_typed"))
        in_text = bool(self.name) and self.name in _name_key(texts)
        return self.matches(number, name) or in_text or self._number_in(texts)

    def _number_in(self, text: str) -> bool:
        if not self.e164:
            return False
        national = phone.display_e164(self.e164, self.region)
        return phone.only_digits(national) in phone.only_digits(text) if national else False


def _name_key(name: str) -> str:
    return " ".join(name.split()).casefold()


def _caller(number: str, name: str, region: str) -> tuple[ColumnElement[bool], _Caller]:
    """A condition that picks every candidate contact of the caller (more, never fewer),
    and the caller, which decides each."""

    if not number.strip() and not name.strip():
        raise ValueError("say whose contacts to erase: a number or a name")
    c = ContactRow
    wanted = []
    e164 = raw = ""
    if number.strip():
        read = phone.normalise(number, region)
        e164 = read.e164 if read.valid and read.e164 else number.strip()
        raw = phone.only_digits(number)
        # a valid number is stored in E.164; one kept as typed is read again by the caller
        wanted.append(c.caller_number == e164)
        wanted.append(and_(c.caller_number_valid.is_(False), c.caller_number != ""))
    if name.strip():
        wanted.append(c.caller_name != "")
    return or_(*wanted), _Caller(e164, raw, _name_key(name), region)


def count_caller(engine: Engine, number: str = "", name: str = "", region: str = "FR") -> int:
    """How many contacts (not erased yet) an erasure of this caller would erase."""
    wanted, caller = _caller(number, name, region)
    database = engine.url.database
    if engine.dialect.name == "sqlite" and database and database != ":memory:":
        from desktop.supervisor.staging import wipe_leftovers

        wipe_leftovers(Path(database).parent)  # a killed merge's staging holds copies
    c = ContactRow
    query = select(c.caller_number, c.caller_name).where(wanted, c.erased_at.is_(None))
    with engine.connect() as conn:
        return sum(1 for row in conn.execute(query) if caller.matches(row[0], row[1]))


def erased_ids(conn: Connection, ids: list[str]) -> set[str]:
    rows = conn.execute(
        select(ContactRow.id).where(ContactRow.id.in_(ids), ContactRow.erased_at.is_not(None))
    )
    return {r[0] for r in rows}


def _secure(conn: Connection) -> None:
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql("PRAGMA secure_delete = ON")


def _checkpoint(engine: Engine) -> None:
    """The WAL emptied into the file, once the deletion and the search index's (done in the
    deleting transaction, with secure_delete) are committed."""
    if engine.dialect.name == "sqlite":
        with engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
