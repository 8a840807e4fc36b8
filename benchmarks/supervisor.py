"""The supervisor's speed on a big seat, each figure beside a reference measured in the same run.

    .venv/bin/python benchmarks/supervisor.py [--contacts 1000000] [--formats csv,xlsx,jsonl]

- export of every contact in each format (CSV RFC 4180, CSV Excel France, XLSX, JSON Lines),
  against a bare sqlite3 ``SELECT *`` written with ``csv.writer`` (the floor for any export);
- the dashboard's refresh (all its figures) on the whole database and on today's contacts,
  against a bare ``SELECT outcome, count(*) GROUP BY outcome``;
- the supervision's contact table: filter applied (count and first page) on the whole
  database and with a free-text search, in the real widget.
The store is plain (tests/helpers/plain_stores.py): it is filled, and the references read,
with the bare sqlite3.
No test asserts any of this: machines are noisy, read the ratios.
"""

from __future__ import annotations

import argparse
import os
import random
import sqlite3
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def line(name: str, value: str, reference: str = "", note: str = "") -> None:
    print(f"{name:<44} {value:>12}   {reference:<34} {note}")


def fill(data_dir: Path, count: int) -> None:
    """``count`` contacts with their revision rows, written straight with sqlite3."""
    from desktop.contacts import ContactData
    from desktop.context import SeatContext

    SeatContext.open(str(data_dir)).close()
    db = sqlite3.connect(data_dir / "repli.sqlite3")
    db.execute("PRAGMA synchronous=OFF")
    db.execute("DROP TRIGGER IF EXISTS revision_queued")  # no outbox for a benchmark fill
    rng = random.Random(5)
    start = datetime.now(UTC) - timedelta(seconds=count * 2.5)  # the last ones are today's
    outcomes = ["information", "message", "callback", "transferred"]
    contacts, revisions = [], []
    for i in range(count):
        at = start + timedelta(seconds=i * 2.5)
        began = at - timedelta(seconds=rng.randrange(20, 600))
        outcome = outcomes[i % 4]
        contact = ContactData(
            id=str(uuid.UUID(int=rng.getrandbits(128))),
            revision=1,
            created_at=at,
            updated_at=at,
            site="Site",
            seat_id=f"S{i % 12}",
            agent=f"Agent {i % 40}",
            digits_typed="6881",
            matched_number="+33199006881",
            branch_id=f"AG{i % 300:05d}",
            branch_name=f"Agence {i % 300}",
            call_type=["OBS", "PREV", "RAP", "MARB"][i % 4],
            caller_number=f"+336{rng.randrange(10**8):08d}",
            caller_number_valid=True,
            caller_name=f"Nom {i}",
            subject="Objet de l'appel",
            notes="Notes prises pendant l'appel" if i % 3 else "=1+1",
            outcome=outcome,
            callback_at=at + timedelta(hours=2) if outcome == "callback" else None,
            call_started_at=began,
            call_ended_at=at,
            tables_version="v",
        )
        plain = [getattr(contact, f) for f in _COLUMNS]
        contacts.append([_sql(v) for v in plain])
        revisions.append((contact.id, 1, _sql(at), "Agent", contact.to_json()))
        if len(contacts) == 50_000:
            _insert(db, contacts, revisions)
            contacts, revisions = [], []
    if contacts:
        _insert(db, contacts, revisions)
    db.commit()
    db.close()
    from desktop.store.engine import make_engine
    from desktop.store.search import catch_up

    engine = make_engine(f"sqlite:///{data_dir / 'repli.sqlite3'}")
    catch_up(engine)  # as the seat's searches would have, a few contacts at a time
    engine.dispose()


def _sql(value: object) -> object:
    if isinstance(value, datetime):
        return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
    return value


def _insert(
    db: sqlite3.Connection, contacts: list[list[object]], revisions: Sequence[tuple[object, ...]]
) -> None:
    marks = ",".join("?" * len(_COLUMNS))
    db.executemany(f"INSERT INTO contacts ({','.join(_COLUMNS)}) VALUES ({marks})", contacts)
    db.executemany(
        "INSERT INTO contact_revisions (contact_id, revision, saved_at, saved_by, data)"
        " VALUES (?,?,?,?,?)",
        revisions,
    )


def _columns() -> list[str]:
    from dataclasses import fields

    from desktop.contacts import ContactData

    return [f.name for f in fields(ContactData)]


_COLUMNS = _columns()


