"""One sync run: for each target, queue what it has not seen, then send due batches.

Safe to run in several processes at once (the app's worker and ``repli sync``): batches are
leased (desktop.sync.outbox). A failing target (timeouts, 5xx, a dead link) puts its batch
back and is retried as a whole: the worker waits with exponential backoff and full jitter,
capped, so that when the link comes back every waiting contact goes at once. A contact the
CRM's answer left out waits on its own backoff. A misconfigured target stops and says why; a
rejected contact waits for a correction (a new revision).
"""

from __future__ import annotations

import logging
import os
import random
import re
import socket
import threading
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Protocol

from sqlalchemy import Engine, insert, select, update
from sqlalchemy.exc import IntegrityError

from desktop.config import Settings, TargetConfig
from desktop.contacts import utc_now
from desktop.failback.retire import ClientRetired
from desktop.store.models import SyncTargetRow
from desktop.sync import outbox
from desktop.sync.http_target import HttpTarget, Misconfigured, Result, Retryable, TooLarge
from desktop.sync.outbox import Key

log = logging.getLogger("repli.sync")
_failing: dict[str, str] = {}  # target: why it fails, said once (not at every run)


def _say_failing(target: str, reason: str) -> None:
    """A target's failure is logged when it starts or its cause changes, and its return
    once (desktop.sync.worker._deliver): a site away for minutes is two lines, not one a run."""
    cause = re.sub(r"\s*\(next try in \d+ s\)", "", reason)
    if _failing.get(target) != cause:
        _failing[target] = cause
        log.warning("sync target %s failing: %s", target, cause)


BACKOFF_BASE_S = 1.0
BACKOFF_CAP_S = 10.0


class Sender(Protocol):
    """A target: sends one batch, says what happened to each contact (or raises)."""

    def send(self, contacts: list[dict[str, Any]]) -> dict[Key, Result]: ...
    def close(self) -> None: ...


@dataclass
class TargetReport:
    name: str
    delivered: int = 0
    duplicates: int = 0
    rejected: int = 0
    retried: int = 0
    resent: int = 0  # put back by reconciliation
    error: str = ""
    state: str = "ok"


@dataclass
class RunReport:
    targets: list[TargetReport] = field(default_factory=list)
    retired: dict[str, Any] | None = None  # the site's retirement mark: erase this client

    @property
    def delivered(self) -> int:
        return sum(t.delivered + t.duplicates for t in self.targets)

    @property
    def failing(self) -> bool:
        return any(t.state == "failing" for t in self.targets)


def holder_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{threading.get_ident()}"


def backoff(attempts: int) -> timedelta:
    """Full jitter: anywhere between 0 and the exponential ceiling."""
    ceiling = min(BACKOFF_CAP_S, BACKOFF_BASE_S * 2**attempts)
    return timedelta(seconds=random.uniform(0, ceiling))


def run_once(
    engine: Engine, settings: Settings, stop: threading.Event | None = None, holder: str = ""
) -> RunReport:
    holder = holder or holder_name()
    report = RunReport()
    seat = {"seat_id": settings.seat_id, "site": settings.site}
    if settings.client_id:  # whose contacts these are, in every batch a file drop writes
        seat |= {"client": settings.client_id, "client_name": settings.client_name}
    # the site store first: it carries the resends a failback report asked for any target
    for target in sorted(settings.sync_targets, key=lambda t: t.kind != "site"):
        try:
            report.targets.append(
                _run_target(engine, target, seat, holder, stop or threading.Event())
            )
        except ClientRetired as exc:  # nothing more is sent: the client's data is to go
            log.warning("%s: this seat erases the client's data", exc)
            report.retired = exc.mark
            break
    return report


