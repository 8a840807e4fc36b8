"""Several client companies on one seat, with the real ``repli``: each provisioned in one
command with its own data directory, tables, targets and encrypted store; every command
takes ``--client``; one client's export is refused under another; a client is erased only
once everything it holds was delivered."""

from __future__ import annotations

import json
import os
from pathlib import Path

from desktop.contacts import ContactData
from desktop.context import SeatContext
from desktop.paths import DataPaths
from desktop.seat import store_key
from desktop.store import contacts as store
from tests.conftest import DEMO_PACK
from tests.helpers.cli import repli


def provision(seat: Path, client: str, name: str, colour: str, *more: str) -> None:
    done = repli(seat, "provision", "--client", client, "--client-name", name,
                 "--client-colour", colour, "--site", "Lyon secours", "--seat", "B-07",
                 "--tables", str(DEMO_PACK), *more)  # fmt: skip
    assert done.returncode == 0, done.stderr


def save(seat: Path, client: str, name: str, count: int) -> None:
    context = SeatContext.open(str(DataPaths.resolve(seat, client).root))
    try:
        for i in range(count):
            contact = ContactData(agent="Claire", seat_id="B-07", caller_name=f"{name} {i}",
                                  caller_number="+33612345678", branch_id="AG00001")  # fmt: skip
            store.save_contact(context.engine, contact, "Claire")
    finally:
        context.close()


def test_two_clients_provisioned_each_apart_and_encrypted(data_dir: Path, tmp_path: Path) -> None:
    provision(data_dir, "pompes-sud", "Pompes Funèbres du Sud", "#1f7a3a")
    provision(data_dir, "assur-nord", "Assurances du Nord", "#f2c200")
    save(data_dir, "pompes-sud", "Appelant Sud", 3)
    save(data_dir, "assur-nord", "Appelant Nord", 2)

    listed = repli(data_dir, "clients", "--json")
    assert listed.returncode == 0, listed.stderr
    by_id = {c["id"]: c for c in json.loads(listed.stdout)}
    assert sorted(by_id) == ["assur-nord", "pompes-sud"]
    sud = by_id["pompes-sud"]
    assert (sud["name"], sud["colour"], sud["contacts"], sud["encrypted"]) == (
        "Pompes Funèbres du Sud", "#1f7a3a", 3, True)  # fmt: skip
    assert sud["tables"].startswith("Réseau démo") and by_id["assur-nord"]["contacts"] == 2
    text = repli(data_dir, "clients").stdout
    assert "Pompes Funèbres du Sud" in text and "Assurances du Nord" in text

    # each its own store, its own key: nothing of one in the other
    roots = [DataPaths.resolve(data_dir, c).root for c in ("pompes-sud", "assur-nord")]
    keys = [store_key.find(r / "repli.sqlite3") for r in roots]
    assert keys[0] is not None and keys[1] is not None and keys[0].key != keys[1].key
    for client, other in (("pompes-sud", "Nord"), ("assur-nord", "Sud")):
        out = tmp_path / f"{client}.jsonl"
        done = repli(data_dir, "--client", client, "export", "--format", "jsonl", "-o", str(out))
        assert done.returncode == 0, done.stderr
        exported = out.read_text(encoding="utf-8")
        assert json.loads(exported.splitlines()[0])["client"] == client
        assert f"Appelant {other}" not in exported

    # one client's contacts are never merged into another's store
    refused = repli(data_dir, "--client", "assur-nord", "merge", str(tmp_path / "pompes-sud.jsonl"))
    assert refused.returncode == 1
    assert "holds the contacts of client 'pompes-sud'" in refused.stderr
    assert "repli merge --client pompes-sud" in refused.stderr
    database = roots[0] / "repli.sqlite3"
    refused = repli(data_dir, "--client", "assur-nord", "merge", str(database))
    assert refused.returncode == 1 and "client 'pompes-sud'" in refused.stderr
    accepted = repli(
        data_dir, "--client", "pompes-sud", "merge", str(tmp_path / "pompes-sud.jsonl")
    )
    assert accepted.returncode == 0, accepted.stderr
    # and the seat's own directory (a one-client seat) was left as it was
    assert not (data_dir / "repli.sqlite3").exists()


