"""After a run: does a target that can answer (the site database) hold what the seat thinks
it delivered? Per day of saving, counts and a digest of the (id, revision) pairs are
compared; what the target lacks is put back in the outbox (sent again, never deleted)."""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import Engine, and_, func, select, update

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
    return hashlib.sha256("\n".join(f"{c}:{r}" for c, r in sorted(keys)).encode()).hexdigest()


def reconcile(engine: Engine, target: str, holds: object, since_day: str = "") -> Reconciliation:
    """``holds(keys) -> set`` asks the target which of ``keys`` it has. ``since_day``
    (YYYY-MM-DD, UTC) limits the check to the recent days."""
    day = func.substr(
        func.cast(ContactRevisionRow.saved_at, type_=ContactRevisionRow.data.type), 1, 10
    )
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
            _resend(engine, target, missing)
            report.resent += len(missing)
            log.warning(
                "reconciliation %s %s: the target lacks %s revision(s), sent again",
                target,
                d,
                len(missing),
            )
    return report


def _resend(engine: Engine, target: str, keys: set[Key]) -> None:
    with engine.begin() as conn:
        conn.execute(
            update(DeliveryRow)
            .where(DeliveryRow.target == target, by_key(list(keys)))
            .values(
                state="pending",
                outcome="",
                delivered_at=None,
                next_attempt_at=utc_now(),
                reason="not found by reconciliation",
            )
        )