def _run_target(
    engine: Engine, target: TargetConfig, seat: dict[str, str], holder: str, stop: threading.Event
) -> TargetReport:
    result = TargetReport(target.name)
    outbox.release_dead_holders(engine, target.name, socket.gethostname())
    outbox.fan_out(engine, target)
    sender = make_target(target, seat)
    try:
        before = getattr(sender, "before_run", None)
        if before is not None:
            before(engine)
        while not stop.is_set():
            due = outbox.claim(engine, target.name, holder, target.batch_size)
            if not due:
                break
            if not _deliver(engine, target.name, holder, sender, due, result):
                break  # the target is failing: the next run tries again
            if len(due) < target.batch_size:
                break  # nothing else was due: a claim more would only say so (and commit)
        if result.state == "ok":
            _maybe_reconcile(engine, target, sender, result)
    except Misconfigured as exc:  # its leases are given back in the finally below
        result.state, result.error = "misconfigured", str(exc)
        log.error("sync target %s is misconfigured: %s", target.name, exc)
    except Retryable as exc:  # the target stopped answering during reconciliation
        result.state, result.error = "failing", str(exc)
    finally:
        sender.close()
        outbox.release(engine, target.name, holder)
    _remember(engine, result)
    return result


RECONCILE_EVERY = timedelta(minutes=10)  # every day the seat delivered
RECONCILE_TODAY_EVERY = timedelta(minutes=1)  # today's revisions
# when each (store, target) was last checked: everything, and today. Keyed by the store too:
# a shift's clients (and the site benchmark's seats) share a process and a target's name.
_last_reconciled: dict[tuple[str, str], datetime] = {}
_last_reconciled_today: dict[tuple[str, str], datetime] = {}


def _maybe_reconcile(
    engine: Engine, target: TargetConfig, sender: Sender, result: TargetReport
) -> None:
    """Targets that can say what they hold (the site database) are checked after a run:
    today's revisions every RECONCILE_TODAY_EVERY, every day every RECONCILE_EVERY. What
    they lack is put back and sent at the next run. (A run comes every 5 s and at each save:
    checking today's revisions at each one cost a busy seat more than its deliveries.)"""
    holds = getattr(sender, "has", None)
    if holds is None:
        return
    from desktop.sync.reconcile import reconcile

    moment = utc_now()
    key = (str(engine.url), target.name)
    last, today = _last_reconciled.get(key), _last_reconciled_today.get(key)
    everything = last is None or moment - last >= RECONCILE_EVERY
    if not everything and today is not None and moment - today < RECONCILE_TODAY_EVERY:
        return
    since = "" if everything else moment.strftime("%Y-%m-%d")
    try:
        report = reconcile(engine, target.name, holds, since)
        after = getattr(sender, "reconciled", None)
        if after is not None:
            after(engine, since)
    except Exception as exc:  # a failed check changes nothing; it is tried again later
        raise Retryable(f"reconciliation failed: {exc}") from None
    _last_reconciled_today[key] = moment
    if everything:
        _last_reconciled[key] = moment
    result.resent = report.resent


def make_target(target: TargetConfig, seat: dict[str, str]) -> Sender:
    if target.kind == "file":
        from desktop.sync.file_target import FileDropTarget

        return FileDropTarget(target, seat)
    if target.kind == "site":
        from desktop.sync.site_target import SiteDatabaseTarget

        return SiteDatabaseTarget(target, seat)
    return HttpTarget(target, seat)


