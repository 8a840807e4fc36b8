"""The failback report with real processes: a real site PostgreSQL (a database per client),
three seats of two clients (each its own data directory, as on three PCs), a real HTTP CRM
per client on loopback that fails some batches and then loses some contacts it had stored.
The report, run with the real ``repli`` on one seat, lists exactly the pairs the CRM lacks
(checked against the receiver's own store), for the other seat too; ``--resend`` closes the
gap; the report is then clean; ``minisign -V`` verifies it and fails an edited copy."""

from __future__ import annotations

import json
import shutil
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from pypdf import PdfReader
from sqlalchemy import create_engine, text

from desktop.contacts import ContactData
from desktop.context import SeatContext
from desktop.paths import DataPaths
from desktop.store import contacts as store
from tests.conftest import DEMO_PACK
from tests.e2e.test_clients_site import client_database
from tests.helpers.cli import repli
from tests.helpers.crm_receiver import CrmReceiver
from tests.helpers.postgres import Postgres

SUD, NORD = "pompes-sud", "assur-nord"


def provision(seat: Path, client: str, seat_id: str, crm: CrmReceiver, site_url: str) -> None:
    done = repli(seat, "provision", "--client", client, "--client-name", client.title(),
                 "--client-colour", "#1f7a3a", "--site", "Lyon secours", "--seat", seat_id,
                 "--tables", str(DEMO_PACK), "--sync-url", crm.url, "--sync-token", crm.token,
                 "--sync-database", site_url)  # fmt: skip
    assert done.returncode == 0, done.stderr


def take_calls(seat: Path, client: str, seat_id: str, count: int, corrected: int) -> None:
    """``count`` contacts, the first ``corrected`` of them corrected once."""
    context = SeatContext.open(str(DataPaths.resolve(seat, client).root))
    try:
        for i in range(count):
            saved = store.save_contact(
                context.engine,
                ContactData(
                    agent="Claire",
                    seat_id=seat_id,
                    caller_name=f"{seat_id} appelant {i}",
                    caller_number="+33612345678",
                    branch_id="AG00001",
                ),
                "Claire",
            )
            if i < corrected:
                store.save_contact(
                    context.engine, saved.contact.with_changes(notes="rappel demandé"), "Claire"
                )
    finally:
        context.close()


def sync(seat: Path, client: str, runs: int = 1) -> None:
    for _ in range(runs):
        done = repli(seat, "--client", client, "sync", "--once")
        assert done.returncode in (0, 1), done.stderr  # 1: a target still failing this run


def site_keys(url: str) -> set[tuple[str, int]]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(text("SELECT contact_id, revision FROM contact_revisions"))
            return {(r[0], int(r[1])) for r in rows}
    finally:
        engine.dispose()


def report(seat: Path, client: str, out: Path, key: Path, *more: str) -> dict[str, Any]:
    today = datetime.now(UTC).date()
    done = repli(seat, "--client", client, "report", "failback",
                 "--since", str(today - timedelta(days=1)), "--until", str(today + timedelta(days=1)),
                 "-o", str(out), "--key", str(key), *more)  # fmt: skip
    assert done.returncode == 0, done.stderr
    found: dict[str, Any] = json.loads(out.with_suffix(".json").read_text(encoding="utf-8"))
    return found


def missing_pairs(document: dict[str, Any]) -> set[tuple[str, int]]:
    return {
        (d["contact_id"], d["revision"])
        for d in document["differences"]
        if d["target"] == "crm" and d["problem"] == "missing"
    }


