"""A server frozen as a hung machine is: every process of it stopped (SIGSTOP), its kernel
still acknowledging TCP, so that only a client's own deadline notices."""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path


def tree(pid: int) -> list[int]:
    """``pid`` and its descendants, from one reading of /proc (a pgrep per process took
    minutes for a postmaster of 330 backends on a loaded machine: the kill came late)."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with suppress(OSError, ValueError, IndexError):
            # "pid (comm) state ppid …": comm may hold spaces and parentheses
            fields = stat.read_text().rsplit(")", 1)[1].split()
            children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, waiting = [], [pid]
    while waiting:
        current = waiting.pop()
        found.append(current)
        waiting += children.get(current, [])
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
