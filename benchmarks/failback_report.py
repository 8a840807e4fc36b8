"""The failback report over a site PostgreSQL of a million contacts and 30 seats, beside a
bare ``SELECT seat_id, day, count(*) … GROUP BY seat_id, day`` over the same rows in the same
run (goal: < 30 s and < 300 MB RSS).

    .venv/bin/python benchmarks/failback_report.py [--contacts 1000000] [--seats 30]

The report runs as ``repli report failback`` does, in a process of its own (its peak RSS is
its own): every seat's ledger read from the site store, the site's revisions streamed a
seat's day at a time, the CRM asked what it holds (a real HTTP server on loopback, in a
process of its own, that holds every pair it is asked about), the JSON written and signed.
The contacts (a tenth of them corrected once) are written by one INSERT … SELECT
generate_series, and each seat's ledger as the seat would publish it.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

NOW = datetime(2027, 3, 10, 10, 30, tzinfo=UTC)
DAYS = 30


def fill(url: str, contacts: int, seats: int) -> None:
    import psycopg

    dsn = url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(
            """
            INSERT INTO contacts (id, revision, created_at, updated_at, site, seat_id, agent,
                mode, digits_typed, branch_name, call_type, caller_number,
                caller_number_valid, caller_name, subject, notes, outcome, urgent, found_by,
                tables_version, candidates, called_via, reached_on)
            SELECT md5(i::text)::uuid::text, CASE WHEN i %% 10 = 0 THEN 2 ELSE 1 END, t, t,
                'Site', 'S' || lpad((i %% %(seats)s)::text, 2, '0'), 'Agent', 'disaster', '',
                'Agence', 'Familles', '', false, 'Nom ' || i, '', '', 'information', false,
                'typed', '', 0, '', ''
            FROM (SELECT i, %(now)s - (i * (%(days)s * 86400.0 / %(n)s)) * interval '1 second'
                  AS t FROM generate_series(1, %(n)s) i) g
            """,
            {"now": NOW, "n": contacts, "seats": seats, "days": DAYS},
        )
        conn.execute(
            """
            INSERT INTO contact_revisions (contact_id, revision, saved_at, saved_by, data)
            SELECT c.id, r, c.created_at + (r - 1) * interval '1 minute', 'Agent', '{}'
            FROM contacts c, generate_series(1, 2) r WHERE r <= c.revision
            """
        )
        conn.execute("VACUUM ANALYZE")


def publish_ledgers(url: str) -> None:
    """Each seat's ledger as it publishes it (desktop.failback.ledger.publish): its days'
    counts and digests, for what it took and for both targets (everything acknowledged)."""
    from sqlalchemy import insert

    from desktop.failback.report import _site_groups
    from desktop.store.engine import make_engine
    from desktop.store.models import SiteLedgerRow
    from desktop.sync.reconcile import digest

    engine = make_engine(url)
    rows = []
    for (seat, day), keys in _site_groups(
        engine, False, datetime(2000, 1, 1, tzinfo=UTC), datetime(2100, 1, 1, tzinfo=UTC)
    ):
        figures = (len(keys), digest(set(keys)))
        for target in ("", "crm", "site"):
            rows.append({"seat_id": seat, "day": day, "target": target, "exercise": False,
                         "revisions": figures[0], "digest": figures[1], "updated_at": NOW})  # fmt: skip
    with engine.begin() as conn:
        conn.execute(insert(SiteLedgerRow), rows)
    engine.dispose()


def bare_group_by(url: str) -> float:
    import psycopg

    dsn = url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(dsn) as conn:
        t0 = time.perf_counter()
        conn.execute(
            "SELECT c.seat_id, to_char(r.saved_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day,"
            " count(*) FROM contact_revisions r JOIN contacts c ON c.id = r.contact_id"
            " GROUP BY 1, 2"
        ).fetchall()
        return time.perf_counter() - t0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contacts", type=int, default=1_000_000)
    parser.add_argument("--seats", type=int, default=30)
    args = parser.parse_args()

    from desktop.store.engine import make_engine
    from desktop.store.schema import ensure_schema
    from tests.helpers.postgres import Postgres

    folder = Path(tempfile.mkdtemp(prefix="repli-failback-bench-"))
    server = Postgres(Path(tempfile.mkdtemp(prefix="repli-failback-pg-"))).start(fsync="on")
    crm = subprocess.Popen(
        [sys.executable, "-m", "tests.helpers.crm_receiver", "0", "crm-token", "--holds-all"],
        cwd=ROOT, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        crm_url = (crm.stdout.readline() if crm.stdout else "").strip()
        url = server.create_database("site")
        site = make_engine(url)
        ensure_schema(site)
        site.dispose()
        t0 = time.perf_counter()
        fill(url, args.contacts, args.seats)
        publish_ledgers(url)
        print(f"{args.contacts:,} contacts, {args.seats} seats, {DAYS} days written"
              f" in {time.perf_counter() - t0:.0f} s")  # fmt: skip
        seat = folder / "supervisor"
        subprocess.run(
            [sys.executable, "-m", "desktop", "--data-dir", str(seat), "provision", "--site",
             "Site", "--seat", "SUP", "--sync-database", url, "--sync-url", crm_url,
             "--sync-token", "crm-token"], check=True, capture_output=True,
        )  # fmt: skip
        subprocess.run([sys.executable, "-m", "desktop", "--data-dir", str(seat), "report",
                        "keygen", "--out", str(folder / "keys")], check=True, capture_output=True)  # fmt: skip
        bare = min(bare_group_by(url) for _ in range(3))
        out = folder / "report.json"
        t0 = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-m", "desktop", "--data-dir", str(seat), "report", "failback",
             "--since", "2027-01-01", "--until", "2027-03-31", "-o", str(out),
             "--key", str(folder / "keys" / "repli-site.key")], capture_output=True, text=True,
        )  # fmt: skip
        took = time.perf_counter() - t0
        if done.returncode != 0:
            print(done.stderr)
            return 1
        peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        # the same without a CRM to ask: what the report itself costs
        bare_seat = folder / "supervisor-without-crm"
        subprocess.run(
            [sys.executable, "-m", "desktop", "--data-dir", str(bare_seat), "provision",
             "--site", "Site", "--seat", "SUP2", "--sync-database", url], check=True,
            capture_output=True,
        )  # fmt: skip
        t0 = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "desktop", "--data-dir", str(bare_seat), "report", "failback",
             "--since", "2027-01-01", "--until", "2027-03-31", "-o", str(folder / "bare.json"),
             "--key", str(folder / "keys" / "repli-site.key")], check=True, capture_output=True,
        )  # fmt: skip
        without_crm = time.perf_counter() - t0
        document = json.loads(out.read_text(encoding="utf-8"))
        print(f"report: {document['verdict']}, {document['totals']['taken']:,} revisions in"
              f" {len(document['days'])} seat-days, {document['totals']['differences']} differences")  # fmt: skip
        print(f"repli report failback: {took:.1f} s (goal < 30 s), peak RSS {peak_mb:.0f} MB"
              f" (goal < 300 MB)")  # fmt: skip
        print(f"the same without a CRM to ask: {without_crm:.1f} s ({without_crm / bare:.0f}x)")
        print(
            f"bare GROUP BY seat, day (psycopg, best of 3): {bare:.2f} s; ratio {took / bare:.0f}x"
        )
        return 0
    finally:
        crm.terminate()
        server.stop(remove=True)
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
