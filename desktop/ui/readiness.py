"""The seat's readiness, checked once the window is up (``repli doctor``'s checks, on a
thread of their own), so that a seat that is not ready says why before the first call."""

from __future__ import annotations

import contextlib
import logging
import threading
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

if TYPE_CHECKING:
    from desktop.paths import DataPaths

log = logging.getLogger("repli.ui.readiness")


class Readiness(QObject):
    """Signals: ``checked(object)`` with the doctor's Report."""

    checked = Signal(object)

    def start(self, paths: DataPaths) -> None:
        def run() -> None:
            from desktop.seat import doctor

            try:
                report = doctor.run(paths, from_app=True)
            except Exception:  # the check itself broke: said in the log, the seat goes on
                log.exception("readiness check failed")
                return
            with contextlib.suppress(RuntimeError):  # the window closed meanwhile
                self.checked.emit(report)

        threading.Thread(target=run, name="repli-readiness", daemon=True).start()