EXPORT_CHILD = """
import sys, time
sys.path.insert(0, sys.argv[1])
from pathlib import Path
from desktop.context import SeatContext
from desktop.store.history import ContactFilter
from desktop.supervisor.export import export
seat = SeatContext.open(sys.argv[2])
t0 = time.perf_counter()
report = export(seat.engine, Path(sys.argv[3]), sys.argv[4], ContactFilter(exercise="include"),
                sys.argv[5])
print(time.perf_counter() - t0, report.contacts)
"""

OPENPYXL_CHILD = """
import sqlite3, sys, time
from openpyxl import Workbook
t0 = time.perf_counter()
book = Workbook(write_only=True)
sheet = book.create_sheet("Contacts")
with sqlite3.connect(sys.argv[1]) as db:
    for row in db.execute("SELECT * FROM contacts ORDER BY created_at, id"):
        sheet.append(row)
book.save(sys.argv[2])
print(time.perf_counter() - t0, 0)
"""

BARE_CHILD = """
import csv, sqlite3, sys, time
t0 = time.perf_counter()
with sqlite3.connect(sys.argv[1]) as db, open(sys.argv[2], "w", newline="") as f:
    writer = csv.writer(f)
    for row in db.execute("SELECT * FROM contacts ORDER BY created_at, id"):
        writer.writerow(row)
print(time.perf_counter() - t0, 0)
"""


def child(code: str, *args: str) -> tuple[float, float]:
    """Runs ``code`` in a fresh interpreter: (its printed seconds, its peak RSS in MB)."""
    words, rss = child_words(code, *args)
    return float(words[0]), rss


def child_words(code: str, *args: str) -> tuple[list[str], float]:
    """Runs ``code`` in a fresh interpreter: (the words it printed, its peak RSS in MB)."""
    process = subprocess.Popen([sys.executable, "-c", code, *args], stdout=subprocess.PIPE,
                               text=True)  # fmt: skip
    _pid, _status, usage = os.wait4(process.pid, 0)
    out = process.stdout.read() if process.stdout else ""
    return out.split(), usage.ru_maxrss / 1024


def bench_exports(data_dir: Path, out: Path, formats: list[str]) -> None:
    """Each export in a process of its own, so that its peak RSS is its own."""
    database = str(data_dir / "repli.sqlite3")
    bare, bare_rss = child(BARE_CHILD, database, str(out / "bare.csv"))
    line("reference: sqlite3 SELECT * -> csv.writer", f"{bare:.1f} s", "", f"RSS {bare_rss:.0f} MB")
    if "xlsx" in formats:
        took, rss = child(OPENPYXL_CHILD, database, str(out / "bare.xlsx"))
        line("reference: SELECT * -> openpyxl write-only", f"{took:.1f} s",
             f"{took / bare:.1f}x the csv reference", f"RSS {rss:.0f} MB")  # fmt: skip
    for fmt, dialect in (("csv", "rfc4180"), ("csv", "excel-fr"), ("jsonl", ""), ("xlsx", "")):
        if fmt not in formats:
            continue
        path = out / f"export-{fmt}-{dialect or 'x'}.{fmt}"
        took, rss = child(EXPORT_CHILD, str(ROOT), str(data_dir), str(path), fmt,
                          dialect or "rfc4180")  # fmt: skip
        size = path.stat().st_size / 1e6
        line(
            f"export {fmt} {dialect}".strip(),
            f"{took:.1f} s",
            f"{took / bare:.1f}x the reference",
            f"{size:.0f} MB, RSS {rss:.0f} MB",
        )
        path.unlink()
    for name in ("bare.csv", "bare.xlsx"):
        (out / name).unlink(missing_ok=True)


MERGE_CHILD = """
import sys, time
sys.path.insert(0, sys.argv[1])
from pathlib import Path
from desktop.context import SeatContext
from desktop.supervisor import staging
from desktop.supervisor.merge import merge_files
seat = SeatContext.open(sys.argv[2])
apply, applying = staging._apply, []
def timed(*args):
    t0 = time.perf_counter()
    apply(*args)
    applying.append(time.perf_counter() - t0)
staging._apply = timed
t0 = time.perf_counter()
report = merge_files(seat.engine, [Path(sys.argv[3])])
print(time.perf_counter() - t0, report.total("new"), sum(applying))
"""

