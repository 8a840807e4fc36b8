"""Saving contacts and keeping drafts.

A save is one transaction: the contact's new revision, its full snapshot in
``contact_revisions``, its outbox entry, an audit line, and the removal of the draft. After
any crash exactly one of "the draft" or "the saved contact" exists.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session, sessionmaker

from desktop.contacts import ContactData, changed_fields, utc_now
from desktop.store.models import (
    AuditRow,
    ContactRevisionRow,
    ContactRow,
    DraftRow,
    OutboxRow,
)

DRAFT_SLOT = "agent-form"
_COLUMNS = [f.name for f in fields(ContactData)]


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


def save_contact(
    factory: sessionmaker[Session], contact: ContactData, actor: str, draft_slot: str = DRAFT_SLOT
) -> Saved:
    problems = contact.problems()
    if problems:
        raise InvalidContact(problems)
    now = utc_now()
    with factory.begin() as session:
        current = session.get(ContactRow, contact.id)
        if current is not None and current.revision != contact.revision:
            raise StaleRevision(
                f"contact {contact.id} is at revision {current.revision}, "
                f"the form had {contact.revision}"
            )
        before = _from_row(current) if current is not None else None
        saved = contact.with_changes(
            revision=contact.revision + 1,
            created_at=contact.created_at or now,
            updated_at=now,
        )
        values = _plain_columns(saved)
        if current is None:
            session.execute(insert(ContactRow).values(values))
        else:
            session.execute(update(ContactRow).where(ContactRow.id == saved.id).values(values))
        session.execute(
            insert(ContactRevisionRow).values(
                contact_id=saved.id,
                revision=saved.revision,
                saved_at=now,
                saved_by=actor,
                data=saved.to_json(),
            )
        )
        session.execute(
            insert(OutboxRow).values(
                contact_id=saved.id, revision=saved.revision, queued_at=now, state="pending"
            )
        )
        changed = changed_fields(before, saved) if before else []
        session.execute(
            insert(AuditRow).values(
                at=now,
                actor=actor,
                action="correct" if before else "create",
                contact_id=saved.id,
                detail=",".join(changed),
            )
        )
        session.execute(delete(DraftRow).where(DraftRow.slot == draft_slot))
    return Saved(saved, changed)


def _plain_columns(contact: ContactData) -> dict[str, object]:
    return {name: getattr(contact, name) for name in _COLUMNS}


def _from_row(row: ContactRow) -> ContactData:
    return ContactData(**{name: getattr(row, name) for name in _COLUMNS})


def get_contact(factory: sessionmaker[Session], contact_id: str) -> ContactData | None:
    with factory() as session:
        row = session.get(ContactRow, contact_id)
        return _from_row(row) if row is not None else None


def revisions(factory: sessionmaker[Session], contact_id: str) -> list[tuple[ContactData, str]]:
    """Every saved revision of a contact, oldest first, with who saved it."""
    with factory() as session:
        rows = session.scalars(
            select(ContactRevisionRow)
            .where(ContactRevisionRow.contact_id == contact_id)
            .order_by(ContactRevisionRow.revision)
        ).all()
        return [(ContactData.from_json(r.data), r.saved_by) for r in rows]


def earlier_contacts(
    factory: sessionmaker[Session], caller_number: str, limit: int = 5
) -> list[ContactData]:
    if not caller_number:
        return []
    with factory() as session:
        rows = session.scalars(
            select(ContactRow)
            .where(ContactRow.caller_number == caller_number)
            .order_by(ContactRow.created_at.desc())
            .limit(limit)
        ).all()
        return [_from_row(r) for r in rows]


def save_draft(
    factory: sessionmaker[Session], contact: ContactData, slot: str = DRAFT_SLOT
) -> datetime:
    now = utc_now()
    with factory.begin() as session:
        draft = DraftRow(slot=slot, contact_id=contact.id, updated_at=now, data=contact.to_json())
        session.merge(draft)
    return now


def load_draft(factory: sessionmaker[Session], slot: str = DRAFT_SLOT) -> ContactData | None:
    with factory() as session:
        row = session.get(DraftRow, slot)
        if row is None:
            return None
        return ContactData.from_json(row.data)


def discard_draft(factory: sessionmaker[Session], slot: str = DRAFT_SLOT) -> None:
    with factory.begin() as session:
        session.execute(delete(DraftRow).where(DraftRow.slot == slot))
