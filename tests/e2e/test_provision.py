"""``repli provision``: one command makes a seat; run again, it changes it."""

from __future__ import annotations

import json
import os
import shutil
import stat
import tomllib
from pathlib import Path

from tests.helpers.cli import repli
from tests.helpers.packs import write_pack

DEMO = Path(__file__).resolve().parents[2] / "lookup_tables" / "demo"


def test_provision_then_again_is_idempotent_and_changes_what_is_given(
    data_dir: Path, tmp_path: Path
) -> None:
    first = repli(
        data_dir,
        "provision",
        "--site",
        "Lyon secours",
        "--seat",
        "B-07",
        "--tables",
        str(DEMO),
        "--mode",
        "overflow",
        "--sync-url",
        "http://127.0.0.1:9/crm",
        "--sync-token",
        "t1",
    )
    assert first.returncode == 0, first.stderr
    assert "tables: imported Réseau démo" in first.stdout
    config_file = data_dir / "config.toml"
    assert stat.S_IMODE(config_file.stat().st_mode) == 0o600  # it holds the CRM token
    again = repli(
        data_dir,
        "provision",
        "--site",
        "Lyon secours",
        "--seat",
        "B-08",
        "--tables",
        str(DEMO),
        "--sync-url",
        "http://127.0.0.1:9/crm2",
        "--sync-token",
        "t2",
    )
    assert again.returncode == 0 and "already active" in again.stdout
    written = tomllib.loads(config_file.read_text())
    assert (written["seat_id"], written["mode"], written["pop_port"]) == ("B-08", "overflow", 0)
    assert written["sync_targets"] == [
        {
            "name": "crm",
            "kind": "http",
            "url": "http://127.0.0.1:9/crm2",
            "token": "t2",
            "folder": "",
            "database_url": "",
            "exercise": False,
            "batch_size": 100,
            "timeout_s": 10.0,
        }
    ]
    assert "language" not in written  # only what was given: the PC-wide file keeps the rest
    status = json.loads(repli(data_dir, "tables", "status", "--json").stdout)
    assert status["name"] == "Réseau démo"
    new_pack = repli(
        data_dir,
        "provision",
        "--site",
        "Lyon secours",
        "--seat",
        "B-08",
        "--tables",
        str(write_pack(tmp_path / "pack")),
    )
    assert "imported Test pack 7" in new_pack.stdout


def test_the_pc_wide_config_for_installers(data_dir: Path, tmp_path: Path) -> None:
    system = Path(os.environ["REPLI_SYSTEM_CONFIG"])
    done = repli(
        data_dir,
        "provision",
        "--system",
        "--site",
        "Site Nord",
        "--seat",
        "generic",
        "--mode",
        "exercise",
    )
    assert done.returncode == 0 and str(system) in done.stdout
    # readable by the agents' accounts: the group repli alone where the PC has it (the .deb
    # makes it), else every account
    assert stat.S_IMODE(system.stat().st_mode) == (0o640 if _agents_group() else 0o644)
    doctor = json.loads(repli(data_dir, "doctor", "--json").stdout)
    assert next(c for c in doctor["checks"] if c["name"] == "config")["status"] == "ok"
    status = repli(data_dir, "lookup", "6881", "--json")
    assert status.returncode == 0


def test_bad_values_change_nothing(data_dir: Path) -> None:
    assert repli(data_dir, "provision", "--site", "S", "--seat", "1").returncode == 0
    before = (data_dir / "config.toml").read_text()
    bad = repli(data_dir, "provision", "--site", "S", "--seat", "1", "--sync-url", "ftp://nope")
    assert bad.returncode == 1 and "url must start with http" in bad.stderr
    assert (data_dir / "config.toml").read_text() == before


