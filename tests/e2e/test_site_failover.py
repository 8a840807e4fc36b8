"""The site store survives its server: real seats (``repli sync`` processes) deliver to a
real Patroni cluster (from ``repli site config``'s files) while its leader is killed, frozen,
switched over, and while an etcd member or the standby is down. Every contact saved on every
seat reaches the site once; the seats follow the new leader by themselves."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import SQLAlchemyError

from desktop.contacts import ContactData
from desktop.context import SeatContext
from desktop.site.store_config import PGBOUNCER_FOLLOW
from desktop.store import contacts as store
from desktop.store.engine import make_engine, make_site_engine
from desktop.store.history import ContactFilter
from desktop.store.schema import ensure_schema
from desktop.store.site_calls import bounded
from desktop.store.site_url import one_host
from desktop.supervisor.dashboard import figures
from desktop.supervisor.site_mode import set_site_mode, site_mode
from desktop.sync import outbox
from desktop.tables.site_packs import site_pointer
from tests.helpers.freeze import frozen
from tests.helpers.patroni import SiteCluster

SEATS = 4  # half straight to PostgreSQL, half through each node's PgBouncer
REPLI = [sys.executable, "-m", "desktop"]


class Seats:
    """``SEATS`` seats, each a data folder, a ``repli sync`` process delivering to the site
    by one of ``urls`` in turn, and a thread saving a contact every 0.2 s into its store (as
    its window would)."""

    def __init__(self, folder: Path, urls: list[str]) -> None:
        self.folders = [folder / f"seat{i}" for i in range(SEATS)]
        self.saved: set[tuple[str, int]] = set()
        self.lock = threading.Lock()
        self.saving = threading.Event()
        self.processes: list[subprocess.Popen[str]] = []
        self.threads: list[threading.Thread] = []
        self.contexts: list[SeatContext] = []
        for i, data in enumerate(self.folders):
            url = urls[i % len(urls)]
            data.mkdir(parents=True)
            (data / "config.toml").write_text(
                f'pop_port = 0\nseat_id = "S{i}"\n[[sync_targets]]\nname = "site"\n'
                f'kind = "site"\ndatabase_url = "{url}"\nbatch_size = 50\n'
            )
            self.contexts.append(SeatContext.open(str(data)))

    def start(self) -> None:
        self.saving.set()
        for data, seat in zip(self.folders, self.contexts, strict=True):
            self.processes.append(
                subprocess.Popen(
                    [*REPLI, "--data-dir", str(data), "sync", "--interval", "0.5"],
                    stdout=subprocess.DEVNULL,
                    stderr=(data / "sync.log").open("w"),
                    text=True,
                )
            )
            thread = threading.Thread(target=self._save_while, args=(seat,))
            thread.start()
            self.threads.append(thread)

    def _save_while(self, seat: SeatContext) -> None:
        number = 0
        while self.saving.is_set():
            contact = store.save_contact(
                seat.engine,
                ContactData(agent="A", seat_id=seat.settings.seat_id, caller_name=f"C{number}"),
                "A",
            ).contact
            with self.lock:
                self.saved.add((contact.id, contact.revision))
            number += 1
            time.sleep(0.2)

    def stop_saving(self) -> None:
        self.saving.clear()
        for thread in self.threads:
            thread.join()
        self.threads.clear()

    def undelivered(self) -> int:
        """Saved and not yet delivered (pending, or not yet queued for the site)."""
        delivered = sum(
            outbox.counts(seat.engine)["site"].get("delivered", 0) for seat in self.contexts
        )
        return len(self.saved) - delivered

    def wait_delivered(self, most_s: float = 120) -> None:
        """Liveness: everything delivered by the seats on their own (no restart)."""
        deadline = time.monotonic() + most_s
        while self.undelivered() and time.monotonic() < deadline:
            time.sleep(0.5)
        logs = "\n".join((f / "sync.log").read_text()[-2000:] for f in self.folders)
        assert self.undelivered() == 0, f"undelivered after {most_s} s:\n{logs}"

    def close(self) -> None:
        self.saving.clear()
        for thread in self.threads:
            thread.join()
        for process in self.processes:
            process.terminate()
            process.wait(30)
        for seat in self.contexts:
            seat.close()


@pytest.fixture
def seats(tmp_path: Path, site_cluster: SiteCluster) -> Iterator[Seats]:
    found = Seats(tmp_path, [site_cluster.seat_url, site_cluster.bouncer_url])
    yield found
    found.close()


def site_revisions(cluster: SiteCluster) -> list[tuple[str, int]]:
    engine = make_engine(cluster.seat_url)
    try:
        ensure_schema(engine)  # a fresh site: as any site reader does
        with engine.connect() as conn:
            return [
                (r[0], r[1])
                for r in conn.execute(text("SELECT contact_id, revision FROM contact_revisions"))
            ]
    finally:
        engine.dispose()


def everything_once(seats: Seats, cluster: SiteCluster, before: set[tuple[str, int]]) -> None:
    rows = site_revisions(cluster)
    assert len(rows) == len(set(rows))  # none twice (the key allows none; said all the same)
    assert set(rows) - before == seats.saved


def writes(url: str) -> bool:
    """A transaction that needs a writable server succeeds on the node the URL picks."""
    site = make_site_engine(url)
    try:
        with bounded(site, backoff=None), site.begin() as conn:
            conn.execute(text("SELECT pg_current_xact_id()"))  # refused on a standby
        return True
    except SQLAlchemyError:
        return False
    finally:
        site.dispose()


def every_site_path(site: Engine) -> tuple[str | None, object, int]:
    """What a seat's other site readers do: the mode watch, the tables follower, the
    supervisor's dashboard, each bounded, on an engine opened before the failover."""
    with bounded(site, backoff=None):
        return (
            site_mode(site),
            site_pointer(site),
            figures(site, ContactFilter(exercise="exclude")).total,
        )


