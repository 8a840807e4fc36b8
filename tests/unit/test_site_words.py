"""A site store's URL and failures, read without a server: the refusals the config makes and
the one line each failure is said in (decided by PostgreSQL's error code when it sent one)."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine
from sqlalchemy.exc import OperationalError

from desktop import config
from desktop.store.site_calls import (
    Backoff,
    SiteUnavailable,
    bounded,
    connection_order,
    describe,
)
from desktop.store.site_url import hosts_of, one_host, problem_of
from desktop.sync import worker
from desktop.sync.worker import next_run_in

THREE = (
    "postgresql+psycopg://repli:pw@/repli?host=10.0.0.1:5432&host=10.0.0.2:5432"
    "&host=10.0.0.3:5432&target_session_attrs=read-write"
)


class Failure(Exception):
    def __init__(self, message: str, sqlstate: str | None = None) -> None:
        super().__init__(message)
        self.sqlstate = sqlstate


def wrapped(message: str, sqlstate: str | None = None) -> OperationalError:
    return OperationalError("SELECT 1", {}, Failure(message, sqlstate))


def test_hosts_of_a_multi_host_url_and_one_of_them() -> None:
    assert hosts_of(THREE) == ["10.0.0.1:5432", "10.0.0.2:5432", "10.0.0.3:5432"]
    assert one_host(THREE, "10.0.0.2:5432") == "postgresql+psycopg://repli:pw@10.0.0.2:5432/repli"
    assert hosts_of("postgresql+psycopg://repli@db/repli") == ["db:5432"]


def test_several_hosts_without_asking_for_the_writable_one_are_refused() -> None:
    assert problem_of(THREE) == ""
    assert "target_session_attrs=read-write" in problem_of(
        THREE.replace("&target_session_attrs=read-write", "")
    )
    with pytest.raises(config.ConfigError, match="target_session_attrs=read-write"):
        config._targets(
            [
                {
                    "name": "site",
                    "kind": "site",
                    "database_url": THREE.replace("read-write", "any"),
                }
            ],
            "config.toml",
        )


@pytest.mark.parametrize(
    ("code", "retryable"),
    [("28P01", False), ("3D000", False), ("42501", False), ("57P01", True), ("53300", True)],
)
def test_the_error_code_decides_what_is_to_fix(code: str, retryable: bool) -> None:
    """The words do not decide: a French server's message is the same failure."""
    problem = describe(wrapped("FATAL:  l'authentification a échoué", code))
    assert problem.retryable is retryable


def test_a_read_only_server_points_to_the_url() -> None:
    problem = describe(wrapped("cannot execute INSERT in a read-only transaction", "25006"))
    assert problem.read_only and problem.retryable
    assert "target_session_attrs=read-write" in problem.text


def test_all_standbys_is_a_failover_under_way_in_one_line() -> None:
    message = (
        'connection failed: connection to server at "10.0.0.3", port 5432 failed: session is '
        "read-only\nMultiple connection attempts failed. All failures were:\n"
        + "".join(
            f"- host: '10.0.0.{i}', port: '5432': connection failed: session is read-only\n"
            for i in (1, 2, 3)
        )
    )
    problem = describe(wrapped(message), THREE)
    assert problem.text == "no writable server among 3: a failover under way?"
    assert "\\n" not in problem.text and "\n" not in problem.text


def test_the_backoff_doubles_to_its_ceiling_and_ends_on_success() -> None:
    now = [0.0]
    backoff = Backoff(clock=lambda: now[0])
    waits = []
    for _ in range(8):
        backoff.failed("down")
        waits.append(backoff.wait_left())
    assert 0.5 <= waits[0] <= 1 and 2.5 <= waits[-1] <= 5
    assert all(w <= 5 for w in waits)
    now[0] += 9
    assert backoff.wait_left() == 0
    backoff.failed("down")
    backoff.succeeded()
    assert backoff.wait_left() == 0 and backoff.failures == 0


def test_the_sync_waits_out_a_backoff_that_ends_within_its_bound_the_others_fail_at_once() -> None:
    """No server is reached: the block makes no call (an engine connects only when used)."""
    engine = create_engine("postgresql+psycopg://repli:pw@/repli?host=10.0.0.1:5432")
    backoff = Backoff()
    backoff.failed("down")  # 0.5 to 1 s left
    with pytest.raises(SiteUnavailable, match="next try in"), bounded(engine, backoff=backoff):
        pass  # a mode read, a roster write: at once, without the network
    assert backoff.wait_left() > 0
    entered = []
    with bounded(engine, backoff=backoff, wait_out=5):  # the sync: the backoff's end
        entered.append(backoff.wait_left())
    assert entered == [0.0] and backoff.failures == 0  # tried once it ended: it succeeded
    backoff.failed("down")
    backoff.failed("down")  # 1 to 2 s left: longer than this caller's bound
    with pytest.raises(SiteUnavailable), bounded(engine, backoff=backoff, wait_out=0.1):
        pass


def test_the_sync_loop_never_waits_longer_than_its_interval_after_failing_runs(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(worker, "BACKOFF_BASE_S", 1.0)  # the product's, whatever ran before
    monkeypatch.setattr(worker, "BACKOFF_CAP_S", 10.0)
    for failures in (0, 1, 3, 8, 30):
        waits = [next_run_in(failures, 5.0) for _ in range(200)]
        assert all(0 <= w <= 5.0 for w in waits)
    assert next_run_in(0, 5.0) == 5.0
    assert max(next_run_in(8, 5.0) for _ in range(200)) > 2.5  # still spread, still waits


def test_a_new_connection_tries_the_last_leader_first_and_a_cut_host_last() -> None:
    url = [("10.1.0.11", "5432"), ("10.1.0.12", "5432"), ("10.1.0.13", "6432")]
    assert connection_order(url, [], set()) == url  # as the URL gives them
    assert connection_order(url, ["10.1.0.12:5432"], set())[0] == ("10.1.0.12", "5432")
    # the leader froze: its connections were cut, the others go first, it goes last
    frozen = connection_order(url, ["10.1.0.12:5432"], {"10.1.0.12:5432"})
    assert frozen == [("10.1.0.11", "5432"), ("10.1.0.13", "6432"), ("10.1.0.12", "5432")]
    # a port is part of the address: the same host behind PgBouncer is another
    assert connection_order(url, [], {"10.1.0.13:5432"}) == url
