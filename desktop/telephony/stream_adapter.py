"""Call events from a stream: a softphone's or a PABX's control port.

``StreamAdapter`` connects to the port, reconnects by itself when the other end restarts,
and feeds what it reads to a protocol object that turns bytes into CallEvents (baresip's
``ctrl_tcp`` is the first; a PABX manager interface would be another). The events go to the
same callback as the screen-pop endpoint: nothing else in Repli knows where they came from.
"""

from __future__ import annotations

import logging
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Protocol

from desktop.telephony.events import CallEvent

log = logging.getLogger("repli.telephony.stream")


class StreamError(ValueError):
    """The bytes on the port are not the protocol's: the connection is dropped and retried."""


class CallProtocol(Protocol):
    def start(self, send: Callable[[bytes], None]) -> None: ...
    def feed(self, data: bytes) -> list[CallEvent]: ...
    def tick(self, now: float) -> list[CallEvent]: ...


@dataclass
class AdapterState:
    kind: str
    host: str
    port: int
    connected: bool = False
    error: str = ""
    connections: int = 0
    garbage: int = 0  # times the port sent something that is not the protocol
    events: int = 0
    last_event_at: datetime | None = None


class StreamAdapter:
    def __init__(
        self,
        kind: str,
        host: str,
        port: int,
        protocol: Callable[[], CallProtocol],
        on_event: Callable[[CallEvent], None],
        retry: tuple[float, float] = (0.5, 5.0),
    ) -> None:
        self.state = AdapterState(kind, host, port)
        self._protocol = protocol
        self._on_event = on_event
        self._retry = retry
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(
            target=self._run, name=f"repli-{self.state.kind}", daemon=True
        )
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=3)

    def _run(self) -> None:
        delay = self._retry[0]
        while not self._stop.is_set():
            try:
                conn = socket.create_connection((self.state.host, self.state.port), timeout=3)
            except OSError as exc:
                self._lost(exc.strerror or str(exc))
                self._stop.wait(delay)
                delay = min(self._retry[1], delay * 2)
                continue
            delay = self._retry[0]
            with conn:
                self._serve(conn)

    def _serve(self, conn: socket.socket) -> None:
        state = self.state
        state.connected, state.error, state.connections = True, "", state.connections + 1
        log.info("%s control port connected (%s:%s)", state.kind, state.host, state.port)
        protocol = self._protocol()
        protocol.start(conn.sendall)
        conn.settimeout(0.2)
        while not self._stop.is_set():
            try:
                data = conn.recv(65536)
            except TimeoutError:
                self._emit(protocol.tick(time.monotonic()))
                continue
            except OSError as exc:
                return self._lost(exc.strerror or str(exc))
            if not data:
                return self._lost("closed by the softphone")
            try:
                self._emit(protocol.feed(data))
            except StreamError as exc:
                log.warning("%s control port sent garbage, reconnecting: %s", state.kind, exc)
                state.garbage += 1
                return self._lost(f"garbage: {exc}")
        return None

    def _lost(self, reason: str) -> None:
        if self.state.connected or self.state.error != reason:
            log.warning(
                "%s control port %s:%s: %s",
                self.state.kind,
                self.state.host,
                self.state.port,
                reason,
            )
        self.state.connected, self.state.error = False, reason

    def _emit(self, events: list[CallEvent]) -> None:
        for event in events:
            self.state.events += 1
            self.state.last_event_at = datetime.now(UTC)
            self._on_event(event)
