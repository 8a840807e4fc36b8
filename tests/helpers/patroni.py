"""A real highly available site store for the tests: three etcd members and two PostgreSQL
nodes under Patroni on 127.x addresses, started from the files ``repli site config`` writes
(the product's own configuration, not a test's), run as the ``postgres`` user when root."""

from __future__ import annotations

import os
import random
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from sqlalchemy import make_url, text
from sqlalchemy.exc import SQLAlchemyError

from desktop.site.store_config import Ports, SitePlan, seat_url, write_site
from desktop.store.engine import make_engine
from desktop.store.site_url import hosts_of, one_host
from tests.helpers.freeze import signal_all, tree
from tests.helpers.postgres import binaries


def _free_on(addresses: list[str], span: int = 1, taken: tuple[int, ...] = ()) -> int:
    """A port free on every address (and the ``span - 1`` after it), none of them ``taken``
    (the ports drawn before it: free until their servers start)."""
    for _ in range(200):
        port = random.randint(20_000, 60_000)
        if any(0 <= port + offset - t <= 1 for t in taken for offset in range(span)):
            continue  # an etcd takes its port and the next
        try:
            for address in addresses:
                for offset in range(span):
                    with socket.socket() as probe:
                        probe.bind((address, port + offset))
        except OSError:
            continue
        return port
    raise RuntimeError("no free port")


def available() -> str:
    """Why the cluster cannot run here ("" when it can)."""
    missing = [p for p in ("etcd", "patroni", "patronictl") if shutil.which(p) is None]
    if missing or binaries() is None:
        return "needs apt-get install patroni etcd-server postgresql (dev.py test does it)"
    return ""