def test_the_report_lists_what_the_crm_lost_and_resend_closes_the_gap(
    tmp_path: Path, postgres: Postgres
) -> None:
    urls = {client: client_database(postgres, client) for client in (SUD, NORD)}
    seats = {"B-01": tmp_path / "pc1", "B-02": tmp_path / "pc2", "C-01": tmp_path / "pc3"}
    clients = {"B-01": SUD, "B-02": SUD, "C-01": NORD}
    failing = lambda n: "500" if n % 4 == 2 else ("drop" if n % 5 == 3 else "ok")  # noqa: E731
    with CrmReceiver(plan=failing) as crm_sud, CrmReceiver() as crm_nord:
        crms = {SUD: crm_sud, NORD: crm_nord}
        for seat_id, folder in seats.items():
            client = clients[seat_id]
            provision(folder, client, seat_id, crms[client], urls[client])
            take_calls(folder, client, seat_id, 12, corrected=3)
        for seat_id, folder in seats.items():
            sync(folder, clients[seat_id], runs=4)  # the failed batches go again
        assert len(site_keys(urls[SUD])) == 30 and len(site_keys(urls[NORD])) == 15
        assert set(crm_sud.stored) == site_keys(urls[SUD])  # everything was delivered once

        # the CRM loses some of what it stored, from both of the client's seats (every 7th of
        # each seat's: the contacts' ids are random, so every 7th of all could be one seat's)
        seat_of = seats_of_contacts(urls[SUD])
        lost = sorted(
            pair
            for seat_id in ("B-01", "B-02")
            for pair in sorted(p for p in crm_sud.stored if seat_of[p[0]] == seat_id)[::7]
        )
        for pair in lost:
            del crm_sud.stored[pair]
        assert {seat_of[contact] for contact, _revision in lost} == {"B-01", "B-02"}

        key = tmp_path / "keys" / "repli-site.key"
        made = repli(seats["B-01"], "report", "keygen", "--out", str(key.parent))
        assert made.returncode == 0, made.stderr

        out = tmp_path / "reports" / "sud.pdf"
        out.parent.mkdir()
        document = report(seats["B-01"], SUD, out, key)
        assert document["verdict"] == "differences"
        assert missing_pairs(document) == site_keys(urls[SUD]) - set(crm_sud.stored)
        assert {d["seat_id"] for d in document["differences"]} == {"B-01", "B-02"}
        assert document["totals"]["taken"] == 30 and document["totals"]["site"] == 30
        days = {(d["seat_id"], d["source"]) for d in document["days"]}
        assert days == {("B-01", "seat"), ("B-02", "ledger")}  # B-02 by its published ledger
        assert not any(d["agree"] for d in document["days"])
        for d in document["days"]:
            assert d["targets"]["crm"]["acked"] == 15  # each seat had all acknowledged
            assert d["targets"]["site"]["holds"] == d["taken"] == 15
        assert out.read_bytes().startswith(b"%PDF")
        words = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(out).pages)
        assert "Rapport de retour" in words and "renvoyer" in words  # French by default

        # the client verifies the JSON with minisign itself; an edited copy fails
        public = key.with_suffix(".pub")
        signed = out.with_suffix(".json")
        checked = minisign(public, signed)
        assert checked.returncode == 0, checked.stderr
        assert "repli failback report client=pompes-sud" in checked.stdout
        edited = tmp_path / "reports" / "edited.json"
        edited.write_text(signed.read_text().replace('"differences"', '"clean"', 1))
        shutil.copy(
            signed.with_name(signed.name + ".minisig"), edited.with_name("edited.json.minisig")
        )
        assert minisign(public, edited).returncode != 0

        # --resend: B-01's revisions at once, B-02's at its next sync
        document = report(seats["B-01"], SUD, tmp_path / "reports" / "resend.json", key, "--resend")
        assert missing_pairs(document) == set(lost)
        for seat_id in ("B-01", "B-02"):
            sync(seats[seat_id], SUD)
        assert set(crm_sud.stored) == site_keys(urls[SUD])
        for seat_id in ("B-01", "B-02"):
            sync(seats[seat_id], SUD)  # the ledgers published again
        after = tmp_path / "reports" / "after.xlsx"
        document = report(seats["B-01"], SUD, after, key, "--lang", "en")
        assert document["verdict"] == "clean", document["differences"]
        assert all(d["agree"] for d in document["days"])
        book = openpyxl.load_workbook(after, read_only=True)
        assert book.sheetnames == ["Summary", "Days", "Differences", "Seats"]  # in English
        rows = list(book["Days"].iter_rows(values_only=True))
        assert rows[0][:4] == ("Seat", "Day (UTC)", "Taken", "Site store")
        assert sorted((r[0], r[2]) for r in rows[1:]) == [("B-01", 15), ("B-02", 15)]

        # a seat silent for ten minutes is named, with its last word and what waits there
        silent(urls[SUD], "B-02", waiting=4)
        document = report(seats["B-01"], SUD, tmp_path / "reports" / "silent.json", key)
        named = {s["seat_id"]: s for s in document["seats"]}
        assert named["B-02"]["reachable"] is False and named["B-02"]["waiting"] == {"crm": 4}
        assert named["B-02"]["last_word"] < document["generated_at"]
        assert document["verdict"] == "incomplete"

        # the other client's report holds its own seat only, and its CRM lost nothing
        document = report(seats["C-01"], NORD, tmp_path / "reports" / "nord.json", key)
        assert document["verdict"] == "clean"
        assert {d["seat_id"] for d in document["days"]} == {"C-01"}
        assert document["totals"]["taken"] == 15

        # a CRM that does not answer the reconciliation request: said, never taken as clean
        crm_nord.answers_holds = False
        document = report(seats["C-01"], NORD, tmp_path / "reports" / "nord2.json", key)
        crm = next(t for t in document["targets"] if t["name"] == "crm")
        assert crm["answers"] is False and "422" in crm["note"]
        assert document["verdict"] == "incomplete"
        assert all(d["targets"]["crm"]["holds"] is None for d in document["days"])


def silent(url: str, seat_id: str, waiting: int) -> None:
    """The seat's roster line as it wrote it ten minutes ago (by the site server's clock)."""
    from desktop.site.roster import SeatState, write_state

    engine = create_engine(url)
    try:
        now = datetime.now(UTC)
        write_state(engine, SeatState(seat_id, SUD, "disaster", "Claire", None, "", {"crm": [waiting, 600]},
                                      None, True, "", now))  # fmt: skip
        with engine.begin() as conn:
            conn.execute(
                text("UPDATE site_seats SET updated_at = now() - interval '10 minutes'"
                     " WHERE seat_id = :s"), {"s": seat_id})  # fmt: skip
    finally:
        engine.dispose()


def seats_of_contacts(url: str) -> dict[str, str]:
    """Each contact's seat, as the client's site database holds it."""
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(text("SELECT id, seat_id FROM contacts")).all()
    finally:
        engine.dispose()
    return {str(contact): str(seat) for contact, seat in rows}


def minisign(public: Path, signed: Path) -> subprocess.CompletedProcess[str]:
    if shutil.which("minisign") is None:
        pytest.fail("minisign is needed: apt-get install minisign (dev.py does it)")
    return subprocess.run(
        ["minisign", "-V", "-p", str(public), "-m", str(signed)],
        capture_output=True,
        text=True,
        timeout=30,
    )
