"""A client's end of contract with real processes: a real site PostgreSQL (a database per
client), three PCs with the client (one of them also serving another client, one kept off
during the retirement), a real HTTP CRM. ``repli clients retire`` is refused while the
failback report finds a difference, then forced with a reason; every seat erases the client
at its next sync (the one kept off when it starts again); afterwards no file of any PC, no
``pg_dump`` and no table file of the site store holds a canary of the client, no key on the
PCs opens a copy of its old store, the other client is untouched, and the signed
certificate's counts are what was erased."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text

from desktop.paths import DataPaths
from desktop.seat import store_key
from desktop.store import cipher
from tests.e2e.test_clients_site import client_database
from tests.e2e.test_failback_report import minisign, provision, sync
from tests.helpers.cli import repli
from tests.helpers.crm_receiver import CrmReceiver
from tests.helpers.postgres import Postgres

SUD, NORD = "pompes-sud", "assur-nord"
CANARY = "CanariSud"


def take_calls(seat: Path, client: str, seat_id: str, name: str, count: int) -> None:
    from desktop.contacts import ContactData
    from desktop.context import SeatContext
    from desktop.store import contacts as store

    context = SeatContext.open(str(DataPaths.resolve(seat, client).root))
    try:
        for i in range(count):
            store.save_contact(
                context.engine,
                ContactData(
                    agent="Claire",
                    seat_id=seat_id,
                    caller_name=f"{name}{seat_id}x{i}",
                    notes=f"{name} rappeler",
                    branch_id="AG00001",
                ),
                "Claire",
            )
    finally:
        context.close()


def retire(seat: Path, key: Path, out: Path, *more: str) -> subprocess.CompletedProcess[str]:
    return repli(seat, "clients", "retire", SUD, "--key", str(key), "-o", str(out), *more)


def files_holding(root: Path, needle: bytes) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file() and needle in p.read_bytes()]


def test_a_retired_client_is_gone_from_every_seat_and_the_site(
    tmp_path: Path, postgres: Postgres
) -> None:
    urls = {client: client_database(postgres, client) for client in (SUD, NORD)}
    pcs = {"B-01": tmp_path / "pc1", "B-02": tmp_path / "pc2", "B-03": tmp_path / "pc3"}
    with CrmReceiver() as crm_sud, CrmReceiver() as crm_nord:
        for seat_id, pc in pcs.items():
            provision(pc, SUD, seat_id, crm_sud, urls[SUD])
            take_calls(pc, SUD, seat_id, CANARY, 5)
        provision(pcs["B-01"], NORD, "B-01", crm_nord, urls[NORD])
        take_calls(pcs["B-01"], NORD, "B-01", "CanariNord", 3)
        for pc in pcs.values():
            sync(pc, SUD, runs=2)
        sync(pcs["B-01"], NORD)
        # a copy of B-02's store as a backup would keep it: no key must open it afterwards
        b02 = DataPaths.resolve(pcs["B-02"], SUD)
        backup = tmp_path / "backup-store.db"
        shutil.copy(b02.database, backup)
        key_files_before = set(store_key.key_dir().glob("*.key"))

        keys = tmp_path / "keys"
        assert repli(pcs["B-01"], "report", "keygen", "--out", str(keys)).returncode == 0
        key = keys / "repli-site.key"
        out = tmp_path / "certificate.json"

        # the CRM lost one contact: the failback report says so, and the retirement waits
        del crm_sud.stored[sorted(crm_sud.stored)[0]]
        refused = retire(pcs["B-01"], key, out)
        assert refused.returncode != 0 and "1 difference(s)" in refused.stderr
        assert not out.exists() and len(site_rows(urls[SUD])) == 15

        forced = retire(
            pcs["B-01"], key, out, "--force", "--reason", "fin de contrat, écart accepté"
        )
        assert forced.returncode == 0, forced.stderr
        assert site_rows(urls[SUD]) == []
        made = json.loads(out.read_text(encoding="utf-8"))
        assert made["forced"] and made["reason"] == "fin de contrat, écart accepté"
        assert made["site_store"]["contacts"] == 15 and not made["complete"]
        assert minisign(keys / "repli-site.pub", out).returncode == 0

        # B-01 and B-02 erase at their next sync; B-03 is off meanwhile
        for seat_id in ("B-01", "B-02"):
            done = repli(pcs[seat_id], "--client", SUD, "sync", "--once")
            assert done.returncode == 0 and "erased from this seat (5 contact(s)" in done.stdout
            assert SUD not in DataPaths.resolve(pcs[seat_id]).clients()
        again = retire(pcs["B-01"], key, out, "--site-url", urls[SUD])
        assert again.returncode == 0, again.stderr
        made = json.loads(out.read_text(encoding="utf-8"))
        assert {s["seat_id"]: s["confirmed"] for s in made["seats"]} == {
            "B-01": True, "B-02": True, "B-03": False}  # fmt: skip
        # B-03 starts again: it erases before anything else
        started = repli(pcs["B-03"], "--client", SUD, "sync", "--once")
        assert started.returncode == 0 and "erased from this seat" in started.stdout
        assert retire(pcs["B-01"], key, out, "--site-url", urls[SUD]).returncode == 0
        made = json.loads(out.read_text(encoding="utf-8"))
        assert made["complete"] and made["retired_at"] and made["retired_by"]
        for seat in made["seats"]:  # what each seat erased is what the site store held of it
            assert (seat["contacts"], seat["revisions"]) == (5, 5)
            assert made["site_store"]["per_seat"][seat["seat_id"]] == {
                "contacts": 5,
                "revisions": 5,
            }
            assert seat["key"] in ("file", "keyring") and seat["at"] >= made["retired_at"]
        assert minisign(keys / "repli-site.pub", out).returncode == 0

    # nothing of the client anywhere: every file of every PC, the site store's dump and files
    for pc in pcs.values():
        assert files_holding(pc, CANARY.encode()) == []
    assert CANARY not in pg_dump(postgres, urls[SUD])
    assert (
        files_holding(database_folder(postgres, urls[SUD].rsplit("/", 1)[1]), CANARY.encode()) == []
    )
    # and no key on the PCs opens the old store
    for key_file in store_key.key_dir().glob("*.key"):
        assert not opens(backup, key_file.read_text().strip())
    assert len(set(store_key.key_dir().glob("*.key"))) == len(key_files_before) - 3
    # the other client, on the same PC and the same server, is untouched
    assert NORD in DataPaths.resolve(pcs["B-01"]).clients()
    assert len(site_rows(urls[NORD])) == 3


def site_rows(url: str) -> list[Any]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return list(conn.execute(text("SELECT contact_id FROM contact_revisions")))
    finally:
        engine.dispose()


def pg_dump(postgres: Postgres, url: str) -> str:
    role, database = url.split("://", 1)[1].split("@")[0], url.rsplit("/", 1)[1]
    done = subprocess.run(
        [str(postgres.bin / "pg_dump"), "-h", postgres.host, "-p", str(postgres.port),
         "-U", role, database], capture_output=True, text=True, timeout=60, check=True,
    )  # fmt: skip
    assert "contact_revisions" in done.stdout  # the dump is of the store, emptied
    return done.stdout


def database_folder(postgres: Postgres, name: str) -> Path:
    import psycopg

    with psycopg.connect(
        f"host={postgres.host} port={postgres.port} user=repli dbname=postgres"
    ) as conn:
        row = conn.execute("SELECT oid FROM pg_database WHERE datname = %s", (name,)).fetchone()
    assert row is not None
    conn_checkpoint(postgres)
    return postgres.data / "base" / str(row[0])


def conn_checkpoint(postgres: Postgres) -> None:
    """The server's buffers written to the table files, as they would be on a later read."""
    import psycopg

    with psycopg.connect(
        f"host={postgres.host} port={postgres.port} user=repli dbname=postgres", autocommit=True
    ) as conn:
        conn.execute("CHECKPOINT")


def opens(store: Path, key: str) -> bool:
    try:
        connection = cipher.connect_store(store, key)
    except Exception:
        return False
    try:
        connection.execute("SELECT count(*) FROM contacts").fetchone()
        return True
    except Exception:
        return False
    finally:
        connection.close()
