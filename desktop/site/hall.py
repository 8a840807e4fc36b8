"""The hall's wall screen: every client's seats on one screen, health only.

A backup centre serves several client companies, each with its own site store (its own
PostgreSQL database and its own CRM). The screen in a client's room shows that client's
business (desktop.site.wallboard); the screen in the hall shows, for every client this PC
was provisioned for, whether its site store answers, the mode it is in and its seats:
active out of those seen today, silent, needing attention. Never a call count, a call type
or a CRM backlog: clients share the building, not their figures.

Each client's site is read on its own (a frozen server holds its line only, never the
others'), from the site store only, as the rest of the wall screen is."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import Engine

from desktop.site.roster import Problem, RosterLine, roster_with_mode
from desktop.supervisor.site_mode import site_mode

if TYPE_CHECKING:
    from desktop.paths import DataPaths


@dataclass(frozen=True)
class SeatHealth:
    """A site's seats, by their last word: those seen today, the active ones (not silent),
    the silent ones, those active with a problem, and each seat's problems."""

    active: int = 0
    seen_today: int = 0
    silent: int = 0
    needing_attention: int = 0
    problems: list[tuple[str, list[Problem]]] = field(default_factory=list)


def seat_health(roster: list[RosterLine], seconds_since_day_start: float) -> SeatHealth:
    seen_today = [line for line in roster if line.age_s < seconds_since_day_start]
    active = [line for line in seen_today if not line.stale]
    return SeatHealth(
        active=len(active),
        seen_today=len(seen_today),
        silent=sum(1 for line in seen_today if line.stale),
        needing_attention=sum(1 for line in active if line.problems),
        problems=[(line.state.seat_id, line.problems) for line in seen_today if line.problems],
    )


@dataclass(frozen=True)
class HallSite:
    """One client's site store, as this PC's configuration for that client names it."""

    client: str  # what the hall reads: the client's name (else its id)
    url: str


@dataclass(frozen=True)
class ClientHealth:
    client: str
    at: datetime
    mode: str | None  # the site's mode (None: each seat keeps its own)
    seats: SeatHealth


def client_health(site: Engine, client: str, now: datetime) -> ClientHealth:
    """``now`` in the site's zone (its "today")."""
    day_start = now.replace(hour=0, minute=0, second=0, microsecond=0)
    mode = site_mode(site)
    health = seat_health(roster_with_mode(site, mode), (now - day_start).total_seconds())
    return ClientHealth(client, now, mode, health)


NO_SITE = ""  # a client left out because its configuration names no site store


def hall_sites(seat: DataPaths) -> tuple[list[HallSite], list[tuple[str, str]]]:
    """The site stores of every client this PC was provisioned for (``seat``: its
    DataPaths), by the client's name; and the clients left out, each with why: NO_SITE (no
    site store in its configuration) or its configuration's error in words."""
    from desktop.seat import clients

    sites: list[HallSite] = []
    left_out: list[tuple[str, str]] = []
    for entry in clients.entries(seat):
        if entry.problem:
            left_out.append((entry.name, entry.problem))
        elif entry.site_url:
            sites.append(HallSite(entry.name, entry.site_url))
        else:
            left_out.append((entry.name, NO_SITE))
    return sites, left_out
