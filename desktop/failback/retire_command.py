"""A client's end of contract, from the site administrator's PC (``repli clients retire``,
desktop.cli.clients, and the supervision's dialog): refused while anything stands in the
way unless forced, then done and certified (desktop.failback.retire says what happens, and
in which order)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

SINCE_EVER = datetime(2000, 1, 1, tzinfo=UTC)


@dataclass
class Retirement:
    """What ``retire_client`` did: the mark (None: refused), what stood in the way, the
    certificate and the files written."""

    mark: dict[str, Any] | None
    problems: list[Obstacle]
    certificate: dict[str, Any] | None = None
    written: list[Path] = field(default_factory=list)


class NotThatClient(ValueError):
    """The site store was retired for another client."""


def retire_client(
    client: str,
    client_name: str,
    paths: Any,
    settings: Any,
    url: str,
    key: Any,
    out: Path,
    force: bool = False,
    reason: str = "",
) -> Retirement:
    """The retirement of ``client`` (desktop.failback.retire): refused (``mark`` None) while
    ``problems`` stand, unless ``force``; else done (or already done: the certificate re-made
    with the confirmations so far). ``paths``: the client's data directory on this PC, or None."""
    from desktop.failback.files import who
    from desktop.failback.retire import certificate, confirmations, mark, retire_site
    from desktop.store.engine import make_engine
    from desktop.store.schema import ensure_site_schema

    site = make_engine(url)
    problems: list[Obstacle] = []
    try:
        ensure_site_schema(site)
        found = mark(site)
        if found is None:
            problems = _problems(paths, settings, url)
            if problems and not force:
                return Retirement(None, problems)
            found = retire_site(site, client, client_name or client, who(), reason.strip(), force)
        elif found.get("client") not in ("", client):
            raise NotThatClient(f"that site store was {found.get('client')!r}'s")
        confirmed = confirmations(site)
    finally:
        site.dispose()
    made = certificate(found, confirmed)
    return Retirement(found, problems, made, _write(made, out, key))


@dataclass(frozen=True)
class Obstacle:
    """One thing that stops a retirement; ``text()`` in English (the command line), the
    supervision says it in its own language by ``kind``."""

    kind: str  # undelivered | differences | waiting | not_answered
    count: int = 0
    name: str = ""  # a seat's id, a target's name
    exercise: bool = False

    def text(self) -> str:
        contacts = "exercise" if self.exercise else "production"
        return {
            "undelivered": f"this PC has {self.count} revision(s) not delivered",
            "differences": f"{contacts}: {self.count} difference(s) by the failback report",
            "waiting": f"seat {self.name} has {self.count} revision(s) waiting",
            "not_answered": f"{contacts}: {self.name} could not say what it holds",
        }[self.kind]


def _problems(paths: Any, settings: Any, url: str) -> list[Obstacle]:
    """What stops a retirement: revisions of this PC not delivered, and the failback report
    over all time (production and exercise) not clean."""
    from desktop.context import SeatContext
    from desktop.failback.files import build_report
    from desktop.seat import clients

    problems: list[Obstacle] = []
    local = None
    if paths is not None:
        state = clients.state(paths)
        if state.undelivered:
            problems.append(Obstacle("undelivered", state.undelivered))
        local = SeatContext.open(str(paths.root))
    until = datetime.now(UTC) + timedelta(days=1)
    try:
        for exercise in (False, True):
            report, site = build_report(
                settings, local.engine if local else None, SINCE_EVER, until, exercise, url
            )
            if site is not None:
                site.dispose()
            if report.differences or any(not d.agree for d in report.days):
                count = report.totals()["differences"]
                problems.append(Obstacle("differences", count, exercise=exercise))
            for seat in report.seats:
                waiting = sum(seat.waiting.values())
                if waiting:
                    problems.append(Obstacle("waiting", waiting, seat.seat_id))
            for target in report.targets:
                if target.answers is False:
                    problems.append(Obstacle("not_answered", 0, target.name, exercise))
    finally:
        if local is not None:
            local.close()
    return list(dict.fromkeys(problems))


def _write(made: dict[str, Any], out: Path, key: Any) -> list[Path]:
    from desktop.failback.files import write_all

    return write_all(made, [out], key, comment_of=certificate_comment)


def certificate_comment(made: dict[str, Any]) -> str:
    return (
        f"repli deletion certificate client={made['client']['id']}"
        f" retired_at={made['retired_at']} complete={str(made['complete']).lower()}"
    )
