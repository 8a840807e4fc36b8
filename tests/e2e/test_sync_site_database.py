"""The site database: a real PostgreSQL server started for these tests, shared by seats."""

from __future__ import annotations

import os
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text

from desktop import config
from desktop.contacts import ContactData
from desktop.context import SeatContext
from desktop.store import contacts as store
from desktop.store.site_calls import BACKOFF
from desktop.sync import outbox, worker
from desktop.sync.reconcile import reconcile
from desktop.sync.site_target import SiteDatabaseTarget
from tests.helpers.postgres import Postgres


@pytest.fixture(autouse=True)
def quick(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(worker, "BACKOFF_BASE_S", 0.001)
    monkeypatch.setattr(worker, "BACKOFF_CAP_S", 0.01)
    monkeypatch.setattr(worker, "RECONCILE_EVERY", timedelta(0))
    worker._last_reconciled.clear()
    worker._last_reconciled_today.clear()


def seat_for(folder: Path, url: str, seat_id: str = "S1") -> SeatContext:
    seat = SeatContext.open(str(folder))
    seat.settings = config.Settings(
        seat_id=seat_id,
        sync_targets=(config.TargetConfig("site", "site", database_url=url, batch_size=50),),
    )
    return seat


def save(seat: SeatContext, count: int, corrected: int = 0) -> set[tuple[str, int]]:
    keys, saved = set(), []
    for i in range(count):
        contact = store.save_contact(
            seat.engine,
            ContactData(agent="A", seat_id=seat.settings.seat_id, caller_name=f"Appelant {i}"),
            "A",
        ).contact
        keys.add((contact.id, 1))
        saved.append(contact)
    for contact in saved[:corrected]:
        keys.add(
            (
                store.save_contact(
                    seat.engine, contact.with_changes(notes="corrigé"), "A"
                ).contact.id,
                2,
            )
        )
    return keys


def site_rows(url: str, sql: str) -> list[tuple[Any, ...]]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return [tuple(r) for r in conn.execute(text(sql))]
    finally:
        engine.dispose()


def test_revisions_reach_the_site_once_and_are_never_lowered(tmp_path: Path, site_url: str) -> None:
    seat = seat_for(tmp_path / "s1", site_url)
    keys = save(seat, 300, corrected=40)
    worker.run_once(seat.engine, seat.settings)
    assert outbox.counts(seat.engine)["site"] == {"delivered": 340}
    revisions = set(site_rows(site_url, "SELECT contact_id, revision FROM contact_revisions"))
    assert revisions == keys
    current = dict(site_rows(site_url, "SELECT id, revision FROM contacts"))
    assert len(current) == 300 and sum(1 for r in current.values() if r == 2) == 40
    # An older revision arriving late (from another seat, a resend) never lowers a contact.
    target = SiteDatabaseTarget(seat.settings.sync_targets[0], {"seat_id": "S1"})
    contact_id = next(c for c, r in current.items() if r == 2)
    old = store.revisions(seat.engine, contact_id)[0][0]
    from desktop.contacts import to_plain

    assert next(iter(target.send([to_plain(old)]).values())).status == "duplicate"
    target.close()
    assert dict(site_rows(site_url, "SELECT id, revision FROM contacts"))[contact_id] == 2
    # The site has the same schema and trigger: its revisions are queued there too.
    assert site_rows(site_url, "SELECT count(*) FROM outbox") == [(340,)]


def test_two_seats_share_the_site(tmp_path: Path, site_url: str) -> None:
    one, two = seat_for(tmp_path / "a", site_url, "A"), seat_for(tmp_path / "b", site_url, "B")
    keys = save(one, 100) | save(two, 150)
    threads = [
        threading.Thread(target=worker.run_once, args=(s.engine, s.settings)) for s in (one, two)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert set(site_rows(site_url, "SELECT contact_id, revision FROM contact_revisions")) == keys
    assert dict(site_rows(site_url, "SELECT seat_id, count(*) FROM contacts GROUP BY seat_id")) == {
        "A": 100,
        "B": 150,
    }


def test_the_site_stopped_and_restarted_during_a_run(
    tmp_path: Path, site_url: str, postgres: Postgres
) -> None:
    seat = seat_for(tmp_path / "s", site_url)
    keys = save(seat, 2000)
    run = threading.Thread(target=worker.run_once, args=(seat.engine, seat.settings))
    run.start()
    time.sleep(0.3)
    postgres.stop("immediate")  # a crash of the site server, mid-run
    run.join()
    report = worker.run_once(seat.engine, seat.settings)
    assert report.targets[0].state == "failing" and "unreachable" in report.targets[0].error
    postgres.start()
    for _ in range(10):
        time.sleep(BACKOFF.wait_left())  # the seat's one backoff for the site, after the crash
        worker.run_once(seat.engine, seat.settings)
        if not outbox.counts(seat.engine)["site"].get("pending"):
            break
    assert outbox.counts(seat.engine)["site"] == {"delivered": 2000}
    assert set(site_rows(site_url, "SELECT contact_id, revision FROM contact_revisions")) == keys


def test_reconciliation_resends_what_the_site_lost_and_deletes_nothing(
    tmp_path: Path, site_url: str
) -> None:
    seat = seat_for(tmp_path / "s", site_url)
    keys = save(seat, 60)
    worker.run_once(seat.engine, seat.settings)
    lost = sorted(keys)[:5]
    engine = create_engine(site_url)
    with engine.begin() as conn:  # rows lost at the site (a restore from an older backup)
        for contact_id, revision in lost:
            conn.execute(
                text("DELETE FROM contact_revisions WHERE contact_id = :c AND revision = :r"),
                {"c": contact_id, "r": revision},
            )
    engine.dispose()
    target = SiteDatabaseTarget(seat.settings.sync_targets[0], {})
    check = reconcile(seat.engine, "site", target.has)
    target.close()
    assert not check.matches and check.resent == 5
    assert outbox.counts(seat.engine)["site"] == {"delivered": 55, "pending": 5}
    worker.run_once(seat.engine, seat.settings)
    assert set(site_rows(site_url, "SELECT contact_id, revision FROM contact_revisions")) == keys
    target = SiteDatabaseTarget(seat.settings.sync_targets[0], {})
    assert reconcile(seat.engine, "site", target.has).matches
    target.close()


def test_a_wrong_database_is_a_configuration_error(tmp_path: Path, postgres: Postgres) -> None:
    seat = seat_for(tmp_path / "s", postgres.url("no_such_database"))
    save(seat, 3)
    (target,) = worker.run_once(seat.engine, seat.settings).targets
    assert target.state == "misconfigured" and "does not exist" in target.error
    assert os.environ.get("REPLI_DATA_DIR")  # the test never touched a real seat


def test_a_seat_holds_one_connection_to_the_site_whatever_it_does(
    tmp_path: Path, site_url: str
) -> None:
    """A backup center's hundreds of seats each keep one connection on the site database
    (the DBA sizes max_connections by the seats), however many deliveries, mode and tables
    checks they make: not a pool each, and not a new server process per delivery."""
    from desktop.store.engine import dispose_site_engines, make_site_engine
    from desktop.supervisor.site_mode import site_mode

    seat = seat_for(tmp_path / "s1", site_url)
    database = site_url.rsplit("/", 1)[1]
    held = []
    for _ in range(5):
        save(seat, 3)
        worker.run_once(seat.engine, seat.settings)
        assert site_mode(make_site_engine(site_url)) is None  # the window's mode watch
        held.append(site_rows(site_url, "SELECT count(*) FROM pg_stat_activity"
                              f" WHERE datname = '{database}' AND pid <> pg_backend_pid()")[0][0])  # fmt: skip
    assert held == [1] * 5
    dispose_site_engines()
    seat.close()


def test_each_store_is_reconciled_on_its_own_clock_and_today_once_a_minute(
    tmp_path: Path, site_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two stores in one process with a target of the same name (a shift's two clients, the
    site benchmark's seats): one store's full check does not stand for the other's. Today's
    revisions are checked once a minute, not at every run (a run comes every 5 s)."""
    monkeypatch.setattr(worker, "RECONCILE_EVERY", timedelta(minutes=10))
    clock = [datetime(2026, 3, 10, 9, 0, tzinfo=UTC)]
    monkeypatch.setattr(worker, "utc_now", lambda: clock[0])
    one, two = seat_for(tmp_path / "a", site_url, "A"), seat_for(tmp_path / "b", site_url, "B")
    save(one, 3)
    old, new = sorted(save(two, 2))
    with two.engine.begin() as conn:  # the seat's days of saving, on the worker's clock
        for (contact_id, _r), day in ((old, "2026-03-08"), (new, "2026-03-10")):
            conn.execute(
                text("UPDATE contact_revisions SET saved_at = :at WHERE contact_id = :c"),
                {"at": f"{day} 08:30:00.000000", "c": contact_id},
            )

    def run(seat: SeatContext) -> int:
        return worker.run_once(seat.engine, seat.settings).targets[0].resent

    def lose(key: tuple[str, int]) -> None:
        engine = create_engine(site_url)
        with engine.begin() as conn:
            conn.execute(
                text("DELETE FROM contact_revisions WHERE contact_id = :c AND revision = :r"),
                {"c": key[0], "r": key[1]},
            )
        engine.dispose()

    assert run(one) == 0 and run(two) == 0  # delivered, and each store checked whole
    lose(old)  # an older day's revision lost at the site (a restore)
    clock[0] += timedelta(minutes=11)
    assert run(one) == 0
    assert run(two) == 1  # its own full check is due, whatever the other store's
    assert run(two) == 0  # sent again
    lose(new)  # today's
    clock[0] += timedelta(seconds=30)
    assert run(two) == 0  # checked 30 s ago: not yet
    clock[0] += timedelta(seconds=31)
    assert run(two) == 1
    run(two)
    assert set(site_rows(site_url, "SELECT contact_id, revision FROM contact_revisions")) >= {
        old,
        new,
    }
