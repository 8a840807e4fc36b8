"""The screen-pop endpoint, served for real on 127.0.0.1, with real HTTP requests."""

from __future__ import annotations

import hashlib
import hmac
import http.client
import json
import logging
import socket
import struct
import time
from collections.abc import Iterator

import pytest

from desktop.telephony.events import CallEvent
from desktop.telephony.http_listener import PopServer

TOKEN = "s3cret-token"


@pytest.fixture
def server() -> Iterator[tuple[PopServer, list[CallEvent]]]:
    received: list[CallEvent] = []
    pop = PopServer(0, TOKEN, received.append, rate=1000, burst=1000)
    pop.start()
    yield pop, received
    pop.stop()


def request(
    port: int,
    method: str,
    path: str,
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
    host: str | None = None,
) -> tuple[int, dict[str, object], http.client.HTTPResponse]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    conn.putrequest(method, path, skip_host=True)
    conn.putheader("Host", host if host is not None else f"127.0.0.1:{port}")
    for key, value in (headers or {}).items():
        conn.putheader(key, value)
    if body is not None:
        conn.putheader("Content-Length", str(len(body)))
    conn.endheaders(body)
    response = conn.getresponse()
    data = response.read()
    conn.close()
    return response.status, (json.loads(data) if data else {}), response


def post(port: int, fields: dict[str, object], **headers: str) -> tuple[int, dict[str, object]]:
    auth = {"Authorization": f"Bearer {TOKEN}", **headers}
    status, data, _ = request(port, "POST", "/v1/call-events", json.dumps(fields).encode(), auth)
    return status, data


RINGING: dict[str, object] = {
    "event": "ringing",
    "call_id": "c1",
    "called": "01 99 00 66 77",
    "caller": "0612345678",
}


def test_an_event_is_accepted_and_handed_over(server: tuple[PopServer, list[CallEvent]]) -> None:
    pop, received = server
    assert post(pop.port, RINGING) == (202, {"ok": True, "call_id": "c1"})
    assert [e.call_id for e in received] == ["c1"]
    assert pop.state.accepted == 1 and pop.state.last_event_at is not None


def test_url_pop_with_the_token_in_the_query(server: tuple[PopServer, list[CallEvent]]) -> None:
    pop, received = server
    status, data, _ = request(
        pop.port, "GET", f"/v1/pop?called=0199006677&caller=0612345678&token={TOKEN}"
    )
    assert status == 200 and data["ok"] is True
    assert received[0].called == "0199006677" and received[0].source == "url"
    status, _, _ = request(
        pop.port, "GET", "/v1/pop?caller=0612345678", headers={"X-Repli-Token": TOKEN}
    )
    assert status == 200 and received[1].called == ""


@pytest.mark.parametrize(
    ("headers", "host", "status"),
    [
        ({}, None, 401),
        ({"Authorization": "Bearer wrong"}, None, 403),
        ({"X-Repli-Token": TOKEN[:-1]}, None, 403),
        ({"Authorization": f"Bearer {TOKEN}"}, "evil.example:47811", 403),
        ({"Authorization": f"Bearer {TOKEN}"}, "", 403),
        ({"Authorization": f"Bearer {TOKEN}", "Origin": "https://evil.example"}, None, 403),
        ({"Authorization": f"Bearer {TOKEN}", "Origin": "null"}, None, 403),
    ],
)
def test_refusals_touch_nothing(
    server: tuple[PopServer, list[CallEvent]],
    headers: dict[str, str],
    host: str | None,
    status: int,
) -> None:
    pop, received = server
    got, data, response = request(
        pop.port, "POST", "/v1/call-events", json.dumps(RINGING).encode(), headers, host
    )
    assert got == status and "error" in data
    assert response.getheader("Content-Type") == "application/json"
    assert received == [] and pop.state.refused == {status: 1}


def test_bad_bodies_and_paths(server: tuple[PopServer, list[CallEvent]]) -> None:
    pop, received = server
    auth = {"Authorization": f"Bearer {TOKEN}"}
    assert request(pop.port, "POST", "/v1/call-events", b"{oops", auth)[0] == 400
    assert post(pop.port, {**RINGING, "event": "transfer"})[0] == 422
    assert post(pop.port, {**RINGING, "called": "DROP TABLE"})[0] == 422
    big = json.dumps({**RINGING, "line": "x" * 20_000}).encode()
    assert request(pop.port, "POST", "/v1/call-events", big, auth)[0] == 413
    assert request(pop.port, "POST", "/v1/call-events", None, auth)[0] == 411
    assert request(pop.port, "GET", "/v1/other", None, auth)[0] == 404
    assert request(pop.port, "GET", "/v1/call-events", None, auth)[0] == 405
    status, _, response = request(pop.port, "DELETE", "/v1/call-events", None, auth)
    assert status == 405 and response.getheader("Allow") == "GET, POST"
    assert received == []


