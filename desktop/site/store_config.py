"""``repli site config``: what a backup site's highly available store needs, written as
``repli telephony site-proxy`` writes Kamailio's: for each node, etcd's and Patroni's
configuration (PostgreSQL under Patroni, synchronous replication, non-strict: a site whose
standby is down still takes contacts), the roles and database created at bootstrap, and the
one URL every seat is given (every host, ``target_session_attrs=read-write``); optionally a
PgBouncer in transaction mode in front.

Pitfalls it avoids (met in the trial of docs/site.md): Patroni 3.0 with etcd 3.4 needs its
``etcd3:`` section; ``pg_hba`` goes under ``postgresql`` (under ``bootstrap`` it lands after
initdb's ``trust`` lines, and logins from the nodes got in without a password);
``lc_messages`` is C, so that a failure's words are PostgreSQL's English ones in every log.
Secrets are in files 0600 only, never printed.
"""

from __future__ import annotations

import ipaddress
import re
import secrets
import shlex
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from desktop.files import write_output

SCOPE = "repli-site"
DATABASE = "repli"
APP_USER = "repli"
REPLICATION_USER = "replicator"
SUPERUSER = "postgres"
PRIVATE = ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "127.0.0.0/8")
CONNECTIONS_PER_SEAT = 2  # make_site_engine: one kept, one more at a peak
SUPERVISION_CONNECTIONS = 50  # supervision windows (~15 each), wall screens, doctor, admin
# Patroni runs it on each of these: the node's PgBouncer asks its PostgreSQL again whether it
# is a standby (PgBouncer 1.18 replays its first server connection's answer to every seat,
# pgbouncer/pgbouncer#859: without this, a promoted node is still called a standby)
PGBOUNCER_FOLLOW = "pgbouncer-follow.sh"
PGBOUNCER_EVENTS = ("on_start", "on_stop", "on_restart", "on_role_change")
_NAME = re.compile(r"[a-z][a-z0-9-]{0,30}")


class SiteConfigError(ValueError):
    pass


@dataclass(frozen=True)
class Ports:
    postgres: int = 5432
    rest: int = 8008
    etcd: int = 2379  # the client's; the peers' is the next one
    pgbouncer: int = 6432


@dataclass
class SitePlan:
    """What to write: the nodes (etcd and PostgreSQL), the etcd-only members (a third vote
    on a small machine), the seats it is sized for."""

    nodes: list[str]
    etcd_only: list[str] = field(default_factory=list)
    seats: int = 330
    data_root: str = "/var/lib/repli-site"
    bin_dir: str = "/usr/lib/postgresql/15/bin"
    seats_network: tuple[str, ...] = PRIVATE
    ports: Ports = field(default_factory=Ports)
    # asked for only (--pgbouncer): PostgreSQL takes a connection a seat at 330 seats, as
    # measured (docs/site.md's sizing)
    pgbouncer: bool = False
    scope: str = SCOPE
    # Patroni's leader lease: a dead leader is replaced within ``ttl`` s (and loop_wait)
    # where the nodes reach each other from (replication, rewind): each node's /32 unless
    # given (on one machine's loopback, every connection comes from 127.0.0.1)
    nodes_network: tuple[str, ...] = ()
    ttl: int = 20
    loop_wait: int = 5
    retry_timeout: int = 5

    def check(self) -> None:
        members = self.nodes + self.etcd_only
        if len(self.nodes) < 2:
            raise SiteConfigError("a site store needs two PostgreSQL nodes at least (--node)")
        if len(members) < 3:
            raise SiteConfigError(
                "etcd needs three members to survive one's loss: add a --node or an --etcd-only"
            )
        for address in members:
            try:
                ipaddress.ip_address(address)
            except ValueError:
                raise SiteConfigError(f"{address[:60]!r} is not an IP address") from None
        if len(set(members)) != len(members):
            raise SiteConfigError("an address is given twice")
        for network in self.seats_network + self.nodes_network:
            try:
                ipaddress.ip_network(network, strict=False)
            except ValueError:
                raise SiteConfigError(f"{network[:60]!r} is not a network (10.1.0.0/16)") from None
        if not 1 <= self.seats <= 5000:
            raise SiteConfigError("--seats: from 1 to 5000")
        if (
            self.ttl < self.loop_wait + 2 * self.retry_timeout
            or min(self.ttl, self.loop_wait, self.retry_timeout) < 1
        ):
            raise SiteConfigError("Patroni needs ttl >= loop_wait + 2 x retry_timeout")
        if not _NAME.fullmatch(self.scope):
            raise SiteConfigError("--scope: lower-case letters, digits and -, 31 at most")
        for text in (self.data_root, self.bin_dir):
            if not text.startswith("/") or any(c in text for c in "\n\r'\"\\$`"):
                raise SiteConfigError(f"{text[:60]!r}: an absolute path without quotes")

    @property
    def max_connections(self) -> int:
        return max(100, self.seats * CONNECTIONS_PER_SEAT + SUPERVISION_CONNECTIONS)


