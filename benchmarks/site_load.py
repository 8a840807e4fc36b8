"""A backup center's site under load: many seats saving contacts and delivering them to one
real PostgreSQL, while a supervisor's dashboard refreshes on it and the site's mode switches.

    .venv/bin/python benchmarks/site_load.py [--seats 330] [--processes 66] [--minutes 5]
                                             [--every 4]

How the seats are simulated: ``--processes`` processes, each running its share of the seats
as threads; each seat has a store of its own (the seat's SQLite, synchronous=FULL, a copy of
one migrated file) and saves a contact every ``--every`` seconds (4 s: 60 times an agent's
real rate of one every 4 minutes), then runs the seat's real sync (``run_once``: outbox,
lease, delivery to the site database, the record), as a save's nudge does in the app. Each
seat follows the site's mode as the window does (``site_mode`` every 5 s). One reference
seat per process saves at the same rate with no site target: the seat's save time, with and
without delivery, is measured under the same load in the same run. The site database is a
PostgreSQL started here, fsync on.

Printed: contacts saved, lost (saved but not in the site database at the end), duplicated
(a revision stored twice: the site's key forbids it, checked anyway); from a seat's save to
its row in the site database, median and p99 (the row's commit time, which the server keeps
with ``track_commit_timestamp``, less the seat's time of saving: no poll in between); the
seats' save time against the reference seat's; the time for
every seat to follow the site-wide mode switch; the dashboard's refresh on the site; the
site PostgreSQL's CPU and the connections it held.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.helpers.percentiles import p99  # noqa: E402

MODE_EVERY_S = 5.0  # desktop.ui.site_mode_watch.EVERY_MS (not imported: it is Qt's side)


def a_contact(seat_id: str, number: int) -> Any:
    from desktop.contacts import ContactData

    now = datetime.now(UTC)
    return ContactData(
        id=str(uuid.uuid4()), site="Site de secours", seat_id=seat_id, agent=f"Agent {seat_id}",
        mode="disaster", branch_id=f"AG{number % 300:05d}", branch_name=f"Agence {number % 300}",
        call_type="OBS", caller_number="+33612345678", caller_number_valid=True,
        caller_name=f"Appelant {number}", subject="Décès", notes="Rappeler la famille",
        outcome="message", call_started_at=now - timedelta(seconds=90), call_ended_at=now,
    )  # fmt: skip


# ------------------------------------------------------------------------------ a child


def read_mode(site: Any) -> str | None:
    """The site's mode as the window's watch reads it: bounded, a failure is no mode."""
    from sqlalchemy.exc import SQLAlchemyError

    from desktop.store.site_calls import bounded
    from desktop.supervisor.site_mode import site_mode

    try:
        with bounded(site):
            return site_mode(site)
    except SQLAlchemyError:
        return None


def child(args: argparse.Namespace) -> None:
    """``args.seats`` seats (and one reference seat) as threads. Each is set up first (its
    store, its site connection), then the process says it is ready (a file) and waits for the
    parent's go (another file, with the run's end): the imports and set-ups of dozens of
    processes, starting together, are not counted against the seats' schedule."""
    from desktop import config
    from desktop.store import contacts as store
    from desktop.store.engine import make_engine, make_site_engine
    from desktop.sync.outbox import counts
    from desktop.sync.worker import run_once

    folder = Path(args.folder)
    template = Path(args.template)
    results: dict[str, Any] = {"saved": [], "save_ms": [], "reference_ms": [], "mode_seen": [],
                               "late": [], "held": [], "errors": 0, "sync_runs": 0, "sync_failing": 0,
                               "delivered_at": {}, "failed_runs": {}}  # fmt: skip
    lock = threading.Lock()
    set_up = threading.Barrier(args.seats + 2)  # the seats, the reference seat, this thread
    go = threading.Event()
    run_until = [0.0]

    def seat(name: str, deliver: bool) -> None:
        path = folder / f"{name}.sqlite3"
        shutil.copyfile(template, path)
        engine = make_engine(f"sqlite:///{path}")
        # a seat is a process of its own in the field: its own site engine (one connection),
        # named for pg_stat_activity
        url = f"{args.url}{'&' if '?' in args.url else '?'}application_name={name}"
        target = config.TargetConfig("site", "site", database_url=url)
        settings = config.Settings(seat_id=name, sync_targets=(target,) if deliver else ())
        site = make_site_engine(url) if deliver else None  # the window's watch: the same engine
        # warmed up, as a seat that has been up a while is: connected to the site, its
        # statements compiled (each engine has its own cache), a first contact delivered
        # (not counted: before the run's start)
        if site is not None:
            read_mode(site)  # bounded, as the window's watch: a failure here is not fatal
        store.save_contact(engine, a_contact(name, 0), "warm-up")
        if deliver:
            run_once(engine, settings)
        set_up.wait()
        go.wait()
        until = run_until[0]
        followed, next_mode = False, time.time() + random.uniform(0, MODE_EVERY_S)
        slot = time.time() + random.uniform(0, args.every)
        number = 0
        while slot < until:
            if site is not None and not followed and next_mode < slot:
                time.sleep(max(0.0, next_mode - time.time()))
                if read_mode(site) == "exercise":  # the switch the supervisor made
                    followed = True
                    with lock:
                        results["mode_seen"].append(time.time())
                next_mode += MODE_EVERY_S
                continue
            time.sleep(max(0.0, slot - time.time()))
            late = time.time() - slot  # the simulation falling behind its own schedule
            number += 1
            contact = a_contact(name, number)
            start = time.perf_counter()
            try:
                store.save_contact(engine, contact, contact.agent)
            except Exception:
                with lock:
                    results["errors"] += 1
                continue
            took = (time.perf_counter() - start) * 1000
            with lock:
                results["save_ms" if deliver else "reference_ms"].append(took)
                results["late"].append((slot, late))  # when it was due, how late it came
                if deliver:
                    results["saved"].append(contact.id)
            if deliver:
                began = time.time()
                report = run_once(engine, settings)
                delivered = sum(t.delivered + t.duplicates for t in report.targets)
                with lock:
                    results["sync_runs"] += 1
                    results["sync_failing"] += int(report.failing)
                    if report.failing:  # when, how long, why: a failover's gaps explained
                        why = "; ".join(t.error for t in report.targets if t.error)[:160]
                        results["failed_runs"].setdefault(name, []).append(
                            (began, time.time() - began, why)
                        )
                    if delivered:  # when this seat's deliveries reached the site
                        results["delivered_at"].setdefault(name, []).append(time.time())
            slot += args.every
        drain_until = time.time() + 120  # what the run left waiting, delivered as the app would
        while deliver and time.time() < drain_until:
            run_once(engine, settings)
            if not counts(engine)["site"].get("pending"):
                break
            time.sleep(1)
        if deliver:  # what the seat still holds for the site: waiting, not lost
            with engine.connect() as conn:
                held = conn.exec_driver_sql(
                    "SELECT id FROM contacts WHERE id NOT IN (SELECT contact_id FROM"
                    " deliveries WHERE target = 'site' AND state = 'delivered')"
                ).scalars().all()  # fmt: skip
            with lock:
                results["held"].extend(held)
        engine.dispose()

    threads = [threading.Thread(target=seat, args=(f"{args.name}-{i}", True), daemon=True)
               for i in range(args.seats)]  # fmt: skip
    threads.append(threading.Thread(target=seat, args=(f"{args.name}-ref", False), daemon=True))
    for thread in threads:
        thread.start()
    set_up.wait()
    (folder / "ready").touch()
    go_file = Path(args.go)
    while not go_file.exists():
        time.sleep(0.05)
    run_until[0] = float(go_file.read_text())
    cpu_at_go = cpu_seconds()
    go.set()
    for thread in threads:
        thread.join()
    results["cpu_s"] = cpu_seconds() - cpu_at_go  # the run's, not the set-up's
    # a file, not stdout: thousands of ids would fill the pipe the parent reads at the end
    (folder / "results.json").write_text(json.dumps(results))


