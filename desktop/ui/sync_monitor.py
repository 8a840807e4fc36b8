"""The seat's sync, seen from the window: the background worker and its state.

The worker runs on its own thread; after each run it reads the sync state there and hands
it to the GUI thread through a signal.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal

from desktop.config import Settings

if TYPE_CHECKING:
    from desktop.context import SeatContext
    from desktop.sync.worker import RunReport, SyncWorker

log = logging.getLogger("repli.ui.sync")


class SyncMonitor(QObject):
    """Signals: ``changed(object)`` with the sync status (see desktop.sync.status)."""

    changed = Signal(object)

    def __init__(self, settings: Settings, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.worker: SyncWorker | None = None
        self.status: dict[str, Any] | None = None
        self._seat: SeatContext | None = None

    def start(self, seat: SeatContext, interval: float = 5.0) -> None:
        if not self.settings.sync_targets:
            return
        from desktop.sync.worker import SyncWorker

        self._seat = seat
        self.worker = SyncWorker(seat.engine, self.settings, interval, self._after_run)
        self.worker.start()

    def nudge(self) -> None:
        if self.worker is not None:
            self.worker.nudge()

    def stop(self) -> None:
        if self.worker is not None:
            self.worker.stop()

    def _after_run(self, _report: RunReport) -> None:  # on the worker's thread
        from desktop.sync.status import sync_status

        if self._seat is not None:
            self.changed.emit(sync_status(self._seat.engine, self.settings, queue_first=False))


def summary(status: dict[str, Any]) -> tuple[str, str, int]:
    """(state, reason, waiting): misconfigured > failing > waiting > ok, over all targets."""
    targets = status.get("targets", {}).values()
    waiting = sum(int(t["counts"].get("pending", 0)) for t in targets)
    for state in ("misconfigured", "failing"):
        bad = [t for t in targets if t["state"] == state]
        if bad:
            return state, f"{bad[0]['reason']} (since {bad[0]['since'] or '?'})", waiting
    return ("waiting" if waiting else "ok"), "", waiting


def delivery_counts(status: dict[str, Any]) -> tuple[tuple[str, tuple[tuple[str, int], ...]], ...]:
    """What the history's CRM column depends on: each target's counts per state."""
    targets = status.get("targets", {})
    return tuple((name, tuple(sorted(t["counts"].items()))) for name, t in sorted(targets.items()))
