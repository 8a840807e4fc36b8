"""Seats delivering to the site store through PgBouncer in transaction mode (``repli site
config --pgbouncer`` puts one on each node; off by default, docs/site.md): every seat's
runs, reconciliations and mode reads succeed, 0 errors. Psycopg's automatic prepared
statements broke there (a statement prepared on one server connection, run on another):
site engines prepare none."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from desktop.store.engine import make_site_engine
from desktop.store.schema import ensure_site_schema
from desktop.store.site_calls import bounded
from desktop.supervisor.site_mode import site_mode
from desktop.sync import outbox, worker
from desktop.sync.reconcile import reconcile
from desktop.sync.site_target import SiteDatabaseTarget
from tests.e2e.test_sync_site_database import save, seat_for, site_rows
from tests.helpers.postgres import Postgres


@pytest.fixture
def bouncer_url(postgres: Postgres, site_url: str) -> Iterator[str]:
    if shutil.which("pgbouncer") is None and not Path("/usr/sbin/pgbouncer").exists():
        pytest.fail("PgBouncer is needed: apt-get install pgbouncer (dev.py test does it)")
    folder = Path(tempfile.mkdtemp(prefix="repli-bouncer-"))
    with socket.socket() as probe:
        probe.bind((postgres.host, 0))
        port = int(probe.getsockname()[1])
    database = site_url.rsplit("/", 1)[1]
    (folder / "users.txt").write_text('"repli" ""\n')
    (folder / "pgbouncer.ini").write_text(
        "[databases]\n"
        f"{database} = host={postgres.host} port={postgres.port} dbname={database}\n"
        "[pgbouncer]\n"
        f"listen_addr = {postgres.host}\nlisten_port = {port}\nunix_socket_dir =\n"
        f"auth_type = trust\nauth_file = {folder}/users.txt\n"
        "pool_mode = transaction\ndefault_pool_size = 2\nmax_client_conn = 100\n"
        f"logfile = {folder}/pgbouncer.log\n"
    )
    user = "postgres" if os.geteuid() == 0 else None  # PgBouncer refuses root
    if user:
        subprocess.run(["chown", "-R", "postgres", str(folder)], check=True)
    process = subprocess.Popen(
        ["pgbouncer", str(folder / "pgbouncer.ini")], user=user, stderr=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex((postgres.host, port)) == 0:
                break
        time.sleep(0.1)
    yield f"postgresql+psycopg://repli@{postgres.host}:{port}/{database}"
    process.send_signal(signal.SIGTERM)
    process.wait(30)
    shutil.rmtree(folder, ignore_errors=True)


def test_seats_through_pgbouncer_in_transaction_mode_have_no_error(
    tmp_path: Path, bouncer_url: str, site_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(worker, "RECONCILE_EVERY", timedelta(0))  # reconcile at every run
    seats = [seat_for(tmp_path / f"s{i}", bouncer_url, f"P{i}") for i in range(3)]
    keys = set().union(*(save(seat, 150) for seat in seats))
    site = make_site_engine(bouncer_url)
    with bounded(site, backoff=None):
        ensure_site_schema(site)
    failures: list[str] = []

    def deliver(seat: object) -> None:
        for _ in range(12):  # each statement run more than psycopg's threshold (5) to prepare
            report = worker.run_once(seat.engine, seat.settings)  # type: ignore[attr-defined]
            failures.extend(t.error for t in report.targets if t.error)
            with bounded(site, backoff=None):
                site_mode(site)  # the mode watch's read, between the runs

    threads = [threading.Thread(target=deliver, args=(seat,)) for seat in seats]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    for seat in seats:
        assert outbox.counts(seat.engine)["site"] == {"delivered": 150}
        target = SiteDatabaseTarget(seat.settings.sync_targets[0], {})
        assert reconcile(seat.engine, "site", target.has).matches
        seat.close()
    assert set(site_rows(site_url, "SELECT contact_id, revision FROM contact_revisions")) == keys