@dataclass(frozen=True)
class Written:
    folder: Path
    files: list[Path]
    seat_url_file: Path


def seat_url(plan: SitePlan, password: str, through_pgbouncer: bool = False) -> str:
    # a PgBouncer on each node, in front of that node's PostgreSQL only: the seat's libpq
    # asks each whether it is writable, as it asks the servers themselves
    port = plan.ports.pgbouncer if through_pgbouncer else plan.ports.postgres
    hosts = "&".join(f"host={a}:{port}" for a in plan.nodes)
    return (
        f"postgresql+psycopg://{APP_USER}:{password}@/{DATABASE}?{hosts}"
        "&target_session_attrs=read-write"
    )


def write_site(plan: SitePlan, folder: Path) -> Written:
    plan.check()
    if folder.exists() and any(folder.iterdir()):
        raise SiteConfigError(f"{folder}: not empty (its secrets would be replaced)")
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    secret = {k: secrets.token_urlsafe(24) for k in ("superuser", "replication", "app", "rest")}
    files: list[Path] = []
    members = plan.nodes + plan.etcd_only
    cluster = ",".join(
        f"{_member(i)}=http://{a}:{plan.ports.etcd + 1}" for i, a in enumerate(members)
    )
    for i, address in enumerate(members):
        node = folder / _member(i)
        node.mkdir(mode=0o700, exist_ok=True)
        files.append(_yaml(node / "etcd.yml", _etcd(plan, i, address, cluster)))
        if address in plan.nodes:
            files.append(_yaml(node / "patroni.yml", _patroni(plan, i, address, secret)))
            files.append(
                write_output(node / "post_bootstrap.sh", _post_bootstrap(secret).encode(), 0o700)
            )
            if plan.pgbouncer:
                files += _pgbouncer(plan, node, address, secret)
    url_file = write_output(
        folder / "seat-url.txt",
        (seat_url(plan, secret["app"], plan.pgbouncer) + "\n").encode(),
    )
    files.append(url_file)
    files.append(write_output(folder / "README.txt", _readme(plan).encode(), 0o644))
    return Written(folder, files, url_file)


def _member(index: int) -> str:
    return f"node{index + 1}"


def _yaml(path: Path, data: dict[str, Any]) -> Path:
    text = "# written by repli site config: see docs/site.md\n" + yaml.safe_dump(
        data, sort_keys=False, default_flow_style=False
    )
    return write_output(path, text.encode(), 0o600)


def _etcd(plan: SitePlan, index: int, address: str, cluster: str) -> dict[str, Any]:
    return {
        "name": _member(index),
        "data-dir": f"{plan.data_root}/{_member(index)}/etcd",
        "listen-peer-urls": f"http://{address}:{plan.ports.etcd + 1}",
        "listen-client-urls": f"http://{address}:{plan.ports.etcd}",
        "initial-advertise-peer-urls": f"http://{address}:{plan.ports.etcd + 1}",
        "advertise-client-urls": f"http://{address}:{plan.ports.etcd}",
        "initial-cluster": cluster,
        "initial-cluster-token": plan.scope,
        "initial-cluster-state": "new",
        "enable-v2": False,
        # a config file's unset keys are Go's zero values, not the flags' defaults: without
        # this, etcd 3.4 serves no /v3 HTTP gateway and Patroni's etcd3 waits for ever
        "enable-grpc-gateway": True,
    }


