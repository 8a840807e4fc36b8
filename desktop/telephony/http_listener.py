"""The local screen-pop endpoint: ``POST /v1/call-events`` and ``GET /v1/pop``.

Bound to 127.0.0.1 only and served from its own threads (never the GUI's). Every request
must carry the seat's token (``Authorization: Bearer …``, ``X-Repli-Token: …`` or
``?token=…``, compared in constant time); a Host header other than 127.0.0.1/localhost on
our port, or any Origin header, is refused, so that no web page open on the seat can forge a
pop (DNS rebinding, cross-site requests). Each refusal is a short JSON error with the status
that fits and one log line; nothing else happens.

The site proxy (docs/telephony.md) reaches a seat over the LAN: with ``pop_lan_address``
set, the same endpoint also listens on that address, and there accepts requests only from
the addresses in ``pop_lan_allow`` (the site proxy's), with the seat's token as on
loopback, or with the body signed by the site's secret (``X-Repli-Signature: sha256=HEX``,
an HMAC-SHA256 with ``pop_lan_secret`` of the timestamp, a dot and the body, the timestamp in
``X-Repli-Timestamp``); the same size limits apply, and a rate limit of its own, so that a
flood on the LAN never costs the seat's own telephony a pop. Anything else is refused and
logged.

What reaches the LAN listener is bound to a time: a signed request's timestamp, a
notification's ``at`` (the proxy's, when the call reached it). One older than
``STALE_AFTER_S`` is refused (the proxy gave up on it long ago: a seat that hung while a call
rang must not pop it once it resumes), and a signature seen already is refused as a replay.

An address not on the allowlist is dropped before anything is read from it; a client that
resets or stalls is counted and logged like a refusal, a line per ``LOG_EVERY`` seconds.
"""

from __future__ import annotations

import errno
import hashlib
import hmac
import ipaddress
import json
import logging
import re
import socket
import sys
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from desktop.telephony.events import (
    CallEvent,
    EventError,
    from_form_body,
    from_json_body,
    from_query,
)

log = logging.getLogger("repli.telephony.http")
HOST = "127.0.0.1"
DEFAULT_PORT = 47811
MAX_BODY = 16 * 1024
EVENTS_PATH = "/v1/call-events"
POP_PATH = "/v1/pop"
LOG_EVERY = 10.0  # seconds between two log lines of refusals of the same status
STALE_AFTER_S = 10  # a LAN notification older than this: the proxy gave up on it
SEEN_SIGNATURES = 4096  # signatures remembered against replays (they expire with staleness)
_LENGTH = re.compile(r"[0-9]{1,9}")
_TIMESTAMP = re.compile(r"[0-9]{1,12}")


class RateLimiter:
    """A token bucket: ``rate`` requests a second on average, bursts up to ``burst``."""

    def __init__(self, rate: float, burst: int) -> None:
        self.rate, self.burst = rate, burst
        self._tokens = float(burst)
        self._last = time.monotonic()
        self._lock = threading.Lock()

    def take(self) -> float:
        """0 when the request may go ahead, else the seconds to wait before retrying."""
        with self._lock:
            now = time.monotonic()
            self._tokens = min(self.burst, self._tokens + (now - self._last) * self.rate)
            self._last = now
            if self._tokens >= 1:
                self._tokens -= 1
                return 0.0
            return (1 - self._tokens) / self.rate


@dataclass
class ListenerState:
    """What the status area and ``repli doctor`` show."""

    listening: bool = False
    port: int = 0
    error: str = ""
    lan: str = ""  # the LAN address also listened on, when the site proxy may reach the seat
    lan_error: str = ""
    accepted: int = 0
    refused: dict[int, int] = field(default_factory=dict)
    last_event_at: datetime | None = None


