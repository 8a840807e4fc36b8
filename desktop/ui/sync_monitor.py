"""The seat's sync, seen from the window: the background worker and its state.

The worker runs on its own thread; after each run the monitor reads the sync state on its
ops (desktop.ui.ops) and shows it. When a contact's delivery changed, the op says so
(``targets``), and the history's CRM column follows.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal

from desktop.changes import NOTHING, TARGETS, Changed
from desktop.config import Settings
from desktop.ui.ops import Ops

if TYPE_CHECKING:
    from desktop.context import SeatContext
    from desktop.sync.worker import RunReport, SyncWorker

log = logging.getLogger("repli.ui.sync")


class SyncMonitor(QObject):
    """Signals: ``changed(object)`` with the sync status (see desktop.sync.status)."""

    changed = Signal(object)
    retired = Signal(object)  # the site's retirement mark: this client's contract ended
    _ran = Signal()

    def __init__(self, settings: Settings, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.worker: SyncWorker | None = None
        self.status: dict[str, Any] | None = None
        self._seat: SeatContext | None = None
        self._counts: object = None  # read and written on the ops' thread only
        self.ops = Ops(self, "repli-sync-status")
        self._ran.connect(self._read_status)

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
        self.ops.shutdown()

    def _after_run(self, report: RunReport) -> None:  # on the worker's thread
        if report.retired is not None:  # the worker has stopped: the window erases
            self.retired.emit(report.retired)
            return
        self._ran.emit()

    def _read_status(self) -> None:
        from desktop.sync.status import sync_status

        if self._seat is None:
            return
        engine, settings = self._seat.engine, self.settings

        def work() -> Changed[dict[str, Any]]:
            status = sync_status(engine, settings, queue_first=False)
            counts = delivery_counts(status)
            moved, self._counts = counts != self._counts, counts
            return Changed(status, TARGETS if moved else NOTHING)

        self.ops.run(work, self._show, key="status")

    def _show(self, status: dict[str, Any]) -> None:
        self.status = status
        self.changed.emit(status)


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
