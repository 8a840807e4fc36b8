"""One Repli per seat: the running instance listens on a local socket; ``repli pop`` (or a
second ``repli``) hands it a message instead of opening a second window.

The socket is a Unix socket in a directory only this account can enter (``$XDG_RUNTIME_DIR``,
else ``<tmp>/repli-<uid>``, created 0700 and checked to be ours and no link, else the data
directory); on Windows a named pipe. Each connection is served on its own thread with a
timeout at every step, so a client that stalls holds nothing but itself. The exchange is
JSON lines, never pickle: the server sends a random challenge, the client answers with its
HMAC under the seat's key (``instance.key``, owner-only in the data directory) and its
message, and the server replies. Messages are bounded (``MAX_MESSAGE``).
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import logging
import os
import secrets
import socket
import stat
import sys
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from desktop.telephony.secrets import instance_key

log = logging.getLogger("repli.telephony.instance")
Message = dict[str, Any]
MAX_MESSAGE = 64 * 1024
STEP_TIMEOUT = 5.0  # seconds a connection may take for each step of the exchange
MAX_CONNECTIONS = 32  # served at once; more are told BUSY and closed at once
BUSY = b"busy"  # the line a full server sends in place of its challenge


class AlreadyRunning(RuntimeError):
    """Another Repli already serves this data directory."""


class InstanceError(RuntimeError):
    """No private place for the socket (another account holds it)."""


def address(root: Path) -> str:
    digest = hashlib.sha256(str(root.resolve()).encode()).hexdigest()[:16]
    if sys.platform == "win32":
        return rf"\\.\pipe\repli-{digest}"
    return str(_private_dir(root) / f"repli-{digest}.sock")  # short: socket paths are limited


def _private_dir(root: Path) -> Path:
    """A directory only this account can write: the session's runtime directory, else one
    of ours in the temporary directory, else the data directory (0700)."""
    runtime = os.environ.get("XDG_RUNTIME_DIR")
    if runtime and _ours(Path(runtime)):
        return Path(runtime)
    mine = Path(tempfile.gettempdir()) / f"repli-{os.getuid()}"
    try:
        mine.mkdir(mode=0o700)
    except FileExistsError:
        pass
    except OSError:
        return root
    return mine if _ours(mine) else root


def _ours(folder: Path) -> bool:
    try:
        info = folder.lstat()
    except OSError:
        return False
    return stat.S_ISDIR(info.st_mode) and info.st_uid == os.getuid() and not info.st_mode & 0o077


def send(root: Path, message: Message, timeout: float = 3.0) -> Message | None:
    """Hand ``message`` to the running instance; its reply, or None when none runs (no
    socket, or nobody listening on it). An instance that is there but full, slow or hung
    answers ``{"ok": False, "error": …}``, never None: a second window must not start and
    take the socket over (with its 32 connections held, one did)."""
    where = address(root)
    if sys.platform == "win32":
        return _send_pipe(where, root, message, timeout)
    if not Path(where).exists():
        return None  # the common case at start-up: answered at once
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
            conn.settimeout(timeout)
            conn.connect(where)
            stream = conn.makefile("rwb")
            challenge = _read_line(stream)
            if challenge == BUSY:
                return {"ok": False, "error": "busy"}
            proof = hmac.new(instance_key(root), challenge, hashlib.sha256).hexdigest()
            stream.write(proof.encode() + b"\n" + _encode(message))
            stream.flush()
            reply = json.loads(_read_line(stream))
            return reply if isinstance(reply, dict) else {"ok": False, "error": "odd answer"}
    except (ConnectionRefusedError, FileNotFoundError):
        return None  # a socket left by a crash: nobody listens on it
    except (OSError, ValueError, RecursionError) as exc:
        log.warning("the running instance did not take the message: %s", exc)
        return {"ok": False, "error": str(exc) or type(exc).__name__}


def _encode(message: Message) -> bytes:
    data = json.dumps(message, ensure_ascii=False).encode() + b"\n"
    if len(data) > MAX_MESSAGE:
        raise ValueError(f"message over {MAX_MESSAGE} bytes")
    return data


def _read_line(stream: Any) -> bytes:
    return _line(stream.readline)


class InstanceServer:
    """Accepts messages from ``send`` on its own thread and passes them to ``on_message``."""

    def __init__(self, root: Path, on_message: Callable[[Message], None]) -> None:
        self.root = root
        self._on_message = on_message
        self._key = b""
        self._listener: socket.socket | None = None
        self._pipe: Any = None
        self._slots = threading.BoundedSemaphore(MAX_CONNECTIONS)

    def start(self) -> None:
        where = address(self.root)
        if send(self.root, {"kind": "ping"}, timeout=1.0) is not None:
            raise AlreadyRunning(f"another Repli serves {self.root}")
        self._key = instance_key(self.root)
        if sys.platform == "win32":
            self._start_pipe(where)
            return
        path = Path(where)
        if path.is_symlink() or path.exists():
            path.unlink()  # a socket left by a crash (the folder is ours alone)
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        old = os.umask(0o177)
        try:
            listener.bind(where)
        finally:
            os.umask(old)
        listener.listen(16)
        self._listener = listener
        threading.Thread(target=self._serve, name="repli-instance", daemon=True).start()
        log.info("single-instance socket at %s", where)

    def stop(self) -> None:
        listener, self._listener = self._listener, None
        if listener is not None:
            with contextlib.suppress(OSError):
                listener.shutdown(socket.SHUT_RDWR)
            listener.close()
        if self._pipe is not None:
            self._pipe.close()
            self._pipe = None

    def _serve(self) -> None:
        while (listener := self._listener) is not None:
            try:
                conn, _ = listener.accept()
            except OSError:
                if self._listener is None:
                    return  # stopped
                continue
            if not self._slots.acquire(blocking=False):
                _say_busy(conn)  # too many at once: said, so that no one takes it for none
                continue
            threading.Thread(target=self._talk, args=(conn,), daemon=True).start()

    def _talk(self, conn: socket.socket) -> None:
        try:
            with conn:
                conn.settimeout(STEP_TIMEOUT)
                stream = conn.makefile("rwb")
                reply = self._exchange(stream.readline, stream.write, stream.flush)
                stream.write(_encode(reply))
                stream.flush()
        except (OSError, ValueError) as exc:
            log.warning("single-instance connection dropped: %s", exc)
        finally:
            self._slots.release()

    def _exchange(
        self,
        readline: Callable[[int], bytes],
        write: Callable[[bytes], Any],
        flush: Callable[[], Any] = lambda: None,
    ) -> Message:
        """Challenge, proof, message, and the reply to send."""
        challenge = secrets.token_hex(32).encode()
        write(challenge + b"\n")
        flush()
        proof = _line(readline)
        expected = hmac.new(self._key, challenge, hashlib.sha256).hexdigest().encode()
        if not hmac.compare_digest(proof, expected):
            log.warning("refused a connection to the single-instance socket: wrong key")
            return {"ok": False, "error": "refused"}
        try:
            message = json.loads(_line(readline))
        except (ValueError, RecursionError):
            return {"ok": False, "error": "not a JSON message"}
        if isinstance(message, dict) and message.get("kind") != "ping":
            self._on_message(message)
        return {"ok": True}

    # --- Windows: a named pipe, through multiprocessing's connections (bytes only) -----

    def _start_pipe(self, where: str) -> None:
        from multiprocessing.connection import Listener

        self._pipe = Listener(where, family="AF_PIPE")
        threading.Thread(target=self._serve_pipe, name="repli-instance", daemon=True).start()

    def _serve_pipe(self) -> None:
        while self._pipe is not None:
            try:
                conn = self._pipe.accept()
            except OSError:
                return
            threading.Thread(target=self._talk_pipe, args=(conn,), daemon=True).start()

    def _talk_pipe(self, conn: Any) -> None:
        def readline(_limit: int) -> bytes:
            if not conn.poll(STEP_TIMEOUT):
                raise ValueError("no answer in time")
            return bytes(conn.recv_bytes(MAX_MESSAGE)) + b"\n"

        with conn:
            try:
                reply = self._exchange(readline, lambda data: conn.send_bytes(data.rstrip(b"\n")))
                conn.send_bytes(_encode(reply).rstrip(b"\n"))
            except (OSError, EOFError, ValueError) as exc:
                log.warning("single-instance connection dropped: %s", exc)


def _say_busy(conn: socket.socket) -> None:
    with conn, contextlib.suppress(OSError):
        conn.setblocking(False)  # the accepting thread never waits on this client
        conn.send(BUSY + b"\n")


def _line(readline: Callable[[int], bytes]) -> bytes:
    line = readline(MAX_MESSAGE + 1)
    if not line.endswith(b"\n") or len(line) > MAX_MESSAGE:
        raise ValueError("cut or oversized line")
    return line.rstrip(b"\n")


def _send_pipe(where: str, root: Path, message: Message, timeout: float) -> Message | None:
    from multiprocessing.connection import Client

    try:
        with Client(where, family="AF_PIPE") as conn:
            if not conn.poll(timeout):
                return {"ok": False, "error": "no answer"}
            challenge = conn.recv_bytes(MAX_MESSAGE)
            conn.send_bytes(
                hmac.new(instance_key(root), challenge, hashlib.sha256).hexdigest().encode()
            )
            conn.send_bytes(_encode(message).rstrip(b"\n"))
            if not conn.poll(timeout):
                return {"ok": False, "error": "no answer"}
            reply = json.loads(conn.recv_bytes(MAX_MESSAGE))
            return reply if isinstance(reply, dict) else None
    except (FileNotFoundError, ConnectionRefusedError):
        return None
    except (OSError, EOFError, ValueError) as exc:
        log.warning("the running instance did not take the message: %s", exc)
        return None