def test_supervisor_pin_from_a_file_at_provisioning_then_changed(
    data_dir: Path, tmp_path: Path
) -> None:
    from desktop.supervisor.pin import verify_pin

    system = Path(os.environ["REPLI_SYSTEM_CONFIG"])
    pin_file = tmp_path / "pin.txt"
    pin_file.write_text("583016\n")
    seat_only = repli(
        data_dir, "provision", "--site", "S", "--seat", "1", "--supervisor-pin-file", str(pin_file)
    )
    assert seat_only.returncode != 0 and "--system" in seat_only.stderr
    done = repli(
        data_dir, "provision", "--system", "--site", "S", "--seat", "1",
        "--supervisor-pin-file", str(pin_file),
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    written = system.read_text()
    assert "583016" not in written
    assert verify_pin("583016", tomllib.loads(written)["supervisor_pin_hash"])

    pin_file.write_text("771204\n")
    changed = repli(data_dir, "supervisor", "set-pin", "--pin-file", str(pin_file))
    assert changed.returncode == 0, changed.stderr
    config = tomllib.loads(system.read_text())
    assert verify_pin("771204", config["supervisor_pin_hash"])
    assert config["site"] == "S"  # the rest kept

    pin_file.write_text("1111\n")
    weak = repli(data_dir, "supervisor", "set-pin", "--pin-file", str(pin_file))
    assert weak.returncode != 0 and "6 to 64 characters" in weak.stderr
    assert tomllib.loads(system.read_text()) == config  # unchanged


def test_pc_wide_provisioning_gives_every_agent_account_the_pack(
    data_dir: Path, tmp_path: Path
) -> None:
    """IT provisions the PC once (--system); an agent account that never saw the pack
    imports it at its first start, and again only when IT provisions a new one."""
    system_config = Path(os.environ["REPLI_SYSTEM_CONFIG"])
    pack = write_pack(tmp_path / "pack")
    done = repli(tmp_path / "it", "provision", "--system", "--site", "S", "--seat", "P-1")
    assert done.returncode == 0, done.stderr
    done = repli(
        tmp_path / "it",
        "provision",
        "--system",
        "--site",
        "S",
        "--seat",
        "P-1",
        "--tables",
        str(pack),
    )
    assert done.returncode == 0, done.stderr
    published = Path(tomllib.loads(system_config.read_text())["tables_pack"])
    assert published.parent == system_config.parent / "tables" and published.is_dir()
    assert {p.name for p in published.iterdir()} == {p.name for p in pack.iterdir()}

    agent = tmp_path / "agent-account"
    lookup = repli(agent, "lookup", "--json", "0102")
    assert lookup.returncode == 0, lookup.stderr
    status = json.loads(repli(agent, "tables", "status", "--json").stdout)
    assert status["name"] != "Réseau démo", status  # the PC's pack, not the demo one
    doctor = json.loads(repli(agent, "doctor", "--json").stdout)
    tables = next(c for c in doctor["checks"] if c["name"] == "tables")
    assert tables["status"] == "ok", tables

    shutil.rmtree(published)
    doctor = json.loads(repli(agent, "doctor", "--json").stdout)
    tables = next(c for c in doctor["checks"] if c["name"] == "tables")
    assert tables["status"] == "fail" and "is missing" in tables["detail"]


def _agents_group() -> bool:
    import grp

    try:
        grp.getgrnam("repli")
    except KeyError:
        return False
    return True


def test_pc_wide_folders_made_by_provisioning_are_readable_by_the_agents(
    data_dir: Path, tmp_path: Path, monkeypatch: object
) -> None:
    """Under Repli's umask (077) ``provision --system`` made a missing /etc/repli 0700: the
    agents then saw no client, and every agent command ended in a PermissionError."""
    import subprocess
    import sys

    system = tmp_path / "pc" / "etc" / "repli" / "config.toml"
    env = {**os.environ, "REPLI_SYSTEM_CONFIG": str(system), "QT_QPA_PLATFORM": "offscreen"}
    command = [sys.executable, "-m", "desktop", "--data-dir", str(data_dir)]
    done = subprocess.run(
        [*command, "provision", "--system", "--site", "S", "--seat", "P-1", "--tables", str(DEMO)],
        capture_output=True, text=True, env=env, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    for folder in (
        tmp_path / "pc",
        tmp_path / "pc" / "etc",
        system.parent,
        system.parent / "tables",
    ):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o755, folder
    checkout = Path(__file__).resolve().parents[2]
    reachable = all(os.stat(f).st_mode & 0o005 == 0o005 for f in (checkout, *checkout.parents))
    if os.geteuid() != 0 or not reachable:  # another account must be able to run this checkout
        return
    # and an agent account (nobody) that cannot read a folder made 0700 by hand is told what
    # to do; its own folders where it may reach them (pytest's are root's alone)
    import tempfile

    base = Path(tempfile.mkdtemp(prefix="repli-agent-", dir="/tmp"))
    try:
        base.chmod(0o755)
        pc = base / "etc" / "repli"
        shutil.copytree(system.parent, pc)
        for folder in (base / "etc", pc):
            folder.chmod(0o755)
        pc.chmod(0o700)
        agent = base / "agent"
        agent.mkdir()
        agent.chmod(0o777)
        as_agent = subprocess.run(
            ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
             *command[:3], "--data-dir", str(agent / "data"), "lookup", "6881"],
            capture_output=True, text=True, timeout=120,
            env={**env, "HOME": str(agent), "REPLI_SYSTEM_CONFIG": str(pc / "config.toml")},
        )  # fmt: skip
    finally:
        shutil.rmtree(base)
    system = pc / "config.toml"
    assert as_agent.returncode != 0 and "Traceback" not in as_agent.stderr, as_agent.stderr
    assert f"chmod 755 {system.parent}" in as_agent.stderr
