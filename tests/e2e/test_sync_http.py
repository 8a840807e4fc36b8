"""Delivering the outbox to a real HTTP CRM on 127.0.0.1 that misbehaves in every way."""

from __future__ import annotations

import itertools
import os
import random
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import pytest

from desktop import config
from desktop.contacts import ContactData
from desktop.context import SeatContext
from desktop.store import contacts as store
from desktop.sync import outbox, worker
from desktop.sync.status import sync_status
from tests.helpers.crm_receiver import CrmReceiver

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def quick_backoff(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(worker, "BACKOFF_BASE_S", 0.001)
    monkeypatch.setattr(worker, "BACKOFF_CAP_S", 0.01)


def seat_with(crm: CrmReceiver, data_dir: Path, **target: object) -> SeatContext:
    settings = dict(name="crm", kind="http", url=crm.url, token=crm.token, timeout_s=1.0)
    settings.update(target)
    seat = SeatContext.open(str(data_dir))
    seat.settings = config.Settings(sync_targets=(config.TargetConfig(**settings),))  # type: ignore[arg-type]
    return seat


def save_many(
    seat: SeatContext, count: int, rejected: int = 0, corrected: int = 0, mode: str = "disaster"
) -> set[tuple[str, int]]:
    keys = set()
    saved = []
    for i in range(count):
        name = f"REJECT {i}" if i < rejected else f"Appelant {i}"
        contact = store.save_contact(
            seat.engine, ContactData(agent="A", seat_id="S", caller_name=name, mode=mode), "A"
        ).contact
        keys.add((contact.id, 1))
        saved.append(contact)
    for contact in saved[rejected : rejected + corrected]:
        fixed = store.save_contact(seat.engine, contact.with_changes(notes="corrigé"), "A").contact
        keys.add((fixed.id, 2))
    return keys


def sync_until_done(seat: SeatContext, rounds: int = 400) -> None:
    for _ in range(rounds):
        worker.run_once(seat.engine, seat.settings)
        if not outbox.counts(seat.engine).get("crm", Counter())["pending"]:
            return
        time.sleep(0.01)
    raise AssertionError(f"still pending: {outbox.counts(seat.engine)}")


def delivered_keys(seat: SeatContext) -> set[tuple[str, int]]:
    with seat.engine.connect() as conn:
        return {
            (r[0], r[1])
            for r in conn.exec_driver_sql(
                "SELECT contact_id, revision FROM deliveries WHERE state = 'delivered'"
            )
        }


def test_every_revision_reaches_the_crm_once_whatever_it_does(data_dir: Path) -> None:
    faults = ["ok", "500", "ok", "drop", "ok", "503", "slow", "ok", "429", "ok"]
    with CrmReceiver(
        plan=lambda n: faults[n % len(faults)] if n < 120 else "ok", slow_s=1.5
    ) as crm:
        seat = seat_with(crm, data_dir, batch_size=50)
        keys = save_many(seat, 2000, rejected=20, corrected=100)
        sync_until_done(seat)
        rejected = {k for k in keys if crm.stored.get(k) is None}
    assert len(keys) == 2100
    assert set(crm.stored) == keys - rejected and len(rejected) == 20
    assert delivered_keys(seat) <= set(crm.stored)  # nothing marked delivered that it never stored
    counts = outbox.counts(seat.engine)["crm"]
    assert counts == {"delivered": 2080, "rejected": 20}
    assert {f for f in crm.faults if f != "ok"} == {"500", "503", "drop", "slow", "429"}
    assert crm.received > len(crm.stored)  # lost answers were resent and deduplicated
    status = sync_status(seat.engine, seat.settings)["targets"]["crm"]
    assert status["state"] == "ok" and status["counts"] == {"delivered": 2080, "rejected": 20}


def test_a_correction_of_a_rejected_contact_is_sent(data_dir: Path) -> None:
    with CrmReceiver() as crm:
        seat = seat_with(crm, data_dir)
        (key,) = save_many(seat, 1, rejected=1)
        sync_until_done(seat)
        assert outbox.counts(seat.engine)["crm"] == {"rejected": 1}
        contact = store.get_contact(seat.engine, key[0])
        assert contact is not None
        store.save_contact(
            seat.engine, contact.with_changes(caller_name="Mme Corrigée"), "supervisor"
        )
        sync_until_done(seat)
        assert (key[0], 2) in crm.stored and (key[0], 1) not in crm.stored


def test_413_splits_the_batch(data_dir: Path) -> None:
    with CrmReceiver(max_batch=30) as crm:
        seat = seat_with(crm, data_dir, batch_size=100)
        keys = save_many(seat, 150)
        sync_until_done(seat)
    assert set(crm.stored) == keys


def test_a_wrong_token_stops_delivery_and_says_so(data_dir: Path) -> None:
    with CrmReceiver() as crm:
        seat = seat_with(crm, data_dir, token="wrong")
        save_many(seat, 10)
        report = worker.run_once(seat.engine, seat.settings)
    (target,) = report.targets
    assert target.state == "misconfigured" and "401" in target.error
    assert crm.stored == {} and crm.requests == 1  # no hammering a server that refuses us
    status = sync_status(seat.engine, seat.settings)["targets"]["crm"]
    assert status["state"] == "misconfigured" and status["counts"] == {"pending": 10}
    with seat.engine.connect() as conn:
        assert (
            conn.exec_driver_sql(
                "SELECT count(*) FROM deliveries WHERE lease_holder IS NOT NULL"
            ).scalar()
            == 0
        )


def test_exercise_contacts_go_only_to_an_exercise_target(data_dir: Path) -> None:
    with CrmReceiver() as production, CrmReceiver() as drills:
        seat = SeatContext.open(str(data_dir))
        seat.settings = config.Settings(
            sync_targets=(
                config.TargetConfig("crm", "http", production.url, production.token, timeout_s=2),
                config.TargetConfig(
                    "drills", "http", drills.url, drills.token, exercise=True, timeout_s=2
                ),
            )
        )
        real = save_many(seat, 5)
        drill = save_many(seat, 3, mode="exercise")
        worker.run_once(seat.engine, seat.settings)
    assert set(production.stored) == real and set(drills.stored) == drill


def test_two_workers_at_once_never_send_the_same_batch(data_dir: Path) -> None:
    with CrmReceiver() as crm:
        seat = seat_with(crm, data_dir, batch_size=20)
        keys = save_many(seat, 400)
        threads = [
            threading.Thread(
                target=worker.run_once,
                args=(seat.engine, seat.settings),
                kwargs={"holder": f"w{i}"},
            )
            for i in range(2)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        sync_until_done(seat)
    assert set(crm.stored) == keys
    assert crm.received == len(keys)  # not one contact sent twice
    assert len(crm.batch_ids) == len(set(crm.batch_ids))


def test_repli_sync_killed_at_random_moments(data_dir: Path) -> None:
    rng = random.Random(int(os.environ.get("REPLI_KILL_SEED", "11")))
    with CrmReceiver() as crm:
        seat = seat_with(crm, data_dir, batch_size=25)
        keys = save_many(seat, 1500, rejected=15)
        with (data_dir / "config.toml").open("a") as f:
            f.write(
                f'[[sync_targets]]\nname = "crm"\nkind = "http"\nurl = "{crm.url}"\ntoken = "{crm.token}"\n'
                "batch_size = 25\ntimeout_s = 2.0\n"
            )
        command = [sys.executable, "-m", "desktop", "--data-dir", str(data_dir), "sync", "--once"]
        for _ in range(20):
            process = subprocess.Popen(
                command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
            )
            time.sleep(rng.uniform(0.3, 1.2))
            os.kill(process.pid, signal.SIGKILL)
            process.wait()
        for _ in itertools.count():
            done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=120)
            assert done.returncode == 0, done.stderr
            if not outbox.counts(seat.engine)["crm"].get("pending"):
                break
            time.sleep(1)  # leases of killed runs expire, backoffs elapse
    assert set(crm.stored) == {k for k in keys if k in crm.stored}
    assert len(crm.stored) == 1500 - 15
    assert delivered_keys(seat) <= set(crm.stored)
    assert outbox.counts(seat.engine)["crm"] == {"delivered": 1485, "rejected": 15}


def test_sync_status_lists_the_rejected_with_their_reason(data_dir: Path) -> None:
    with CrmReceiver() as crm:
        seat = seat_with(crm, data_dir)
        save_many(seat, 4, rejected=1)
        sync_until_done(seat)
        (data_dir / "config.toml").write_text(
            f'[[sync_targets]]\nname = "crm"\nkind = "http"\nurl = "{crm.url}"\ntoken = "{crm.token}"\n'
        )
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "desktop",
                "--data-dir",
                str(data_dir),
                "sync",
                "--status",
                "--json",
            ],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=60,
        )
    import json

    status = json.loads(done.stdout)["targets"]["crm"]
    assert status["state"] == "ok" and status["counts"] == {"delivered": 3, "rejected": 1}
    (refused,) = status["rejected"]
    assert refused["reason"] == "caller name refused by the CRM" and refused["revision"] == 1
