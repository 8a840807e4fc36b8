"""What the seat's sync looks like: per target, its state and the counts of revisions."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, select

from desktop.config import Settings
from desktop.store.models import DeliveryRow, SyncTargetRow
from desktop.sync.outbox import counts, fan_out


def sync_status(engine: Engine, settings: Settings, queue_first: bool = True) -> dict[str, Any]:
    """``queue_first``: revisions saved since the last run are queued first (idempotent), so
    that they count; the app's worker, which reads this right after a run, skips it."""
    for target in settings.sync_targets if queue_first else ():
        fan_out(engine, target)
    per_target = counts(engine)
    with engine.connect() as conn:
        rows = {r.name: r for r in conn.execute(select(SyncTargetRow))}
    targets: dict[str, Any] = {}
    for target in settings.sync_targets:
        row = rows.get(target.name)
        targets[target.name] = {
            "kind": target.kind,
            "exercise": target.exercise,
            "state": row.state if row else "not run yet",
            "since": row.since.isoformat() if row and row.since else None,
            "reason": row.reason if row else "",
            "last_run_at": row.last_run_at.isoformat() if row and row.last_run_at else None,
            "last_delivery_at": row.last_delivery_at.isoformat()
            if row and row.last_delivery_at
            else None,
            "counts": dict(per_target.get(target.name, {})),
            "rejected": _rejected(engine, target.name),
        }
    return {"targets": targets}


def _rejected(engine: Engine, target: str, limit: int = 100) -> list[dict[str, Any]]:
    """The revisions the target refused, with its reason (most recent first)."""
    query = (
        select(DeliveryRow.contact_id, DeliveryRow.revision, DeliveryRow.reason)
        .where(DeliveryRow.target == target, DeliveryRow.state == "rejected")
        .order_by(DeliveryRow.next_attempt_at.desc())
        .limit(limit)
    )
    with engine.connect() as conn:
        return [{"id": c, "revision": r, "reason": why} for c, r, why in conn.execute(query)]