CHECK_CHILD = """
import sys, time
sys.path.insert(0, sys.argv[1])
from itertools import islice
from desktop.supervisor.revision_check import AsStaged, Lines, checked
from desktop.supervisor.staging import CONTACT_COLUMNS
with open(sys.argv[2], "rb") as f:
    lines = list(islice(f, 1, 20_001))[:-1]  # revisions: not the header, nor the end
t0 = time.perf_counter()
checked(Lines("x", 2, lines), AsStaged(0, CONTACT_COLUMNS))
print((time.perf_counter() - t0) / len(lines))
"""

BARE_MERGE_CHILD = """
import json, sqlite3, sys, time
t0 = time.perf_counter()
db = sqlite3.connect(sys.argv[1])
db.execute("CREATE TABLE r (contact_id TEXT, revision INT, saved_at TEXT, saved_by TEXT, data TEXT,"
           " PRIMARY KEY (contact_id, revision))")
batch = []
with open(sys.argv[2], "rb") as f:
    for raw in f:
        record = json.loads(raw)
        if record.get("kind") != "revision":
            continue
        c = record["contact"]
        batch.append((c["id"], c["revision"], record["saved_at"], record["saved_by"],
                      json.dumps(c)))
        if len(batch) == 5000:
            db.executemany("INSERT INTO r VALUES (?,?,?,?,?)", batch)
            batch = []
db.executemany("INSERT INTO r VALUES (?,?,?,?,?)", batch)
db.commit()
print(time.perf_counter() - t0, 0)
"""


def bench_merge(data_dir: Path, out: Path) -> None:
    """The whole seat's JSON Lines export merged into an empty seat, against reading the same
    lines with json.loads and inserting them with one executemany per 5,000 into a bare
    table (each in a process of its own: peak RSS its own)."""
    from desktop.context import SeatContext
    from desktop.store.history import ContactFilter
    from desktop.supervisor.export import export

    seat = SeatContext.open(str(data_dir))
    source = out / "all.jsonl"
    report = export(seat.engine, source, "jsonl", ContactFilter(exercise="include"))
    seat.close()
    bare, bare_rss = child(BARE_MERGE_CHILD, str(out / "bare.sqlite3"), str(source))
    line("reference: json.loads + executemany", f"{bare:.1f} s", "", f"RSS {bare_rss:.0f} MB")
    target = out / "merged-seat"
    SeatContext.open(str(target)).close()
    words, rss = child_words(MERGE_CHILD, str(ROOT), str(target), str(source))
    took, applying = float(words[0]), float(words[2])
    line("repli merge (verify, write, queue)", f"{took:.1f} s", f"{took / bare:.1f}x the reference",
         f"{report.records:,} revisions, RSS {rss:.0f} MB")  # fmt: skip
    line("  of which read, checked, staged", f"{took - applying:.1f} s",
         f"{(took - applying) / bare:.1f}x", "the store not locked")  # fmt: skip
    line("  of which applied to the store", f"{applying:.1f} s", f"{applying / bare:.1f}x",
         "in one transaction, the indexes set aside")  # fmt: skip
    each, _rss = child(CHECK_CHILD, str(ROOT), str(source))
    cores = os.cpu_count() or 1
    floor = each * report.records / cores + applying
    line("floor: checking on every core, then applying", f"{floor:.1f} s", f"{floor / bare:.1f}x",
         f"checking {each * 1e6:.0f} µs a revision in one process, {cores} cores")  # fmt: skip
    source.unlink()
    (out / "bare.sqlite3").unlink()


def bench_dashboard(data_dir: Path) -> None:
    from desktop.context import SeatContext
    from desktop.store.history import ContactFilter
    from desktop.supervisor.dashboard import figures

    with sqlite3.connect(data_dir / "repli.sqlite3") as db:
        t0 = time.perf_counter()
        db.execute("SELECT outcome, count(*) FROM contacts GROUP BY outcome").fetchall()
        bare = time.perf_counter() - t0
    line("reference: one GROUP BY outcome (sqlite3)", f"{bare * 1000:.0f} ms")
    seat = SeatContext.open(str(data_dir))
    today = datetime.now().astimezone().replace(hour=0, minute=0, second=0, microsecond=0)
    for label, where in (
        ("dashboard refresh, all contacts", ContactFilter()),
        ("dashboard refresh, exercises left out", ContactFilter(exercise="exclude")),
        ("dashboard refresh, today", ContactFilter(since=today)),
        ("dashboard refresh, one branch", ContactFilter(branch="AG00007")),
        ("dashboard refresh, one outcome", ContactFilter(outcome="callback")),
        (
            "dashboard refresh, one agent, 7 days",
            ContactFilter(agent="Agent 3", since=today - timedelta(days=7)),
        ),
        ("dashboard refresh, words", ContactFilter(text="Nom 99999")),
    ):
        t0 = time.perf_counter()
        found = figures(seat.engine, where)
        first = time.perf_counter() - t0
        t0 = time.perf_counter()
        figures(seat.engine, where)  # the refresh every 30 s: statements compiled already
        took = time.perf_counter() - t0
        line(
            label,
            f"{took * 1000:.0f} ms",
            f"{took / bare:.1f}x the reference",
            f"{found.total:,} contacts; first refresh {first * 1000:.0f} ms",
        )
    from desktop.supervisor import dashboard

    threads, dashboard.FIGURE_THREADS = dashboard.FIGURE_THREADS, 1  # the long periods' way
    for label, where in (("all contacts", ContactFilter()),
                         ("exercises left out", ContactFilter(exercise="exclude"))):  # fmt: skip
        figures(seat.engine, where)
        t0 = time.perf_counter()
        figures(seat.engine, where)
        took = time.perf_counter() - t0
        line(f"  {label}, one connection (before)", f"{took * 1000:.0f} ms",
             f"{took / bare:.1f}x the reference", f"against {threads} at once above")  # fmt: skip
    dashboard.FIGURE_THREADS = threads
    seat.close()