class PopServer:
    def __init__(
        self,
        port: int,
        token: str,
        on_event: Callable[[CallEvent], None],
        rate: float = 100.0,
        burst: int = 200,
        max_body: int = MAX_BODY,
        lan_address: str = "",
        lan_allow: tuple[str, ...] = (),
        lan_secret: str = "",
    ) -> None:
        if not token:
            raise ValueError("a screen-pop token is required")
        if lan_address and not lan_allow:
            raise ValueError("pop_lan_address needs pop_lan_allow: the site proxy's addresses")
        self._lan_address = lan_address
        self._lan_allow = frozenset(_ip(address) for address in lan_allow)
        self._lan_secret = lan_secret.encode()
        self._lan_server: _Server | None = None
        self._wanted_port = port
        self._token = token.encode()
        self._on_event = on_event
        self._limiter = RateLimiter(rate, burst)
        self._lan_limiter = RateLimiter(rate, burst)  # the LAN's flood never drains loopback's
        self._seen: OrderedDict[str, float] = OrderedDict()
        self._max_body = max_body
        self._server: ThreadingHTTPServer | None = None
        self._lock = threading.Lock()
        self._refusal_log: dict[int | str, tuple[float, int]] = {}
        self.state = ListenerState(port=port)

    def start(self) -> int:
        """Bind and serve; returns the port. Raises OSError (e.g. port taken), recorded in
        ``state.error``."""
        try:
            server = _Server((HOST, self._wanted_port), _Handler)
        except OSError as exc:
            self.state = ListenerState(False, self._wanted_port, _plain(exc))
            log.error("screen-pop listener not started on %s:%s: %s", HOST, self._wanted_port, exc)
            raise
        server.pop = self
        self._server = server
        self.state.listening, self.state.port, self.state.error = True, server.server_port, ""
        _serve(server, "repli-pop-http")
        log.info("screen-pop listener on http://%s:%s", HOST, server.server_port)
        if self._lan_address:
            self._start_lan(server.server_port)
        return server.server_port

    def _start_lan(self, port: int) -> None:
        """The site proxy's way in; a failure leaves the loopback listener as it is."""
        try:
            lan = (_Server6 if ":" in self._lan_address else _Server)(
                (self._lan_address, port), _Handler
            )
        except OSError as exc:
            self.state.lan_error = _plain(exc)
            log.error(
                "LAN screen-pop listener not started on %s:%s: %s", self._lan_address, port, exc
            )
            return
        lan.pop, lan.lan = self, True
        self._lan_server = lan
        shown = f"[{self._lan_address}]" if ":" in self._lan_address else self._lan_address
        self.state.lan, self.state.lan_error = f"{shown}:{port}", ""
        _serve(lan, "repli-pop-lan")
        allowed = ", ".join(sorted(self._lan_allow))
        log.info("screen-pop listener for the site proxy on %s (from %s)", self.state.lan, allowed)

    def stop(self) -> None:
        for server in (self._server, self._lan_server):
            if server is not None:
                server.shutdown()
                server.server_close()
        self._server = self._lan_server = None
        self.state.listening = False

    @property
    def port(self) -> int:
        return self.state.port

    # --- called from the request threads ---------------------------------------------

    def authorised(self, presented: str) -> bool:
        return hmac.compare_digest(presented.encode(), self._token)

    def allowed_hosts(self, lan: bool = False) -> set[str]:
        if lan:
            return {self.state.lan}
        return {f"{HOST}:{self.state.port}", f"localhost:{self.state.port}"}

    def lan_client_allowed(self, address: str) -> bool:
        return _ip(address) in self._lan_allow

    def signed_by_site(self, body: bytes, presented: str, timestamp: str) -> str:
        """Why a signed request is refused, or "" when it is the site's: ``sha256=HEX``, the
        HMAC-SHA256 with the site's secret of ``TIMESTAMP.BODY``, the timestamp (seconds
        since 1970, ``X-Repli-Timestamp``) within ``STALE_AFTER_S`` of this PC's clock, and
        the signature never seen before."""
        if not self._lan_secret or not presented.lower().startswith("sha256="):
            return "wrong site signature (X-Repli-Signature)"
        if not _TIMESTAMP.fullmatch(timestamp):
            return "a signed notification needs X-Repli-Timestamp (seconds since 1970)"
        signed = timestamp.encode() + b"." + body
        expected = hmac.new(self._lan_secret, signed, "sha256").hexdigest()
        given = presented[7:].strip().lower()
        if not hmac.compare_digest(given.encode(), expected.encode()):
            return "wrong site signature (X-Repli-Signature)"
        now = time.time()
        if abs(now - int(timestamp)) > STALE_AFTER_S:
            return f"stale signed notification ({int(now) - int(timestamp)} s old)"
        if self.seen_already(expected):
            return "a replayed notification (its signature was seen already)"
        return ""

    def seen_already(self, digest: str) -> bool:
        """Whether ``digest`` (a signature, a LAN body's sha256) came within the last
        ``STALE_AFTER_S`` seconds; remembered from now on. What is older is refused as stale
        anyway, so the memory of them stays small."""
        now = time.time()
        with self._lock:
            for old, at in list(self._seen.items()):
                if now - at <= STALE_AFTER_S and len(self._seen) <= SEEN_SIGNATURES:
                    break
                del self._seen[old]
            if digest in self._seen:
                return True
            self._seen[digest] = now
        return False

    def retry_after(self, lan: bool = False) -> float:
        return (self._lan_limiter if lan else self._limiter).take()

    def accept(self, event: CallEvent) -> None:
        with self._lock:
            self.state.accepted += 1
            self.state.last_event_at = datetime.now(UTC)
        self._on_event(event)

    def refused(self, status: int, reason: str, client: str) -> None:
        """Counted; logged once per status and ``LOG_EVERY`` seconds, with how many like it
        came since, so that a flood cannot rotate the log away."""
        with self._lock:
            self.state.refused[status] = self.state.refused.get(status, 0) + 1
        since = self._due(status)
        if since is None:
            return
        more = f" (and {since} more refused with {status} since the last line)" if since else ""
        log.warning("screen pop refused (%s) from %s: %s%s", status, client, reason, more)

    def broken(self, client: str, exc: BaseException | None) -> None:
        """A connection that broke (reset, stalled) or a request that broke a handler: a
        line per kind and ``LOG_EVERY`` seconds, the traceback only for what is no
        connection's fault."""
        network = isinstance(exc, (ConnectionError, TimeoutError))
        kind = "connection" if network else "error"
        since = self._due(kind)
        if since is None:
            return
        more = f" (and {since} more since the last line)" if since else ""
        if network:
            log.warning("screen-pop connection from %s broke: %s%s", client, exc, more)
        else:
            log.error("screen-pop request from %s failed%s", client, more, exc_info=exc)

    def _due(self, kind: int | str) -> int | None:
        """How many of ``kind`` were held back since its last line, or None to hold this
        one back too."""
        now = time.monotonic()
        with self._lock:
            last, since = self._refusal_log.get(kind, (-LOG_EVERY, 0))
            if now - last < LOG_EVERY:
                self._refusal_log[kind] = (last, since + 1)
                return None
            self._refusal_log[kind] = (now, 0)
        return since


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128  # a burst of simultaneous pops waits instead of timing out
    pop: PopServer
    lan = False  # the site proxy's listener (allowlist, site signature)

    def verify_request(self, request: Any, client_address: Any) -> bool:
        """On the LAN, an address not on the allowlist is dropped before a byte is read
        and before a thread is spent on it."""
        if self.lan and not self.pop.lan_client_allowed(client_address[0]):
            reason = f"{client_address[0]} is not the site proxy (pop_lan_allow)"
            self.pop.refused(403, reason, client_address[0])
            return False
        return True

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A request that broke a handler or whose client went away: in the log (a windowed
        seat has no stderr), aggregated, so that resets cannot rotate the log away."""
        self.pop.broken(client_address[0], sys.exc_info()[1])


class _Server6(_Server):
    """The LAN listener on an IPv6 address (``pop_lan_address = "::1"`` was accepted, and
    the IPv4 listener then never started)."""

    address_family = socket.AF_INET6


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    timeout = 5  # a client that stalls does not hold a thread for long
    _signature = ""  # a LAN request signed with the site's secret, checked with its body
    server_version = "Repli"
    sys_version = ""

    def do_POST(self) -> None:
        self._handle(EVENTS_PATH, self._event_from_body)

    def do_GET(self) -> None:
        self._handle(POP_PATH, self._event_from_query)

    def _not_allowed(self) -> None:
        self._reply(HTTPStatus.METHOD_NOT_ALLOWED, {"error": "method not allowed"},
                    {"Allow": "GET, POST"})  # fmt: skip

    do_PUT = do_DELETE = do_PATCH = do_HEAD = do_OPTIONS = _not_allowed

    def _handle(self, path: str, read: Callable[[], CallEvent]) -> None:
        pop = self.server.pop
        url = urlsplit(self.path)
        try:
            self._check(url.path, path, pop)
            event = read()  # a signature is checked with the body, before any token is taken
            self._fresh(event)
            # only the seat's own telephony (or the site proxy) gets this far: a flood of
            # refused requests (any local process, a web page's <img>, a bogus signature)
            # costs the real caller nothing
            wait = pop.retry_after(self.server.lan)
            if wait:
                error = EventError(429, "too many requests")
                error.retry_after = max(1, round(wait))  # type: ignore[attr-defined]
                raise error
        except EventError as exc:
            pop.refused(exc.status, str(exc), self.client_address[0])
            extra = (
                {"Retry-After": str(getattr(exc, "retry_after", ""))} if exc.status == 429 else {}
            )
            self._reply(exc.status, {"error": str(exc)}, extra)
            return
        pop.accept(event)
        status = HTTPStatus.ACCEPTED if self.command == "POST" else HTTPStatus.OK
        self._reply(status, {"ok": True, "call_id": event.call_id})

    def _check(self, got: str, wanted: str, pop: PopServer) -> None:
        lan = self.server.lan  # its allowlist was checked before a byte was read (verify_request)
        if got not in (EVENTS_PATH, POP_PATH):
            raise EventError(404, f"no such endpoint: {got}")
        if got != wanted:
            raise EventError(405, f"{self.command} is not allowed on {got}")
        if self.headers.get("Host", "").lower() not in pop.allowed_hosts(lan):
            raise EventError(403, f"foreign Host header {self.headers.get('Host')!r}")
        if "Origin" in self.headers:
            raise EventError(
                403, f"requests from web pages are refused (Origin {self.headers['Origin']!r})"
            )
        presented = self._token()
        signature = self.headers.get("X-Repli-Signature", "") if lan else ""
        if not presented and not signature:
            raise EventError(401, "the screen-pop token is missing")
        if presented and not pop.authorised(presented):
            raise EventError(403, "wrong screen-pop token")
        self._signature = "" if presented else signature  # checked with the body

    def _fresh(self, event: CallEvent) -> None:
        """A notification from the LAN (the site proxy's) dated by the proxy older than
        ``STALE_AFTER_S``: the proxy gave up on it, the call it tells of has moved on."""
        if not self.server.lan or not event.dated:
            return
        age = (datetime.now(UTC) - event.at).total_seconds()
        if age > STALE_AFTER_S:
            raise EventError(410, f"stale notification: {round(age)} s old (dropped)")

    def _token(self) -> str:
        auth = self.headers.get("Authorization", "")
        if auth.lower().startswith("bearer "):
            return auth[7:].strip()
        if self.headers.get("X-Repli-Token"):
            return self.headers["X-Repli-Token"].strip()
        values = parse_qs(urlsplit(self.path).query).get("token", [])
        return values[-1] if values else ""

    def _event_from_body(self) -> CallEvent:
        length = self.headers.get("Content-Length")
        if length is None or not _LENGTH.fullmatch(length.strip()):
            self.close_connection = True
            raise EventError(411, "Content-Length is required (ASCII digits)")
        if int(length) > self.server.pop._max_body:
            self.close_connection = True
            raise EventError(413, f"body over {self.server.pop._max_body} bytes")
        body = self.rfile.read(int(length))
        if self._signature:
            stamp = self.headers.get("X-Repli-Timestamp", "").strip()
            why = self.server.pop.signed_by_site(body, self._signature, stamp)
            if why:
                raise EventError(409 if "replayed" in why or "stale" in why else 403, why)
        if self.server.lan:  # the proxy sends each notification once, dated: a copy is a replay
            digest = "body:" + hashlib.sha256(body).hexdigest()
            if self.server.pop.seen_already(digest):
                raise EventError(409, "a replayed notification (the same one came already)")
        kind = self.headers.get("Content-Type", "").split(";")[0].strip().lower()
        if kind == "application/x-www-form-urlencoded":  # the site proxy's (Kamailio's)
            return from_form_body(body)
        return from_json_body(body)

    def _event_from_query(self) -> CallEvent:
        if self._signature:
            raise EventError(403, "a signed notification is a POST of its body")
        params = parse_qs(urlsplit(self.path).query)
        params.pop("token", None)
        return from_query(params)

    def _reply(
        self, status: int, body: dict[str, Any], headers: dict[str, str] | None = None
    ) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:
        log.debug("%s %s", self.client_address[0], format % args)


def _ip(address: str) -> str:
    """An address as one spelling (``::0:1`` is ``::1``; an IPv4-mapped one its IPv4)."""

    try:
        found = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return address
    mapped = getattr(found, "ipv4_mapped", None)
    return str(mapped or found)


def _serve(server: _Server, name: str) -> None:
    threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, name=name, daemon=True
    ).start()


def _plain(exc: OSError) -> str:
    if exc.errno == errno.EADDRINUSE:
        return "port in use"
    if exc.errno == errno.EACCES:
        return "port not permitted"
    return exc.strerror or str(exc)