def test_an_unknown_client_is_said_with_the_seats_clients(data_dir: Path) -> None:
    provision(data_dir, "pompes-sud", "Pompes Funèbres du Sud", "#1f7a3a")
    done = repli(data_dir, "--client", "inconnu", "export", "-o", "x.csv")
    assert done.returncode == 2 and "no client 'inconnu' (its clients: pompes-sud)" in done.stderr
    bad = repli(data_dir, "provision", "--client", "../etc", "--site", "S", "--seat", "B")
    assert bad.returncode == 2 and "is not a client id" in bad.stderr
    colour = repli(data_dir, "provision", "--client", "x", "--client-colour", "red",
                   "--site", "S", "--seat", "B")  # fmt: skip
    assert colour.returncode == 1 and "client_colour must be #rrggbb" in colour.stderr
    assert not (data_dir / "clients" / "x").exists()  # no half-made client left behind


def test_a_client_is_erased_only_once_everything_was_delivered(
    data_dir: Path, tmp_path: Path
) -> None:
    drop = tmp_path / "drop"
    drop.mkdir()
    provision(data_dir, "pompes-sud", "Pompes Funèbres du Sud", "#1f7a3a",
              "--sync-folder", str(drop))  # fmt: skip
    save(data_dir, "pompes-sud", "Appelant Sud", 4)
    root = DataPaths.resolve(data_dir, "pompes-sud").root
    found = store_key.find(root / "repli.sqlite3")
    assert found is not None

    refused = repli(data_dir, "clients", "remove", "pompes-sud")
    assert refused.returncode == 1
    assert "4 revision(s) of 4 contact(s) are not delivered" in refused.stderr
    assert (root / "repli.sqlite3").exists()

    synced = repli(data_dir, "--client", "pompes-sud", "sync", "--once")
    assert synced.returncode == 0, synced.stderr
    removed = repli(data_dir, "clients", "remove", "pompes-sud")
    assert removed.returncode == 0, removed.stderr
    assert not root.exists()
    assert not (store_key.key_dir() / f"{found.store_id}.key").exists()
    assert json.loads(repli(data_dir, "clients", "--json").stdout) == []


def test_forcing_the_removal_says_what_is_lost(data_dir: Path) -> None:
    provision(data_dir, "assur-nord", "Assurances du Nord", "#f2c200")
    save(data_dir, "assur-nord", "Appelant Nord", 2)
    forced = repli(data_dir, "clients", "remove", "assur-nord", "--force")
    assert forced.returncode == 0, forced.stderr
    assert "2 revision(s) of 2 contact(s) of assur-nord not delivered are erased" in forced.stderr
    assert not DataPaths.resolve(data_dir, "assur-nord").root.exists()


def test_doctor_checks_every_client_of_the_seat_in_one_run(data_dir: Path) -> None:
    provision(data_dir, "pompes-sud", "Pompes Funèbres du Sud", "#1f7a3a")
    provision(data_dir, "assur-nord", "Assurances du Nord", "#f2c200")
    save(data_dir, "pompes-sud", "Appelant Sud", 1)
    save(data_dir, "assur-nord", "Appelant Nord", 1)
    for client in ("pompes-sud", "assur-nord"):
        with (DataPaths.resolve(data_dir, client).config_file).open("a") as config:
            config.write("pop_enabled = false\n")  # no port to probe on a test machine
    ready = repli(data_dir, "doctor", "--json")
    reports = json.loads(ready.stdout)
    assert ready.returncode == 0 and reports["ready"] is True, ready.stdout
    assert sorted(reports["clients"]) == ["assur-nord", "pompes-sud"], ready.stdout
    for report in reports["clients"].values():
        database = next(c for c in report["checks"] if c["name"] == "database")
        assert database["status"] == "ok" and "encrypted" in database["detail"]
        assert any(c["name"] == "tables" and c["status"] == "ok" for c in report["checks"])

    # the key of one client lost (a PC returned to the pool): that client is not ready
    found = store_key.find(DataPaths.resolve(data_dir, "assur-nord").database)
    assert found is not None
    (store_key.key_dir() / f"{found.store_id}.key").unlink()
    lost = repli(data_dir, "doctor")
    assert lost.returncode == 1
    assert "== Pompes Funèbres du Sud (--client pompes-sud)" in lost.stdout
    assert "== Assurances du Nord (--client assur-nord)" in lost.stdout
    assert "the seat is NOT READY: assur-nord" in lost.stdout
    assert "Traceback" not in lost.stdout + lost.stderr
    assert json.loads(repli(data_dir, "doctor", "--json").stdout)["ready"] is False


