"""The site proxy, with real processes on loopback: the configuration written by ``repli
telephony site-proxy``, Kamailio running it, SIPp as the carrier and as two seats' softphones,
and each seat's Repli listener on a LAN address of its own (127.0.0.2, 127.0.0.6: the whole
127.0.0.0/8 is loopback, nothing leaves the machine). A rerouted call reaches its seat and
that seat's Repli learns the number dialled and the header it came from; a seat whose Repli
is down still gets its calls."""

from __future__ import annotations

import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from desktop.telephony.events import CallEvent, EventKind
from desktop.telephony.http_listener import PopServer
from tests.helpers.cli import repli
from tests.helpers.site_proxy import PROXY, carrier, finished, free_udp, program, start_kamailio

TOKENS = ("seat-one-token", "seat-two-token")


@dataclass
class Seat:
    line: str  # the number the carrier sends the seat's calls to
    lan: str  # the seat's Repli
    phone: str  # the seat's softphone (SIPp answering)
    pop: PopServer
    events: list[CallEvent]
    phone_port: int = 0


@pytest.fixture
def site(tmp_path: Path) -> Iterator[tuple[int, list[Seat]]]:
    seats = []
    for number, (line, lan, phone) in enumerate(
        (("0187654321", "127.0.0.2", "127.0.0.4"), ("0187654322", "127.0.0.6", "127.0.0.7"))
    ):
        events: list[CallEvent] = []
        pop = PopServer(0, TOKENS[number], events.append, lan_address=lan, lan_allow=("127.0.0.1",))
        pop.start()
        seats.append(Seat(line, lan, phone, pop, events, free_udp(phone)))
    port = free_udp(PROXY)
    config = tmp_path / "kamailio.cfg"
    routes = [
        f"{s.line}=sip:seat@{s.phone}:{s.phone_port},"
        f"http://{s.lan}:{s.pop.state.port}/v1/call-events,{TOKENS[i]}"
        for i, s in enumerate(seats)
    ]
    args = [arg for route in routes for arg in ("--seat", route)]
    written = repli(tmp_path, "telephony", "site-proxy", "--listen", f"{PROXY}:{port}",
                    *args, "--seat-down-for", "1", "--out", str(config))  # fmt: skip
    assert written.returncode == 0, written.stderr
    assert config.stat().st_mode & 0o077 == 0  # it holds the seats' tokens
    kamailio = start_kamailio(config, tmp_path, port)
    phones = [
        subprocess.Popen(
            [program("sipp"), "-sn", "uas", "-i", s.phone, "-p", str(s.phone_port), "-nostdin"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            cwd=tmp_path,
        )
        for s in seats
    ]
    try:
        yield port, seats
    finally:
        for process in (kamailio, *phones):
            process.terminate()
            process.wait(10)
        for seat in seats:
            seat.pop.stop()


def call(port: int, line: str, *headers: str, tmp_path: Path) -> float:
    """One call from the carrier to ``line`` with ``headers``; its duration, answered and hung up."""
    start = time.monotonic()
    finished(carrier(port, line, *headers, folder=tmp_path), tmp_path)
    return time.monotonic() - start


def told(seat: Seat, kind: EventKind, count: int) -> list[CallEvent]:
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        found = [e for e in seat.events if e.kind is kind]
        if len(found) >= count:
            return found
        time.sleep(0.02)
    raise AssertionError(f"{seat.lan} was told {len(seat.events)} event(s): {seat.events}")


@pytest.mark.parametrize(
    ("headers", "number", "via"),
    [
        (("Diversion: <sip:0156781234@pabx>;reason=no-answer",
          "Diversion: <tel:+33-1-99-00-68-81>;reason=unconditional"), "+33199006881", "Diversion"),
        (('History-Info: "Agence" <sip:+33199006881@carrier;user=phone>;index=1',
          "History-Info: <sip:0156781234@pabx;cause=302>;index=1.1"), "+33199006881", "History-Info"),
        (("P-Called-Party-ID: <sip:0033199006881@ims>",), "+33199006881", "P-Called-Party-ID"),
        ((), "0187654321", "To"),  # no reroute: the number the seat was reached on
    ],
)  # fmt: skip
def test_a_rerouted_call_tells_its_seat_the_number_dialled(
    site: tuple[int, list[Seat]], tmp_path: Path, headers: tuple[str, ...], number: str, via: str
) -> None:
    port, (first, second) = site
    call(port, first.line, *headers, tmp_path=tmp_path)
    (ringing,) = told(first, EventKind.RINGING, 1)
    assert (ringing.called, ringing.called_via, ringing.caller) == (number, via, "0612345678")
    # dated by the proxy ($TV(Sn)): the seat drops what the proxy gave up on (STALE_AFTER_S)
    assert ringing.dated and abs(time.time() - ringing.at.timestamp()) < 5
    assert ringing.reached_on == ("" if via == "To" else first.line)
    (ended,) = told(first, EventKind.ENDED, 1)
    assert ended.call_id == ringing.call_id and "@" in ringing.call_id  # the SIP Call-ID
    assert second.events == []  # each seat hears of its own calls only


def test_calls_go_through_when_a_seats_repli_is_down(
    site: tuple[int, list[Seat]], tmp_path: Path
) -> None:
    port, (first, second) = site
    first.pop.stop()  # this seat's Repli is down: its calls still reach its softphone
    took = call(port, first.line, "Diversion: <sip:0199006881@pabx>", tmp_path=tmp_path)
    assert took < 5
    call(port, second.line, "Diversion: <sip:0143656882@pabx>", tmp_path=tmp_path)
    (ringing,) = told(second, EventKind.RINGING, 1)
    assert ringing.called == "0143656882" and first.events == []


def replaced(seat: Seat, token: str, allow: tuple[str, ...] = ("127.0.0.1",)) -> PopServer:
    """The seat's Repli restarted on the same address and port, with ``token`` and ``allow``."""
    port = seat.pop.state.port
    seat.pop.stop()
    seat.events.clear()
    seat.pop = PopServer(port, token, seat.events.append, lan_address=seat.lan, lan_allow=allow)
    seat.pop.start()
    return seat.pop


@pytest.mark.parametrize(
    ("token", "allow", "status"),
    [("not-the-seats-token", ("127.0.0.1",), 403), (TOKENS[0], ("127.0.0.9",), 403)],
    ids=["wrong-token", "not-on-the-allowlist"],
)
def test_the_seat_refuses_a_notification_it_should_not_trust(
    site: tuple[int, list[Seat]], tmp_path: Path, token: str, allow: tuple[str, ...], status: int
) -> None:
    port, (first, _second) = site
    pop = replaced(first, token, allow)
    call(port, first.line, "Diversion: <sip:0199006881@pabx>", tmp_path=tmp_path)
    deadline = time.monotonic() + 5
    while not pop.state.refused and time.monotonic() < deadline:
        time.sleep(0.02)
    assert pop.state.refused.get(status, 0) >= 1 and first.events == []


def test_a_hung_repli_delays_no_call_and_is_told_again_once_back(
    site: tuple[int, list[Seat]], tmp_path: Path
) -> None:
    """The seat's Repli accepts connections and never answers (hung): its calls still ring at
    once, the other seat is still told; once it is back, it is told the following calls."""
    port, (first, second) = site
    address = (first.lan, first.pop.state.port)
    first.pop.stop()
    hung = socket.socket()
    hung.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    hung.bind(address)
    hung.listen(16)  # connections are queued, never read
    try:
        took = [call(port, first.line, "Diversion: <sip:0199006881@pabx>", tmp_path=tmp_path)
                for _ in range(2)]  # fmt: skip
        assert max(took) < 5  # a call is answered, then hung up 0.3 s later
        call(port, second.line, "Diversion: <sip:0143656882@pabx>", tmp_path=tmp_path)
        (ringing,) = told(second, EventKind.RINGING, 1)
        assert ringing.called == "0143656882"
    finally:
        hung.close()
    time.sleep(2.5)  # left out 1 s (--seat-down-for), counted in whole seconds: 2 at most
    first.events.clear()
    first.pop = PopServer(address[1], TOKENS[0], first.events.append, lan_address=first.lan,
                          lan_allow=("127.0.0.1",))  # fmt: skip
    first.pop.start()
    call(port, first.line, "Diversion: <sip:0143656883@pabx>", tmp_path=tmp_path)
    assert [e.called for e in told(first, EventKind.RINGING, 1)] == ["0143656883"]
