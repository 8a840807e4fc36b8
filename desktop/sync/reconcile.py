"""After a run: does a target that can answer (the site database) hold what the seat thinks
it delivered? Per day of saving, counts and a digest of the (id, revision) pairs are
compared; what the target lacks is put back in the outbox (sent again, never deleted)."""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, and_, func, select, update
from sqlalchemy.sql.expression import ColumnElement

from desktop.contacts import utc_now
from desktop.store.models import ContactRevisionRow, DeliveryRow
from desktop.sync.outbox import Key, by_key

log = logging.getLogger("repli.sync.reconcile")


@dataclass
class DayCheck:
    day: str
    ours: int
    theirs: int
    digest_ours: str
    digest_theirs: str


@dataclass
class Reconciliation:
    days: list[DayCheck] = field(default_factory=list)
    resent: int = 0

    @property
    def matches(self) -> bool:
        return all(d.digest_ours == d.digest_theirs for d in self.days)


def digest(keys: set[Key]) -> str:
    return digest_sorted(sorted(keys))


def digest_sorted(keys: list[Key]) -> str:
    """``digest`` of keys already sorted (and without repeats): no second sort."""
    return hashlib.sha256("\n".join(f"{c}:{r}" for c, r in keys).encode()).hexdigest()


def utc_day(column: Any, dialect: str) -> ColumnElement[str]:
    """``YYYY-MM-DD`` of a UTC timestamp column, whatever the session's time zone (on
    PostgreSQL a cast to text would follow the session's; SQLite stores UTC text)."""
    if dialect == "postgresql":
        return func.to_char(func.timezone("UTC", column), "YYYY-MM-DD")
    return func.substr(func.cast(column, ContactRevisionRow.data.type), 1, 10)


def reconcile(engine: Engine, target: str, holds: object, since_day: str = "") -> Reconciliation:
    """``holds(keys) -> set`` asks the target which of ``keys`` it has. ``since_day``
    (YYYY-MM-DD, UTC) limits the check to the recent days."""
    day = utc_day(ContactRevisionRow.saved_at, engine.dialect.name)
    query = (
        select(day, DeliveryRow.contact_id, DeliveryRow.revision)
        .join(
            ContactRevisionRow,
            and_(
                ContactRevisionRow.contact_id == DeliveryRow.contact_id,
                ContactRevisionRow.revision == DeliveryRow.revision,
            ),
        )
        .where(DeliveryRow.target == target, DeliveryRow.state == "delivered")
    )
    if since_day:  # the older days' rows are not read at all
        start = datetime.strptime(since_day, "%Y-%m-%d").replace(tzinfo=UTC)
        query = query.where(ContactRevisionRow.saved_at >= start)
    per_day: dict[str, set[Key]] = {}
    with engine.connect() as conn:
        for d, contact_id, revision in conn.execute(query):
            per_day.setdefault(str(d), set()).add((contact_id, revision))
    report = Reconciliation()
    for d, ours in sorted(per_day.items()):
        if d < since_day:
            continue
        theirs: set[Key] = holds(list(ours))  # type: ignore[operator]
        report.days.append(DayCheck(d, len(ours), len(theirs), digest(ours), digest(theirs)))
        missing = ours - theirs
        if missing:
            put_back(engine, target, missing, "not found by reconciliation")
            report.resent += len(missing)
            log.warning(
                "reconciliation %s %s: the target lacks %s revision(s), sent again",
                target,
                d,
                len(missing),
            )
    return report


def put_back(engine: Engine, target: str, keys: set[Key], reason: str) -> int:
    """``keys`` pending again for ``target``, due now; how many were put back."""
    done = 0
    listed = sorted(keys)
    with engine.begin() as conn:
        for start in range(0, len(listed), 500):
            done += conn.execute(
                update(DeliveryRow)
                .where(DeliveryRow.target == target, by_key(listed[start : start + 500]))
                .values(
                    state="pending",
                    outcome="",
                    delivered_at=None,
                    next_attempt_at=utc_now(),
                    reason=reason,
                )
            ).rowcount
    return done
