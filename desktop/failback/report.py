"""The failback report: for each seat and UTC day of a period, what the seat took, what each
target acknowledged, what the site store holds and what the CRM says it holds; whether the
digests of (id, revision) agree; every difference by contact id and revision, with what to
do. The JSON form (``as_json``) is the source; the XLSX and PDF are renderings of it.

Where each figure comes from:
- the seat that runs the report: its own store, key by key;
- every other seat: the ledger it published to the site store (a count and a digest per day
  and target), and its roster line (its last word, what waits there);
- the site store: its revisions, key by key (streamed a seat's day at a time);
- the CRM: its answer to the reconciliation request (docs/sync-protocol.md), asked about
  every revision the site store or the local seat knows of.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, time, timedelta
from typing import Any

from sqlalchemy import Engine, select

from desktop import __version__
from desktop.failback.ledger import TAKEN, SeatDay, in_period, published, seat_days
from desktop.store.models import ContactRevisionRow, ContactRow
from desktop.sync.outbox import Key
from desktop.sync.reconcile import digest, digest_sorted, utc_day

SCHEMA = "repli.failback/1"
RESEND, CHECK_CRM, CHECK_SEAT = "resend", "check_crm", "check_seat"
Holds = Callable[[list[Key]], set[Key]]


@dataclass
class Difference:
    seat_id: str
    day: str
    target: str
    contact_id: str
    revision: int
    problem: str  # missing (the target lacks it) | rejected (the CRM refused it)
    action: str  # resend | check_crm
    acknowledged: bool | None = None  # the target had acknowledged it (None: not known here)
    reason: str = ""


@dataclass
class TargetDay:
    acked: int | None = None  # by the seat's ledger (None: not known)
    holds: int | None = None  # by the target itself (None: it cannot say)
    digest: str | None = None  # of what it holds


@dataclass
class DayLine:
    seat_id: str
    day: str
    source: str  # seat (its own store, here) | ledger (published) | none
    taken: int | None = None
    taken_digest: str | None = None
    site: int | None = None
    site_digest: str | None = None
    targets: dict[str, TargetDay] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    @property
    def agree(self) -> bool:
        known = [self.taken_digest, self.site_digest, *(t.digest for t in self.targets.values())]
        return len({d for d in known if d is not None}) <= 1 and not self.notes


@dataclass
class SeatLine:
    seat_id: str
    reachable: bool | None  # None: never wrote to the site's roster
    last_word: datetime | None = None
    version: str = ""
    waiting: dict[str, int] = field(default_factory=dict)  # target: revisions not delivered


@dataclass
class TargetLine:
    name: str
    kind: str
    answers: bool | None  # does it say what it holds? None: not asked (a file drop)
    note: str = ""


@dataclass
class FailbackReport:
    client_id: str
    client_name: str
    site: str
    since: datetime
    until: datetime
    exercise: bool
    generated_at: datetime
    generated_by: str
    targets: list[TargetLine] = field(default_factory=list)
    seats: list[SeatLine] = field(default_factory=list)
    days: list[DayLine] = field(default_factory=list)
    differences: list[Difference] = field(default_factory=list)
    site_store: bool = False

    @property
    def verdict(self) -> str:
        """clean | differences | incomplete (a seat silent, a target that cannot answer)"""
        if self.differences or any(not d.agree for d in self.days):
            return "differences"
        silent = any(s.reachable is False and any(s.waiting.values()) for s in self.seats)
        if silent or any(t.answers is False for t in self.targets):
            return "incomplete"
        return "clean"

    def totals(self) -> dict[str, Any]:
        def total(values: Iterator[int | None]) -> int | None:
            known = [v for v in values if v is not None]
            return sum(known) if known else None

        return {
            "taken": total(d.taken for d in self.days),
            "site": total(d.site for d in self.days),
            "targets": {
                t.name: {
                    "acked": total(d.targets[t.name].acked for d in self.days),
                    "holds": total(d.targets[t.name].holds for d in self.days),
                }
                for t in self.targets
            },
            "differences": len(self.differences),
            "to_resend": sum(1 for d in self.differences if d.action == RESEND),
        }

    def as_json(self) -> dict[str, Any]:
        def plain(value: Any) -> Any:
            if isinstance(value, datetime):
                return value.isoformat()
            if isinstance(value, dict):
                return {k: plain(v) for k, v in value.items()}
            if isinstance(value, list):
                return [plain(v) for v in value]
            return value

        return {
            "schema": SCHEMA,
            "client": {"id": self.client_id, "name": self.client_name},
            "site": self.site,
            "period": {"since": self.since.isoformat(), "until": self.until.isoformat()},
            "days_are": "UTC",
            "contacts": "exercise" if self.exercise else "production",
            "generated_at": self.generated_at.isoformat(),
            "generated_by": self.generated_by,
            "repli_version": __version__,
            "verdict": self.verdict,
            "totals": self.totals(),
            "site_store": self.site_store,
            "targets": [asdict(t) for t in self.targets],
            "seats": [plain(asdict(s)) for s in self.seats],
            "days": [{**plain(asdict(d)), "agree": d.agree} for d in self.days],
            "differences": [asdict(d) for d in self.differences],
        }


@dataclass
class Sources:
    """What the report reads. ``targets``: (name, kind) of the client's targets of the
    report's kind; ``holds``: for a target that can say what it holds (a CRM), how to ask it."""

    targets: list[tuple[str, str]]
    local: Engine | None = None
    local_seat: str = ""
    site: Engine | None = None
    site_target: str = ""
    holds: dict[str, Holds] = field(default_factory=dict)
    roster: list[Any] = field(default_factory=list)  # desktop.site.roster.RosterLine


