"""A seat that delivers to a site database follows the mode its supervisor sets for the site
(desktop.supervisor.site_mode): read every few seconds on a thread of its own, never on the
agent's database thread, so a slow or unreachable site server delays no save."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal

from desktop.store.site_calls import bounded, describe
from desktop.ui.ops import Ops

if TYPE_CHECKING:
    from sqlalchemy import Engine

log = logging.getLogger("repli.ui.site_mode")
EVERY_MS = 5_000  # a site-wide switch is followed within 10 s (benchmarks/site_load.py)


class SiteModeWatch(QObject):
    """Signals: ``modeSet(str)`` when the site's mode is not the seat's."""

    modeSet = Signal(str)

    def __init__(self, url: str, current: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.url = url
        self.current = current
        self.engine: Engine | None = None
        self.away = False  # the last read failed: said once
        self.ops = Ops(self)
        self.timer = QTimer(self, interval=EVERY_MS)
        self.timer.timeout.connect(self.check)

    def start(self) -> None:
        self.timer.start()
        self.check()

    def check(self) -> None:
        if self.ops.busy:
            return
        self.ops.run(self._read, self._read_done, self._failed)

    def _read(self) -> str | None:
        from desktop.store.engine import make_site_engine
        from desktop.store.schema import ensure_site_schema
        from desktop.supervisor.site_mode import site_mode

        if self.engine is None:
            self.engine = make_site_engine(self.url)
        with bounded(self.engine):
            ensure_site_schema(self.engine)
            return site_mode(self.engine)

    def _read_done(self, mode: str | None) -> None:
        if self.away:
            log.warning("the site store answers again")
            self.away = False
        if mode is not None and mode != self.current:
            log.info("the site's supervisor set the mode: %s", mode)
            self.current = mode
            self.modeSet.emit(mode)

    def _failed(self, error: Exception) -> None:
        """Said once when the site goes away (and once when it comes back), not every 5 s."""
        if not self.away:
            log.warning("the site's mode could not be read: %s", describe(error, self.url).text)
            self.away = True

    def stop(self) -> None:
        self.timer.stop()
        self.ops.shutdown()