def _patroni(plan: SitePlan, index: int, address: str, secret: dict[str, str]) -> dict[str, Any]:
    name = _member(index)
    members = plan.nodes + plan.etcd_only
    data = f"{plan.data_root}/{name}"
    peers = plan.nodes_network or tuple(f"{a}/32" for a in plan.nodes)
    hba = ["local all postgres peer"]  # Patroni's own connections, on its Unix socket
    hba += [f"host replication {REPLICATION_USER} {n} scram-sha-256" for n in peers]
    hba += [f"host all {SUPERUSER} {n} scram-sha-256" for n in peers]  # pg_rewind
    hba += [f"host {DATABASE} {APP_USER} {n} scram-sha-256" for n in plan.seats_network]
    if plan.pgbouncer:  # the node's PgBouncer logs in from the node itself
        hba += [f"host {DATABASE} {APP_USER} {n} scram-sha-256" for n in peers]
    postgresql: dict[str, Any] = {
        "listen": f"{address}:{plan.ports.postgres}",
        "connect_address": f"{address}:{plan.ports.postgres}",
        "data_dir": f"{data}/pg",
        "bin_dir": plan.bin_dir,
        "pgpass": f"{data}/pgpass",
        "authentication": {
            "superuser": {"username": SUPERUSER, "password": secret["superuser"]},
            "replication": {"username": REPLICATION_USER, "password": secret["replication"]},
            "rewind": {"username": SUPERUSER, "password": secret["superuser"]},
        },
        "use_unix_socket": True,
        # a new standby's copy starts at once, not at the next checkpoint (up to 5 min)
        "basebackup": [{"checkpoint": "fast"}],
        "parameters": {"unix_socket_directories": data},
        "pg_hba": hba,
    }
    if plan.pgbouncer:
        follow = f"{data}/{PGBOUNCER_FOLLOW}"
        postgresql["callbacks"] = {event: follow for event in PGBOUNCER_EVENTS}
    return {
        "scope": plan.scope,
        "name": name,
        "restapi": {
            "listen": f"{address}:{plan.ports.rest}",
            "connect_address": f"{address}:{plan.ports.rest}",
            "authentication": {"username": "patroni", "password": secret["rest"]},
        },
        "ctl": {"authentication": {"username": "patroni", "password": secret["rest"]}},
        "etcd3": {"hosts": [f"{a}:{plan.ports.etcd}" for a in members]},
        "bootstrap": {
            "dcs": {
                "ttl": plan.ttl,
                "loop_wait": plan.loop_wait,
                "retry_timeout": plan.retry_timeout,
                "maximum_lag_on_failover": 1_048_576,
                "synchronous_mode": True,
                "synchronous_mode_strict": False,
                "postgresql": {
                    "use_pg_rewind": True,
                    "parameters": {
                        "max_connections": plan.max_connections,
                        "lc_messages": "C",
                        "wal_level": "replica",
                        "hot_standby": "on",
                        "wal_log_hints": "on",
                        "max_wal_senders": 10,
                        "max_replication_slots": 10,
                        "password_encryption": "scram-sha-256",
                        "tcp_keepalives_idle": 5,
                        "tcp_keepalives_interval": 2,
                        "tcp_keepalives_count": 3,
                    },
                },
            },
            "initdb": [{"encoding": "UTF8"}, {"locale": "C.UTF-8"}, "data-checksums"],
            "post_bootstrap": f"{data}/post_bootstrap.sh",
        },
        "postgresql": postgresql,
    }


def _post_bootstrap(secret: dict[str, str]) -> str:
    """Run once by Patroni on the first leader, with its connection string: the seats' role
    (pg_monitor: ``repli doctor`` sees the replication) and their database."""
    sql = (
        f"CREATE ROLE {APP_USER} LOGIN PASSWORD '{secret['app']}';\n"
        f"GRANT pg_monitor TO {APP_USER};\n"
        f"CREATE DATABASE {DATABASE} OWNER {APP_USER};\n"
    )
    return (
        "#!/bin/sh\n"
        "# written by repli site config: Patroni runs it once, on the first leader\n"
        "set -e\n"
        f"psql \"$1\" -v ON_ERROR_STOP=1 <<'SQL'\n{sql}SQL\n"
    )


