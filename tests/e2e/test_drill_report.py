"""The site's drill report with real processes: a real site PostgreSQL, three PCs of one
client, each delivering its exercise contacts to the site store (a site target with
``exercise = true``); the site put in exercise mode with the real ``repli mode --site``; each
seat's first word to the roster after it (as the agent window writes it: one seat not ready
and on old tables). ``repli report drill`` gives one signed report for the site whose figures
are the site store's, and its verdict says what to review; a second drill, every seat ready,
passes."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text

from desktop.contacts import ContactData
from desktop.context import SeatContext
from desktop.paths import DataPaths
from desktop.site.roster import SeatState, write_state
from desktop.store import contacts as store
from tests.e2e.test_clients_site import client_database
from tests.e2e.test_failback_report import minisign, provision, sync
from tests.helpers.cli import repli
from tests.helpers.crm_receiver import CrmReceiver
from tests.helpers.postgres import Postgres

SUD = "pompes-sud"


def exercise_target(pc: Path, url: str) -> None:
    """The drill's contacts go to the site store too (an exercise target of kind site)."""
    config = DataPaths.resolve(pc, SUD).config_file
    with config.open("a", encoding="utf-8") as f:
        f.write(f'\n[[sync_targets]]\nname = "site-exercice"\nkind = "site"\n'
                f'database_url = "{url}"\nexercise = true\n')  # fmt: skip


def drill_calls(pc: Path, seat_id: str, started: datetime, count: int, pops: int) -> None:
    context = SeatContext.open(str(DataPaths.resolve(pc, SUD).root))
    try:
        for i in range(count):
            store.save_contact(
                context.engine,
                ContactData(
                    agent="Claire",
                    seat_id=seat_id,
                    mode="exercise",
                    caller_name=f"Exercice {seat_id} {i}",
                    app_started_at=started,
                    found_by="pop" if i < pops else "typed",
                ),
                "Claire",
            )
    finally:
        context.close()


def word(url: str, seat_id: str, ready: bool, serial: int, started: datetime) -> None:
    """The seat's roster word as its window writes it (desktop.site.roster.write_state)."""
    engine = create_engine(url)
    try:
        write_state(engine, SeatState(seat_id, SUD, "exercise", "Claire", serial, "Démo", {}, None,
                                      ready, "ready" if ready else "tables: too old", started))  # fmt: skip
    finally:
        engine.dispose()


def report(pc: Path, out: Path, key: Path) -> dict[str, Any]:
    done = repli(pc, "--client", SUD, "report", "drill", "-o", str(out), "--key", str(key))
    assert done.returncode == 0, done.stderr
    found: dict[str, Any] = json.loads(out.with_suffix(".json").read_text(encoding="utf-8"))
    return found


def test_one_signed_report_for_the_whole_sites_drill(tmp_path: Path, postgres: Postgres) -> None:
    url = client_database(postgres, SUD)
    pcs = {"B-01": tmp_path / "pc1", "B-02": tmp_path / "pc2", "B-03": tmp_path / "pc3"}
    engine = create_engine(url)
    with CrmReceiver() as crm:
        for seat_id, pc in pcs.items():
            provision(pc, SUD, seat_id, crm, url)
            exercise_target(pc, url)
            sync(pc, SUD)  # the site store made
        with engine.begin() as conn:  # the tables the site published: serial 50
            conn.execute(text("INSERT INTO site_packs (serial, name, version, published_at,"
                              " published_by, files) VALUES (50, 'Démo', '1', now(), 't', '')"))  # fmt: skip
        switched = repli(pcs["B-01"], "--client", SUD, "mode", "exercise", "--site")
        assert switched.returncode == 0, switched.stderr
        started = datetime.now(UTC) - timedelta(seconds=90)
        for seat_id, ready, serial in (("B-01", True, 50), ("B-02", True, 50), ("B-03", False, 40)):
            word(url, seat_id, ready, serial, started)
            drill_calls(pcs[seat_id], seat_id, started, 4, pops=1 if seat_id != "B-02" else 0)
        for pc in pcs.values():
            sync(pc, SUD, runs=2)

        keys = tmp_path / "keys"
        assert repli(pcs["B-01"], "report", "keygen", "--out", str(keys)).returncode == 0
        out = tmp_path / "drill.pdf"
        document = report(pcs["B-01"], out, keys / "repli-site.key")
        assert out.read_bytes().startswith(b"%PDF")
        assert minisign(keys / "repli-site.pub", out.with_suffix(".json")).returncode == 0
        assert document["verdict"] == "to_review"
        assert document["reasons"] == ["not_ready_at_start", "other_tables"]
        seats = {s["seat_id"]: s for s in document["seats"]}
        assert sorted(seats) == ["B-01", "B-02", "B-03"]
        assert seats["B-03"]["problems"] == ["not_ready_at_start", "other_tables"]
        with engine.connect() as conn:  # the figures are the site store's
            counts: dict[str, int] = dict(conn.execute(text(
                "SELECT seat_id, count(*) FROM contacts WHERE mode = 'exercise' GROUP BY 1")).all())  # fmt: skip
            pops: dict[str, int] = dict(conn.execute(text(
                "SELECT seat_id, count(*) FILTER (WHERE found_by = 'pop') FROM contacts"
                " WHERE mode = 'exercise' GROUP BY 1")).all())  # fmt: skip
            first: dict[str, Any] = dict(conn.execute(text(
                "SELECT seat_id, extract(epoch FROM min(created_at) - min(app_started_at))"
                " FROM contacts WHERE mode = 'exercise' GROUP BY 1")).all())  # fmt: skip
        for seat_id, seat in seats.items():
            assert seat["contacts"] == counts[seat_id] == 4
            assert seat["pops"] == pops[seat_id]
            assert abs(seat["seconds_to_first_contact"] - float(first[seat_id])) < 0.01
            assert seat["delivered"] == {"site-exercice": 4} and seat["reconciled"] is True
            assert seat["revisions"] == 4
        assert seats["B-01"]["problems"] == [] and seats["B-01"]["ready_at_start"] is True

        # the next quarter's drill: every seat ready on the published tables
        for mode in ("disaster", "exercise"):
            assert repli(pcs["B-01"], "--client", SUD, "mode", mode, "--site").returncode == 0
        started = datetime.now(UTC)
        for seat_id, pc in pcs.items():
            word(url, seat_id, True, 50, started)
            drill_calls(pc, seat_id, started, 2, pops=0)
            sync(pc, SUD, runs=2)
        document = report(pcs["B-02"], tmp_path / "drill2.xlsx", keys / "repli-site.key")
        assert document["verdict"] == "passed", document["seats"]
        assert all(s["contacts"] == 2 for s in document["seats"])
        assert (tmp_path / "drill2.xlsx").read_bytes()[:2] == b"PK"
    engine.dispose()