def test_too_many_requests_get_429_with_retry_after() -> None:
    received: list[CallEvent] = []
    pop = PopServer(0, TOKEN, received.append, rate=1, burst=3)
    pop.start()
    try:
        statuses = [post(pop.port, {**RINGING, "call_id": f"c{i}"})[0] for i in range(5)]
        body = json.dumps({**RINGING, "call_id": "c9"}).encode()
        _, _, response = request(
            pop.port, "POST", "/v1/call-events", body, {"Authorization": f"Bearer {TOKEN}"}
        )
    finally:
        pop.stop()
    assert statuses == [202, 202, 202, 429, 429]
    assert response.status == 429 and int(response.getheader("Retry-After") or 0) >= 1
    assert len(received) == 3


def test_refused_requests_cost_the_real_caller_nothing() -> None:
    """Any local process, or a web page's <img src=…/v1/pop>, floods the listener: the
    seat's telephony, with its token, is still served."""
    received: list[CallEvent] = []
    pop = PopServer(0, TOKEN, received.append, rate=1, burst=3)
    pop.start()
    try:
        flood = [request(pop.port, "GET", "/v1/pop?called=0199006677")[0] for _ in range(20)]
        wrong = [
            request(pop.port, "GET", "/v1/pop?called=0199006677&token=guess")[0] for _ in range(20)
        ]
        real = [post(pop.port, {**RINGING, "call_id": f"c{i}"})[0] for i in range(3)]
    finally:
        pop.stop()
    assert set(flood) == {401} and set(wrong) == {403}
    assert real == [202, 202, 202] and len(received) == 3


@pytest.mark.parametrize("length", ["١٢", "²", "9" * 5000, "-1", "1e3", " "])
def test_odd_content_lengths_are_refused_cleanly(
    server: tuple[PopServer, list[CallEvent]], length: str
) -> None:
    pop, received = server
    raw = (
        f"POST /v1/call-events HTTP/1.1\r\nHost: 127.0.0.1:{pop.port}\r\n"
        f"Authorization: Bearer {TOKEN}\r\nContent-Length: {length}\r\n\r\n{{}}"
    ).encode()  # as a hostile client sends it, unicode digits and all
    with socket.create_connection(("127.0.0.1", pop.port), timeout=5) as conn:
        conn.sendall(raw)
        answer = b""
        while chunk := conn.recv(4096):
            answer += chunk
    head, _, data = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.0 411") and json.loads(data)["error"]
    assert received == []


