"""The half-typed contact kept as a draft: written on every change, at most ``draft_delay_ms``
behind and one write on its way at a time (on a slow site database a queue of drafts would
hold up the save behind it), through the page's ops; a crash or a power cut gives it back.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer

from desktop import operations

if TYPE_CHECKING:
    from desktop.ui.page_view import PageView

log = logging.getLogger("repli.ui.drafts")


class DraftKeeper(QObject):
    def __init__(self, page: PageView, delay_ms: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.page = page
        self._in_flight = self._dirty = False
        self._timer = QTimer(self, singleShot=True, interval=delay_ms)
        self._timer.timeout.connect(self.write)

    def edited(self) -> None:
        """Something was typed: the draft follows shortly."""
        if not self.page.saving and not self._timer.isActive():
            self._timer.start()

    def stop(self) -> None:
        """The contact is being saved, handed off or started afresh: no draft of it now."""
        self._timer.stop()

    def write(self, now: bool = False) -> None:
        page = self.page
        if page.saving or not page.in_progress():
            return
        if page.seat is None:
            self._timer.start()  # the store is opening: try again shortly
            return
        if self._in_flight and not now:
            self._dirty = True  # written once the one on its way is back
            return
        draft, engine = page.collect(), page.seat.engine
        self._in_flight, self._dirty = True, False
        page.ops.run(lambda: operations.save_draft(engine, draft), self._written, self._failed)

    def _written(self, at: datetime) -> None:
        self._in_flight = False
        self.page.draftSaved.emit(at)
        if self._dirty:
            self.write()

    def _failed(self, error: Exception) -> None:
        self._in_flight = False
        log.error("draft not written: %s", error)

    def flush(self) -> None:
        """Write the draft now (the window is closing: its ops finish before it goes)."""
        self._timer.stop()
        self.write(now=True)
