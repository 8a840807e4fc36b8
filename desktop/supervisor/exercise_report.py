"""What a failover exercise must prove, per seat: the time from the app's start to its first
contact saved, the contacts logged, the median handling time, the lookups that needed
several candidates, the screen pops, and the tables used (with their age where known).

Every figure comes from the contacts themselves (they carry the seat, the app's start time,
the candidates shown, how the branch was found and the tables version), so the report is the
same on a seat, on the site database, or after ``repli merge``.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, select

from desktop.contacts import utc_now
from desktop.store.history import ContactFilter
from desktop.store.models import ContactRow, TablePackRow
from desktop.store.quickstart import pack_date


@dataclass(frozen=True)
class SeatFigures:
    seat_id: str
    app_started_at: datetime | None
    first_contact_at: datetime | None
    contacts: int
    median_handling_s: float | None
    several_candidates: int  # lookups where the agent chose among several branches
    pops: int  # contacts whose branch came from a screen pop
    tables_version: str
    agents: int
    tables_age_days: float | None = None  # when this store knows the pack (its name, version)

    @property
    def time_to_first_contact_s(self) -> float | None:
        if self.app_started_at is None or self.first_contact_at is None:
            return None
        return (self.first_contact_at - self.app_started_at).total_seconds()


def report(engine: Engine, where: ContactFilter | None = None) -> list[SeatFigures]:
    """Per seat, for the contacts ``where`` selects (default: the exercise contacts)."""
    where = where or ContactFilter(exercise="only")
    c = ContactRow
    query = where.apply(
        select(
            c.seat_id,
            c.created_at,
            c.app_started_at,
            c.call_started_at,
            c.call_ended_at,
            c.candidates,
            c.found_by,
            c.tables_version,
            c.agent,
        )
    ).order_by(c.seat_id, c.created_at)
    seats: dict[str, list[Any]] = {}
    with engine.connect() as conn:
        for row in conn.execute(query):
            seats.setdefault(row.seat_id, []).append(row)
        packs = _pack_dates(conn)
    now = utc_now()
    result = []
    for seat_id, rows in sorted(seats.items()):
        figures = _seat(seat_id, rows)
        dated = packs.get(figures.tables_version)
        if dated is not None:
            figures = replace(figures, tables_age_days=(now - dated).total_seconds() / 86400)
        result.append(figures)
    return result


def _pack_dates(conn: Any) -> dict[str, datetime]:
    """The packs this store imported, by "name version" (as contacts record them), with the
    time the primary site generated each (else the import time)."""
    found = {}
    rows = conn.execute(
        select(
            TablePackRow.name,
            TablePackRow.version,
            TablePackRow.generated_at,
            TablePackRow.imported_at,
        )
    )
    for name, version, generated, imported in rows:
        found[f"{name} {version}".strip()] = pack_date(generated, imported)
    return found


def _seat(seat_id: str, rows: list[Any]) -> SeatFigures:
    starts = [r.app_started_at for r in rows if r.app_started_at is not None]
    started = min(starts) if starts else None
    after = [r.created_at for r in rows if started is None or r.created_at >= started]
    handling = [
        (r.call_ended_at - r.call_started_at).total_seconds()
        for r in rows
        if r.call_started_at and r.call_ended_at
    ]
    return SeatFigures(
        seat_id=seat_id,
        app_started_at=started,
        first_contact_at=min(after) if after else None,
        contacts=len(rows),
        median_handling_s=statistics.median(handling) if handling else None,
        several_candidates=sum(1 for r in rows if r.candidates > 1),
        pops=sum(1 for r in rows if r.found_by == "pop"),
        tables_version=", ".join(sorted({r.tables_version for r in rows if r.tables_version})),
        agents=len({r.agent for r in rows}),
    )
