"""``repli site config``: the files a site store needs, readable by YAML as Patroni and etcd
read them, the pitfalls of the trial avoided, secrets 0600 and never printed."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
import yaml

from desktop.cli import main
from desktop.site.store_config import SiteConfigError, SitePlan, write_site
from desktop.store.site_url import asks_writable, hosts_of

NODES = ["10.1.0.11", "10.1.0.12"]


def test_the_files_of_a_two_node_site_with_an_etcd_witness(tmp_path: Path) -> None:
    written = write_site(
        SitePlan(NODES, ["10.1.0.13"], seats=330, pgbouncer=True), tmp_path / "site"
    )
    node1 = yaml.safe_load((tmp_path / "site" / "node1" / "patroni.yml").read_text())
    assert node1["etcd3"]["hosts"] == ["10.1.0.11:2379", "10.1.0.12:2379", "10.1.0.13:2379"]
    dcs = node1["bootstrap"]["dcs"]
    assert dcs["synchronous_mode"] is True and dcs["synchronous_mode_strict"] is False
    assert dcs["postgresql"]["parameters"]["max_connections"] == 330 * 2 + 50
    assert dcs["postgresql"]["parameters"]["lc_messages"] == "C"
    assert "pg_hba" not in node1["bootstrap"]  # after initdb's trust lines there
    hba = node1["postgresql"]["pg_hba"]
    assert not any("trust" in line for line in hba)
    assert "host replication replicator 10.1.0.12/32 scram-sha-256" in hba
    etcd3 = yaml.safe_load((tmp_path / "site" / "node3" / "etcd.yml").read_text())
    assert etcd3["enable-grpc-gateway"] is True  # Patroni's etcd3 speaks its HTTP gateway
    assert not (tmp_path / "site" / "node3" / "patroni.yml").exists()  # a witness: etcd only
    url = written.seat_url_file.read_text().strip()
    assert asks_writable(url) and hosts_of(url) == ["10.1.0.11:6432", "10.1.0.12:6432"]
    ini = (tmp_path / "site" / "node1" / "pgbouncer.ini").read_text()
    assert ini.count("transaction") == 1
    # the node's PgBouncer logs in from the node; it asks its node again at each role change
    assert "host repli repli 10.1.0.11/32 scram-sha-256" in hba
    assert "unix_socket_dir = /var/lib/repli-site/node1\n" in ini
    follow = "/var/lib/repli-site/node1/pgbouncer-follow.sh"
    assert node1["postgresql"]["callbacks"]["on_role_change"] == follow
    assert set(node1["postgresql"]["callbacks"]) == {
        "on_start", "on_stop", "on_restart", "on_role_change"
    }  # fmt: skip
    script = (tmp_path / "site" / "node1" / "pgbouncer-follow.sh").read_text()
    assert "-c RECONNECT 'host=/var/lib/repli-site/node1 port=6432 dbname=pgbouncer" in script
    # promoting, Patroni calls it before PostgreSQL has left recovery: it asks again after
    assert "select pg_is_in_recovery()" in script and script.rstrip().endswith("ask_again")
    for path in written.files:
        if path.name != "README.txt":
            assert stat.S_IMODE(path.stat().st_mode) & 0o077 == 0, path


@pytest.mark.parametrize("seats", [30, 330])
def test_without_pgbouncer_asked_for_the_url_names_the_servers(tmp_path: Path, seats: int) -> None:
    """PgBouncer is asked for, never chosen for the IT person (docs/site.md's sizing)."""
    written = write_site(SitePlan(NODES, ["10.1.0.13"], seats=seats), tmp_path / "site")
    assert hosts_of(written.seat_url_file.read_text()) == ["10.1.0.11:5432", "10.1.0.12:5432"]
    assert not (tmp_path / "site" / "node1" / "pgbouncer.ini").exists()
    node1 = yaml.safe_load((tmp_path / "site" / "node1" / "patroni.yml").read_text())
    assert "callbacks" not in node1["postgresql"]


@pytest.mark.parametrize(
    ("plan", "why"),
    [
        (SitePlan(["10.1.0.11"], ["10.1.0.12", "10.1.0.13"]), "two PostgreSQL nodes"),
        (SitePlan(NODES), "three members"),
        (SitePlan([*NODES, "db3.local"]), "not an IP address"),
        (SitePlan([*NODES, "10.1.0.11"]), "given twice"),
        (SitePlan(NODES, ["10.1.0.13"], seats_network=("everyone",)), "not a network"),
        (SitePlan(NODES, ["10.1.0.13"], data_root="/srv/x'; rm -rf /"), "without quotes"),
        (SitePlan(NODES, ["10.1.0.13"], ttl=8), "ttl >= loop_wait"),
    ],
)
def test_a_plan_that_cannot_work_is_refused(tmp_path: Path, plan: SitePlan, why: str) -> None:
    with pytest.raises(SiteConfigError, match=why):
        write_site(plan, tmp_path / "site")
    assert not (tmp_path / "site").exists()


def test_an_existing_site_folder_is_never_overwritten(tmp_path: Path) -> None:
    write_site(SitePlan(NODES, ["10.1.0.13"]), tmp_path / "site")
    before = (tmp_path / "site" / "seat-url.txt").read_text()
    with pytest.raises(SiteConfigError, match="not empty"):
        write_site(SitePlan(NODES, ["10.1.0.13"]), tmp_path / "site")
    assert (tmp_path / "site" / "seat-url.txt").read_text() == before


def test_the_command_prints_no_secret(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "site"
    assert main(["site", "config", "--node", NODES[0], "--node", NODES[1],
                 "--etcd-only", "10.1.0.13", "--out", str(out)]) == 0  # fmt: skip
    printed = capsys.readouterr()
    password = (out / "seat-url.txt").read_text().split(":", 2)[2].split("@")[0]
    assert password and password not in printed.out + printed.err
    assert "seat-url.txt" in printed.out
    assert main(["site", "config", "--node", NODES[0], "--out", str(tmp_path / "x")]) == 2
    assert "two PostgreSQL nodes" in capsys.readouterr().err
