"""The supervisor's dashboard on the site PostgreSQL with a million contacts, each figure
beside a reference measured in the same run.

    .venv/bin/python benchmarks/site_dashboard.py --from /tmp/sup1m [--runs 2] [--exports]

The contacts are those of a seat filled by ``benchmarks/supervisor.py --data-dir DIR`` (a
plain SQLite store of 1,000,000 contacts), copied with COPY into a real PostgreSQL started
for the run (tests/helpers/postgres.py: fsync on, as a site's), migrated as a site database
is, then VACUUM ANALYZEd as autovacuum would (the planner's statistics, and the visibility
map that lets an index be read without the table). Reference: one bare ``SELECT outcome, count(*) GROUP BY outcome`` through
psycopg. No test asserts any of this: machines are noisy, read the ratios.
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

COLUMNS = (
    "id", "revision", "created_at", "updated_at", "site", "seat_id", "agent", "mode",
    "digits_typed", "matched_number", "branch_id", "branch_name", "call_type",
    "caller_number", "caller_number_valid", "caller_name", "subject", "notes", "outcome",
    "callback_at", "urgent", "call_started_at", "call_ended_at", "found_by", "tables_version",
    "call_id", "callback_done_at", "candidates", "called_via", "reached_on",
)  # fmt: skip
BOOLEANS = {"caller_number_valid", "urgent"}
REVISION_COLUMNS = ("contact_id", "revision", "saved_at", "saved_by", "data")


EXPORT_CHILD = """
import sys, time
sys.path.insert(0, sys.argv[1])
from pathlib import Path
from desktop.store.engine import make_engine
from desktop.store.history import ContactFilter
from desktop.supervisor.export import export
engine = make_engine(sys.argv[2])
t0 = time.perf_counter()
report = export(engine, Path(sys.argv[3]), sys.argv[4], ContactFilter(exercise="include"),
                sys.argv[5])
print(time.perf_counter() - t0, report.contacts)
"""

BARE_CHILD = """
import csv, psycopg, sys, time
t0 = time.perf_counter()
with psycopg.connect(sys.argv[1]) as conn, open(sys.argv[2], "w", newline="") as f:
    writer = csv.writer(f)
    with conn.cursor(name="all") as cursor:  # a server-side cursor: streamed
        cursor.execute("SELECT * FROM contacts ORDER BY created_at, id")
        for row in cursor:
            writer.writerow(row)
print(time.perf_counter() - t0, 0)
"""


def bench_exports(url: str, folder: Path) -> None:
    """Each export of the site's million in a process of its own (its peak RSS its own),
    against psycopg's SELECT * (a server-side cursor) written by csv.writer."""
    from benchmarks.supervisor import child

    dsn = url.replace("postgresql+psycopg://", "postgresql://")
    bare, bare_rss = child(BARE_CHILD, dsn, str(folder / "bare.csv"))
    print(
        f"{'reference: psycopg SELECT * -> csv.writer':<44} {bare:8.1f} s   RSS {bare_rss:.0f} MB"
    )
    for fmt, dialect in (("csv", "rfc4180"), ("csv", "excel-fr"), ("jsonl", "rfc4180")):
        path = folder / f"site.{fmt}"
        took, rss = child(EXPORT_CHILD, str(ROOT), url, str(path), fmt, dialect)
        label = f"site export {fmt} {dialect if fmt == 'csv' else ''}".strip()
        print(f"{label:<44} {took:8.1f} s   {took / bare:4.1f}x the reference   "
              f"{path.stat().st_size / 1e6:.0f} MB, RSS {rss:.0f} MB")  # fmt: skip
        path.unlink()
    (folder / "bare.csv").unlink()


