"""Writing revisions that come from elsewhere (another seat's delivery, a merged export):
each revision inserted once, and the contact's row moved to the highest revision, never
lowered. The same statements on SQLite and PostgreSQL (both have ON CONFLICT)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection
from sqlalchemy.dialects import postgresql, sqlite

from desktop.contacts import ContactData
from desktop.store.models import ContactRevisionRow, ContactRow

Key = tuple[str, int]
COLUMNS = [c.name for c in ContactRow.__table__.columns]


def _statements(dialect: str) -> tuple[Any, Any]:
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    revisions = (
        insert(ContactRevisionRow)
        .on_conflict_do_nothing()
        .returning(ContactRevisionRow.contact_id, ContactRevisionRow.revision)
    )
    upsert = insert(ContactRow)
    contacts = upsert.on_conflict_do_update(
        index_elements=[ContactRow.id],
        set_={name: upsert.excluded[name] for name in COLUMNS if name != "id"},
        where=ContactRow.revision < upsert.excluded.revision,  # never lower a revision
    )
    return revisions, contacts


# Built once per dialect: SQLAlchemy caches their compiled form.
_STATEMENTS = {name: _statements(name) for name in ("postgresql", "sqlite")}


def store_revisions(conn: Connection, revisions: list[dict[str, Any]]) -> set[Key]:
    """Insert ``revisions`` (rows of contact_revisions) that are not there yet; returns the
    keys that were new."""
    if not revisions:
        return set()
    statement, _contacts = _STATEMENTS[conn.dialect.name]
    return {(r[0], r[1]) for r in conn.execute(statement, revisions)}


def raise_contacts(conn: Connection, contacts: list[ContactData]) -> None:
    """Each contact's row at the highest of its revisions given, unless it is already at a
    higher one."""
    latest: dict[str, ContactData] = {}
    for contact in contacts:
        if contact.id not in latest or latest[contact.id].revision < contact.revision:
            latest[contact.id] = contact
    if latest:
        _revisions, statement = _STATEMENTS[conn.dialect.name]
        conn.execute(
            statement, [{name: getattr(c, name) for name in COLUMNS} for c in latest.values()]
        )
