"""A Hypothesis state machine over the seat and a real HTTP CRM on 127.0.0.1: save, correct,
sync, fail, kill, restart. Invariants: the CRM never holds what the seat does not; after a
clean sync, the CRM holds exactly the seat's revisions."""

from __future__ import annotations

import shutil
import socket
import tempfile
from collections import Counter
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from desktop import config
from desktop.contacts import ContactData
from desktop.context import SeatContext
from desktop.store import contacts as store
from desktop.sync import outbox, worker
from desktop.sync.http_target import HttpTarget, Retryable
from tests.helpers.crm_receiver import CrmReceiver

DEAD_HOLDER = f"{socket.gethostname()}:999999999:1"  # a process of this host that is gone


class SeatAndCrm(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.backoff_was = worker.BACKOFF_BASE_S, worker.BACKOFF_CAP_S  # given back at teardown
        worker.BACKOFF_BASE_S, worker.BACKOFF_CAP_S = 0.0, 0.0
        self.fault = "ok"
        self.crm = CrmReceiver(plan=lambda _n: self.fault).__enter__()
        self.folder = Path(tempfile.mkdtemp(prefix="repli-machine-"))
        self.target = config.TargetConfig(
            "crm", "http", self.crm.url, self.crm.token, batch_size=7, timeout_s=2
        )
        self.seat = self._open()
        self.saved: list[ContactData] = []

    def _open(self) -> SeatContext:
        seat = SeatContext.open(str(self.folder))
        seat.settings = config.Settings(sync_targets=(self.target,))
        return seat

    def teardown(self) -> None:
        worker.BACKOFF_BASE_S, worker.BACKOFF_CAP_S = self.backoff_was
        self.seat.close()
        self.crm.__exit__()
        shutil.rmtree(self.folder, ignore_errors=True)

    def seat_revisions(self) -> set[tuple[str, int]]:
        with self.seat.engine.connect() as conn:
            return {
                (r[0], r[1])
                for r in conn.exec_driver_sql("SELECT contact_id, revision FROM contact_revisions")
            }

    @rule(count=st.integers(1, 5))
    def save(self, count: int) -> None:
        for _ in range(count):
            contact = ContactData(agent="A", seat_id="S", caller_name="x")
            self.saved.append(store.save_contact(self.seat.engine, contact, "A").contact)

    @precondition(lambda self: bool(self.saved))
    @rule(pick=st.integers(0, 10_000))
    def correct(self, pick: int) -> None:
        contact = self.saved[pick % len(self.saved)]
        current = store.get_contact(self.seat.engine, contact.id)
        assert current is not None
        fixed = store.save_contact(
            self.seat.engine, current.with_changes(notes=f"r{current.revision}"), "A"
        )
        self.saved[pick % len(self.saved)] = fixed.contact

    @rule()
    def sync(self) -> None:
        worker.run_once(self.seat.engine, self.seat.settings)

    @rule(fault=st.sampled_from(["500", "503", "drop"]))
    def fail(self, fault: str) -> None:
        self.fault = fault

    @rule()
    def recover(self) -> None:
        self.fault = "ok"

    @rule()
    def kill_mid_batch(self) -> None:
        """A worker leases a batch, sends it, and dies before recording the answer."""
        outbox.fan_out(self.seat.engine, self.target)
        due = outbox.claim(self.seat.engine, "crm", DEAD_HOLDER, 7)
        if due:
            sender = HttpTarget(self.target, {"seat_id": "S", "site": ""}, attempts=1)
            try:
                sender.send([d.payload for d in due])
            except Retryable:
                pass
            finally:
                sender.close()

    @rule()
    def restart(self) -> None:
        self.seat.close()
        self.seat = self._open()

    @invariant()
    def the_crm_never_holds_what_the_seat_does_not(self) -> None:
        assert set(self.crm.stored) <= self.seat_revisions()

    @invariant()
    def nothing_is_marked_delivered_that_the_crm_did_not_store(self) -> None:
        with self.seat.engine.connect() as conn:
            delivered = {
                (r[0], r[1])
                for r in conn.exec_driver_sql(
                    "SELECT contact_id, revision FROM deliveries WHERE state = 'delivered'"
                )
            }
        assert delivered <= set(self.crm.stored)

    @invariant()
    def after_a_clean_sync_the_crm_equals_the_seat(self) -> None:
        if self.fault != "ok":
            return
        fault, self.fault = self.fault, "ok"
        try:
            for _ in range(5):
                worker.run_once(self.seat.engine, self.seat.settings)
            assert set(self.crm.stored) == self.seat_revisions()
            assert not outbox.counts(self.seat.engine).get("crm", Counter())["pending"]
        finally:
            self.fault = fault


SeatAndCrm.TestCase.settings = settings(
    max_examples=15,
    stateful_step_count=15,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
TestSeatAndCrm = SeatAndCrm.TestCase