def _pgbouncer(plan: SitePlan, node: Path, address: str, secret: dict[str, str]) -> list[Path]:
    """Transaction pooling in front of this node's PostgreSQL: the seats' connections share
    a few server ones. Psycopg's prepared statements are off on site engines
    (desktop.store.site_calls)."""
    data = f"{plan.data_root}/{node.name}"
    ini = (
        "; written by repli site config: see docs/site.md\n"
        "[databases]\n"
        f"{DATABASE} = host={address} port={plan.ports.postgres} dbname={DATABASE}\n"
        "[pgbouncer]\n"
        f"listen_addr = {address}\n"
        f"listen_port = {plan.ports.pgbouncer}\n"
        "auth_type = scram-sha-256\n"
        f"auth_file = {data}/pgbouncer-users.txt\n"
        # the node's own folder: the follow script reaches the admin console there, as the
        # same user, without a password (PgBouncer's rule for its "pgbouncer" user)
        f"unix_socket_dir = {data}\n"
        "pool_mode = transaction\n"
        f"max_client_conn = {plan.seats * CONNECTIONS_PER_SEAT + SUPERVISION_CONNECTIONS}\n"
        "default_pool_size = 40\n"
        "server_check_query = select pg_is_in_recovery()\n"
        "server_lifetime = 600\n"
        "tcp_keepalive = 1\n"
        "tcp_keepidle = 5\n"
        "tcp_keepintvl = 2\n"
        "tcp_keepcnt = 3\n"
    )
    users = f'"{APP_USER}" "{secret["app"]}"\n'
    return [
        write_output(node / "pgbouncer.ini", ini.encode(), 0o600),
        write_output(node / "pgbouncer-users.txt", users.encode(), 0o600),
        write_output(node / PGBOUNCER_FOLLOW, _follow_script(plan, data).encode(), 0o700),
    ]


def _follow_script(plan: SitePlan, data: str) -> str:
    """What Patroni runs at each start, stop and role change of the node: its PgBouncer told
    to ask again, at once (a demoted node stops being called writable) and once the node is
    what Patroni says (Patroni runs it on promoting, before PostgreSQL has left recovery: a
    PgBouncer that asked then would call the new leader a standby again)."""
    psql = f"{plan.bin_dir}/psql -X -q"
    admin = f"host={data} port={plan.ports.pgbouncer} dbname=pgbouncer user=pgbouncer"
    local = f"host={data} port={plan.ports.postgres} dbname=postgres"
    return (
        "#!/bin/sh\n"
        "# written by repli site config: Patroni runs it when this node's PostgreSQL starts,\n"
        "# stops or changes role ($1 what, $2 the role). PgBouncer 1.18 tells every seat what\n"
        "# its first server connection said (in_hot_standby, pgbouncer/pgbouncer#859):\n"
        "# RECONNECT makes it ask again, so that a promoted node is not called a standby.\n"
        f"ask_again() {{ {psql} -c RECONNECT '{admin}'; }}\n"
        "ask_again\n"
        'case "$1:$2" in\n'
        "  on_stop:*) exit 0 ;;\n"
        "  *:master|*:primary|*:promoted) want=f ;;\n"
        "  *) want=t ;;\n"
        "esac\n"
        "tries=0\n"
        "while [ $tries -lt 150 ]; do  # 30 s at most\n"
        f"  now=$({psql} -At -c 'select pg_is_in_recovery()' '{local}' 2>/dev/null)\n"
        '  [ "$now" = "$want" ] && break\n'
        "  sleep 0.2\n"
        "  tries=$((tries + 1))\n"
        "done\n"
        "ask_again\n"
    )


def _readme(plan: SitePlan) -> str:
    members = plan.nodes + plan.etcd_only
    lines = [
        "The site store of a Repli backup site (docs/site.md tells the whole of it).",
        "",
        f"Copy each nodeN folder to {plan.data_root}/nodeN on its server, owned by postgres.",
        "On each server, as postgres:",
    ]
    for i, address in enumerate(members):
        folder = shlex.quote(f"{plan.data_root}/{_member(i)}")
        lines.append(f"  {address}: etcd --config-file {folder}/etcd.yml")
        if address in plan.nodes:
            if plan.pgbouncer:
                lines.append(f"  {address}: pgbouncer {folder}/pgbouncer.ini")
            lines.append(f"  {address}: patroni {folder}/patroni.yml")
    lines += [
        "",
        "Then give every seat the URL in seat-url.txt (repli provision --site-url …).",
        f"Sized for {plan.seats} seats: max_connections {plan.max_connections}"
        + (", PgBouncer in transaction mode in front." if plan.pgbouncer else "."),
        "",
    ]
    return "\n".join(lines)