def bench_review(data_dir: Path) -> None:
    from PySide6.QtWidgets import QApplication

    from desktop.context import SeatContext
    from desktop.ui.supervisor.review import ReviewPanel

    app = QApplication.instance() or QApplication([])
    seat = SeatContext.open(str(data_dir))
    panel = ReviewPanel(seat.engine, "bench")
    panel.show()
    app.processEvents()
    steps: list[tuple[str, Callable[[], object]]] = [
        ("review table: all contacts", lambda: panel.period.setCurrentIndex(2)),
        ("review table: free-text search", lambda: panel.search.setText("Nom 99999")),
        ("review table: search, 2-letter word", lambda: panel.search.setText("om 99999")),
    ]
    for label, setup in steps:
        t0 = time.perf_counter()
        setup()
        panel.apply_filter()
        stall = 0.0
        while panel.busy:  # the rows are read on the panel's thread; the window stays live
            s0 = time.perf_counter()
            app.processEvents()
            stall = max(stall, time.perf_counter() - s0)
        app.processEvents()
        took = time.perf_counter() - t0
        line(
            label,
            f"{took * 1000:.0f} ms",
            f"longest GUI stall meanwhile {stall * 1000:.1f} ms",
            f"{panel.model.rowCount():,} rows",
        )
    t0 = time.perf_counter()
    panel.search.setText("")
    panel.apply_filter()
    while panel.busy:
        app.processEvents()
    for row in range(0, panel.model.rowCount(), panel.model.rowCount() // 20 or 1):
        panel.view.scrollTo(panel.model.index(row, 0))
        app.processEvents()
        while panel.busy:  # the page is read off the GUI thread, then painted
            app.processEvents()
    line("review table: 20 jumps through it", f"{(time.perf_counter() - t0) * 1000:.0f} ms")
    panel.shutdown()
    panel.close()
    seat.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contacts", type=int, default=1_000_000)
    parser.add_argument("--formats", default="csv,jsonl,xlsx")
    parser.add_argument("--data-dir", type=Path, help="reuse (or keep) the filled seat here")
    parser.add_argument("--only", default="dashboard,review,exports,merge", help="which parts")
    args = parser.parse_args()
    from tests.helpers.plain_stores import use_plain_stores

    # everything under one folder, removed at the end (the exports of a million contacts
    # are 2 GB); a seat given by --data-dir is kept
    with tempfile.TemporaryDirectory(prefix="repli-bench-") as tmp:
        use_plain_stores(Path(tmp) / "pc")  # sqlite3 reads them
        data_dir = args.data_dir or Path(tmp) / "seat"
        if not (data_dir / "repli.sqlite3").exists():
            t0 = time.perf_counter()
            fill(data_dir, args.contacts)
            line(
                "fill (not a figure)",
                f"{time.perf_counter() - t0:.0f} s",
                "",
                f"{args.contacts:,} contacts",
            )
        out = Path(tmp) / "out"
        out.mkdir()
        parts = args.only.split(",")
        if "dashboard" in parts:
            bench_dashboard(data_dir)
        if "review" in parts:
            bench_review(data_dir)
        if "exports" in parts:
            bench_exports(data_dir, out, args.formats.split(","))
        if "merge" in parts:
            bench_merge(data_dir, out)


if __name__ == "__main__":
    main()
