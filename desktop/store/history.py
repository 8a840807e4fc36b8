"""Reading the contact history page by page (a million rows must scroll)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar

from sqlalchemy import Engine, Select, and_, case, exists, func, or_, select

from desktop.store.models import ContactRow, DeliveryRow


def _delivery_in(*states: str) -> object:
    return exists().where(
        and_(
            DeliveryRow.contact_id == ContactRow.id,
            DeliveryRow.revision == ContactRow.revision,
            DeliveryRow.state.in_(states),
        )
    )


# The sync state of a contact's current revision: rejected anywhere wins, then waiting.
SYNC_STATE = case(
    (_delivery_in("rejected"), "rejected"),  # type: ignore[arg-type]
    (_delivery_in("pending"), "pending"),  # type: ignore[arg-type]
    (_delivery_in("delivered"), "delivered"),  # type: ignore[arg-type]
    else_="",
).label("sync")

COLUMNS = (
    ContactRow.id,
    ContactRow.created_at,
    ContactRow.branch_name,
    ContactRow.call_type,
    ContactRow.caller_number,
    ContactRow.caller_name,
    ContactRow.subject,
    ContactRow.outcome,
    ContactRow.urgent,
    ContactRow.revision,
    ContactRow.agent,
    ContactRow.mode,
    SYNC_STATE,
)


Q = TypeVar("Q", bound=Select)  # type: ignore[type-arg]


@dataclass(frozen=True)
class HistoryRow:
    id: str
    created_at: datetime
    branch_name: str
    call_type: str | None
    caller_number: str
    caller_name: str
    subject: str
    outcome: str
    urgent: bool
    revision: int
    agent: str
    mode: str
    sync: str  # delivered | pending | rejected | "" (not queued yet)


@dataclass(frozen=True)
class HistoryFilter:
    since: datetime | None = None
    text: str = ""

    def apply(self, query: Q) -> Q:
        if self.since is not None:
            query = query.where(ContactRow.created_at >= self.since)
        words = self.text.split()
        for word in words:
            pattern = f"%{word}%"
            query = query.where(
                or_(
                    ContactRow.caller_name.ilike(pattern),
                    ContactRow.caller_number.like(pattern),
                    ContactRow.branch_name.ilike(pattern),
                    ContactRow.subject.ilike(pattern),
                    ContactRow.notes.ilike(pattern),
                    ContactRow.digits_typed.like(pattern),
                )
            )
        return query


def count(engine: Engine, where: HistoryFilter) -> int:
    query = where.apply(select(func.count()).select_from(ContactRow))
    with engine.connect() as conn:
        found: int = conn.execute(query).scalar_one()
        return found


def page(engine: Engine, where: HistoryFilter, offset: int, limit: int) -> list[HistoryRow]:
    query = (
        where.apply(select(*COLUMNS))
        .order_by(ContactRow.created_at.desc(), ContactRow.id.desc())
        .offset(offset)
        .limit(limit)
    )
    with engine.connect() as conn:
        return [HistoryRow(**row._asdict()) for row in conn.execute(query)]