def test_the_leader_lost_every_contact_reaches_the_new_one_once(
    seats: Seats, site_cluster: SiteCluster
) -> None:
    before = set(site_revisions(site_cluster))
    site = make_site_engine(site_cluster.seat_url)
    with bounded(site, backoff=None):
        set_site_mode(site, "disaster", "test")
    assert every_site_path(site)[0] == "disaster"
    seats.start()
    time.sleep(3)  # the seats deliver to the first leader
    old = site_cluster.leader()
    assert old is not None
    # the standby's PgBouncer has had a client (doctor probes each host): PgBouncer 1.18
    # keeps what its node said then ("a standby") until told to ask again
    site_cluster.ask_bouncers()
    site_cluster.kill_node(old)  # its Patroni and its PostgreSQL, kill -9
    site_cluster.wait_for_leader(not_index=old)
    time.sleep(5)  # the seats go on saving and delivering to the new leader
    seats.stop_saving()
    seats.wait_delivered()
    everything_once(seats, site_cluster, before)
    # the other site paths work again on the same engine, without a restart: the first call
    # may meet the dead leader's connection (cut, said), the next one reaches the new leader
    answers = []
    for _ in range(10):
        try:
            answers.append(every_site_path(site))
            break
        except SQLAlchemyError:
            time.sleep(1)
    assert answers and answers[0][0] == "disaster"
    assert answers[0][2] == len(set(site_revisions(site_cluster)))
    site_cluster.start_bouncer(old)  # the node's machine back, its services with it
    site_cluster.start_patroni(old)  # back, as the new leader's standby
    site_cluster.wait_for_sync_standby()
    assert writes(site_cluster.bouncer_url)


def test_the_leader_frozen_past_its_ttl_holds_no_seat(
    seats: Seats, site_cluster: SiteCluster
) -> None:
    before = set(site_revisions(site_cluster))
    seats.start()
    time.sleep(3)
    old = site_cluster.leader()
    assert old is not None
    with frozen(site_cluster.node_pids(old)):  # a hung machine: its kernel still answers TCP
        site_cluster.wait_for_leader(not_index=old)
        time.sleep(5)
        seats.stop_saving()
        seats.wait_delivered()  # while the old leader is still frozen: no seat waits on it
        everything_once(seats, site_cluster, before)
    # thawed, the old leader demotes itself and follows the new one; the cluster is made
    # whole for the next test (the seats, tested above, never waited on it)
    site_cluster.make_whole(old)
    # its PgBouncer, which had last seen it lead, no longer calls it writable
    site_cluster.ask_bouncers()
    assert writes(site_cluster.bouncer_url)


def test_a_switchover_an_etcd_member_down_and_the_standby_down(
    seats: Seats, site_cluster: SiteCluster
) -> None:
    before = set(site_cluster_rows := site_revisions(site_cluster))
    assert len(site_cluster_rows) == len(before)
    seats.start()
    time.sleep(2)
    leader = site_cluster.leader()
    assert leader is not None
    other = 1 - leader
    site_cluster.switchover(leader, other)
    site_cluster.wait_for_leader(not_index=leader)
    time.sleep(2)
    site_cluster.etcd[2].kill()  # one etcd member of three: the quorum holds
    site_cluster.etcd[2].wait()
    time.sleep(2)
    site_cluster.patroni[leader].terminate()  # the standby (the old leader) stopped
    site_cluster.patroni[leader].wait(60)
    time.sleep(5)  # the site still writes: synchronous, not strict
    seats.stop_saving()
    seats.wait_delivered()
    everything_once(seats, site_cluster, before)
    site_cluster.start_etcd(2)
    site_cluster.start_patroni(leader)
    site_cluster.wait_for_sync_standby()
    assert writes(site_cluster.bouncer_url)


