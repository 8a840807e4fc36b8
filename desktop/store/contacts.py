"""Saving contacts and keeping drafts.

A save is one transaction: the contact's new revision, its full snapshot in
``contact_revisions`` (who saved what, when: the audit of every revision), an audit line for
a correction (the fields it changed), and, through the ``revision_queued`` trigger of the
schema, its outbox entry and the removal of its draft. After any crash exactly one of "the
draft" or "the saved contact" exists, and no revision exists without its outbox entry. After
any crash exactly one of "the draft" or "the saved contact" exists.

A new contact is inserted without reading first; a correction updates the row only if it is
still at the revision the form loaded (optimistic concurrency), else StaleRevision.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime

from sqlalchemy import Engine, delete, insert, select, update
from sqlalchemy.exc import DBAPIError, IntegrityError

from desktop.changes import CONTACTS, NOTHING, Changed
from desktop.contacts import ContactData, changed_fields, utc_now
from desktop.store.models import AuditRow, ContactRevisionRow, ContactRow, DraftRow
from desktop.store.stored import stored

DRAFT_SLOT = "agent-form"
_COLUMNS = [f.name for f in fields(ContactData)]
_CONTACTS = ContactRow.__table__
_SELECT_CONTACT = select(*(_CONTACTS.c[name] for name in _COLUMNS))
# Built once: a save runs these on every call, and building them costs more than the disk.
_INSERT_CONTACT = insert(ContactRow)
_INSERT_REVISION = insert(ContactRevisionRow)
_INSERT_AUDIT = insert(AuditRow)


def contact_sql(columns: list[str]) -> str:
    return f"INSERT INTO contacts ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"


# On SQLite a new contact's row and every revision's go to the driver as they are stored
# (desktop.store.stored): SQLAlchemy's compiling and type processing of the statements cost as
# much as the commit.
_CONTACT_SQL = contact_sql(_COLUMNS)
_REVISION_SQL = (
    "INSERT INTO contact_revisions (contact_id, revision, saved_at, saved_by, data)"
    " VALUES (?, ?, ?, ?, ?)"
)


class InvalidContact(ValueError):
    def __init__(self, missing: list[str]) -> None:
        super().__init__(f"contact cannot be saved, missing or invalid: {', '.join(missing)}")
        self.missing = missing


class StaleRevision(RuntimeError):
    """The contact changed since the form loaded it (another correction was saved)."""


@dataclass(frozen=True)
class Saved:
    contact: ContactData
    changed: list[str]


def save_contact(engine: Engine, contact: ContactData, actor: str) -> Saved:
    problems = contact.problems()
    if problems:
        raise InvalidContact(problems)
    now = utc_now()
    saved = contact.with_changes(
        revision=contact.revision + 1, created_at=contact.created_at or now, updated_at=now
    )
    values = {name: getattr(saved, name) for name in _COLUMNS}
    changed: list[str] = []
    if contact.revision == 0 and engine.dialect.name == "sqlite":
        _insert_by_driver(engine, saved, values, now, actor)
        return Saved(saved, changed)
    with engine.begin() as conn:
        if contact.revision == 0:
            try:
                conn.execute(_INSERT_CONTACT, values)
            except IntegrityError:
                raise StaleRevision(f"contact {contact.id} was already saved") from None
        else:
            before = conn.execute(_SELECT_CONTACT.where(_CONTACTS.c.id == contact.id)).first()
            done = conn.execute(
                update(ContactRow)
                .where(ContactRow.id == contact.id, ContactRow.revision == contact.revision)
                .values(values)
            )
            if done.rowcount != 1 or before is None:
                raise StaleRevision(
                    f"contact {contact.id} is no longer at revision {contact.revision}"
                )
            changed = changed_fields(ContactData(*before), saved)
            conn.execute(
                _INSERT_AUDIT,
                {
                    "at": now,
                    "actor": actor,
                    "action": "correct",
                    "contact_id": saved.id,
                    "detail": ",".join(changed),
                },
            )
        # The revision row is the audit of a creation: who, when, and everything saved. Its
        # trigger queues it in the outbox and removes the contact's draft.
        conn.execute(_INSERT_REVISION, _revision(saved, now, actor))
    return Saved(saved, changed)


def _revision(saved: ContactData, now: datetime, actor: str) -> dict[str, object]:
    return {
        "contact_id": saved.id,
        "revision": saved.revision,
        "saved_at": now,
        "saved_by": actor,
        "data": saved.to_json(),
    }  # in _REVISION_SQL's order


def _insert_by_driver(
    engine: Engine, saved: ContactData, values: dict[str, object], now: datetime, actor: str
) -> None:
    """A new contact on a seat's SQLite: its row and its revision's, written by the driver
    alone, in one transaction (the driver begins it at the first insert), their values
    stored as SQLAlchemy stores them (``stored``). SQLAlchemy's execution around the same
    two statements was a fifth of the save (docs/performance.md). What the driver raises is
    raised as SQLAlchemy raises it, as everywhere else in the store."""
    dbapi = engine.dialect.loaded_dbapi
    rows = (
        (_CONTACT_SQL, tuple(map(stored, values.values()))),
        (_REVISION_SQL, tuple(map(stored, _revision(saved, now, actor).values()))),
    )
    raw = engine.raw_connection()
    driver = raw.driver_connection
    assert driver is not None
    statement, parameters = rows[0]
    try:
        for statement, parameters in rows:
            driver.execute(statement, parameters)
        driver.commit()
    except dbapi.Error as exc:
        driver.rollback()
        error = DBAPIError.instance(statement, parameters, exc, dbapi.Error)
        if isinstance(error, IntegrityError) and statement is _CONTACT_SQL:
            raise StaleRevision(f"contact {saved.id} was already saved") from None
        raise error from exc
    except BaseException:
        driver.rollback()
        raise
    finally:
        raw.close()  # back to the pool


def record_call_end(engine: Engine, contact_id: str, at: datetime) -> Changed[Saved | None]:
    """The end of a call whose contact is already saved: a new revision recording it, by
    the telephony. An end already recorded (a replayed notification, the softphone's and
    the proxy's) makes no revision and changes nothing."""
    contact = get_contact(engine, contact_id)
    if contact is None or contact.call_ended_at == at:
        return Changed(None, NOTHING)
    return Changed(
        save_contact(engine, contact.with_changes(call_ended_at=at), "telephony"), CONTACTS
    )


def get_contact(engine: Engine, contact_id: str) -> ContactData | None:
    with engine.connect() as conn:
        row = conn.execute(_SELECT_CONTACT.where(_CONTACTS.c.id == contact_id)).first()
    return ContactData(*row) if row is not None else None


def revisions(engine: Engine, contact_id: str) -> list[tuple[ContactData, str]]:
    """Every saved revision of a contact, oldest first, with who saved it."""
    query = (
        select(ContactRevisionRow.data, ContactRevisionRow.saved_by)
        .where(ContactRevisionRow.contact_id == contact_id)
        .order_by(ContactRevisionRow.revision)
    )
    with engine.connect() as conn:
        return [(ContactData.from_json(data), who) for data, who in conn.execute(query)]


def earlier_contacts(engine: Engine, caller_number: str, limit: int = 5) -> list[ContactData]:
    if not caller_number:
        return []
    query = (
        _SELECT_CONTACT.where(_CONTACTS.c.caller_number == caller_number)
        .order_by(_CONTACTS.c.created_at.desc())
        .limit(limit)
    )
    with engine.connect() as conn:
        return [ContactData(*row) for row in conn.execute(query)]


def save_draft(engine: Engine, contact: ContactData, slot: str = DRAFT_SLOT) -> datetime:
    now = utc_now()
    with engine.begin() as conn:
        conn.execute(delete(DraftRow).where(DraftRow.slot == slot))
        conn.execute(
            insert(DraftRow),
            {"slot": slot, "contact_id": contact.id, "updated_at": now, "data": contact.to_json()},
        )
    return now


def load_draft(engine: Engine, slot: str = DRAFT_SLOT) -> ContactData | None:
    with engine.connect() as conn:
        data = conn.execute(select(DraftRow.data).where(DraftRow.slot == slot)).scalar()
    return ContactData.from_json(data) if data is not None else None


def discard_draft(engine: Engine, slot: str = DRAFT_SLOT) -> None:
    with engine.begin() as conn:
        conn.execute(delete(DraftRow).where(DraftRow.slot == slot))
