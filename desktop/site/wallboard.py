"""The wall screen's figures, from the site store only (never the primary, which is down on
the days it matters): for the client whose site store it is, calls this hour and today by
call type, contacts not yet at the CRM and the oldest one's age, callbacks overdue, seats
active out of those seen today, the mode. Counts and call types only: no caller, no name,
no number ever reaches the wall.

Contacts are counted in the mode the site is in: an exercise's calls on an exercise day,
real ones otherwise (an exercise never swells a real day's figures)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta, tzinfo

from sqlalchemy import Engine, and_, func, select

from desktop.site.hall import SeatHealth, seat_health
from desktop.site.roster import RosterLine, roster_with_mode
from desktop.store.models import ContactRow
from desktop.supervisor.site_mode import site_mode

EVERY_S = 5


@dataclass(frozen=True)
class WallFigures:
    at: datetime
    mode: str | None
    this_hour: int
    today: int
    per_call_type: list[tuple[str, int, int]] = field(default_factory=list)  # type, hour, day
    not_at_crm: int = 0
    oldest_not_at_crm_s: int | None = None
    callbacks_overdue: int = 0
    seats: SeatHealth = field(default_factory=SeatHealth)


def wall_figures(site: Engine, now: datetime, zone: tzinfo, site_target: str = "") -> WallFigures:
    """``zone``: the site's (its "today" and "this hour"); ``site_target``: the name of the
    seats' target that is this site store (its backlog is not the CRM's)."""
    local = now.astimezone(zone)
    day_start = local.replace(hour=0, minute=0, second=0, microsecond=0)
    hour_start = local.replace(minute=0, second=0, microsecond=0)
    c = ContactRow
    mode = site_mode(site)
    with site.connect() as conn:
        kept = c.mode == "exercise" if mode == "exercise" else c.mode != "exercise"
        rows = conn.execute(
            select(c.call_type, func.count().filter(c.created_at >= hour_start), func.count())
            .where(c.created_at >= day_start, kept)
            .group_by(c.call_type)
        ).all()
        overdue = conn.scalar(
            select(func.count()).where(
                and_(
                    c.outcome == "callback",
                    c.callback_at < now,
                    c.callback_done_at.is_(None),
                    kept,
                    c.created_at >= now - timedelta(days=31),
                )
            )
        )
    roster = roster_with_mode(site, mode)
    per_type = sorted(((t or "", int(h), int(d)) for t, h, d in rows), key=lambda r: (-r[2], r[0]))
    waiting, oldest = _not_at_crm(roster, site_target)
    return WallFigures(
        at=now,
        mode=mode,
        this_hour=sum(r[1] for r in per_type),
        today=sum(r[2] for r in per_type),
        per_call_type=per_type,
        not_at_crm=waiting,
        oldest_not_at_crm_s=oldest,
        callbacks_overdue=int(overdue or 0),
        seats=seat_health(roster, (now - day_start).total_seconds()),
    )


def _not_at_crm(roster: list[RosterLine], site_target: str) -> tuple[int, int | None]:
    """What the seats still hold for their other targets (the CRM), by their last word."""
    count, oldest = 0, None
    for line in roster:
        for target, (pending, age) in line.state.backlog.items():
            if target == site_target or not pending:
                continue
            count += int(pending)
            if age is not None:
                oldest = max(oldest or 0, int(age) + line.age_s)
    return count, oldest