def doctor_site(folder: Path, url: str) -> dict[str, str]:
    """``repli doctor --json``'s site check, on a seat whose site target is ``url``."""
    folder.mkdir(exist_ok=True)
    (folder / "config.toml").write_text(
        f'pop_port = 0\nseat_id = "D1"\n[[sync_targets]]\nname = "site"\nkind = "site"\n'
        f'database_url = "{url}"\n'
    )
    done = subprocess.run(
        [sys.executable, "-m", "desktop", "--data-dir", str(folder), "doctor", "--json"],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    checks: dict[str, dict[str, str]] = {c["name"]: c for c in json.loads(done.stdout)["checks"]}
    return checks["sync site"]


def test_doctor_names_the_leader_and_the_synchronous_standby(
    tmp_path: Path, site_cluster: SiteCluster
) -> None:
    site = doctor_site(tmp_path / "seat", site_cluster.seat_url)
    leader = site_cluster.leader()
    assert leader is not None
    assert site["status"] == "ok", site
    assert (
        f"{site_cluster.plan.nodes[leader]}:{site_cluster.plan.ports.postgres} leader"
        in (site["detail"])
    )
    assert ": sync," in site["detail"]
    # the same site through one host only: a failover would stop this seat, it is said
    one = site_cluster.seat_url.split("?")[0] + (
        f"?host={site_cluster.plan.nodes[leader]}:{site_cluster.plan.ports.postgres}"
    )
    site = doctor_site(tmp_path / "seat", one)
    assert site["status"] == "warn" and "list every host" in site["detail"]
    # through each node's PgBouncer: the same leader, at its PgBouncer's port
    site = doctor_site(tmp_path / "seat", site_cluster.bouncer_url)
    assert site["status"] == "ok", site
    leader_at = f"{site_cluster.plan.nodes[leader]}:{site_cluster.plan.ports.pgbouncer} leader"
    assert leader_at in site["detail"]


def test_doctor_says_when_a_pgbouncer_replays_what_its_node_was(
    tmp_path: Path, site_cluster: SiteCluster
) -> None:
    """A site whose Patroni does not tell its PgBouncers (the follow script missing, as on a
    site set up by hand): after a switchover the old leader's PgBouncer still calls it
    writable, and doctor says so, where the seats would only meet "read-only transaction"."""
    scripts = [site_cluster.node(i) / PGBOUNCER_FOLLOW for i in range(2)]
    kept = [script.read_text() for script in scripts]
    leader = site_cluster.leader()
    assert leader is not None
    old = f"{site_cluster.plan.nodes[leader]}:{site_cluster.plan.ports.pgbouncer}"
    try:
        for script in scripts:
            script.write_text("#!/bin/sh\nexit 0\n")  # Patroni calls it; it tells no one
        site_cluster.ask_bouncers()  # each PgBouncer has had a client: it keeps their answer
        site_cluster.switchover(leader, 1 - leader)
        site_cluster.wait_for_leader(not_index=leader)
        site_cluster.wait_for_sync_standby()  # the old leader up again, as a standby
        site = doctor_site(tmp_path / "seat", site_cluster.bouncer_url)
        assert site["status"] == "warn", site
        told = f"{old} tells the seats at login that it is writable, but it is a standby"
        assert told in site["detail"]
        # what a seat that lists it first meets: let in as writable, then refused
        alone = one_host(site_cluster.bouncer_url, old)  # its query: none but the host's
        assert not writes(alone + "?target_session_attrs=read-write")
    finally:
        for script, text_kept in zip(scripts, kept, strict=True):
            script.write_text(text_kept)
        for index in range(2):  # the script, run as Patroni runs it: the PgBouncers ask again
            role = "master" if index == site_cluster.leader() else "replica"
            subprocess.run(
                [str(scripts[index]), "on_role_change", role], check=True, timeout=60,
                user="postgres" if os.geteuid() == 0 else None,
            )  # fmt: skip
    site_cluster.wait_for_sync_standby()
    assert doctor_site(tmp_path / "seat", site_cluster.bouncer_url)["status"] == "ok"
    assert writes(site_cluster.bouncer_url)