def _deliver(
    engine: Engine,
    target: str,
    holder: str,
    sender: Sender,
    due: list[outbox.Due],
    result: TargetReport,
) -> bool:
    """Send one leased batch and record the answer; False when the target is failing."""
    try:
        answers = sender.send([d.payload for d in due])
    except TooLarge:
        if len(due) == 1:
            key = (due[0].contact_id, due[0].revision)
            outbox.record(engine, target, holder, {}, {key: "too large for the CRM (413)"}, {})
            result.rejected += 1
            return True
        half = len(due) // 2
        return _deliver(engine, target, holder, sender, due[:half], result) and _deliver(
            engine, target, holder, sender, due[half:], result
        )
    except Retryable as exc:
        put_back = {(d.contact_id, d.revision): (utc_now(), str(exc)) for d in due}
        outbox.record(engine, target, holder, {}, {}, put_back)
        result.retried += len(due)
        result.state, result.error = "failing", str(exc)
        _say_failing(target, str(exc))
        return False
    delivered: dict[Key, str] = {}
    rejected: dict[Key, str] = {}
    later: dict[Key, tuple[datetime, str]] = {}
    for d in due:
        key = (d.contact_id, d.revision)
        answer = answers.get(key)
        if answer is None:
            later[key] = (utc_now() + backoff(d.attempts), "not in the CRM's answer")
        elif answer.status == "rejected":
            rejected[key] = answer.reason or "rejected by the CRM"
        else:
            delivered[key] = answer.status
    outbox.record(engine, target, holder, delivered, rejected, later)
    if _failing.pop(target, None) is not None:
        log.warning("sync target %s delivers again", target)
    result.delivered += sum(1 for s in delivered.values() if s == "accepted")
    result.duplicates += sum(1 for s in delivered.values() if s == "duplicate")
    result.rejected += len(rejected)
    result.retried += len(later)
    return True


def _remember(engine: Engine, result: TargetReport) -> None:
    moment = utc_now()
    with engine.begin() as conn:
        known = conn.execute(select(SyncTargetRow).where(SyncTargetRow.name == result.name)).first()
        if known is None:
            with suppress(IntegrityError), conn.begin_nested():  # another worker may have it
                conn.execute(insert(SyncTargetRow).values(name=result.name, state="ok", reason=""))
            since = None
        else:
            since = known.since
        values: dict[str, object] = {
            "state": result.state,
            "reason": result.error,
            "last_run_at": moment,
        }
        values["since"] = (since or moment) if result.state != "ok" else None
        if result.delivered or result.duplicates:
            values["last_delivery_at"] = moment
        conn.execute(update(SyncTargetRow).where(SyncTargetRow.name == result.name).values(values))


class SyncWorker:
    """The seat's sync loop: a run every ``interval`` seconds (backing off while a target
    fails), woken early by ``nudge``. The app runs it on a thread of its own (``start``);
    ``repli sync`` runs the same loop in the foreground (``loop``)."""

    def __init__(
        self,
        engine: Engine,
        settings: Settings,
        interval: float = 5.0,
        on_run: Callable[[RunReport], None] = lambda _r: None,
    ) -> None:
        self.engine, self.settings, self.interval = engine, settings, interval
        self._on_run = on_run
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        if not self.settings.sync_targets:
            return
        self._thread = threading.Thread(target=self.loop, name="repli-sync", daemon=True)
        self._thread.start()

    def nudge(self) -> None:
        """A contact was just saved: run soon rather than at the next tick."""
        self._wake.set()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout=15)

    def loop(self, once: bool = False) -> RunReport | None:
        """Run until ``stop`` (or one run with ``once``: its report); a broken run is logged
        and retried, it never ends the loop."""
        failures = 0
        while not self._stop.is_set():
            report = None
            try:
                report = run_once(self.engine, self.settings, self._stop)
                failures = failures + 1 if report.failing else 0
                self._on_run(report)
                if report.retired is not None:
                    return report  # the client was retired: its owner erases it
            except Exception:  # a broken run must not end the worker: it is retried
                log.exception("sync run failed")
                failures += 1
            if once:
                return report
            self._wake.wait(next_run_in(failures, self.interval))
            self._wake.clear()
        return None


def next_run_in(failures: int, interval: float) -> float:
    """After failing runs, back off (full jitter), never longer than the regular interval:
    what a failing target is spared is decided by each delivery's own backoff and by the
    site's (desktop.store.site_calls), which a run waits out; a loop that slept 10 s more
    would only reach a new site leader later."""
    return min(backoff(failures).total_seconds(), interval) if failures else interval