def test_a_one_client_seats_data_becomes_a_named_clients_in_place(
    data_dir: Path, tmp_path: Path
) -> None:
    import shutil

    from desktop.store.cipher import is_plain
    from desktop.store.contacts import get_contact, load_draft
    from tests.e2e.test_upgrade import OLD_DATABASE

    shutil.copy2(OLD_DATABASE, data_dir / "repli.sqlite3")  # Repli 0.1.0's: plain, schema 0001
    done = repli(data_dir, "provision", "--client", "pompes-sud", "--client-name",
                 "Pompes Funèbres du Sud", "--site", "Lyon secours", "--seat", "B-07")  # fmt: skip
    assert done.returncode == 0, done.stderr
    unknown = repli(data_dir, "clients", "adopt", "assur-nord")
    assert unknown.returncode == 1 and "provision it first" in unknown.stderr

    adopted = repli(data_dir, "clients", "adopt", "pompes-sud")
    assert adopted.returncode == 0, adopted.stderr
    assert (
        "now client pompes-sud's" in adopted.stdout and "2 contact(s), encrypted" in adopted.stdout
    )
    root = DataPaths.resolve(data_dir, "pompes-sud").root
    assert not (data_dir / "repli.sqlite3").exists() and not (data_dir / "store.json").exists()
    database = root / "repli.sqlite3"
    assert not is_plain(database) and b"Durand" not in database.read_bytes()
    assert json.loads((root / "store.json").read_text())["client"] == "pompes-sud"

    context = SeatContext.open(str(root))  # everything the old version kept, the client's now
    try:
        first = get_contact(context.engine, "old-contact-1")
        assert first is not None and first.revision == 2 and first.caller_name == "Mme Durand"
        draft = load_draft(context.engine)
        assert draft is not None and draft.caller_name == "M. Half-typed"
    finally:
        context.close()
    out = tmp_path / "sud.jsonl"
    exported = repli(data_dir, "--client", "pompes-sud", "export", "--format", "jsonl",
                     "-o", str(out))  # fmt: skip
    assert exported.returncode == 0, exported.stderr
    assert json.loads(out.read_text().splitlines()[0])["client"] == "pompes-sud"
    again = repli(data_dir, "clients", "adopt", "pompes-sud")
    assert again.returncode == 1 and "holds no data of its own" in again.stderr


def test_a_client_provisioned_pc_wide_is_every_agent_accounts(
    data_dir: Path, tmp_path: Path
) -> None:
    done = repli(data_dir, "provision", "--system", "--client", "pompes-sud", "--client-name",
                 "Pompes Funèbres du Sud", "--client-colour", "#1f7a3a", "--site", "Lyon secours",
                 "--seat", "B-07", "--tables", str(DEMO_PACK))  # fmt: skip
    assert done.returncode == 0, done.stderr
    other_account = tmp_path / "another-agent"  # another account of the PC: its own data
    other_account.mkdir()
    listed = json.loads(repli(other_account, "clients", "--json").stdout)
    assert [(c["id"], c["name"], c["colour"]) for c in listed] == [
        ("pompes-sud", "Pompes Funèbres du Sud", "#1f7a3a")]  # fmt: skip
    found = repli(other_account, "--client", "pompes-sud", "lookup", "6881", "--json")
    assert found.returncode == 0, found.stderr
    assert json.loads(found.stdout)[0]["branch_name"] == "Obsèques Démo Paris Centre"
    assert (other_account / "clients" / "pompes-sud" / "repli.sqlite3").exists()  # its own store