@dataclass
class SiteCluster:
    folder: Path
    plan: SitePlan
    etcd: dict[int, subprocess.Popen[bytes]] = field(default_factory=dict)
    patroni: dict[int, subprocess.Popen[bytes]] = field(default_factory=dict)
    bouncers: dict[int, subprocess.Popen[bytes]] = field(default_factory=dict)

    @classmethod
    def create(cls, adjust: Callable[[SitePlan], SitePlan] | None = None) -> SiteCluster:
        """``adjust``: the plan changed before its files are written (a benchmark's
        production lease instead of the tests' short one)."""
        net = f"127.{random.randint(1, 254)}.{random.randint(1, 254)}"
        addresses = [f"{net}.{i}" for i in (1, 2, 3)]
        drawn: tuple[int, ...] = ()
        for span in (1, 1, 2, 1):  # PostgreSQL, Patroni's REST, etcd (and its peers'), PgBouncer
            drawn += (_free_on(addresses, span, drawn),)
        ports = Ports(postgres=drawn[0], rest=drawn[1], etcd=drawn[2], pgbouncer=drawn[3])
        folder = Path(tempfile.mkdtemp(prefix="repli-patroni-"))
        bin_dir = binaries()
        assert bin_dir is not None
        plan = SitePlan(
            nodes=addresses[:2],
            etcd_only=addresses[2:],
            seats=20,
            data_root=str(folder),
            bin_dir=str(bin_dir),
            seats_network=("127.0.0.0/8",),
            nodes_network=("127.0.0.0/8",),
            ports=ports,
            pgbouncer=True,
            ttl=10,
            loop_wait=2,
            retry_timeout=4,
        )
        if adjust is not None:
            plan = adjust(plan)
        os.rmdir(folder)
        write_site(plan, folder)
        if os.geteuid() == 0:
            subprocess.run(["chown", "-R", "postgres:postgres", str(folder)], check=True)
        return cls(folder, plan)

    @property
    def addresses(self) -> list[str]:
        return self.plan.nodes + self.plan.etcd_only

    @property
    def seat_url(self) -> str:
        """Straight to the nodes' PostgreSQL."""
        return seat_url(self.plan, self._app_password(), through_pgbouncer=False)

    @property
    def bouncer_url(self) -> str:
        """Through each node's PgBouncer (the plan has them)."""
        return seat_url(self.plan, self._app_password(), through_pgbouncer=True)

    def ask_bouncers(self) -> None:
        """A client of each node's PgBouncer, as ``repli doctor`` probing each host: each
        PgBouncer then remembers what its node said it was."""
        for host in hosts_of(self.bouncer_url):
            engine = make_engine(one_host(self.bouncer_url, host))
            try:
                with engine.connect() as conn:
                    conn.execute(text("SELECT 1"))
            except SQLAlchemyError:
                pass  # a node down: nothing to remember
            finally:
                engine.dispose()

    def _app_password(self) -> str:
        written = make_url((self.folder / "seat-url.txt").read_text().strip())
        assert written.password is not None
        return str(written.password)

    def node(self, index: int) -> Path:
        return self.folder / f"node{index + 1}"

    def _spawn(self, command: list[str], log: Path) -> subprocess.Popen[bytes]:
        user = "postgres" if os.geteuid() == 0 else None  # the servers refuse root
        with log.open("ab") as out:
            return subprocess.Popen(
                command,
                stdout=out,
                stderr=subprocess.STDOUT,
                cwd=self.folder,
                start_new_session=True,
                user=user,
                group=user,
            )

    def start_etcd(self, index: int) -> None:
        node = self.node(index)
        self.etcd[index] = self._spawn(
            ["etcd", "--config-file", str(node / "etcd.yml")], node / "etcd.log"
        )

    def start_patroni(self, index: int) -> None:
        node = self.node(index)
        self.patroni[index] = self._spawn(
            ["patroni", str(node / "patroni.yml")], node / "patroni.log"
        )

    def start_bouncer(self, index: int) -> None:
        """The node's PgBouncer, from the file ``repli site config`` wrote (a plan with
        PgBouncer)."""
        if not self.plan.pgbouncer:
            return
        node = self.node(index)
        self.bouncers[index] = self._spawn(
            ["pgbouncer", str(node / "pgbouncer.ini")], node / "pgbouncer.log"
        )

    def start(self) -> SiteCluster:
        for index in range(len(self.addresses)):
            self.start_etcd(index)
        for index in range(len(self.plan.nodes)):
            self.start_bouncer(index)
            self.start_patroni(index)
        self.wait_for_leader()
        self.wait_for_sync_standby()
        return self

    def members(self) -> dict[str, dict[str, object]]:
        """Patroni's view of the cluster (``GET /cluster`` on the first node that answers):
        each member's role (leader, sync_standby, replica) and state."""
        for index in range(len(self.plan.nodes)):
            url = f"http://{self.plan.nodes[index]}:{self.plan.ports.rest}/cluster"
            try:
                found = httpx.get(url, timeout=1).json()
            except (httpx.HTTPError, ValueError):
                continue
            return {m["name"]: m for m in found.get("members", [])}
        return {}

    def leader(self) -> int | None:
        """The node Patroni's cluster view names leader, running."""
        for name, member in self.members().items():
            if member.get("role") == "leader" and member.get("state") == "running":
                return int(name.removeprefix("node")) - 1
        return None

    def wait_for_leader(self, most_s: float = 120, not_index: int | None = None) -> int:
        deadline = time.monotonic() + most_s
        while time.monotonic() < deadline:
            found = self.leader()
            if found is not None and found != not_index and self._accepts_seats():
                return found
            time.sleep(0.5)
        raise AssertionError(f"no leader within {most_s} s: see {self.folder}/node*/patroni.log")

    def wait_for_sync_standby(self, most_s: float = 120) -> None:
        deadline = time.monotonic() + most_s
        while time.monotonic() < deadline:
            members = self.members().values()
            if any(
                m.get("role") == "sync_standby" and m.get("state") in ("streaming", "running")
                for m in members
            ) and any(m.get("role") == "leader" for m in members):
                return
            time.sleep(0.5)
        raise AssertionError(f"no synchronous standby within {most_s} s: {self.members()}")

    def _accepts_seats(self) -> bool:
        """The seats' URL reaches a writable server (the role and database exist)."""
        engine = make_engine(self.seat_url)
        try:
            with engine.connect() as conn:
                return conn.scalar(text("SELECT NOT pg_is_in_recovery()")) is True
        except SQLAlchemyError:
            return False
        finally:
            engine.dispose()

    def postmaster(self, index: int) -> int | None:
        pid_file = self.node(index) / "pg" / "postmaster.pid"
        try:
            return int(pid_file.read_text().splitlines()[0])
        except (OSError, ValueError, IndexError):
            return None

    def node_pids(self, index: int) -> list[int]:
        """Patroni, PgBouncer and PostgreSQL of the node (the postmaster's whole tree)."""
        pids = [self.patroni[index].pid]
        if index in self.bouncers:
            pids.append(self.bouncers[index].pid)
        postmaster = self.postmaster(index)
        return pids + (tree(postmaster) if postmaster else [])

    def kill_node(self, index: int) -> None:
        """The node's machine lost: its Patroni and its PostgreSQL, kill -9."""
        signal_all(self.node_pids(index), signal.SIGKILL)
        self.patroni[index].wait()
        if index in self.bouncers:
            self.bouncers.pop(index).wait()
        (self.node(index) / "pg" / "postmaster.pid").unlink(missing_ok=True)

    def restart_patroni(self, index: int) -> None:
        """The node's Patroni killed and started again, its PostgreSQL left running: as an
        operator restarts a Patroni that hangs after its node was frozen and thawed (Patroni
        3.0.2, now and then, waits for ever on its own connection)."""
        self.patroni[index].kill()
        self.patroni[index].wait()
        self.start_patroni(index)

    def make_whole(self, thawed: int) -> None:
        """After a node was frozen and thawed, a synchronous standby again, for the next test.
        Patroni 3.0.2 (Debian 12's) does not always get there alone: the thawed node's
        Patroni may wait for ever on its own connection, and the leader may loop on
        "Synchronous replication key updated by someone else" (patroni/patroni#2779), even
        once its Patroni is restarted. As an operator would, step by step: both Patroni
        restarted; synchronous mode switched off and on again (a new sync key); at last the
        cluster made again from its files (new data: each test reads what it had before)."""
        for heal in (lambda: None, lambda: self._restart_both(thawed), self._renew_sync_key):
            heal()
            try:
                self.wait_for_sync_standby(most_s=60)
                return
            except AssertionError:
                continue
        self.rebuild()

    def _restart_both(self, thawed: int) -> None:
        leader = self.leader()
        for index in sorted({thawed} | ({leader} if leader is not None else set())):
            self.restart_patroni(index)

    def _renew_sync_key(self) -> None:
        for synchronous in (False, True):
            answer = httpx.patch(
                f"http://{self.plan.nodes[0]}:{self.plan.ports.rest}/config",
                json={"synchronous_mode": synchronous},
                auth=("patroni", self._rest_password()),
                timeout=30,
            )
            assert answer.status_code == 200, answer.text
            time.sleep(self.plan.loop_wait * 2)

    def _rest_password(self) -> str:
        text = (self.node(0) / "patroni.yml").read_text()
        return text.split("password: ", 1)[1].splitlines()[0].strip()

    def rebuild(self) -> None:
        """Every process stopped, every node's data removed, the cluster started again from
        the same files (same addresses, ports and URL)."""
        self._stop_processes()
        for index in range(len(self.addresses)):
            for data in ("pg", "etcd"):
                shutil.rmtree(self.node(index) / data, ignore_errors=True)
        self.etcd.clear()
        self.patroni.clear()
        self.bouncers.clear()
        self.start()

    def switchover(self, leader: int, candidate: int) -> None:
        answer = httpx.post(
            f"http://{self.plan.nodes[leader]}:{self.plan.ports.rest}/switchover",
            json={"leader": f"node{leader + 1}", "candidate": f"node{candidate + 1}"},
            auth=("patroni", self._rest_password()),
            timeout=30,
        )
        assert answer.status_code == 200, answer.text

    def stop(self) -> None:
        self._stop_processes()
        kept = Path(tempfile.gettempdir()) / "repli-patroni-last-logs"  # a failure's story
        shutil.rmtree(kept, ignore_errors=True)
        for log in self.folder.glob("node*/*.log"):
            (kept / log.parent.name).mkdir(parents=True, exist_ok=True)
            shutil.copy(log, kept / log.parent.name / log.name)
        shutil.rmtree(self.folder, ignore_errors=True)

    def _stop_processes(self) -> None:
        for index in list(self.patroni):
            signal_all(self.node_pids(index), signal.SIGCONT)  # a frozen node stops too
        for process in self.patroni.values():
            process.terminate()
        for process in self.patroni.values():
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                process.kill()
        for index in list(self.patroni):
            postmaster = self.postmaster(index)
            signal_all(tree(postmaster) if postmaster else [], signal.SIGKILL)
        for process in [*self.etcd.values(), *self.bouncers.values()]:
            process.kill()
            process.wait()
