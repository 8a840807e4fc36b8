"""A frozen site server (every process of it stopped, as a hung machine) holds a seat's
delivery and its mode read for the bound only, then the seat delivers again by itself; a
site's failures are said in one line."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from sqlalchemy.exc import SQLAlchemyError

from desktop.store.engine import make_site_engine
from desktop.store.schema import ensure_site_schema
from desktop.store.site_calls import BACKOFF, SiteUnavailable, bounded, describe
from desktop.supervisor.site_mode import set_site_mode, site_mode
from desktop.sync import outbox, worker
from tests.e2e.test_sync_site_database import quick, save, seat_for, site_rows
from tests.helpers.freeze import frozen, postmaster, tree
from tests.helpers.postgres import Postgres

__all__ = ["quick"]  # its autouse fixture: the worker's own retries without waiting


def finished(work: threading.Thread, most_s: float = 120) -> bool:
    """Liveness, not speed: without a bound the call waits as long as the server is frozen,
    which here is until the test thaws it after this join."""
    work.join(most_s)
    return not work.is_alive()


def test_a_frozen_site_holds_a_delivery_for_the_bound_only(
    tmp_path: Path, site_url: str, postgres: Postgres
) -> None:
    seat = seat_for(tmp_path / "s", site_url)
    first = save(seat, 20)
    worker.run_once(seat.engine, seat.settings)  # the seat's connection is open and idle
    later = save(seat, 30)
    reports: list[worker.RunReport] = []
    with frozen(tree(postmaster(postgres.data))):
        run = threading.Thread(
            target=lambda: reports.append(worker.run_once(seat.engine, seat.settings))
        )
        run.start()
        assert finished(run), "the delivery waited on the frozen server"
        # the backoff the failure started: the next call fails at once, without the network
        with (
            pytest.raises(SiteUnavailable, match="next try in"),
            bounded(make_site_engine(site_url)),
        ):
            pass
    target = reports[0].targets[0]
    assert target.state == "failing" and "did not answer within" in target.error
    assert outbox.counts(seat.engine)["site"] == {"delivered": 20, "pending": 30}
    for _ in range(20):  # thawed: the seat delivers again by itself, on a new connection
        time.sleep(BACKOFF.wait_left())
        worker.run_once(seat.engine, seat.settings)
        if not outbox.counts(seat.engine)["site"].get("pending"):
            break
    assert outbox.counts(seat.engine)["site"] == {"delivered": 50}
    assert set(site_rows(site_url, "SELECT contact_id, revision FROM contact_revisions")) == (
        first | later
    )


def test_a_frozen_site_holds_the_mode_read_for_the_bound_only(
    site_url: str, postgres: Postgres
) -> None:
    engine = make_site_engine(site_url)
    with bounded(engine):
        ensure_site_schema(engine)
        set_site_mode(engine, "exercise", "test")
    failures: list[Exception] = []

    def read() -> None:
        try:
            with bounded(engine):
                site_mode(engine)
        except SQLAlchemyError as exc:
            failures.append(exc)

    with frozen(tree(postmaster(postgres.data))):
        work = threading.Thread(target=read)
        work.start()
        assert finished(work), "the mode read waited on the frozen server"
    assert len(failures) == 1 and "did not answer" in describe(failures[0]).text
    time.sleep(BACKOFF.wait_left())
    with bounded(engine):
        assert site_mode(engine) == "exercise"


def test_a_fresh_site_is_readable_by_any_site_reader_first(site_url: str) -> None:
    """No seat has delivered yet: the mode watch, the first to read, creates the schema."""
    engine = make_site_engine(site_url)
    with bounded(engine):
        ensure_site_schema(engine)
        assert site_mode(engine) is None


def test_a_refused_login_is_a_configuration_to_fix_said_in_one_line(
    postgres: Postgres,
) -> None:
    url = postgres.url("postgres").replace("repli@", "nobody@")
    engine = make_site_engine(url)
    with pytest.raises(SQLAlchemyError) as caught, bounded(engine, backoff=None):
        site_mode(engine)
    problem = describe(caught.value, url)
    assert not problem.retryable
    assert problem.text == 'the site store refuses us: role "nobody" does not exist'


def test_no_server_answering_among_several_is_said_as_a_failover(postgres: Postgres) -> None:
    url = (
        "postgresql+psycopg://repli@/postgres?host=127.0.0.1:1&host=127.0.0.2:1"
        "&host=127.0.0.3:1&target_session_attrs=read-write"
    )
    engine = make_site_engine(url)
    with pytest.raises(SQLAlchemyError) as caught, bounded(engine, backoff=None):
        site_mode(engine)
    problem = describe(caught.value, url)
    assert problem.retryable
    assert problem.text == "no writable server among 3 answers: a failover under way?"


def test_a_standby_alone_is_said_read_only(postgres: Postgres) -> None:
    """The seat's URL names one host that is (here: acts as, for this session) a standby."""
    url = postgres.create_database("standby_like")
    ro = make_site_engine(url + "?options=-c%20default_transaction_read_only%3Don")
    with pytest.raises(SQLAlchemyError) as caught, bounded(ro, backoff=None):
        ensure_site_schema(ro)
    problem = describe(caught.value)
    assert problem.read_only and "target_session_attrs=read-write" in problem.text


def test_the_host_that_took_the_last_connection_is_tried_first(postgres: Postgres) -> None:
    """After a failover only the first connection pays for the old leader."""
    from sqlalchemy import event

    url = (
        f"postgresql+psycopg://repli@/postgres?host=127.0.0.1:1"
        f"&host={postgres.host}:{postgres.port}&target_session_attrs=read-write"
    )
    engine = make_site_engine(url)
    tried: list[str] = []

    @event.listens_for(engine, "do_connect")
    def spy(_dialect: object, _record: object, _args: object, params: dict[str, str]) -> None:
        tried.append(params["host"])

    for _ in range(2):
        with bounded(engine, backoff=None), engine.connect():
            pass
        engine.dispose()  # a new connection each time
    assert tried == [f"127.0.0.1,{postgres.host}", f"{postgres.host},127.0.0.1"]
