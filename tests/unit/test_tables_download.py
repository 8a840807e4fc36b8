"""A tables source that answers slowly, endlessly or too much, from a real HTTP server on
127.0.0.1: each check ends within its deadline or its size limit, says where and what, and
leaves the seat's active pack and the next check as they were."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar

import httpx
import pytest

from desktop.context import SeatContext
from desktop.tables import follow

POINTER = json.dumps({"serial": 7, "path": "packs/7/", "files": ["branches.csv"]}).encode()


class Hostile(BaseHTTPRequestHandler):
    """``mode``: trickle a byte of the body every 0.1 s, trickle the headers, or send a body
    without end (as fast as it goes)."""

    mode: ClassVar[str] = "trickle-body"
    target: ClassVar[str] = "/current.json"

    def log_message(self, *_args: Any) -> None:
        pass

    def do_GET(self) -> None:
        try:
            if self.path != Hostile.target:
                body = POINTER if self.path == "/current.json" else b"x"
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
                return
            if Hostile.mode == "trickle-headers":
                self.wfile.write(b"HTTP/1.1 200 OK\r\n")
                for _ in range(600):
                    self.wfile.write(b"X")
                    self.wfile.flush()
                    time.sleep(0.1)
                return
            self.send_response(200)
            self.end_headers()  # no length: the body runs until the connection ends
            piece = b"x" if Hostile.mode == "trickle-body" else b"x" * 65536
            for _ in range(600 if Hostile.mode == "trickle-body" else 100_000):
                self.wfile.write(piece)
                self.wfile.flush()
                if Hostile.mode == "trickle-body":
                    time.sleep(0.1)
        except OSError:  # the seat hung up: what it should do
            pass


@pytest.fixture
def hostile() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Hostile)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def seat(tmp_path: Path) -> Iterator[SeatContext]:
    context = SeatContext.open(str(tmp_path / "seat"))
    yield context
    context.close()


def checked(seat: SeatContext, url: str, client: httpx.Client | None = None) -> str:
    settings = replace(seat.settings, tables_source=url)
    with pytest.raises(follow.FollowError) as refused:
        follow.check(seat.paths, settings, seat.engine, client=client)
    return f"{refused.value.kind}: {refused.value}"


@pytest.mark.parametrize(
    ("mode", "target"),
    [
        ("trickle-body", "/current.json"),
        ("trickle-headers", "/current.json"),
        ("trickle-body", "/packs/7/branches.csv"),
    ],
)
def test_a_source_that_never_finishes_is_cut_at_its_deadline(
    seat: SeatContext, hostile: str, monkeypatch: pytest.MonkeyPatch, mode: str, target: str
) -> None:
    monkeypatch.setattr(follow, "POINTER_DEADLINE_S", 1.0)
    monkeypatch.setattr(follow, "FILE_DEADLINE_S", 1.0)
    Hostile.mode, Hostile.target = mode, target
    before = seat.tables_status()
    said = checked(seat, hostile)
    assert said == f"unreachable: {hostile.rstrip('/')}{target}: no whole answer within 1 s"
    state = follow.FollowState.load(seat.paths)
    assert state.unreachable_since and "no whole answer" in state.failure
    assert seat.tables_status() == before  # the active pack untouched


def test_a_pointer_without_end_is_refused_at_its_size(seat: SeatContext, hostile: str) -> None:
    Hostile.mode, Hostile.target = "endless", "/current.json"
    said = checked(seat, hostile)
    assert said == f"invalid: {hostile}current.json: over 64 KiB"


def test_a_client_cut_by_a_deadline_is_closed_and_says_so(
    seat: SeatContext, hostile: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The window's follower keeps one client between checks: a cut one is closed, and the
    follower makes a new one (desktop.ui.tables_follow)."""
    monkeypatch.setattr(follow, "POINTER_DEADLINE_S", 1.0)
    Hostile.mode, Hostile.target = "trickle-body", "/current.json"
    client = httpx.Client(timeout=httpx.Timeout(10.0))
    assert "no whole answer within 1 s" in checked(seat, hostile, client)
    assert client.is_closed


def test_a_huge_pointer_file_in_a_folder_is_not_read_whole(
    seat: SeatContext, tmp_path: Path
) -> None:
    source = tmp_path / "share"
    source.mkdir()
    with (source / "current.json").open("wb") as big:
        big.truncate(2**31)  # 2 GiB (sparse): read whole, it would take that much memory
    said = checked(seat, str(source))
    assert said == f"invalid: {source}/current.json: over 64 KiB"
