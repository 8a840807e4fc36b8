"""Reading the contact history page by page (a million rows must scroll)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import Engine, Select, and_, case, exists, func, select

from desktop.contacts import utc_now
from desktop.store.models import ContactRow, DeliveryRow
from desktop.store.search import catch_up, contains_words


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
    ContactRow.seat_id,
    ContactRow.callback_at,
    ContactRow.callback_done_at,
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
    seat_id: str
    callback_at: datetime | None
    callback_done_at: datetime | None
    sync: str  # delivered | pending | rejected | "" (not queued yet)


@dataclass(frozen=True)
class ContactFilter:
    """Which contacts a list, a count or an export shows: the agent's history uses the time
    and the words; the supervisor's review and ``repli export`` all of it."""

    since: datetime | None = None
    until: datetime | None = None  # exclusive
    text: str = ""  # every word in a name, a number, the branch, the subject or the notes
    branch: str = ""  # branch id
    call_type: str = ""
    outcome: str = ""
    agent: str = ""
    seat: str = ""
    exercise: str = "include"  # include | exclude | only
    urgent: bool | None = None
    callback: str = ""  # "" | pending | overdue | done
    sync: str = ""  # "" | delivered | pending | rejected | none
    now: datetime | None = None  # "overdue" is relative to it (default: the query's time)
    order: str = "newest"  # newest first, or "callback" (the callback time, soonest first)

    def ready(self, engine: Engine) -> None:
        """Bring what this filter reads up to date: the search index, when it searches
        (call before its queries)."""
        if self.text.split():
            catch_up(engine)

    def apply(self, query: Q) -> Q:
        c = ContactRow
        conditions = [
            self.since is not None and c.created_at >= self.since,
            self.until is not None and c.created_at < self.until,
            bool(self.branch) and c.branch_id == self.branch,
            bool(self.call_type) and c.call_type == self.call_type,
            bool(self.outcome) and c.outcome == self.outcome,
            bool(self.agent) and c.agent == self.agent,
            bool(self.seat) and c.seat_id == self.seat,
            self.exercise == "exclude" and c.mode != "exercise",
            self.exercise == "only" and c.mode == "exercise",
            self.urgent is not None and c.urgent == self.urgent,
        ]
        for condition in conditions:
            if condition is not False:
                query = query.where(condition)
        if self.callback:
            query = query.where(c.outcome == "callback")
            if self.callback == "done":
                query = query.where(c.callback_done_at.is_not(None))
            else:
                query = query.where(c.callback_done_at.is_(None))
            if self.callback == "overdue":
                query = query.where(c.callback_at < (self.now or utc_now()))
        if self.sync:
            state = "" if self.sync == "none" else self.sync
            query = query.where(SYNC_STATE.element == state)
        words = contains_words(self.text)
        if words is not None:
            query = query.where(words)
        return query


def count(engine: Engine, where: ContactFilter) -> int:
    where.ready(engine)  # the pages that follow read the same index
    query = where.apply(select(func.count()).select_from(ContactRow))
    with engine.connect() as conn:
        found: int = conn.execute(query).scalar_one()
        return found


def page(engine: Engine, where: ContactFilter, offset: int, limit: int) -> list[HistoryRow]:
    order: tuple[Any, ...] = (ContactRow.created_at.desc(), ContactRow.id.desc())
    if where.order == "callback":
        order = (ContactRow.callback_at, ContactRow.id)
    query = where.apply(select(*COLUMNS)).order_by(*order).offset(offset).limit(limit)
    with engine.connect() as conn:
        return [HistoryRow(**row._asdict()) for row in conn.execute(query)]
