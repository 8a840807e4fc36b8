"""One Repli per seat: the running instance listens on a local socket; ``repli pop`` (or a
second ``repli``) hands it a message instead of opening a second window.

The socket (a Unix socket, a named pipe on Windows) is named after the data directory and
authenticated with a key kept in it (owner-only), through multiprocessing's connection
handshake: only a process of the same user and seat can talk to it.
"""

from __future__ import annotations

import hashlib
import logging
import os
import sys
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from desktop.telephony.secrets import instance_key

if TYPE_CHECKING:
    from multiprocessing.connection import Connection, Listener

log = logging.getLogger("repli.telephony.instance")
Message = dict[str, Any]


class AlreadyRunning(RuntimeError):
    """Another Repli already serves this data directory."""


def address(root: Path) -> str:
    digest = hashlib.sha256(str(root.resolve()).encode()).hexdigest()[:16]
    if sys.platform == "win32":
        return rf"\\.\pipe\repli-{digest}"
    runtime = os.environ.get("XDG_RUNTIME_DIR") or tempfile.gettempdir()
    return str(Path(runtime) / f"repli-{digest}.sock")  # short: socket paths are limited


def send(root: Path, message: Message, timeout: float = 3.0) -> Message | None:
    """Hand ``message`` to the running instance; None when none runs."""
    where = address(root)
    if sys.platform != "win32" and not Path(where).exists():
        return None  # the common case at start-up: answered without importing multiprocessing
    from multiprocessing.connection import Client

    try:
        with Client(where, family=_family(), authkey=instance_key(root)) as conn:
            conn.send(message)
            if conn.poll(timeout):
                reply: Message = conn.recv()
                return reply
            return {"ok": False, "error": "no answer"}
    except (ConnectionRefusedError, FileNotFoundError):
        return None
    except (OSError, EOFError) as exc:
        log.warning("the running instance did not take the message: %s", exc)
        return None


class InstanceServer:
    """Accepts messages from ``send`` on its own thread and passes them to ``on_message``."""

    def __init__(self, root: Path, on_message: Callable[[Message], None]) -> None:
        self.root = root
        self._on_message = on_message
        self._listener: Listener | None = None

    def start(self) -> None:
        where = address(self.root)
        if send(self.root, {"kind": "ping"}, timeout=1.0) is not None:
            raise AlreadyRunning(f"another Repli serves {self.root}")
        if sys.platform != "win32":
            Path(where).unlink(missing_ok=True)  # a socket left by a crash
        from multiprocessing.connection import Listener

        self._listener = Listener(where, family=_family(), authkey=instance_key(self.root))
        if sys.platform != "win32":
            os.chmod(where, 0o600)
        threading.Thread(target=self._serve, name="repli-instance", daemon=True).start()
        log.info("single-instance socket at %s", where)

    def stop(self) -> None:
        listener, self._listener = self._listener, None
        if listener is not None:
            listener.close()

    def _serve(self) -> None:
        while self._listener is not None:
            try:
                conn = self._listener.accept()
            except OSError:
                if self._listener is None:
                    return  # stopped
                log.warning("refused a connection to the single-instance socket")
                continue
            except Exception as exc:  # a client without the key (AuthenticationError)
                log.warning("refused a connection to the single-instance socket: %s", exc)
                continue
            threading.Thread(target=self._talk, args=(conn,), daemon=True).start()

    def _talk(self, conn: Connection) -> None:
        with conn:
            try:
                if not conn.poll(5):
                    return
                message = conn.recv()
                if isinstance(message, dict) and message.get("kind") != "ping":
                    self._on_message(message)
                conn.send({"ok": True})
            except (OSError, EOFError) as exc:
                log.warning("single-instance message lost: %s", exc)


def _family() -> str:
    return "AF_PIPE" if sys.platform == "win32" else "AF_UNIX"
