"""baresip's ``ctrl_tcp`` control port: netstring-framed JSON, turned into call events.

On a ringing call baresip sends ``CALL_INCOMING`` with ``accountaor`` (the account that
matched the dialled number) and ``peeruri`` (the caller). When the account's user part is
not a number (a seat account, the dialled number being carried in the To header), the
``callstat`` command is asked for the call's ``local_uri`` (the To header); without an
answer within a second the pop carries the caller only. ``CALL_ESTABLISHED`` is "answered",
``CALL_CLOSED`` is "ended". An account that answers by itself (``answermode=auto``, a headset
seat) sends no ``CALL_INCOMING``: its first ``CALL_ESTABLISHED`` rings the call, then answers it. Only one client may hold the port: Repli must be that client.
"""

from __future__ import annotations

import json
import logging
import re
import time
from collections.abc import Callable
from typing import Any

from desktop.telephony.events import CallEvent, EventError, from_fields
from desktop.telephony.stream_adapter import StreamError

log = logging.getLogger("repli.telephony.baresip")
MAX_FRAME = 1_000_000
CALLSTAT_WAIT = 1.0
SEEN_CALLS = 256  # the calls whose ringing was told, to know an auto-answered one
_KINDS = {"CALL_INCOMING": "ringing", "CALL_ESTABLISHED": "answered", "CALL_CLOSED": "ended"}
_LOCAL_URI = re.compile(r"local_uri:\s*<?([^>\s]+)")
_CALL_ID = re.compile(r"\bid=(\S+)")


def netstring(payload: bytes) -> bytes:
    return str(len(payload)).encode() + b":" + payload + b","


def user_part(uri: str | None) -> str:
    """``sip:0612345678@host;x`` → ``0612345678``; ``tel:+33…`` → ``+33…``."""
    if not uri:
        return ""
    text = uri.strip().strip("<>")
    text = text.split(":", 1)[1] if ":" in text.split("@", 1)[0] else text
    return text.split("@", 1)[0].split(";", 1)[0]


class NetstringReader:
    def __init__(self) -> None:
        self._buffer = b""

    def frames(self, data: bytes) -> list[bytes]:
        self._buffer += data
        found = []
        while self._buffer:
            head, colon, rest = self._buffer.partition(b":")
            if not colon:
                if not head.isdigit() or len(head) > 7:
                    raise StreamError(f"not a netstring: {self._buffer[:20]!r}")
                break  # the length is still arriving
            if not head.isdigit() or len(head) > 7:
                raise StreamError(f"not a netstring length: {head[:20]!r}")
            size = int(head)
            if size > MAX_FRAME:
                raise StreamError(f"frame of {size} bytes")
            if len(rest) < size + 1:
                break
            if rest[size : size + 1] != b",":
                raise StreamError("netstring without its closing comma")
            found.append(rest[:size])
            self._buffer = rest[size + 1 :]
        return found


class BaresipProtocol:
    def __init__(self) -> None:
        self._reader = NetstringReader()
        self._send: Callable[[bytes], None] = lambda _b: None
        # callstat token → (the ringing's fields, deadline, the events that follow it)
        self._waiting: dict[str, tuple[dict[str, str], float, list[dict[str, str]]]] = {}
        self._seen: dict[str, None] = {}  # call ids rung, oldest first

    def start(self, send: Callable[[bytes], None]) -> None:
        self._send = send

    def feed(self, data: bytes) -> list[CallEvent]:
        events: list[CallEvent] = []
        for frame in self._reader.frames(data):
            try:
                message = json.loads(frame)
            except (ValueError, UnicodeDecodeError):
                log.warning("baresip sent a frame that is not JSON: %r", frame[:80])
                continue
            if isinstance(message, dict):
                events += self._message(message)
        return events

    def tick(self, now: float) -> list[CallEvent]:
        late = [token for token, (_f, deadline, _n) in self._waiting.items() if deadline <= now]
        return [e for token in late for e in self._resolved(*self._waiting.pop(token)[::2])]

    def _message(self, message: dict[str, Any]) -> list[CallEvent]:
        if message.get("event") and message.get("class", "call") == "call":
            return self._call_event(message)
        if message.get("response") and str(message.get("token", "")) in self._waiting:
            return self._callstat(message)
        return []

    def _call_event(self, message: dict[str, Any]) -> list[CallEvent]:
        kind = _KINDS.get(str(message.get("type")))
        call_id = str(message.get("id") or "")
        if kind is None or not call_id:
            return []
        fields = {"event": kind, "call_id": call_id, "caller": user_part(message.get("peeruri"))}
        if kind == "answered" and call_id not in self._seen:  # answered by itself
            return self._ringing(message, {**fields, "event": "ringing"}, [fields])
        if kind != "ringing":
            return [e for e in (self._event(fields),) if e]
        return self._ringing(message, fields, [])

    def _ringing(
        self, message: dict[str, Any], fields: dict[str, str], then: list[dict[str, str]]
    ) -> list[CallEvent]:
        self._seen[fields["call_id"]] = None
        while len(self._seen) > SEEN_CALLS:
            del self._seen[next(iter(self._seen))]
        dialled = user_part(message.get("accountaor"))
        if _is_number(dialled):
            return self._resolved({**fields, "called": dialled}, then)
        token = f"repli-callstat-{fields['call_id']}"
        self._waiting[token] = (fields, time.monotonic() + CALLSTAT_WAIT, then)
        self._send(netstring(json.dumps({"command": "callstat", "token": token}).encode()))
        return []

    def _resolved(self, fields: dict[str, str], then: list[dict[str, str]]) -> list[CallEvent]:
        return [e for f in (fields, *then) if (e := self._event(f))]

    def _callstat(self, message: dict[str, Any]) -> list[CallEvent]:
        fields, _deadline, then = self._waiting.pop(str(message["token"]))
        data = str(message.get("data") or "")
        uri, call = _LOCAL_URI.search(data), _CALL_ID.search(data)
        if (
            uri
            and call
            and call.group(1) == fields["call_id"]
            and _is_number(user_part(uri.group(1)))
        ):
            fields = {**fields, "called": user_part(uri.group(1))}
        return self._resolved(fields, then)

    @staticmethod
    def _event(fields: dict[str, str]) -> CallEvent | None:
        try:
            return from_fields(fields, source="baresip")
        except EventError:
            if fields.get("caller"):  # "anonymous", a SIP name: the number is unknown, not wrong
                return BaresipProtocol._event({**fields, "caller": ""})
            log.warning("baresip call without a usable number ignored")
            return None


def _is_number(text: str) -> bool:
    digits = text.lstrip("+")
    return digits.isdigit() and 3 <= len(digits) <= 20
