"""Calls to the site store that never hold a seat: bounded in time, backed off together, and
their failures said in one line.

A frozen server (a leader stopped by SIGSTOP, a VM paused) keeps its TCP connections open:
its kernel still acknowledges, so neither keepalives nor ``tcp_user_timeout`` notice it, and a
query waits for ever. ``bounded`` arms a timer around each call; when it fires, the sockets of
that engine's connections are shut down, the blocked call fails at once with a lost
connection, and SQLAlchemy drops it from the pool. The next call connects again, to whichever
host is the writable one by then (``target_session_attrs=read-write`` in the seat's URL).

A failure starts the process's backoff (one for every site reader of the seat: delivery, mode
watch, tables follower, roster, dashboard), so that 330 seats do not storm a new leader: until
it ends, ``bounded`` fails at once without touching the network.
"""

from __future__ import annotations

import logging
import os
import random
import re
import socket
import threading
import time
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import Engine, event
from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from desktop.store.site_url import hosts_of

log = logging.getLogger("repli.site")
T = TypeVar("T")

SEAT_BOUND_S = 8.0  # a seat's site call (a delivery, a mode read, a roster write)
READ_BOUND_S = 20.0  # a supervisor's read (the dashboard over a million contacts)
CONNECT_TIMEOUT_S = 3  # libpq's, per host
BACKOFF_FIRST_S = 1.0
BACKOFF_MOST_S = 5.0  # a new leader is written to within 10 s of its promotion

# libpq's keepalives (a dead host or a cut cable noticed in ~10 s instead of the system's
# two hours) and tcp_user_timeout (data unacknowledged for 8 s: the connection is dead);
# prepare_threshold None: PgBouncer in transaction mode hands a session's statements to
# another server connection, where a prepared statement does not exist.
CONNECT_ARGS: dict[str, Any] = {
    "connect_timeout": CONNECT_TIMEOUT_S,
    "keepalives": 1,
    "keepalives_idle": 5,
    "keepalives_interval": 2,
    "keepalives_count": 3,
    "tcp_user_timeout": 8_000,
    "prepare_threshold": None,
}


_CONNECTIONS: weakref.WeakKeyDictionary[Engine, weakref.WeakSet[Any]] = weakref.WeakKeyDictionary()
_SUSPECTS: weakref.WeakKeyDictionary[Engine, set[str]] = weakref.WeakKeyDictionary()


class SiteUnavailable(SQLAlchemyError):
    """The site store did not answer within the bound, or the backoff after a failure runs."""


def watch_connections(engine: Engine) -> None:
    """Remember the engine's DBAPI connections, for ``bounded`` to cut them, and order the
    hosts of each new connection: the host that last took one first (after a failover the
    first connection pays for the old leader, dead: refused, frozen: ``connect_timeout``; the
    next ones do not), the hosts whose connections were cut last (a frozen leader would cost
    every reconnection its ``connect_timeout`` before the new one is tried)."""
    connections: weakref.WeakSet[Any] = weakref.WeakSet()
    _CONNECTIONS[engine] = connections
    suspects: set[str] = set()
    _SUSPECTS[engine] = suspects
    leader: list[str] = []  # host:port of the last writable server

    @event.listens_for(engine, "do_connect")
    def _leader_first(_dialect: Any, _record: Any, _args: Any, params: dict[str, Any]) -> None:
        hosts = str(params.get("host", "")).split(",")
        ports = str(params.get("port", "")).split(",")
        if len(hosts) > 1 and len(ports) == len(hosts):
            pairs = connection_order(list(zip(hosts, ports, strict=True)), leader, suspects)
            params["host"] = ",".join(h for h, _p in pairs)
            params["port"] = ",".join(p for _h, p in pairs)

    @event.listens_for(engine, "connect")
    def _remember(dbapi_connection: Any, _record: Any) -> None:
        connections.add(dbapi_connection)
        address = _address(dbapi_connection)
        if address:
            leader[:] = [address]
            suspects.discard(address)


def connection_order(
    pairs: list[tuple[str, str]], leader: list[str], suspects: set[str]
) -> list[tuple[str, str]]:
    """The URL's (host, port) pairs in the order to try them: the last leader first unless
    its connections were cut since, the cut ones last, the others as the URL gives them."""

    def rank(pair: tuple[str, str]) -> int:
        address = f"{pair[0]}:{pair[1]}"
        if address in suspects:
            return 2
        return 0 if leader and address == leader[0] else 1

    return sorted(pairs, key=rank)


def _address(dbapi_connection: Any) -> str:
    info = getattr(dbapi_connection, "info", None)
    host = getattr(info, "host", None)
    return f"{host}:{getattr(info, 'port', '')}" if host else ""


def cut(engine: Engine) -> int:
    """Shut the sockets of every open connection of ``engine``: a call blocked on one of them
    fails at once; their hosts are tried last from now on, until one answers again. Returns
    how many were cut."""
    connections = _CONNECTIONS.get(engine, ())
    suspects = _SUSPECTS.get(engine)
    done = 0
    for connection in list(connections):
        try:
            if connection.closed:
                continue
            address = _address(connection)
            duplicate = os.dup(connection.fileno())
        except Exception:
            continue
        if suspects is not None and address:
            suspects.add(address)
        try:
            with socket.socket(fileno=duplicate) as sock:
                sock.shutdown(socket.SHUT_RDWR)
            done += 1
        except OSError:
            pass
    return done