def copy_table(seat_db: Path, url: str, table: str, columns: tuple[str, ...]) -> int:
    """The seat's rows of ``table`` into the site database's, by COPY, then VACUUM ANALYZE
    (what autovacuum does on a site: statistics, and the visibility map)."""
    import psycopg

    source = sqlite3.connect(seat_db)
    names = ", ".join(columns)
    booleans = [i for i, name in enumerate(columns) if name in BOOLEANS]
    dsn = url.replace("postgresql+psycopg://", "postgresql://")
    copied = 0
    with psycopg.connect(dsn) as conn, conn.cursor() as cursor:
        cursor.execute("SET TIME ZONE 'UTC'")  # SQLite's stored times are UTC, zone-less
        with cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
            for row in source.execute(f"SELECT {names} FROM {table}"):
                values = list(row)
                for i in booleans:
                    values[i] = bool(values[i])
                copy.write_row(values)
                copied += 1
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(f"VACUUM (ANALYZE) {table}")
    source.close()
    return copied


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--from", dest="seat", type=Path, required=True, help="a filled seat")
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--exports", action="store_true", help="time the site's exports too")
    args = parser.parse_args()
    from desktop.store.engine import make_engine
    from desktop.store.history import ContactFilter
    from desktop.store.schema import ensure_schema
    from desktop.supervisor import dashboard
    from desktop.supervisor.dashboard import figures
    from tests.helpers.postgres import Postgres

    folder = Path(tempfile.mkdtemp(prefix="repli-bench-pg-"))
    server = Postgres(folder).start(fsync="on", shared_buffers="512MB")
    try:
        url = server.create_database("site")
        engine = make_engine(url)
        ensure_schema(engine)
        t0 = time.perf_counter()
        count = copy_table(args.seat / "repli.sqlite3", url, "contacts", COLUMNS)
        print(f"{'copy into PostgreSQL (not a figure)':<44} {time.perf_counter() - t0:8.0f} s"
              f"   {count:,} contacts")  # fmt: skip
        with engine.connect() as conn:  # closed: an open one would hold up the index's build
            last = conn.exec_driver_sql("SELECT max(created_at) FROM contacts").scalar_one()
        today = last.astimezone().replace(hour=0, minute=0, second=0, microsecond=0)
        filters = (
            ("all contacts", ContactFilter()),
            ("exercises left out", ContactFilter(exercise="exclude")),
            ("today", ContactFilter(since=today)),
            ("one branch", ContactFilter(branch="AG00007")),
            ("one outcome", ContactFilter(outcome="callback")),
            ("one agent, 7 days", ContactFilter(agent="Agent 3", since=today - timedelta(days=7))),
            ("words", ContactFilter(text="Nom 99999")),
        )
        for run in range(args.runs):
            with engine.connect() as conn:
                t0 = time.perf_counter()
                conn.exec_driver_sql(
                    "SELECT outcome, count(*) FROM contacts GROUP BY outcome"
                ).all()
                bare = time.perf_counter() - t0
            print(f"run {run + 1}: reference, one GROUP BY outcome: {bare * 1000:.0f} ms")
            for label, where in filters:
                figures(engine, where, now=datetime.now(UTC))  # statements compiled, cache warm
                t0 = time.perf_counter()
                found = figures(engine, where, now=datetime.now(UTC))
                took = time.perf_counter() - t0
                print(f"  site dashboard refresh, {label:<22} {took * 1000:7.0f} ms"
                      f"   {took / bare:5.1f}x the reference   {found.total:,} contacts")  # fmt: skip
                with engine.connect() as conn:
                    halves = dashboard._halves(conn, where)
                if halves:  # the same, counted in one pass
                    split, dashboard.SPLIT_AT_PAGES = dashboard.SPLIT_AT_PAGES, 10**12
                    t0 = time.perf_counter()
                    assert figures(engine, where, now=datetime.now(UTC)).total == found.total
                    took = time.perf_counter() - t0
                    dashboard.SPLIT_AT_PAGES = split
                    print(f"    the same in one pass, not in halves  {took * 1000:7.0f} ms")
        with engine.begin() as conn:  # what the upgrade to schema 0011 costs a site this size
            indexdef = conn.exec_driver_sql(
                "SELECT indexdef FROM pg_indexes WHERE indexname = 'ix_contacts_words'"
            ).scalar_one()
            conn.exec_driver_sql("DROP INDEX ix_contacts_words")
            t0 = time.perf_counter()
            conn.exec_driver_sql(indexdef)
            took = time.perf_counter() - t0
        print(f"{'building the words index (the upgrade, once)':<44} {took:8.1f} s   "
              f"{count:,} contacts; the deliveries wait for it")  # fmt: skip
        if args.exports:
            t0 = time.perf_counter()
            revisions = copy_table(
                args.seat / "repli.sqlite3", url, "contact_revisions", REVISION_COLUMNS
            )
            print(f"{'copy of the revisions (not a figure)':<44} {time.perf_counter() - t0:8.0f} s"
                  f"   {revisions:,} revisions")  # fmt: skip
            bench_exports(url, folder)
        engine.dispose()
    finally:
        server.stop()
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
