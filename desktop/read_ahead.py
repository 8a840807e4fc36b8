"""An iterator's work done in a thread of its own, a few items ahead of the one who uses
them: a merge checks the next revisions in Python while SQLite, which lets go of the GIL,
writes the previous ones."""

from __future__ import annotations

import queue
import threading
from collections.abc import Generator, Iterable
from dataclasses import dataclass
from typing import TypeVar

T = TypeVar("T")
_END = object()


@dataclass(frozen=True)
class _Raised:
    error: BaseException


def read_ahead(items: Iterable[T], depth: int = 2) -> Generator[T, None, None]:
    """The items of ``items``, made in a thread at most ``depth`` ahead (memory stays that of
    ``depth`` items). What ``items`` raises is raised here, after the items made before it;
    leaving the loop early stops the thread once it finishes the item it is making."""
    waiting: queue.Queue[object] = queue.Queue(depth)
    stop = threading.Event()

    def put(item: object) -> bool:
        while not stop.is_set():
            try:
                waiting.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def make() -> None:
        try:
            for item in items:
                if not put(item):
                    return
            put(_END)
        except BaseException as exc:  # handed to the consumer, raised there
            put(_Raised(exc))

    thread = threading.Thread(target=make, name="read-ahead", daemon=True)
    thread.start()
    try:
        while (item := waiting.get()) is not _END:
            if isinstance(item, _Raised):
                raise item.error
            yield item  # type: ignore[misc]
    finally:
        stop.set()
        thread.join()