def test_a_hundred_simultaneous_pops_are_all_served() -> None:
    import threading

    received: list[CallEvent] = []
    pop = PopServer(0, TOKEN, received.append, rate=1000, burst=1000)
    pop.start()
    statuses: list[int] = []
    try:
        threads = [
            threading.Thread(
                target=lambda i=i: statuses.append(
                    post(pop.port, {**RINGING, "call_id": f"s{i}"})[0]
                )
            )
            for i in range(100)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        pop.stop()
    assert statuses.count(202) == 100


def test_a_flood_of_refusals_logs_a_few_lines(caplog: pytest.LogCaptureFixture) -> None:
    pop = PopServer(0, TOKEN, lambda _e: None)
    pop.start()
    try:
        for _ in range(50):
            request(pop.port, "GET", "/v1/pop?called=0199006677")
    finally:
        pop.stop()
    lines = [r for r in caplog.records if "screen pop refused" in r.getMessage()]
    assert 1 <= len(lines) <= 2 and pop.state.refused[401] == 50


def test_it_listens_on_127_0_0_1_only(server: tuple[PopServer, list[CallEvent]]) -> None:
    pop, _ = server
    assert pop._server is not None and pop._server.server_address[0] == "127.0.0.1"
    with pytest.raises(OSError):  # another loopback address of this machine: nobody there
        socket.create_connection(("127.0.0.2", pop.port), timeout=2).close()


def test_a_taken_port_is_reported_not_fatal() -> None:
    first = PopServer(0, TOKEN, lambda _e: None)
    port = first.start()
    second = PopServer(port, TOKEN, lambda _e: None)
    try:
        with pytest.raises(OSError):
            second.start()
        assert not second.state.listening and second.state.error == "port in use"
    finally:
        first.stop()


def lan_post(port: int, source: str, body: bytes, lan: str = "127.0.0.2", **headers: str) -> int:
    """A request from ``source`` (another loopback address: nothing leaves the machine)."""
    conn = http.client.HTTPConnection(lan, port, timeout=5, source_address=(source, 0))
    conn.putrequest("POST", "/v1/call-events", skip_host=True)
    conn.putheader("Host", f"{lan}:{port}")
    for key, value in headers.items():
        conn.putheader(key, value)
    conn.putheader("Content-Length", str(len(body)))
    conn.endheaders(body)
    status = conn.getresponse().status
    conn.close()
    return status


def signed(body: bytes, secret: bytes = b"site-secret", at: int | None = None) -> dict[str, str]:
    """The site's signature of ``body`` at ``at`` (now by default)."""
    stamp = str(int(time.time()) if at is None else at)
    digest = hmac.new(secret, stamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    return {"X-Repli-Signature": f"sha256={digest}", "X-Repli-Timestamp": stamp}


def test_the_site_proxy_alone_reaches_the_seat_over_the_lan() -> None:
    received: list[CallEvent] = []
    pop = PopServer(
        0, TOKEN, received.append, lan_address="127.0.0.2", lan_allow=("127.0.0.3",),
        lan_secret="site-secret",
    )  # fmt: skip
    port = pop.start()
    try:
        assert pop.state.lan == f"127.0.0.2:{port}"
        body = json.dumps(RINGING).encode()
        bearer = {"Authorization": f"Bearer {TOKEN}"}
        assert lan_post(port, "127.0.0.3", body, **bearer) == 202  # the proxy, with the token
        other = json.dumps({**RINGING, "call_id": "c2"}).encode()
        assert lan_post(port, "127.0.0.3", other, **signed(other)) == 202
        with pytest.raises((ConnectionError, http.client.HTTPException)):
            lan_post(port, "127.0.0.4", body, **bearer)  # not the proxy's: dropped unread
        assert lan_post(port, "127.0.0.3", body, Authorization="Bearer wrong") == 403
        assert lan_post(port, "127.0.0.3", body, **signed(body, b"guess")) == 403
        assert lan_post(port, "127.0.0.3", body) == 401
        assert post(port, RINGING)[0] == 202  # loopback as before
        assert len(received) == 3 and pop.state.refused == {403: 3, 401: 1}
    finally:
        pop.stop()


def test_no_lan_listener_without_the_proxy_allowlist() -> None:
    from desktop import config

    with pytest.raises(ValueError, match="pop_lan_allow"):
        PopServer(0, TOKEN, lambda _e: None, lan_address="127.0.0.2")
    with pytest.raises(config.ConfigError, match="pop_lan_allow"):
        config.from_mapping({"pop_lan_address": "127.0.0.2"})
    with pytest.raises(config.ConfigError, match="not an IP address"):
        config.from_mapping({"pop_lan_address": "127.0.0.2", "pop_lan_allow": ["proxy.lan"]})
    settings, _ = config.from_mapping(
        {"pop_lan_address": "127.0.0.2", "pop_lan_allow": ["127.0.0.3"]}
    )
    assert settings.pop_lan_allow == ("127.0.0.3",)


def lan_pop(rate: float = 100, burst: int = 200) -> tuple[PopServer, list[CallEvent], int]:
    received: list[CallEvent] = []
    pop = PopServer(
        0, TOKEN, received.append, rate=rate, burst=burst, lan_address="127.0.0.2",
        lan_allow=("127.0.0.3",), lan_secret="site-secret",
    )  # fmt: skip
    return pop, received, pop.start()


def test_a_signed_notification_is_taken_once_and_only_while_fresh() -> None:
    pop, received, port = lan_pop()
    try:
        body = json.dumps(RINGING).encode()
        headers = signed(body)
        assert lan_post(port, "127.0.0.3", body, **headers) == 202
        assert lan_post(port, "127.0.0.3", body, **headers) == 409  # the same, replayed
        old = json.dumps({**RINGING, "call_id": "old"}).encode()
        assert lan_post(port, "127.0.0.3", old, **signed(old, at=int(time.time()) - 60)) == 409
        unstamped = {"X-Repli-Signature": headers["X-Repli-Signature"]}
        assert lan_post(port, "127.0.0.3", body, **unstamped) == 403
    finally:
        pop.stop()
    assert [e.call_id for e in received] == ["c1"]


def test_a_proxy_notification_older_than_its_give_up_time_is_dropped() -> None:
    """A seat that hung (SIGSTOP) while a call rang finds the proxy's request queued by the
    kernel when it resumes: the call has moved on, the window must not pop it."""
    pop, received, port = lan_pop()
    try:
        bearer = {"Authorization": f"Bearer {TOKEN}",
                  "Content-Type": "application/x-www-form-urlencoded"}  # fmt: skip
        fresh = f"event=ringing&at={int(time.time())}&call_id=new&caller=0612345678".encode()
        stale = f"event=ringing&at={int(time.time()) - 30}&call_id=old&caller=0612345678".encode()
        assert lan_post(port, "127.0.0.3", stale, **bearer) == 410
        assert lan_post(port, "127.0.0.3", fresh, **bearer) == 202
    finally:
        pop.stop()
    assert [e.call_id for e in received] == ["new"]


def test_a_flood_of_bogus_signatures_costs_the_telephony_no_pop() -> None:
    pop, received, port = lan_pop(rate=1, burst=3)
    try:
        body = json.dumps(RINGING).encode()
        bogus = [lan_post(port, "127.0.0.3", body, **signed(body, b"x")) for _ in range(30)]
        real = [post(port, {**RINGING, "call_id": f"l{i}"})[0] for i in range(3)]
        lan = [
            lan_post(port, "127.0.0.3", data, **signed(data))
            for data in (json.dumps({**RINGING, "call_id": f"p{i}"}).encode() for i in range(3))
        ]
    finally:
        pop.stop()
    assert set(bogus) == {403} and real == [202] * 3 and lan == [202] * 3
    assert len(received) == 6


def test_strangers_and_resets_cost_a_few_log_lines_and_no_traceback(
    caplog: pytest.LogCaptureFixture,
) -> None:
    pop, received, port = lan_pop()
    caplog.set_level(logging.INFO, "repli.telephony.http")
    try:
        for _ in range(50):  # half a request, then a reset (SO_LINGER 0)
            conn = socket.create_connection(("127.0.0.1", pop.port))
            conn.sendall(
                f"POST /v1/call-events HTTP/1.1\r\nHost: 127.0.0.1:{pop.port}\r\n"
                f"Authorization: Bearer {TOKEN}\r\nContent-Length: 500\r\n\r\nab".encode()
            )
            conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            conn.close()
        strangers = []
        for _ in range(50):  # a stranger on the LAN: dropped before a byte is read
            stranger = socket.create_connection(
                ("127.0.0.2", port), source_address=("127.0.0.4", 0)
            )
            stranger.settimeout(5)
            strangers.append(stranger.recv(1))
            stranger.close()
        time.sleep(0.3)
        assert post(pop.port, RINGING)[0] == 202
    finally:
        pop.stop()
    assert strangers == [b""] * 50  # closed at once, nothing answered, no thread held
    lines = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(lines) <= 3, [r.getMessage() for r in lines]
    assert not any(r.exc_info for r in lines)
    assert pop.state.refused.get(403) == 50 and len(received) == 1


def test_the_lan_listener_on_an_ipv6_address_listens_there() -> None:
    """``pop_lan_address = "::1"`` was accepted, and the listener never started."""
    received: list[CallEvent] = []
    pop = PopServer(0, TOKEN, received.append, lan_address="::1", lan_allow=("0:0::1",))
    port = pop.start()
    try:
        assert pop.state.lan == f"[::1]:{port}" and not pop.state.lan_error
        conn = http.client.HTTPConnection("::1", port, timeout=5)
        body = json.dumps(RINGING).encode()
        conn.request("POST", "/v1/call-events", body, {"Host": f"[::1]:{port}",
                     "Authorization": f"Bearer {TOKEN}", "Content-Length": str(len(body))})  # fmt: skip
        assert conn.getresponse().status == 202
        conn.close()
    finally:
        pop.stop()
    assert [e.call_id for e in received] == ["c1"]


def test_a_bearer_notification_from_the_lan_replayed_is_refused() -> None:
    """The proxy's notifications carry the seat's token, not a signature: a copy of one
    (a replayed ``ended``) is refused while it is fresh, and stale after."""
    pop, received, port = lan_pop()
    try:
        bearer = {"Authorization": f"Bearer {TOKEN}",
                  "Content-Type": "application/x-www-form-urlencoded"}  # fmt: skip
        ended = f"event=ended&at={int(time.time())}&call_id=c7".encode()
        assert lan_post(port, "127.0.0.3", ended, **bearer) == 202
        assert lan_post(port, "127.0.0.3", ended, **bearer) == 409
        assert post(port, {"event": "ended", "call_id": "c7"})[0] == 202  # loopback: its own
    finally:
        pop.stop()
    assert [e.call_id for e in received] == ["c7", "c7"]
