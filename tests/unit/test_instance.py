"""One Repli per seat: messages reach the running instance through the local socket."""

from __future__ import annotations

import io
import json
import os
import socket
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from desktop.telephony import instance


def test_a_message_reaches_the_running_instance(tmp_path: Path) -> None:
    got: list[dict[str, object]] = []
    server = instance.InstanceServer(tmp_path, got.append)
    assert instance.send(tmp_path, {"kind": "show"}) is None  # nobody yet
    server.start()
    try:
        assert instance.send(tmp_path, {"kind": "pop", "event": {"called": "1"}}) == {"ok": True}
        assert got == [{"kind": "pop", "event": {"called": "1"}}]
        with pytest.raises(instance.AlreadyRunning):
            instance.InstanceServer(tmp_path, got.append).start()
    finally:
        server.stop()


def test_a_socket_left_by_a_crash_is_replaced(tmp_path: Path) -> None:
    Path(instance.address(tmp_path)).write_text("stale")
    assert instance.send(tmp_path, {"kind": "show"}) is None
    server = instance.InstanceServer(tmp_path, lambda _m: None)
    server.start()
    try:
        assert instance.send(tmp_path, {"kind": "show"}) == {"ok": True}
    finally:
        server.stop()


@contextmanager
def raw_connection(root: Path) -> Iterator[tuple[io.BufferedRWPair, bytes]]:
    """A connection to the seat's socket, as any local process opens it: the stream and the
    challenge the server sent."""
    with socket.socket(socket.AF_UNIX) as conn:
        conn.settimeout(5)
        conn.connect(instance.address(root))
        stream = conn.makefile("rwb")
        yield stream, stream.readline().strip()


def test_a_client_without_the_key_is_refused(tmp_path: Path) -> None:
    got: list[dict[str, object]] = []
    server = instance.InstanceServer(tmp_path, got.append)
    server.start()
    try:
        with raw_connection(tmp_path) as (stream, _challenge):
            stream.write(b"0" * 64 + b'\n{"kind": "pop"}\n')
            stream.flush()
            assert json.loads(stream.readline()) == {"ok": False, "error": "refused"}
        assert got == []
        assert instance.send(tmp_path, {"kind": "show"}) == {"ok": True}  # still serving
    finally:
        server.stop()


def test_a_client_that_never_answers_holds_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(instance, "STEP_TIMEOUT", 0.5)
    got: list[dict[str, object]] = []
    server = instance.InstanceServer(tmp_path, got.append)
    server.start()
    stalled = [socket.socket(socket.AF_UNIX) for _ in range(5)]
    try:
        for conn in stalled:
            conn.connect(instance.address(tmp_path))  # and then says nothing
        started = time.monotonic()
        assert instance.send(tmp_path, {"kind": "pop", "event": {}}) == {"ok": True}
        assert time.monotonic() - started < 2
        assert got == [{"kind": "pop", "event": {}}]
    finally:
        for conn in stalled:
            conn.close()
        server.stop()


def test_a_server_that_never_answers_does_not_hang_the_client(tmp_path: Path) -> None:
    """…and is not taken for none: a window that hangs is still the seat's window."""
    where = instance.address(tmp_path)
    silent = socket.socket(socket.AF_UNIX)
    silent.bind(where)
    silent.listen(1)
    try:
        started = time.monotonic()
        reply = instance.send(tmp_path, {"kind": "show"}, timeout=0.5)
        assert reply is not None and reply["ok"] is False
        assert time.monotonic() - started < 3
    finally:
        silent.close()


def test_a_full_server_never_looks_like_no_server(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With its 32 connections held, ``repli pop`` once started a second window, which took
    the socket over."""
    got: list[dict[str, object]] = []
    server = instance.InstanceServer(tmp_path, got.append)
    server.start()
    held = [socket.socket(socket.AF_UNIX) for _ in range(instance.MAX_CONNECTIONS)]
    try:
        for conn in held:
            conn.connect(instance.address(tmp_path))
            conn.settimeout(5)
            assert conn.recv(200).endswith(b"\n")  # its challenge: a slot is taken
        assert instance.send(tmp_path, {"kind": "pop", "event": {}}) == {
            "ok": False,
            "error": "busy",
        }
        with pytest.raises(instance.AlreadyRunning):
            instance.InstanceServer(tmp_path, got.append).start()
        assert got == []
    finally:
        for conn in held:
            conn.close()
    try:
        deadline = time.monotonic() + 10
        while instance.send(tmp_path, {"kind": "show"}) != {"ok": True}:
            assert time.monotonic() < deadline, "the slots were never given back"
            time.sleep(0.05)
    finally:
        server.stop()


def test_the_socket_lives_where_no_other_account_can_hold_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("XDG_RUNTIME_DIR", raising=False)
    monkeypatch.setattr("tempfile.gettempdir", lambda: str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    where = Path(instance.address(tmp_path / "seat"))
    assert where.parent == tmp_path / "tmp" / f"repli-{os.getuid()}"
    assert where.parent.stat().st_mode & 0o777 == 0o700
    # another account got there first (here: a folder open to all): the data directory then
    where.parent.chmod(0o777)
    assert Path(instance.address(tmp_path / "seat")).parent == tmp_path / "seat"


def test_messages_are_json_not_pickle(tmp_path: Path) -> None:
    got: list[dict[str, object]] = []
    server = instance.InstanceServer(tmp_path, got.append)
    server.start()
    try:
        with raw_connection(tmp_path) as (stream, challenge):
            import hashlib
            import hmac
            import pickle

            from desktop.telephony.secrets import instance_key

            proof = hmac.new(instance_key(tmp_path), challenge, hashlib.sha256).hexdigest()
            stream.write(proof.encode() + b"\n" + pickle.dumps({"kind": "pop"}) + b"\n")
            stream.flush()
            assert json.loads(stream.readline())["ok"] is False
        assert got == []
    finally:
        server.stop()
