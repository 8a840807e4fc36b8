"""Delivery to an HTTP CRM (a receiver in its own process on 127.0.0.1).

    .venv/bin/python benchmarks/sync.py [--contacts 100000] [--outage 10000]

Prints, each beside a reference measured in the same run:
- throughput of a sync of N contacts (outbox, leases, records), against posting the same
  batches straight with httpx (no outbox);
- the time from "link back" to "all delivered" after an outage with M contacts waiting
  (the app's worker, backing off while the CRM is down), against delivering M with no outage.
- throughput of a sync of N contacts to the site database (a real PostgreSQL started here,
  as the postgres user), against inserting the same rows straight with psycopg.
"""

from __future__ import annotations

import argparse
import json
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
TOKEN = "bench-token"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_crm(port: int) -> subprocess.Popen[str]:
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.helpers.crm_receiver", str(port), TOKEN],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    process.stdout.readline()
    return process


def fill(seat, count: int) -> None:  # type: ignore[no-untyped-def]
    """Contacts and their revisions in bulk; the trigger queues each revision."""
    from desktop.contacts import ContactData

    now = datetime.now(UTC)
    rows, revisions = [], []
    for i in range(count):
        contact = ContactData(
            id=str(uuid.uuid4()),
            revision=1,
            created_at=now,
            updated_at=now,
            agent="bench",
            seat_id="S",
            caller_name=f"Appelant {i}",
            notes="Notes " * 10,
            outcome="message",
        )
        rows.append((contact.id, now.strftime("%Y-%m-%d %H:%M:%S.%f")))
        revisions.append(
            (contact.id, 1, now.strftime("%Y-%m-%d %H:%M:%S.%f"), "bench", contact.to_json())
        )
    with seat.engine.begin() as conn:
        conn.exec_driver_sql(
            "INSERT INTO contacts (id, revision, created_at, updated_at, site, seat_id, agent, mode,"
            " digits_typed, branch_name, caller_number, caller_number_valid, caller_name, subject,"
            " notes, outcome, urgent, found_by, tables_version)"
            " VALUES (?, 1, ?, ?, '', 'S', 'bench', 'disaster', '', '', '', 0, 'x', '', '', 'message', 0, 'typed', '')",
            [(r[0], r[1], r[1]) for r in rows],
        )
        conn.exec_driver_sql(
            "INSERT INTO contact_revisions (contact_id, revision, saved_at, saved_by, data) VALUES (?, ?, ?, ?, ?)",
            revisions,
        )


def open_seat(folder: Path, url: str, batch: int):  # type: ignore[no-untyped-def]
    from desktop import config
    from desktop.context import SeatContext

    seat = SeatContext.open(str(folder))
    seat.settings = config.Settings(
        sync_targets=(config.TargetConfig("crm", "http", url, TOKEN, batch_size=batch),)
    )
    return seat


def pending(seat) -> int:  # type: ignore[no-untyped-def]
    from desktop.sync import outbox

    outbox.fan_out(seat.engine, seat.settings.sync_targets[0])
    return int(outbox.counts(seat.engine).get("crm", Counter())["pending"])


