"""The seat's word to the site's roster (desktop.site.roster): every 15 s, on a thread of its
own, who is signed in, the tables, the mode, what waits to be delivered, the readiness. A
site that is away delays no save and is said once, not every 15 s."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer

from desktop.contacts import utc_now
from desktop.site.roster import EVERY_S
from desktop.ui.ops import Ops

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from desktop.config import Settings
    from desktop.seat.doctor import Report

log = logging.getLogger("repli.ui.roster")


class SeatRoster(QObject):
    """``who()``: the agent signed in (or None) and the mode, read on the GUI thread."""

    def __init__(
        self,
        seat_engine: Engine,
        settings: Settings,
        who: Callable[[], tuple[str | None, str]],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.seat_engine = seat_engine
        self.settings = settings
        self.who = who
        self.started_at: datetime = utc_now()
        self.readiness: tuple[bool, str] = (True, "not checked yet")
        self.away = False
        self.ops = Ops(self, "repli-roster")
        self.timer = QTimer(self, interval=EVERY_S * 1000)
        self.timer.timeout.connect(self.tell)

    def start(self) -> None:
        self.timer.start()
        self.tell()

    def set_readiness(self, report: Report) -> None:
        failing = [f"{c.name}: {c.detail}" for c in report.checks if c.status == "fail"]
        self.readiness = (report.ready, "; ".join(failing) or "ready")
        self.tell()

    def tell(self) -> None:
        if self.ops.busy:
            return
        agent, mode = self.who()
        readiness = self.readiness
        self.ops.run(lambda: self._write(agent, mode, readiness), self._written, self._failed)

    def _write(self, agent: str | None, mode: str, readiness: tuple[bool, str]) -> None:
        from desktop.site.roster import local_state, write_state
        from desktop.store.engine import make_site_engine
        from desktop.store.schema import ensure_site_schema
        from desktop.store.site_calls import bounded

        state = local_state(
            self.seat_engine,
            seat_id=self.settings.seat_id,
            client=self.settings.client_id,
            mode=mode,
            agent=agent,
            readiness=readiness,
            started_at=self.started_at,
            now=utc_now(),
        )
        site = make_site_engine(self.settings.site_database_url)
        with bounded(site):
            ensure_site_schema(site)
            write_state(site, state)

    def _written(self, _none: None) -> None:
        if self.away:
            log.warning("the site's roster is written again")
            self.away = False

    def _failed(self, error: Exception) -> None:
        from desktop.store.site_calls import in_words

        if not self.away:
            log.warning("the site's roster could not be written: %s", in_words(error))
            self.away = True

    def stop(self) -> None:
        self.timer.stop()
        self.ops.shutdown()
