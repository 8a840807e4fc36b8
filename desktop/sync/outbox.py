"""The per-target outbox: which revisions each target still has to receive.

The ``outbox`` table gets one row per saved revision (a trigger writes it with the revision).
For each target, ``fan_out`` copies what the target has not seen yet into ``deliveries``;
``claim`` leases a batch of due deliveries to one worker, atomically, so that two workers
(the app's and ``repli sync``) never send the same batch; ``record`` writes the outcome.
A worker killed between sending and recording leaves a lease that expires: the batch is sent
again, and the receiver, deduplicating by (id, revision), says "duplicate".
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Engine, and_, func, insert, literal, or_, select, update

from desktop.config import TargetConfig
from desktop.contacts import utc_now
from desktop.store.models import ContactRevisionRow, ContactRow, DeliveryRow, OutboxRow

LEASE = timedelta(minutes=2)
Key = tuple[str, int]  # (contact id, revision): what the receiving side deduplicates by


@dataclass(frozen=True)
class Due:
    contact_id: str
    revision: int
    attempts: int
    payload: dict[str, Any]


def by_key(keys: Iterable[Any]) -> ColumnElement[bool]:
    """``(contact_id, revision) IN keys``, written so that the primary key serves it: one
    ``contact_id IN (…)`` per revision (a batch has one or two). SQLite does not use an index
    for a row-value IN list, and then every statement reads the whole table."""
    groups: dict[int, list[str]] = {}
    for contact_id, revision in keys:
        groups.setdefault(int(revision), []).append(contact_id)
    return or_(
        *(
            and_(DeliveryRow.revision == r, DeliveryRow.contact_id.in_(ids))
            for r, ids in groups.items()
        )
    )


def fan_out(engine: Engine, target: TargetConfig) -> int:
    """Queue for ``target`` every revision it has not seen (exercise contacts only to an
    exercise target, and only there). Returns how many were added."""
    seen = select(DeliveryRow.contact_id).where(
        DeliveryRow.target == target.name,
        DeliveryRow.contact_id == OutboxRow.contact_id,
        DeliveryRow.revision == OutboxRow.revision,
    )
    mode = ContactRow.mode == "exercise" if target.exercise else ContactRow.mode != "exercise"
    new = (
        select(
            literal(target.name),
            OutboxRow.contact_id,
            OutboxRow.revision,
            literal("pending"),
            literal(0),
            literal(utc_now()),
        )
        .join(ContactRow, ContactRow.id == OutboxRow.contact_id)
        .where(~seen.exists(), mode)
    )
    columns = ["target", "contact_id", "revision", "state", "attempts", "next_attempt_at"]
    with engine.begin() as conn:
        done = conn.execute(insert(DeliveryRow).from_select(columns, new))
        return int(done.rowcount or 0)


def claim(engine: Engine, target: str, holder: str, limit: int) -> list[Due]:
    """Lease up to ``limit`` due deliveries to ``holder`` and return them with their payload."""
    moment = utc_now()
    due = and_(
        DeliveryRow.target == target,
        DeliveryRow.state == "pending",
        DeliveryRow.next_attempt_at <= moment,
        or_(DeliveryRow.lease_until.is_(None), DeliveryRow.lease_until < moment),
    )
    with engine.begin() as conn:
        keys = conn.execute(
            select(DeliveryRow.contact_id, DeliveryRow.revision)
            .where(due)
            .order_by(DeliveryRow.next_attempt_at)  # the index order: LIMIT stops early
            .limit(limit)
            .with_for_update(skip_locked=True)
        ).all()
        if not keys:
            return []
        # One statement: the lease is re-checked row by row, so a row another worker took
        # meanwhile is simply not ours.
        conn.execute(
            update(DeliveryRow)
            .where(  # by key (the primary key serves it), the lease re-checked
                DeliveryRow.target == target,
                by_key(keys),
                DeliveryRow.state == "pending",
                or_(DeliveryRow.lease_until.is_(None), DeliveryRow.lease_until < moment),
            )
            .values(lease_holder=holder, lease_until=moment + LEASE)
        )
        rows = conn.execute(
            select(
                ContactRevisionRow.contact_id,
                ContactRevisionRow.revision,
                ContactRevisionRow.data,
                ContactRevisionRow.saved_by,
                ContactRevisionRow.saved_at,
                DeliveryRow.attempts,
            )
            .join(
                DeliveryRow,
                and_(
                    DeliveryRow.contact_id == ContactRevisionRow.contact_id,
                    DeliveryRow.revision == ContactRevisionRow.revision,
                ),
            )
            .where(
                DeliveryRow.target == target,
                by_key(keys),
                DeliveryRow.lease_holder == holder,  # the rows we just leased, through the key
            )
        ).all()
    return [
        Due(r.contact_id, r.revision, r.attempts, _payload(r.data, r.saved_by, r.saved_at))
        for r in rows
    ]


def _payload(data: str, saved_by: str, saved_at: datetime) -> dict[str, Any]:
    contact: dict[str, Any] = json.loads(data)
    contact["revision_saved_by"] = saved_by
    contact["revision_saved_at"] = saved_at.astimezone(UTC).isoformat()
    return contact


def record(
    engine: Engine,
    target: str,
    holder: str,
    delivered: dict[tuple[str, int], str],
    rejected: dict[tuple[str, int], str],
    retry: dict[tuple[str, int], tuple[datetime, str]],
) -> None:
    """Write what the target said: delivered (accepted/duplicate), rejected (with the
    reason), or to retry at a time (with the error). Only rows this holder leased."""
    moment = utc_now()
    mine = (DeliveryRow.target == target, DeliveryRow.lease_holder == holder)
    freed = {"lease_holder": None, "lease_until": None}
    with engine.begin() as conn:
        for outcome in ("accepted", "duplicate"):
            keys = [k for k, o in delivered.items() if o == outcome]
            if keys:
                conn.execute(
                    update(DeliveryRow)
                    .where(*mine, by_key(keys))
                    .values(
                        state="delivered", outcome=outcome, delivered_at=moment, reason="", **freed
                    )
                )
        for reason in set(rejected.values()):
            keys = [k for k, r in rejected.items() if r == reason]
            conn.execute(
                update(DeliveryRow)
                .where(*mine, by_key(keys))
                .values(state="rejected", outcome="rejected", reason=reason, **freed)
            )
        for (when, error), keys in _grouped(retry).items():
            conn.execute(
                update(DeliveryRow)
                .where(*mine, by_key(keys))
                .values(
                    attempts=DeliveryRow.attempts + 1, next_attempt_at=when, reason=error, **freed
                )
            )


def _grouped(
    retry: dict[tuple[str, int], tuple[datetime, str]],
) -> dict[tuple[datetime, str], list[tuple[str, int]]]:
    groups: dict[tuple[datetime, str], list[tuple[str, int]]] = {}
    for key, value in retry.items():
        groups.setdefault(value, []).append(key)
    return groups


def release(engine: Engine, target: str, holder: str) -> None:
    """Give back the leases of a batch that was not sent (stopped, misconfigured)."""
    with engine.begin() as conn:
        conn.execute(
            update(DeliveryRow)
            .where(DeliveryRow.target == target, DeliveryRow.lease_holder == holder)
            .values(lease_holder=None, lease_until=None)
        )


def counts(engine: Engine) -> dict[str, Counter[str]]:
    """Per target, how many revisions are pending, delivered, rejected."""
    query = select(DeliveryRow.target, DeliveryRow.state, func.count()).group_by(
        DeliveryRow.target, DeliveryRow.state
    )
    found: dict[str, Counter[str]] = {}
    with engine.connect() as conn:
        for target, state, number in conn.execute(query):
            found.setdefault(target, Counter())[state] = int(number)
    return found


def release_dead_holders(engine: Engine, target: str, host: str) -> int:
    """Free at once the leases of processes of this host that no longer exist (a killed
    ``repli sync``, a crashed app): their batches are sent again without waiting for the
    lease to expire. Other hosts' leases expire by themselves."""
    with engine.connect() as conn:
        holders = (
            conn.execute(
                select(DeliveryRow.lease_holder)
                .where(DeliveryRow.target == target, DeliveryRow.lease_holder.is_not(None))
                .distinct()
            )
            .scalars()
            .all()
        )
    dead = [h for h in holders if h and _dead_here(h, host)]
    for holder in dead:
        release(engine, target, holder)
    return len(dead)


def _dead_here(holder: str, host: str) -> bool:
    name, _, rest = holder.partition(":")
    pid = rest.partition(":")[0]
    if name != host or not pid.isdigit() or os.name != "posix":
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False
