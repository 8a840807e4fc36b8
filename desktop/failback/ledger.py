"""What a seat took and what each target acknowledged, day by day: read from a store, and
published by each seat to the site store (``site_ledger``) so that a failback report run
anywhere on the site can compare every seat with the site store and the CRM.

A day is a UTC day of the revision's saving (as the sync protocol's reconciliation counts);
a revision belongs to the seat its contact was taken on. Exercise contacts are counted apart
(they go only to exercise targets). A published row holds a count and the digest of the
sorted ``id:revision`` lines (desktop.sync.reconcile.digest), never a contact's content.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, and_, func, select
from sqlalchemy.dialects import postgresql, sqlite

from desktop.store.models import ContactRevisionRow, ContactRow, DeliveryRow, SiteLedgerRow
from desktop.sync.outbox import Key
from desktop.sync.reconcile import digest, utc_day

TAKEN = ""  # the ledger's "target" for what the seat took


@dataclass
class SeatDay:
    """One seat's day, from its own store: every revision it took, and per target the ones
    delivered and the ones rejected (with the CRM's reason)."""

    taken: set[Key] = field(default_factory=set)
    acked: dict[str, set[Key]] = field(default_factory=dict)
    rejected: dict[str, dict[Key, str]] = field(default_factory=dict)


def in_period(column: Any, since: datetime | None, until: datetime | None) -> list[Any]:
    conditions = []
    if since is not None:
        conditions.append(column >= since)
    if until is not None:
        conditions.append(column < until)
    return conditions


def seat_days(
    engine: Engine,
    exercise: bool,
    since: datetime | None = None,
    until: datetime | None = None,
    seat_id: str | None = None,
) -> dict[tuple[str, str], SeatDay]:
    """(seat, day) → SeatDay, from a store that delivers (a seat's)."""
    r, c, d = ContactRevisionRow, ContactRow, DeliveryRow
    day = utc_day(r.saved_at, engine.dialect.name)
    query = (
        select(c.seat_id, day, r.contact_id, r.revision, d.target, d.state, d.reason)
        .join(c, c.id == r.contact_id)
        .outerjoin(d, and_(d.contact_id == r.contact_id, d.revision == r.revision))
        .where(
            (c.mode == "exercise") if exercise else (c.mode != "exercise"),
            *in_period(r.saved_at, since, until),
        )
    )
    if seat_id is not None:
        query = query.where(c.seat_id == seat_id)
    found: dict[tuple[str, str], SeatDay] = {}
    with engine.connect() as conn:
        for seat, d_, contact_id, revision, target, state, reason in conn.execute(query):
            entry = found.setdefault((seat, str(d_)), SeatDay())
            key = (contact_id, int(revision))
            entry.taken.add(key)
            if state == "delivered":
                entry.acked.setdefault(target, set()).add(key)
            elif state == "rejected":
                entry.rejected.setdefault(target, {})[key] = reason or ""
    return found


def ledger_rows(days: dict[tuple[str, str], SeatDay], exercise: bool) -> Iterator[dict[str, Any]]:
    for (seat, day), entry in sorted(days.items()):
        sets = {TAKEN: entry.taken, **entry.acked}
        for target, keys in sorted(sets.items()):
            yield {
                "seat_id": seat,
                "day": day,
                "target": target,
                "exercise": exercise,
                "revisions": len(keys),
                "digest": digest(keys),
            }


def publish(
    local: Engine,
    site: Engine,
    seat_id: str,
    since_day: str = "",
    kinds: tuple[bool, ...] = (False, True),
) -> int:
    """This seat's days (from ``since_day``, YYYY-MM-DD; every day when empty) of each kind
    of contact in ``kinds`` (exercise or not) written to the site's ledger; the rows written."""
    since = datetime.fromisoformat(f"{since_day}T00:00:00+00:00") if since_day else None
    rows = [
        row
        for exercise in kinds
        for row in ledger_rows(seat_days(local, exercise, since, seat_id=seat_id), exercise)
    ]
    if not rows:
        return 0
    insert = postgresql.insert if site.dialect.name == "postgresql" else sqlite.insert
    with site.begin() as conn:
        for start in range(0, len(rows), 1000):
            statement = insert(SiteLedgerRow).values(
                [{**row, "updated_at": func.now()} for row in rows[start : start + 1000]]
            )
            statement = statement.on_conflict_do_update(
                index_elements=["seat_id", "day", "target", "exercise"],
                set_={
                    "revisions": statement.excluded.revisions,
                    "digest": statement.excluded.digest,
                    "updated_at": statement.excluded.updated_at,
                },
            )
            conn.execute(statement)
    return len(rows)


def published(
    site: Engine, exercise: bool, since_day: str, until_day: str
) -> dict[tuple[str, str], dict[str, tuple[int, str]]]:
    """(seat, day) → what the seat published: (count, digest) per target, '' for what it
    took; for the days from ``since_day`` to ``until_day`` (YYYY-MM-DD, the second excluded)."""
    g = SiteLedgerRow
    query = select(g.seat_id, g.day, g.target, g.revisions, g.digest).where(
        g.exercise == exercise, g.day >= since_day, g.day < until_day
    )
    figures: dict[tuple[str, str], dict[str, tuple[int, str]]] = {}
    with site.connect() as conn:
        for seat, day, target, count, text in conn.execute(query):
            figures.setdefault((seat, day), {})[target] = (int(count), text)
    return figures
