"""A server frozen as a hung machine is: every process of it stopped (SIGSTOP), its kernel
still acknowledging TCP, so that only a client's own deadline notices."""

from __future__ import annotations

import os
import signal
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path


def tree(pid: int) -> list[int]:
    """``pid`` and its descendants."""
    found = [pid]
    children = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout
    for child in children.split():
        found += tree(int(child))
    return found


def postmaster(data: Path) -> int:
    return int((data / "postmaster.pid").read_text().splitlines()[0])


def signal_all(pids: list[int], number: int) -> None:
    """``number`` sent to each of ``pids`` still running."""
    for pid in pids:
        with suppress(ProcessLookupError):
            os.kill(pid, number)


@contextmanager
def frozen(pids: list[int]) -> Iterator[None]:
    for pid in pids:
        os.kill(pid, signal.SIGSTOP)
    try:
        yield
    finally:
        signal_all(pids, signal.SIGCONT)