class NotAnswered(Exception):
    """A target's holds function raises this when the target does not answer the request."""


def build(
    sources: Sources,
    *,
    since: datetime,
    until: datetime,
    exercise: bool,
    about: dict[str, str],
    now: datetime,
) -> FailbackReport:
    """``about``: client_id, client_name, site, generated_by."""
    # whole UTC days: a seat's ledger counts a day whole, so every source is read by days
    since = since.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    if until.astimezone(UTC).time() != time.min:
        until = until.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
        until += timedelta(days=1)
    report = FailbackReport(
        about.get("client_id", ""),
        about.get("client_name", ""),
        about.get("site", ""),
        since,
        until,
        exercise,
        now,
        about.get("generated_by", ""),
        site_store=sources.site is not None,
    )
    answers: dict[str, bool | None] = {
        name: (True if name in sources.holds else None) for name, _kind in sources.targets
    }
    if sources.site_target:
        answers[sources.site_target] = sources.site is not None
    notes: dict[str, str] = {}
    local: dict[tuple[str, str], SeatDay] = {}
    if sources.local is not None:
        local = seat_days(sources.local, exercise, since, until, seat_id=sources.local_seat)
    ledgers: dict[tuple[str, str], dict[str, tuple[int, str]]] = {}
    site_groups: Iterator[tuple[tuple[str, str], list[Key]]] = iter(())
    if sources.site is not None:  # the period's days: ``until`` is the midnight after the last
        first, last = since.strftime("%Y-%m-%d"), until.strftime("%Y-%m-%d")
        ledgers = published(sources.site, exercise, first, last)
        site_groups = _site_groups(sources.site, exercise, since, until)
    seen: set[tuple[str, str]] = set()

    def line_for(key: tuple[str, str], site_keys: list[Key] | None) -> None:
        seen.add(key)
        report.days.append(
            _day(key, site_keys, local.get(key), ledgers.get(key), sources, answers, notes, report)
        )

    for key, keys in site_groups:
        line_for(key, keys)
    for key in sorted((set(local) | set(ledgers)) - seen):
        line_for(key, [] if sources.site is not None else None)
    report.days.sort(key=lambda d: (d.seat_id, d.day))
    report.targets = [
        TargetLine(name, kind, answers.get(name), notes.get(name, ""))
        for name, kind in sources.targets
    ]
    report.seats = _seats(report, sources)
    return report


