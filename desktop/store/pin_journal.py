"""The count of wrong supervisor PINs, kept in the seat's audit trail too: deleting the lock
file of the data directory does not reset the wait, and the supervisor and the
data-protection officer see each run of wrong PINs (no PIN is ever written)."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from sqlalchemy import Engine, insert, select

from desktop.store.models import AuditRow

ACTION = "pin-failures"


class AuditJournal:
    def __init__(self, engine: Engine, actor: str) -> None:
        self.engine = engine
        self.actor = actor

    def load(self) -> tuple[int, float]:
        query = (
            select(AuditRow.detail)
            .where(AuditRow.action == ACTION)
            .order_by(AuditRow.id.desc())
            .limit(1)
        )
        with self.engine.connect() as conn:
            detail = conn.execute(query).scalar()
        try:
            data = json.loads(detail) if detail else {}
            return int(data.get("failures", 0)), float(data.get("last", 0.0))
        except (ValueError, TypeError, AttributeError, OverflowError):
            return 0, 0.0

    def save(self, failures: int, last: float) -> None:
        detail = json.dumps({"failures": failures, "last": last})
        with self.engine.begin() as conn:
            conn.execute(
                insert(AuditRow).values(
                    at=datetime.now(UTC), actor=self.actor, action=ACTION, detail=detail
                )
            )
