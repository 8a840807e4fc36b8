"""Python's cycle collector paused over bulk work that makes objects by the hundred thousand.

CPython runs its cycle collector after every 700 new containers (tuples, lists, dicts), and
each third run of the eldest generation walks every container alive: reading a 100,000-number
pack made ~0.45 s of such walks out of ~2.1 s (`docs/performance.md`). That work makes few
cycles, and reference counting frees all the rest as before, so the collector is paused for
its length and set back as it was after. Process-wide: paused by the first of several
threads, set back when the last one is done.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_depth = 0
_was_enabled = False


@contextmanager
def gc_paused() -> Iterator[None]:
    global _depth, _was_enabled
    with _lock:
        if _depth == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0 and _was_enabled:
                gc.enable()
