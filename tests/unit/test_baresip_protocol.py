"""baresip's control-port protocol, and the adapter reconnecting to a real TCP port."""

from __future__ import annotations

import json
import socket
import threading
import time

import pytest

from desktop.telephony.baresip import BaresipProtocol, NetstringReader, netstring, user_part
from desktop.telephony.events import CallEvent, EventKind
from desktop.telephony.stream_adapter import StreamAdapter, StreamError

INCOMING = {"event": True, "type": "CALL_INCOMING", "class": "call",
            "accountaor": "sip:0199006677@127.0.0.1:5070", "direction": "incoming",
            "peeruri": "sip:0612345678@127.0.0.1:5080", "peerdisplayname": "Test Caller",
            "id": "abc123"}  # fmt: skip


def frame(message: dict[str, object]) -> bytes:
    return netstring(json.dumps(message).encode())


def test_user_parts() -> None:
    assert user_part("sip:0612345678@127.0.0.1:5080") == "0612345678"
    assert user_part("<sip:+33199006677@pbx;user=phone>") == "+33199006677"
    assert user_part("tel:+33612345678") == "+33612345678"
    assert user_part("sip:anonymous@anonymous.invalid") == "anonymous"
    assert user_part(None) == ""


def test_netstrings_split_anywhere_and_garbage_is_refused() -> None:
    reader = NetstringReader()
    data = netstring(b"hello") + netstring(b"") + netstring(b"world")
    got = [f for i in range(len(data)) for f in reader.frames(data[i : i + 1])]
    assert got == [b"hello", b"", b"world"]
    for garbage in (b"GET / HTTP/1.1\r\n", b"12:abc", b"99999999:", b"5:hello!"):
        with pytest.raises(StreamError):
            NetstringReader().frames(garbage if garbage != b"12:abc" else b"3:abc;")


def test_a_call_the_account_answers_by_itself_rings_first() -> None:
    """``answermode=auto`` sends no CALL_INCOMING: the answer rings the call, then answers it;
    an answer after a ringing seen is an answer only."""
    protocol = BaresipProtocol()
    established = {**INCOMING, "type": "CALL_ESTABLISHED"}
    ringing, answered = protocol.feed(frame(established))
    assert (ringing.kind, ringing.called, answered.kind) == (
        EventKind.RINGING, "0199006677", EventKind.ANSWERED,
    )  # fmt: skip
    protocol.feed(frame({**INCOMING, "id": "second"}))
    (only,) = protocol.feed(frame({**established, "id": "second"}))
    assert only.kind is EventKind.ANSWERED
    sent: list[bytes] = []
    protocol.start(sent.append)
    seat = {**established, "id": "third", "accountaor": "sip:seat1@127.0.0.1:5070"}
    assert protocol.feed(frame(seat)) == []  # its number is asked for (callstat) first
    assert b"callstat" in sent[0]
    late = protocol.tick(time.monotonic() + 5)
    assert [e.kind for e in late] == [EventKind.RINGING, EventKind.ANSWERED]


def test_a_ringing_call_then_its_answer_and_end() -> None:
    protocol = BaresipProtocol()
    (ringing,) = protocol.feed(frame(INCOMING))
    assert (ringing.kind, ringing.call_id, ringing.called, ringing.caller, ringing.source) == (
        EventKind.RINGING,
        "abc123",
        "0199006677",
        "0612345678",
        "baresip",
    )
    answered = protocol.feed(frame({**INCOMING, "type": "CALL_ESTABLISHED"}))
    closed = protocol.feed(frame({**INCOMING, "type": "CALL_CLOSED", "param": "bye"}))
    assert [e.kind for e in answered + closed] == [EventKind.ANSWERED, EventKind.ENDED]
    assert protocol.feed(frame({"event": True, "type": "REGISTER_OK", "class": "register"})) == []
    assert protocol.feed(netstring(b"{not json")) == []


