"""One Repli per seat: messages reach the running instance through the local socket."""

from __future__ import annotations

import time
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


def test_a_client_without_the_key_is_refused(tmp_path: Path) -> None:
    got: list[dict[str, object]] = []
    server = instance.InstanceServer(tmp_path, got.append)
    server.start()
    try:
        from multiprocessing.connection import Client

        with (
            pytest.raises(Exception),  # noqa: B017 (AuthenticationError or a reset)
            Client(instance.address(tmp_path), family="AF_UNIX", authkey=b"wrong") as conn,
        ):
            conn.send({"kind": "pop"})
        time.sleep(0.2)
        assert got == []
        assert instance.send(tmp_path, {"kind": "show"}) == {"ok": True}  # still serving
    finally:
        server.stop()