class Backoff:
    """One per process: after a failure, site calls wait 1, 2, 4 … up to 5 s (each with a
    random part, so that a site's seats spread their retries) before trying again."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self.lock = threading.Lock()
        self.failures = 0
        self.until = 0.0
        self.reason = ""

    def wait_left(self) -> float:
        with self.lock:
            return max(0.0, self.until - self.clock())

    def failed(self, reason: str) -> None:
        with self.lock:
            self.failures += 1
            most = min(BACKOFF_MOST_S, BACKOFF_FIRST_S * 2 ** (self.failures - 1))
            self.until = self.clock() + random.uniform(most / 2, most)
            self.reason = reason

    def succeeded(self) -> None:
        with self.lock:
            self.failures = 0
            self.until = 0.0
            self.reason = ""


BACKOFF = Backoff()


@contextmanager
def bounded(
    engine: Engine,
    seconds: float = SEAT_BOUND_S,
    backoff: Backoff | None = BACKOFF,
    wait_out: float = 0.0,
) -> Iterator[None]:
    """Run the block's site calls for at most ``seconds``: past it, the engine's connections
    are cut and SiteUnavailable says so. A SQLite engine (a test's, a single seat's) passes
    through. While ``backoff`` runs, fails at once, unless it ends within ``wait_out``
    seconds: then it is waited out and the call tried (the seat's sync, on a thread of its
    own, is the one site reader that does: its next try is the backoff's end, not the end
    of its own wait after a failed run, which would add up to 5 s to a failover)."""
    if engine.dialect.name != "postgresql":
        yield
        return
    if backoff is not None and (left := backoff.wait_left()) > 0:
        if left > wait_out:
            raise SiteUnavailable(f"{backoff.reason} (next try in {left:.0f} s)")
        time.sleep(left)
    fired = threading.Event()

    def expire() -> None:
        fired.set()
        cut(engine)

    timer = threading.Timer(seconds, expire)
    timer.daemon = True
    timer.start()
    try:
        yield
    except DBAPIError as exc:
        if fired.is_set():
            reason = f"the site store did not answer within {seconds:.0f} s (server frozen?)"
            if backoff is not None:
                backoff.failed(reason)
            raise SiteUnavailable(reason) from None
        if backoff is not None and describe(exc, str(engine.url)).retryable:
            backoff.failed(describe(exc, str(engine.url)).text)
        raise
    finally:
        timer.cancel()
    if backoff is not None:
        backoff.succeeded()


@dataclass(frozen=True)
class Problem:
    """A site failure in one line; ``retryable`` False: a configuration to fix."""

    text: str
    retryable: bool
    read_only: bool = False


# decided by PostgreSQL's error code when the server sent one: 28 login refused, 3D no such
# database, 42501 no right; 25006 a read-only server (a standby)
_CODE_MISCONFIGURED = ("28", "3D", "42501")
_READ_ONLY_CODES = ("25006",)
# at connection time libpq keeps no code, only the server's words (in English: a site's
# server runs with lc_messages=C, as `repli site config` writes it) or its own
_CONNECT_MISCONFIGURED = (
    "password authentication failed",
    "authentication failed",
    "no pg_hba.conf entry",
    "does not exist",
    "permission denied",
)
_CONNECT_READ_ONLY = ("session is read-only", "server is in hot standby mode", "read-only")


_READ_ONLY = Problem(
    "the site store's server is read-only (a standby): give every host of the site in the "
    "URL, with target_session_attrs=read-write",
    retryable=True,
    read_only=True,
)


def describe(exc: BaseException, url: str = "") -> Problem:
    """One line for a site failure: what happened and what to do."""
    if isinstance(exc, SiteUnavailable):
        return Problem(str(exc), retryable=True)
    orig = getattr(exc, "orig", exc)
    code = getattr(orig, "sqlstate", None) or ""
    message = str(orig).strip()
    first = message.splitlines()[0] if message else type(orig).__name__
    first = re.sub(r"^connection failed: ", "", first)
    if code in _READ_ONLY_CODES:
        return _READ_ONLY
    if code.startswith(_CODE_MISCONFIGURED):
        return Problem(f"the site store refuses us: {first}", retryable=False)
    if code:
        return Problem(f"the site store failed: {first}", retryable=True)
    attempts = [line for line in message.splitlines() if line.startswith("- host:")] or [first]
    count = max(1, len(hosts_of(url)) if url else len(attempts))
    if count > 1:
        if all(any(w in a for w in _CONNECT_READ_ONLY) for a in attempts):
            return Problem(
                f"no writable server among {count}: a failover under way?",
                retryable=True,
                read_only=True,
            )
        if any(w in message for w in _CONNECT_MISCONFIGURED):
            return Problem(f"the site store refuses us: {_server_words(message)}", False)
        return Problem(f"no writable server among {count} answers: a failover under way?", True)
    if any(w in message for w in _CONNECT_READ_ONLY):
        return _READ_ONLY
    if any(w in message for w in _CONNECT_MISCONFIGURED):
        return Problem(f"the site store refuses us: {_server_words(message)}", retryable=False)
    return Problem(f"the site store is unreachable: {first}", retryable=True)


def _server_words(message: str) -> str:
    found = re.search(r"FATAL:\s*(.+)", message)
    return found.group(1).strip() if found else message.splitlines()[0]


def within(engine: Engine, work: Callable[[], T], seconds: float = READ_BOUND_S) -> Callable[[], T]:
    """``work`` bounded on ``engine`` (a supervisor's read: no backoff, F5 tries now)."""

    def bounded_work() -> T:
        with bounded(engine, seconds, backoff=None):
            return work()

    return bounded_work


def is_database_error(error: BaseException) -> bool:
    return isinstance(error, SQLAlchemyError)


def in_words(error: BaseException) -> str:
    """An error shown to a person: a database failure in one line, anything else as it is."""
    return describe(error).text if isinstance(error, SQLAlchemyError) else str(error)
