"""The seat's readiness, checked once the window is up (``repli doctor``'s checks, on the
readiness ops: they probe files, ports and the database), so that a seat that is not ready
says why before the first call."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from desktop.ui.ops import Ops

if TYPE_CHECKING:
    from desktop.paths import DataPaths

log = logging.getLogger("repli.ui.readiness")


class Readiness(QObject):
    """Signals: ``checked(object)`` with the doctor's Report."""

    checked = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ops = Ops(self, "repli-readiness")

    def start(self, paths: DataPaths) -> None:
        from desktop.seat import doctor

        self.ops.run(
            lambda: doctor.run(paths, from_app=True),
            self.checked.emit,
            lambda exc: log.error("readiness check failed: %s", exc),  # the seat goes on
            key="doctor",
        )

    def stop(self) -> None:
        self.ops.shutdown()