def _site_groups(
    site: Engine, exercise: bool, since: datetime, until: datetime
) -> Iterator[tuple[tuple[str, str], list[Key]]]:
    """The site store's revisions, a (seat, day) at a time, each group's keys sorted as
    digest() sorts them (code points: COLLATE "C" on PostgreSQL)."""
    r, c = ContactRevisionRow, ContactRow
    day = utc_day(r.saved_at, site.dialect.name)
    by_id = r.contact_id.collate("C") if site.dialect.name == "postgresql" else r.contact_id
    query = (
        select(c.seat_id, day, r.contact_id, r.revision)
        .join(c, c.id == r.contact_id)
        .where(
            (c.mode == "exercise") if exercise else (c.mode != "exercise"),
            *in_period(r.saved_at, since, until),
        )
        .order_by(c.seat_id, day, by_id, r.revision)
        .execution_options(yield_per=20_000)
    )
    with site.connect() as conn:
        rows = conn.execute(query)
        for (seat, d), group in itertools.groupby(rows, key=lambda row: (row[0], str(row[1]))):
            yield (seat, d), [(row[2], int(row[3])) for row in group]


def _day(
    key: tuple[str, str],
    site_keys: list[Key] | None,
    mine: SeatDay | None,
    ledger: dict[str, tuple[int, str]] | None,
    sources: Sources,
    answers: dict[str, bool | None],
    notes: dict[str, str],
    report: FailbackReport,
) -> DayLine:
    seat_id, day = key
    line = DayLine(seat_id, day, "seat" if mine else ("ledger" if ledger else "none"))
    if mine is not None:
        line.taken, line.taken_digest = len(mine.taken), digest(mine.taken)
    elif ledger is not None and TAKEN in ledger:
        line.taken, line.taken_digest = ledger[TAKEN]
    if site_keys is not None:  # sorted as the digest sorts (_site_groups)
        line.site, line.site_digest = len(site_keys), digest_sorted(site_keys)
    # what the CRM is asked about, in the digest's order
    known = sorted(set(site_keys or ()) | mine.taken) if mine else list(site_keys or ())

    def missing(target: str, lacking: set[Key]) -> None:
        for contact_id, revision in sorted(lacking):
            acked = None if mine is None else (contact_id, revision) in mine.acked.get(target, ())
            report.differences.append(
                Difference(seat_id, day, target, contact_id, revision, "missing", RESEND, acked)
            )

    for name, _kind in sources.targets:
        target = TargetDay()
        if mine is not None:
            target.acked = len(mine.acked.get(name, ()))
        elif ledger is not None:
            target.acked = ledger.get(name, (0, ""))[0]
        if name == sources.site_target and site_keys is not None:
            target.holds, target.digest = line.site, line.site_digest
            if mine is not None:
                missing(name, mine.taken - set(site_keys))
        elif name in sources.holds and answers.get(name):
            try:
                held = sources.holds[name](known) if known else set()
            except NotAnswered as exc:
                answers[name], notes[name] = False, str(exc)
            else:
                kept = [k for k in known if k in held]
                target.holds, target.digest = len(kept), digest_sorted(kept)
                missing(name, set(known) - held)
        for (contact_id, revision), reason in sorted(
            (mine.rejected if mine else {}).get(name, {}).items()
        ):
            report.differences.append(
                Difference(
                    seat_id, day, name, contact_id, revision, "rejected", CHECK_CRM, False, reason
                )
            )
        line.targets[name] = target
    told = mine is None and line.taken is not None and line.site is not None
    if told and (line.taken, line.taken_digest) != (line.site, line.site_digest):
        line.notes.append(CHECK_SEAT)  # the seat's reconciliation sends what the site lacks
    return line


def _seats(report: FailbackReport, sources: Sources) -> list[SeatLine]:
    roster = {line.state.seat_id: line for line in sources.roster}
    names = sorted({d.seat_id for d in report.days} | set(roster))
    seats = []
    for seat_id in names:
        line = roster.get(seat_id)
        if line is None:
            here = seat_id == sources.local_seat and sources.local is not None
            seats.append(SeatLine(seat_id, True if here else None))
            continue
        waiting = {t: int(v[0] or 0) for t, v in line.state.backlog.items()}
        last = report.generated_at - timedelta(seconds=line.age_s)
        seats.append(SeatLine(seat_id, not line.stale, last, line.state.version, waiting))
    return seats
