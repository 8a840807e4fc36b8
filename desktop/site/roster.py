"""Every seat seen at once: each seat writes its state to the site store every 15 s (one small
upsert), and the supervision, ``repli site seats`` and the wall screen read them all.

A seat is stale when the site has had no word from it for 60 s, by the site server's clock
(a seat whose own clock is wrong is judged right). Problems are said in words: a seat on
other tables than the ones published, contacts waiting for a target for minutes, a seat not
ready, a seat in another mode than the site's.
"""

from __future__ import annotations

import json
import platform
from dataclasses import asdict, dataclass, field, fields
from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, Engine, func, select
from sqlalchemy.dialects import postgresql, sqlite

from desktop import __version__
from desktop.store.models import (
    ContactRevisionRow,
    DeliveryRow,
    SitePackRow,
    SiteSeatRow,
    TablePackRow,
    UtcDateTime,
)
from desktop.supervisor.site_mode import site_mode

EVERY_S = 15
STALE_AFTER_S = 60
WAITING_TOO_LONG_S = 120  # a backlog younger than this is a batch on its way, not a problem


@dataclass(frozen=True)
class SeatState:
    seat_id: str
    client: str
    mode: str
    agent: str | None
    pack_serial: int | None
    pack_name: str
    backlog: dict[str, list[int | None]]  # target: [pending, the oldest's age in s]
    last_saved_at: datetime | None
    ready: bool
    readiness: str
    started_at: datetime
    pc_name: str = field(default_factory=platform.node)
    version: str = __version__


def local_state(
    engine: Engine,
    *,
    seat_id: str,
    client: str,
    mode: str,
    agent: str | None,
    readiness: tuple[bool, str],
    started_at: datetime,
    now: datetime,
) -> SeatState:
    """The seat's state from its own store: its active pack, its backlog per target and its
    oldest pending revision's age, its last saved contact."""
    d, r = DeliveryRow, ContactRevisionRow
    with engine.connect() as conn:
        pack = conn.execute(
            select(TablePackRow.serial, TablePackRow.name).where(TablePackRow.active)
        ).first()
        waiting = conn.execute(
            select(d.target, func.count(), func.min(r.saved_at))
            .join(r, (r.contact_id == d.contact_id) & (r.revision == d.revision))
            .where(d.state == "pending")
            .group_by(d.target)
        ).all()
        last = conn.scalar(select(func.max(r.saved_at)))
    backlog: dict[str, list[int | None]] = {
        target: [int(count), _age(now, oldest)] for target, count, oldest in waiting
    }
    return SeatState(
        seat_id=seat_id,
        client=client,
        mode=mode,
        agent=agent or None,
        pack_serial=pack[0] if pack else None,
        pack_name=pack[1] if pack else "",
        backlog=backlog,
        last_saved_at=last,
        ready=readiness[0],
        readiness=readiness[1],
        started_at=started_at,
    )


def write_state(site: Engine, state: SeatState) -> None:
    """One upsert; ``updated_at`` is the site server's clock."""
    values: dict[str, Any] = asdict(state)
    values["backlog"] = json.dumps(state.backlog, sort_keys=True)
    values["updated_at"] = func.now()
    insert = postgresql.insert if site.dialect.name == "postgresql" else sqlite.insert
    statement = insert(SiteSeatRow).values(values)
    statement = statement.on_conflict_do_update(
        index_elements=[SiteSeatRow.seat_id],
        set_={k: statement.excluded[k] for k in values if k != "seat_id"},
    )
    with site.begin() as conn:
        conn.execute(statement)
        if state.mode == "exercise":  # its word at the drill's start, once
            conn.execute(_drill_word(site, state))