def postgres_figures(folder: Path, count: int, batch: int) -> None:
    import psycopg

    from desktop import config
    from desktop.context import SeatContext
    from desktop.store.engine import make_engine
    from desktop.store.schema import ensure_schema
    from desktop.sync.worker import run_once
    from tests.helpers.postgres import Postgres

    def site_sync(folder: Path, url: str) -> tuple[float, SeatContext]:
        seat = SeatContext.open(str(folder))
        seat.settings = config.Settings(
            sync_targets=(config.TargetConfig("site", "site", database_url=url, batch_size=batch),)
        )
        fill(seat, count)
        start = time.perf_counter()
        run_once(seat.engine, seat.settings)
        took = time.perf_counter() - start
        assert pending(seat) == 0
        return took, seat

    server = Postgres(Path(tempfile.mkdtemp(prefix="repli-pg-bench-"))).start()
    try:
        # what the free-text search's trigram index (migration 0011) costs each delivery
        bare_url = server.create_database("without_words_index")
        engine = make_engine(bare_url)
        ensure_schema(engine)
        with engine.begin() as site:
            site.exec_driver_sql("DROP INDEX ix_contacts_words")
        engine.dispose()
        without, _seat = site_sync(folder.parent / "pg-without", bare_url)
        url = server.create_database("site")
        took, seat = site_sync(folder, url)
        with seat.engine.connect() as store:
            rows = [
                tuple(r)
                for r in store.exec_driver_sql(
                    "SELECT contact_id, revision, data FROM contact_revisions"
                )
            ]
        server.create_database("plain")
        with psycopg.connect(
            f"host={server.host} port={server.port} user=repli dbname=plain"
        ) as conn:
            conn.execute(
                "CREATE TABLE plain (id text, revision int, data text, PRIMARY KEY (id, revision))"
            )
            conn.commit()
            start = time.perf_counter()
            with conn.cursor() as cursor:
                for i in range(0, len(rows), batch):
                    cursor.executemany("INSERT INTO plain VALUES (%s, %s, %s)", rows[i : i + batch])
                    conn.commit()
            reference = time.perf_counter() - start
        print(
            f"sync of {count:,} contacts to PostgreSQL {count / took:8.0f} contacts/s ({took:.1f} s)"
            f"   reference: straight psycopg inserts {count / reference:8.0f} rows/s ({reference:.1f} s)"
        )
        print(
            f"  the same without the words index    {count / without:8.0f} contacts/s "
            f"({without:.1f} s): the index costs {took / without - 1:+.0%}"
        )
    finally:
        server.stop(remove=True)


def reference_post(url: str, seat, batch: int) -> float:  # type: ignore[no-untyped-def]
    """The same contacts, read from the same database, POSTed straight (no outbox)."""
    import httpx

    with seat.engine.connect() as conn:
        contacts = [
            json.loads(r[0]) for r in conn.exec_driver_sql("SELECT data FROM contact_revisions")
        ]
    count = len(contacts)
    start = time.perf_counter()
    with httpx.Client(headers={"Authorization": f"Bearer {TOKEN}"}) as client:
        for i in range(0, count, batch):
            client.post(
                url,
                content=json.dumps({"contacts": contacts[i : i + batch]}),
                headers={"Content-Type": "application/json"},
            ).raise_for_status()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--contacts", type=int, default=100_000)
    parser.add_argument("--outage", type=int, default=10_000)
    parser.add_argument("--batch", type=int, default=100)
    args = parser.parse_args()
    from desktop.sync.worker import SyncWorker, run_once

    port = free_port()
    crm = start_crm(port)
    url = f"http://127.0.0.1:{port}/contacts"
    try:
        with tempfile.TemporaryDirectory(prefix="repli-sync-bench-") as tmp:
            seat = open_seat(Path(tmp) / "a", url, args.batch)
            fill(seat, args.contacts)
            start = time.perf_counter()
            run_once(seat.engine, seat.settings)
            took = time.perf_counter() - start
            assert pending(seat) == 0
            fresh_port = free_port()
            fresh = start_crm(fresh_port)
            try:
                reference = reference_post(
                    f"http://127.0.0.1:{fresh_port}/contacts", seat, args.batch
                )
            finally:
                fresh.kill()
            print(
                f"sync of {args.contacts:,} contacts      {args.contacts / took:8.0f} contacts/s ({took:.1f} s)"
                f"   reference: straight httpx POSTs {args.contacts / reference:8.0f} contacts/s ({reference:.1f} s)"
            )

            outage = open_seat(Path(tmp) / "b", url, args.batch)
            fill(outage, args.outage)
            start = time.perf_counter()
            run_once(outage.engine, outage.settings)
            calm = time.perf_counter() - start
            down = open_seat(Path(tmp) / "c", url, args.batch)
            fill(down, args.outage)
            crm.kill()
            crm.wait()
            done = threading.Event()
            sync = SyncWorker(
                down.engine,
                down.settings,
                interval=5.0,
                on_run=lambda _r: done.set() if pending(down) == 0 else None,
            )
            sync.start()
            time.sleep(8)  # the CRM is down: runs fail, the worker backs off
            crm = start_crm(port)
            back = time.perf_counter()
            done.wait(timeout=300)
            recovered = time.perf_counter() - back
            sync.stop()
            postgres_figures(Path(tmp) / "pg", args.contacts, args.batch)
            print(
                f"link back -> all {args.outage:,} delivered   {recovered:8.1f} s"
                f"   reference: delivering them with no outage {calm:.1f} s (worker back-off cap 10 s)"
            )
    finally:
        crm.kill()


if __name__ == "__main__":
    main()
