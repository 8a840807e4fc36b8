"""The dashboard's figures, computed by the database (GROUP BY), for the contacts a filter
selects: per hour, per call type, the busiest branches, outcomes, handling times, per seat
and agent, callbacks pending and overdue, and the sync backlog."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, and_, case, func, select

from desktop.contacts import utc_now
from desktop.store.history import ContactFilter
from desktop.store.models import ContactRow, DeliveryRow

# handling time buckets, in seconds: (upper bound, label)
HANDLING_BUCKETS = (
    (30, "<30 s"),
    (60, "<1 min"),
    (120, "1-2 min"),
    (300, "2-5 min"),
    (600, "5-10 min"),
    (None, ">10 min"),
)
TOP_BRANCHES = 10


@dataclass
class Figures:
    total: int = 0
    per_hour: list[tuple[datetime, int]] = field(default_factory=list)  # UTC hour starts
    per_call_type: list[tuple[str, int]] = field(default_factory=list)
    top_branches: list[tuple[str, int]] = field(default_factory=list)
    outcomes: list[tuple[str, int]] = field(default_factory=list)
    handling: list[tuple[str, int]] = field(default_factory=list)
    per_seat_agent: list[tuple[str, int]] = field(default_factory=list)
    callbacks_pending: int = 0
    callbacks_overdue: int = 0
    sync_backlog: dict[str, int] = field(default_factory=dict)  # state -> revisions


def figures(engine: Engine, where: ContactFilter, now: datetime | None = None) -> Figures:
    now = now or utc_now()
    where.ready(engine)
    c = ContactRow
    result = Figures()
    with engine.connect() as conn:

        def grouped(key: Any, limit: int | None = None) -> list[tuple[Any, int]]:
            count = func.count().label("n")
            query = where.apply(select(key.label("k"), count)).group_by(key)
            query = query.order_by(count.desc() if limit else key)
            if limit:
                query = query.limit(limit)
            return [(row[0], int(row[1])) for row in conn.execute(query)]

        result.total = int(
            conn.execute(where.apply(select(func.count()).select_from(c))).scalar_one()
        )
        result.per_hour = [(_hour(k), n) for k, n in grouped(_hour_key(engine)) if k is not None]
        result.per_call_type = [(k or "—", n) for k, n in grouped(c.call_type)]
        result.top_branches = [(k or "—", n) for k, n in grouped(c.branch_name, TOP_BRANCHES)]
        result.outcomes = grouped(c.outcome)
        result.per_seat_agent = grouped(c.seat_id + " · " + c.agent, 20)
        seconds = _seconds(engine, c.call_ended_at) - _seconds(engine, c.call_started_at)
        whens = [(seconds < limit, label) for limit, label in HANDLING_BUCKETS if limit is not None]
        bucket = case(*whens, else_=HANDLING_BUCKETS[-1][1])
        timed = where.apply(
            select(bucket.label("k"), func.count())
            .where(c.call_started_at.is_not(None), c.call_ended_at.is_not(None))
            .group_by(bucket)
        )
        counts = {row[0]: int(row[1]) for row in conn.execute(timed)}
        result.handling = [(label, counts.get(label, 0)) for _l, label in HANDLING_BUCKETS]
        pending = and_(c.outcome == "callback", c.callback_done_at.is_(None))
        row = conn.execute(
            where.apply(
                select(
                    func.count().filter(pending),
                    func.count().filter(and_(pending, c.callback_at < now)),
                ).select_from(c)
            )
        ).one()
        result.callbacks_pending, result.callbacks_overdue = int(row[0]), int(row[1])
        backlog = select(DeliveryRow.state, func.count()).group_by(DeliveryRow.state)
        result.sync_backlog = {state: int(n) for state, n in conn.execute(backlog)}
    return result


def _hour_key(engine: Engine) -> Any:
    if engine.dialect.name == "postgresql":
        return func.date_trunc("hour", ContactRow.created_at)
    return func.strftime("%Y-%m-%d %H:00:00", ContactRow.created_at)


def _hour(value: Any) -> datetime:
    if isinstance(value, datetime):
        return value.astimezone(UTC)
    return datetime.fromisoformat(str(value)).replace(tzinfo=UTC)


def _seconds(engine: Engine, column: Any) -> Any:
    if engine.dialect.name == "postgresql":
        return func.extract("epoch", column)
    return func.strftime("%s", column) + 0  # SQLite: seconds since the epoch, as a number