def cpu_seconds() -> float:
    """This process's CPU so far, user and system."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


# ------------------------------------------------------------------------------ the site


def postgres_cpu_seconds() -> float:
    """utime + stime of every process of the postgres user (the site server alone runs here)."""
    import pwd

    uid = pwd.getpwnam("postgres").pw_uid
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if entry.stat().st_uid != uid:
                continue
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12]) + int(fields[13]) + int(fields[14])
        except (OSError, ValueError, IndexError):
            continue
    return total / ticks


SEATS_NICE = 10


def start_seats(
    work: Path, url: str, seats: int, processes: int, every: float, seconds: float
) -> tuple[list[subprocess.Popen[bytes]], float]:
    """``seats`` seats in ``processes`` simulating processes (``child``), each seat's store a
    copy of one migrated file, delivering to ``url``; once every process has set its seats up,
    they run ``seconds`` from the start returned.

    The simulating processes run at nice ``SEATS_NICE``: at a site, the seats are 330 PCs and
    the site store has its servers' cores to itself; here both share two cores, and the
    simulation alone takes nearly both of them. Without the servers' first claim on the CPU,
    what is measured is the load generator starving the servers (a failover run without it:
    the new leader's connections timing out for minutes, the old leader's rewind waiting four
    minutes for one). The reference seat runs in the same processes, so the seats' save time
    is still compared under the same conditions."""
    from desktop.store.engine import make_engine
    from desktop.store.schema import ensure_schema

    template = work / "template.sqlite3"
    seat_template = make_engine(f"sqlite:///{template}")
    ensure_schema(seat_template)
    seat_template.dispose()
    go = work / "go"
    shares = [seats // processes + (i < seats % processes) for i in range(processes)]
    children = []
    for i, share in enumerate(shares):
        folder = work / f"p{i}"
        folder.mkdir()
        children.append(subprocess.Popen(
            [sys.executable, __file__, "--child", "--name", f"S{i}", "--seats", str(share),
             "--url", url, "--go", str(go), "--folder", str(folder),
             "--template", str(template), "--every", str(every)],
            preexec_fn=lambda: os.nice(SEATS_NICE),
        ))  # fmt: skip
    while not all((work / f"p{i}" / "ready").exists() for i in range(len(children))):
        if any(c.poll() is not None for c in children):
            raise SystemExit("a simulating process ended before its seats were set up")
        time.sleep(0.1)
    start = time.time() + 1
    go.with_suffix(".tmp").write_text(str(start + seconds))
    go.with_suffix(".tmp").rename(go)  # whole when the children see it
    return children, start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seats", type=int, default=330)
    parser.add_argument("--processes", type=int, default=66)
    parser.add_argument("--minutes", type=float, default=5.0)
    parser.add_argument("--every", type=float, default=4.0, help="seconds between a seat's saves")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--name", default="", help=argparse.SUPPRESS)
    parser.add_argument("--url", default="", help=argparse.SUPPRESS)
    parser.add_argument("--go", default="", help=argparse.SUPPRESS)
    parser.add_argument("--folder", default="", help=argparse.SUPPRESS)
    parser.add_argument("--template", default="", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args)
        return 0

    from sqlalchemy import text

    from desktop.store.engine import make_engine
    from desktop.store.history import ContactFilter
    from desktop.store.schema import ensure_schema
    from desktop.supervisor.dashboard import figures
    from desktop.supervisor.site_mode import set_site_mode
    from tests.helpers.postgres import Postgres

    work = Path(tempfile.mkdtemp(prefix="repli-site-load-"))
    # its own folder: the server runs as the postgres user, who cannot enter ``work``
    server = Postgres(Path(tempfile.mkdtemp(prefix="repli-site-pg-"))).start(
        fsync="on", max_connections=str(args.seats + 100), track_commit_timestamp="on"
    )
    try:
        url = server.create_database("site")
        site = make_engine(url)
        ensure_schema(site)
        seconds = args.minutes * 60
        children, start = start_seats(work, url, args.seats, args.processes, args.every, seconds)
        until = start + seconds
        connections: list[int] = []
        dashboards: list[float] = []
        switched_at = 0.0
        cpu_start, wall_start = postgres_cpu_seconds(), time.time()
        next_dashboard, next_sample = start + 30, start
        while any(c.poll() is None for c in children) or time.time() < until:
            now = time.time()
            if now >= next_sample:
                with site.connect() as conn:
                    connections.append(int(conn.execute(text(
                        "SELECT count(*) FROM pg_stat_activity WHERE datname = 'site'"
                    )).scalar_one()))  # fmt: skip
                next_sample = now + 1
            if not switched_at and now >= start + seconds / 2:
                set_site_mode(site, "exercise", "benchmark")
                switched_at = time.time()
            if now >= next_dashboard and now < until:
                t0 = time.perf_counter()
                figures(site, ContactFilter(since=datetime.fromtimestamp(start, UTC)))
                dashboards.append(time.perf_counter() - t0)
                next_dashboard = now + 30
            time.sleep(0.2)
        cpu = postgres_cpu_seconds() - cpu_start
        wall = time.time() - wall_start
        for c in children:
            c.wait()
        results = [json.loads((work / f"p{i}" / "results.json").read_text())
                   for i in range(len(children))]  # fmt: skip
        saved = [i for r in results for i in r.get("saved", [])]
        with site.connect() as conn:
            present = {r[0] for r in conn.execute(text("SELECT id FROM contacts"))}
            revisions = int(
                conn.execute(text("SELECT count(*) FROM contact_revisions")).scalar_one()
            )
            latency = [  # the row's commit at the site, less the seat's time of saving
                float(s) for (s,) in conn.execute(text(
                    "SELECT extract(epoch FROM pg_xact_commit_timestamp(xmin) - saved_at)"
                    " FROM contact_revisions WHERE saved_at >= to_timestamp(:start)"
                ), {"start": start})
            ]  # fmt: skip
            twice = int(conn.execute(text(
                "SELECT count(*) FROM (SELECT contact_id, revision FROM contact_revisions"
                " GROUP BY contact_id, revision HAVING count(*) > 1) d"
            )).scalar_one())  # fmt: skip
        site.dispose()
        save_ms = [v for r in results for v in r.get("save_ms", [])]
        reference_ms = [v for r in results for v in r.get("reference_ms", [])]
        mode_seen = [v for r in results for v in r.get("mode_seen", [])]
        late = [v for r in results for _slot, v in r.get("late", [])]
        held = {i for r in results for i in r.get("held", [])}  # waiting at a seat, not lost
        lost = len(set(saved) - present - held)
        print(f"{args.seats} seats in {args.processes} processes, a save every {args.every} s "
              f"each, {seconds:.0f} s; site PostgreSQL fsync on")  # fmt: skip
        print(f"contacts saved {len(saved):,}; lost {lost}; duplicated {twice}; still waiting "
              f"at their seat {len(held - present):,} "
              f"({revisions:,} revisions in the site); errors {sum(r.get('errors', 0) for r in results)}; "
              f"sync runs {sum(r.get('sync_runs', 0) for r in results):,}, failing "
              f"{sum(r.get('sync_failing', 0) for r in results)}")  # fmt: skip
        print(f"the simulated seats' lag behind their schedule: median {statistics.median(late):.2f} s,"
              f" p99 {p99(late):.2f} s (over a second: this machine cannot run them all at "
              "this rate, and every figure below is under that strain)")  # fmt: skip
        print(f"save → row in the site database: median {statistics.median(latency) * 1000:.0f} ms, "
              f"p99 {p99(latency) * 1000:.0f} ms (goal p99 < 2 s)")  # fmt: skip
        print(f"seat's save: median {statistics.median(save_ms):.2f} ms, p99 {p99(save_ms):.2f} ms; "
              f"reference seat (no site target, same load): median "
              f"{statistics.median(reference_ms):.2f} ms, p99 {p99(reference_ms):.2f} ms")  # fmt: skip
        follow = max(mode_seen) - switched_at if len(mode_seen) >= args.seats else float("nan")
        print(f"site-wide mode switch followed by {len(mode_seen)} of {args.seats} seats; the "
              f"last after {follow:.1f} s (goal < 10 s; the seats look every {MODE_EVERY_S:.0f} s)")  # fmt: skip
        if dashboards:
            print(f"dashboard on the site database (this run's contacts): median "
                  f"{statistics.median(dashboards) * 1000:.0f} ms, max {max(dashboards) * 1000:.0f} ms")  # fmt: skip
        simulating = sum(r.get("cpu_s", 0.0) for r in results)
        print(f"the simulating processes: {simulating / wall:.2f} cores on average "
              f"({simulating * 1000 / max(1, len(save_ms) + len(reference_ms)):.1f} ms of CPU "
              "a save and its delivery, the mode watch included)")  # fmt: skip
        print(f"site PostgreSQL: {cpu / wall:.2f} cores on average ({cpu:.0f} CPU-s in {wall:.0f} s); "
              f"connections to the site database: max {max(connections)}, median "
              f"{statistics.median(connections):.0f} (a seat keeps one, two at a peak)")  # fmt: skip
    finally:
        server.stop(remove=True)
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