def _drill_word(site: Engine, state: SeatState) -> Any:
    """The seat's state kept for the drill that the site's mode started (when it was set to
    exercise), unless it has one already; nothing when the site is not in exercise mode."""
    from sqlalchemy import literal

    from desktop.store.models import SiteDrillSeatRow, SiteSettingRow

    s = SiteSettingRow
    values = select(
        s.updated_at,
        literal(state.seat_id),
        literal(state.ready),
        literal(state.readiness),
        literal(state.version),
        literal(state.pack_serial, BigInteger),
        literal(state.pack_name),
        literal(state.started_at, UtcDateTime),
        func.now(),
    ).where(s.key == "mode", s.value == "exercise")
    insert = postgresql.insert if site.dialect.name == "postgresql" else sqlite.insert
    columns = ["drill_started_at", "seat_id", "ready", "readiness", "version", "pack_serial",
               "pack_name", "seat_started_at", "recorded_at"]  # fmt: skip
    return insert(SiteDrillSeatRow).from_select(columns, values).on_conflict_do_nothing()


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a seat: ``kind`` for a translation, ``values`` to fill it."""

    kind: str  # stale | tables | waiting | not_ready | mode
    values: tuple[Any, ...]

    def text(self) -> str:
        return _TEXTS[self.kind].format(*self.values)


_TEXTS = {
    "stale": "no word for {0}",
    "tables": "tables {0} while {1} is published",
    "no_tables": "no tables while {0} is published",
    "waiting": "{0} contact(s) waiting for {1} for {2}",
    "not_ready": "not ready: {0}",
    "mode": "in {0} mode while the site is in {1}",
}


@dataclass(frozen=True)
class RosterLine:
    state: SeatState
    age_s: int  # since its last word, by the site server's clock
    problems: list[Problem]

    @property
    def stale(self) -> bool:
        return self.age_s >= STALE_AFTER_S

    def as_dict(self) -> dict[str, Any]:
        found = asdict(self.state)
        for key in ("last_saved_at", "started_at"):
            found[key] = found[key].isoformat() if found[key] else None
        return {
            **found,
            "age_s": self.age_s,
            "stale": self.stale,
            "problems": [p.text() for p in self.problems],
        }


def read_roster(site: Engine) -> list[RosterLine]:
    """Every seat that ever wrote, the stale first, then those with problems, then by id."""
    return roster_with_mode(site, site_mode(site))


def roster_with_mode(site: Engine, mode: str | None) -> list[RosterLine]:
    """:func:`read_roster`, judged against the site's ``mode`` its caller already read."""
    s = SiteSeatRow
    age = func.extract("epoch", func.now() - s.updated_at)
    with site.connect() as conn:
        rows = conn.execute(select(s.__table__, age.label("age_s"))).all()
        published = conn.scalar(select(func.max(SitePackRow.serial)))
    lines = []
    for row in rows:
        stored = {f.name: getattr(row, f.name) for f in fields(SeatState)}
        state = SeatState(**{**stored, "backlog": _backlog(row.backlog)})
        seconds = max(0, int(row.age_s or 0))
        lines.append(RosterLine(state, seconds, problems(state, seconds, published, mode)))
    return sorted(lines, key=lambda line: (not line.stale, not line.problems, line.state.seat_id))


def problems(
    state: SeatState, age_s: int, published: int | None, site_mode: str | None
) -> list[Problem]:
    found = []
    if age_s >= STALE_AFTER_S:
        found.append(Problem("stale", (duration(age_s),)))
    if published is not None and state.pack_serial != published:
        found.append(
            Problem("tables", (state.pack_serial, published))
            if state.pack_serial is not None
            else Problem("no_tables", (published,))
        )
    for target, (count, oldest) in sorted(state.backlog.items()):
        if count and oldest is not None and oldest >= WAITING_TOO_LONG_S:
            found.append(Problem("waiting", (count, target, duration(oldest))))
    if not state.ready:
        found.append(Problem("not_ready", (state.readiness,)))
    if site_mode and state.mode != site_mode:
        found.append(Problem("mode", (state.mode, site_mode)))
    return found


def duration(seconds: int) -> str:
    """``45 s``, ``14 min``, ``3 h 05``, ``2 d``: a person's reading of an age."""
    if seconds < 60:
        return f"{seconds} s"
    if seconds < 3600:
        return f"{seconds // 60} min"
    if seconds < 86400:
        return f"{seconds // 3600} h {seconds % 3600 // 60:02d}"
    return f"{seconds // 86400} d"


def _backlog(text: str) -> dict[str, list[int | None]]:
    try:
        found = json.loads(text)
    except ValueError:
        return {}
    return found if isinstance(found, dict) else {}


def _age(now: datetime, then: datetime | None) -> int | None:
    """Seconds since ``then`` (read back timezone-aware: the columns' UtcDateTime)."""
    return None if then is None else max(0, int((now - then).total_seconds()))
