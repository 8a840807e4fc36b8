"""The site's drill report: a client's quarterly drill (the site in exercise mode) in one
report for the whole site, from the site store.

Per seat: its readiness at the drill's start (the doctor's summary it gave the roster in its
first word after the site's mode was set to exercise), its Repli version, its tables' serial
against the one the site published, the time from its start to its first contact, the
contacts taken, delivered (by its ledger, per exercise target) and reconciled (the digests of
the failback report agree), the screen pops; then the drill's verdict, with its reasons. The
JSON is the source (signed like the failback report); the PDF and XLSX are its renderings.
The per-seat exercise report (the supervision's Ctrl+4) stays.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, func, select

from desktop import __version__
from desktop.failback.report import FailbackReport
from desktop.store.history import ContactFilter
from desktop.store.models import SiteDrillSeatRow, SitePackRow, SiteSettingRow
from desktop.supervisor.exercise_report import SeatFigures, report

SCHEMA = "repli.drill-report/1"
PASSED, TO_REVIEW = "passed", "to_review"


@dataclass
class DrillSeat:
    seat_id: str
    ready_at_start: bool | None = None  # None: no word from it at the drill's start
    readiness: str = ""
    version: str = ""
    pack_serial: int | None = None
    pack_name: str = ""
    on_published_tables: bool | None = None
    seconds_to_first_contact: float | None = None
    contacts: int = 0
    revisions: int | None = None
    delivered: dict[str, int | None] = field(default_factory=dict)  # per exercise target
    reconciled: bool | None = None
    pops: int = 0
    problems: list[str] = field(default_factory=list)


@dataclass
class DrillReport:
    site: str
    client_id: str
    client_name: str
    drill_started_at: datetime | None
    until: datetime
    published_serial: int | None
    generated_at: datetime
    generated_by: str
    seats: list[DrillSeat] = field(default_factory=list)

    @property
    def verdict(self) -> str:
        return PASSED if self.seats and not any(s.problems for s in self.seats) else TO_REVIEW

    def reasons(self) -> list[str]:
        if not self.seats:
            return ["no_seat"]
        return sorted({p for s in self.seats for p in s.problems})

    def as_json(self) -> dict[str, Any]:
        def iso(value: datetime | None) -> str | None:
            return value.isoformat() if value else None

        return {
            "schema": SCHEMA,
            "client": {"id": self.client_id, "name": self.client_name},
            "site": self.site,
            "drill_started_at": iso(self.drill_started_at),
            "until": iso(self.until),
            "published_serial": self.published_serial,
            "generated_at": iso(self.generated_at),
            "generated_by": self.generated_by,
            "repli_version": __version__,
            "verdict": self.verdict,
            "reasons": self.reasons(),
            "seats": [asdict(s) for s in self.seats],
        }


def drill_start(site: Engine) -> datetime | None:
    """When the site's mode was set to exercise (if it is now), else the last drill's start."""
    with site.connect() as conn:
        row = conn.execute(
            select(SiteSettingRow.value, SiteSettingRow.updated_at).where(
                SiteSettingRow.key == "mode"
            )
        ).first()
        if row is not None and row[0] == "exercise":
            return row[1]
        last: datetime | None = conn.scalar(select(func.max(SiteDrillSeatRow.drill_started_at)))
        return last


def build(
    site: Engine,
    failback: FailbackReport,
    *,
    started: datetime | None,
    until: datetime,
    about: dict[str, str],
    now: datetime,
) -> DrillReport:
    """``failback``: the failback report of the exercise contacts over the same period (its
    ledgers and digests say what was delivered and reconciled)."""
    with site.connect() as conn:
        published = conn.scalar(select(func.max(SitePackRow.serial)))
        words = {}
        if started is not None:
            d = SiteDrillSeatRow
            words = {
                row.seat_id: row
                for row in conn.execute(select(d.__table__).where(d.drill_started_at == started))
            }
    figures = {
        f.seat_id: f
        for f in report(site, ContactFilter(since=started, until=until, exercise="only"))
    }
    days: dict[str, list[Any]] = {}
    for line in failback.days:
        days.setdefault(line.seat_id, []).append(line)
    drill = DrillReport(
        about.get("site", ""), about.get("client_id", ""), about.get("client_name", ""),
        started, until, published, now, about.get("generated_by", ""),
    )  # fmt: skip
    targets = [t.name for t in failback.targets]
    for seat_id in sorted(set(words) | set(figures) | set(days)):
        drill.seats.append(_seat(seat_id, words.get(seat_id), figures.get(seat_id),
                                 days.get(seat_id, []), targets, published))  # fmt: skip
    return drill


def _seat(
    seat_id: str,
    word: Any,  # a site_drill_seats row, or None
    figures: SeatFigures | None,
    days: list[Any],
    targets: list[str],
    published: int | None,
) -> DrillSeat:
    seat = DrillSeat(seat_id)
    if word is not None:
        seat.ready_at_start, seat.readiness = word.ready, word.readiness
        seat.version, seat.pack_serial, seat.pack_name = (
            word.version,
            word.pack_serial,
            word.pack_name,
        )
        if published is not None:
            seat.on_published_tables = word.pack_serial == published
    if figures is not None:
        seat.contacts, seat.pops = figures.contacts, figures.pops
        seat.seconds_to_first_contact = figures.time_to_first_contact_s
    if days:
        taken = [d.taken for d in days if d.taken is not None]
        seat.revisions = sum(taken) if taken else None
        for name in targets:
            acked = [d.targets[name].acked for d in days if name in d.targets]
            known = [a for a in acked if a is not None]
            seat.delivered[name] = sum(known) if known else None
        seat.reconciled = all(d.agree for d in days)
    if seat.ready_at_start is None:
        seat.problems.append("no_word_at_start")
    elif not seat.ready_at_start:
        seat.problems.append("not_ready_at_start")
    if seat.on_published_tables is False:
        seat.problems.append("other_tables")
    if seat.contacts == 0:
        seat.problems.append("no_contact")
    if seat.revisions is not None and any(
        v is not None and v < seat.revisions for v in seat.delivered.values()
    ):
        seat.problems.append("not_all_delivered")
    if seat.reconciled is False:
        seat.problems.append("not_reconciled")
    return seat