def test_a_client_file_never_goes_into_the_seats_own_store_nor_another_clients_plain_one(
    data_dir: Path, tmp_path: Path
) -> None:
    """A client's export merged without ``--client`` went into the seat's own store (then
    ``clients adopt`` made it another client's); with stores unencrypted, client B's store
    file was merged into client A's (a plain store had no store.json to name its client)."""
    system = Path(os.environ["REPLI_SYSTEM_CONFIG"])  # the PC-wide file alone may say so
    system.parent.mkdir(parents=True, exist_ok=True)
    system.write_text("store_encryption = false\n", encoding="utf-8")
    provision(data_dir, "pompes-sud", "Pompes Funèbres du Sud", "#1f7a3a")
    provision(data_dir, "assur-nord", "Assurances du Nord", "#f2c200")
    save(data_dir, "pompes-sud", "Appelant Sud", 2)
    save(data_dir, "assur-nord", "Appelant Nord", 1)
    sud = DataPaths.resolve(data_dir, "pompes-sud")
    assert store_key.read_store_file(sud.database) is None  # plain: no store.json
    exported = repli(data_dir, "--client", "pompes-sud", "export", "--format", "jsonl",
                     "-o", str(tmp_path / "sud.jsonl"))  # fmt: skip
    assert exported.returncode == 0, exported.stderr

    own = tmp_path / "own-seat"  # a seat with no client: its own store
    for given in (tmp_path / "sud.jsonl", sud.database):
        refused = repli(own, "merge", str(given))
        assert refused.returncode == 1, refused.stdout
        assert "holds the contacts of client 'pompes-sud'" in refused.stderr
        assert "the seat's own (no client)" in refused.stderr
    into_other = repli(data_dir, "--client", "assur-nord", "merge", str(sud.database))
    assert into_other.returncode == 1
    assert "holds the contacts of client 'pompes-sud'" in into_other.stderr
    into_own = repli(data_dir, "--client", "pompes-sud", "merge", str(tmp_path / "sud.jsonl"))
    assert into_own.returncode == 0, into_own.stderr


def test_a_command_without_client_on_a_seat_of_clients_is_refused(data_dir: Path) -> None:
    """It made the seat's own store, with the fictional demo pack, first in the sign-in."""
    provision(data_dir, "pompes-sud", "Pompes Funèbres du Sud", "#1f7a3a")
    for command in (("lookup", "6881"), ("export", "--format", "csv", "-o", "-")):
        refused = repli(data_dir, *command)
        assert refused.returncode == 2, refused.stdout
        assert "this seat has clients (pompes-sud): give --client ID" in refused.stderr
        assert "Traceback" not in refused.stderr
    assert not DataPaths.resolve(data_dir).database.exists()


def test_a_client_whose_store_is_open_is_not_erased(data_dir: Path) -> None:
    """``clients remove`` erased a client whose window ran: its next save failed."""
    provision(data_dir, "pompes-sud", "Pompes Funèbres du Sud", "#1f7a3a")
    save(data_dir, "pompes-sud", "Appelant Sud", 1)
    assert repli(data_dir, "--client", "pompes-sud", "sync", "--once").returncode in (0, 1)
    window = SeatContext.open(str(DataPaths.resolve(data_dir, "pompes-sud").root))
    try:
        store.save_contact(window.engine, ContactData(agent="Claire", caller_name="x"), "Claire")
        refused = repli(data_dir, "clients", "remove", "pompes-sud", "--force")
        assert refused.returncode == 1
        assert "in use by another Repli process" in refused.stderr
        assert DataPaths.resolve(data_dir, "pompes-sud").database.exists()
        assert store.save_contact(
            window.engine, ContactData(agent="Claire", caller_name="y"), "Claire"
        )
    finally:
        window.close()
    erased = repli(data_dir, "clients", "remove", "pompes-sud", "--force")
    assert erased.returncode == 0, erased.stderr


def test_a_client_seats_branch_sheets_and_exports_name_the_client(
    data_dir: Path, tmp_path: Path
) -> None:
    from pypdf import PdfReader

    provision(data_dir, "pompes-sud", "Pompes Funèbres du Sud", "#1f7a3a")
    context = SeatContext.open(str(DataPaths.resolve(data_dir, "pompes-sud").root))
    try:
        contact = ContactData(agent="Claire", seat_id="B-07", caller_name="Mme Sud",
                              outcome="message", branch_id="AG00001", branch_name="Agence")  # fmt: skip
        store.save_contact(context.engine, contact, "Claire")
    finally:
        context.close()
    sheets = tmp_path / "sheets"
    done = repli(data_dir, "--client", "pompes-sud", "export", "--branch-sheets", str(sheets),
                 "--since", "2020-01-01")  # fmt: skip
    assert done.returncode == 0, done.stderr
    text = " ".join(page.extract_text() for page in PdfReader(sheets / "AG00001.pdf").pages)
    assert "Client : Pompes Funèbres du Sud" in " ".join(text.split())
    exported = repli(data_dir, "--client", "pompes-sud", "export", "--format", "csv", "-o", "-")
    assert exported.returncode == 0 and exported.stdout.splitlines()[1].endswith(",pompes-sud")