def test_the_dialled_number_from_the_to_header_via_callstat() -> None:
    sent: list[bytes] = []
    protocol = BaresipProtocol()
    protocol.start(sent.append)
    seat = {**INCOMING, "accountaor": "sip:seat1@127.0.0.1:5070"}
    assert protocol.feed(frame(seat)) == []
    (request,) = NetstringReader().frames(sent[0])
    token = json.loads(request)["token"]
    assert json.loads(request)["command"] == "callstat"
    data = "\n===== Call debug (INCOMING) =====\n local_uri:  <sip:0199006677@127.0.0.1:5070>\n" \
           " peer_uri:   <sip:0612345678@127.0.0.1:5080>\n af=AF_INET id=abc123\n"  # fmt: skip
    (event,) = protocol.feed(frame({"response": True, "ok": True, "data": data, "token": token}))
    assert (event.called, event.caller) == ("0199006677", "0612345678")


def test_without_a_callstat_answer_the_pop_carries_the_caller_only() -> None:
    protocol = BaresipProtocol()
    protocol.feed(frame({**INCOMING, "accountaor": "sip:seat1@h", "peeruri": "sip:anonymous@x"}))
    protocol.feed(frame({**INCOMING, "id": "other", "accountaor": "sip:seat1@h"}))
    assert protocol.tick(time.monotonic()) == []
    events = protocol.tick(time.monotonic() + 2)
    # the anonymous caller gives no number: a ringing call with no number at all is dropped
    assert [(e.call_id, e.called, e.caller) for e in events] == [("other", "", "0612345678")]


class FakeControlPort:
    """A real TCP server on 127.0.0.1 that plays back bytes, for the adapter's framing and
    reconnection (the real baresip is driven in tests/gui/test_softphone.py)."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen()
        self.port = self.sock.getsockname()[1]

    def serve_once(self, payload: bytes, keep_open: float = 0.3) -> None:
        def run() -> None:
            conn, _ = self.sock.accept()
            conn.sendall(payload)
            time.sleep(keep_open)
            conn.close()

        threading.Thread(target=run, daemon=True).start()


def wait_for(condition: object, timeout: float = 10.0) -> None:
    end = time.monotonic() + timeout
    while not condition() and time.monotonic() < end:  # type: ignore[operator]
        time.sleep(0.02)
    assert condition(), "timed out"  # type: ignore[operator]


def test_the_adapter_survives_garbage_and_reconnects() -> None:
    port = FakeControlPort()
    got: list[CallEvent] = []
    adapter = StreamAdapter(
        "baresip", "127.0.0.1", port.port, BaresipProtocol, got.append, retry=(0.05, 0.2)
    )
    port.serve_once(b"\x00\x01garbage\r\n" + frame(INCOMING))  # garbage first: dropped
    adapter.start()
    try:
        # The garbage made it drop the connection and connect again (that second connection
        # waits in the port's backlog until served below).
        wait_for(lambda: adapter.state.connections >= 2)
        assert got == []
        port.serve_once(frame(INCOMING) + frame({**INCOMING, "type": "CALL_CLOSED"}))
        wait_for(lambda: len(got) == 2)
        assert [e.kind for e in got] == [EventKind.RINGING, EventKind.ENDED]
        wait_for(lambda: adapter.state.connections >= 3)  # the port closed: it came back by itself
    finally:
        adapter.stop()
        port.sock.close()


def test_the_adapter_waits_for_a_softphone_that_is_not_there_yet() -> None:
    free = socket.socket()
    free.bind(("127.0.0.1", 0))
    number = free.getsockname()[1]
    free.close()
    adapter = StreamAdapter(
        "baresip", "127.0.0.1", number, BaresipProtocol, lambda _e: None, retry=(0.05, 0.1)
    )
    adapter.start()
    try:
        wait_for(lambda: bool(adapter.state.error))
        assert not adapter.state.connected and "refused" in adapter.state.error.lower()
    finally:
        adapter.stop()
