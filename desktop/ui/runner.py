"""The one way from the GUI to the database for writes: units of work run off the GUI thread.

Work runs on a single worker thread, in submission order (so a draft written before a save
never lands after it); its result or exception comes back on the GUI thread.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from PySide6.QtCore import QObject, Signal, Slot

log = logging.getLogger("repli.ui.runner")

Done = Callable[[Any], None]
Failed = Callable[[Exception], None]


class DbRunner(QObject):
    """Signals: ``idle()`` when the last submitted unit of work has been delivered."""

    _finished = Signal(object, object, object)
    idle = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="repli-db")
        self._pending = 0
        self._closed = False
        self._finished.connect(self._deliver)

    @property
    def busy(self) -> bool:
        return self._pending > 0

    def run(self, work: Callable[[], Any], on_done: Done, on_error: Failed) -> None:
        if self._closed:  # the window is closing: a late read (a timer's) has no one to tell
            log.debug("work submitted after shutdown: dropped")
            return
        self._pending += 1

        def job() -> None:
            try:
                result = work()
            except Exception as exc:  # reported to the GUI, which says it plainly
                log.exception("database work failed")
                self._finished.emit(on_error, None, exc)
            else:
                self._finished.emit(on_done, result, None)

        self._pool.submit(job)

    @Slot(object, object, object)
    def _deliver(self, callback: Callable[[Any], None], result: Any, error: Any) -> None:
        self._pending -= 1
        callback(error if error is not None else result)
        if self._pending == 0:
            self.idle.emit()

    def shutdown(self) -> None:
        """Finish submitted work (a draft or a save in flight must reach the disk)."""
        self._closed = True
        self._pool.shutdown(wait=True)
