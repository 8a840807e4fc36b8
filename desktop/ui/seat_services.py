"""The seat's background services, one owner outside the agent window: the readiness checks,
the sync monitor, the retention's purge, the site's mode watch and roster, the tables that
follow the primary (and their activation between two calls). Started with the store, stopped
once at close; the window shows what they report through the signals.

Signals: ``modeSet(str)`` the site's supervisor set the mode; ``tablesChecked()`` the follower
checked the primary; ``tablesStaged()`` a followed pack waits for the next call;
``tablesActivated(object, object)`` a followed pack is now the seat's
(its LookupIndex and PackStatus).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal

from desktop import hours, operations
from desktop.config import Settings
from desktop.lookup import LookupIndex
from desktop.paths import DataPaths
from desktop.store.quickstart import PackStatus
from desktop.ui.ops import Ops
from desktop.ui.readiness import Readiness
from desktop.ui.sync_monitor import SyncMonitor

if TYPE_CHECKING:
    from desktop.context import SeatContext
    from desktop.ui.seat_roster import SeatRoster
    from desktop.ui.site_mode_watch import SiteModeWatch
    from desktop.ui.tables_follow import TablesFollower

log = logging.getLogger("repli.ui.services")


class SeatServices(QObject):
    modeSet = Signal(str)
    tablesChecked = Signal()
    tablesStaged = Signal()
    tablesActivated = Signal(object, object)

    def __init__(
        self,
        settings: Callable[[], Settings],
        paths: DataPaths,
        ops: Ops,
        who: Callable[[], tuple[str | None, str]],
        parent: QObject | None = None,
    ) -> None:
        """``settings``: the window's, as they are now (its mode changes); ``who``: the agent
        signed in and the seat's mode, for the site's roster."""
        super().__init__(parent)
        self._settings, self.paths, self.ops, self._who = settings, paths, ops, who
        self.seat: SeatContext | None = None
        self.readiness = Readiness(self)
        self.sync = SyncMonitor(settings(), self)
        self.site_mode: SiteModeWatch | None = None
        self.roster: SeatRoster | None = None
        self.tables_follower: TablesFollower | None = None
        self.tables_waiting = False  # a followed pack staged, for the next call
        self._purge_timer = QTimer(self)  # set with the store (desktop.supervisor.retention)
        self._purge_timer.timeout.connect(self._purge)

    @property
    def settings(self) -> Settings:
        return self._settings()

    def start_checks(self) -> None:
        """After the first frame, once the listeners are up: the readiness checks."""
        QTimer.singleShot(1000, lambda: self.readiness.start(self.paths))

    def start(self, seat: SeatContext) -> None:
        """The store is open: the services that need it start. First, the holidays' names
        are read (85 ms the first time) on the ops, before the draft is, so that the first
        card the agent brings up reads no file on the GUI thread."""
        language = self.settings.language
        self.ops.run(lambda: hours.warm_up(language, date.today()))
        self.seat = seat
        self.sync.start(seat)
        site = self.settings.site_database_url
        if site and self.site_mode is None:  # follow the mode the site's supervisor sets
            from desktop.ui.seat_roster import SeatRoster
            from desktop.ui.site_mode_watch import SiteModeWatch

            self.site_mode = SiteModeWatch(site, self.settings.mode.value, self)
            self.site_mode.modeSet.connect(self.modeSet)
            self.site_mode.start()
            self.roster = SeatRoster(seat.engine, self.settings, self._who, self)
            self.readiness.checked.connect(self.roster.set_readiness)
            self.roster.start()  # the seat's state to the site's roster every 15 s
        if max(self.settings.retention_days, self.settings.exercise_retention_days) > 0:
            from desktop.supervisor.retention import FIRST_PURGE_AFTER, PURGE_EVERY

            self._purge_timer.start(int(PURGE_EVERY.total_seconds() * 1000))
            QTimer.singleShot(int(FIRST_PURGE_AFTER.total_seconds() * 1000), self._purge)
        if self.settings.tables_source and self.tables_follower is None:
            from desktop.ui.tables_follow import TablesFollower

            self.tables_follower = TablesFollower(self.paths, self.settings, seat.engine, self)
            self.tables_follower.checked.connect(lambda _s: self.tablesChecked.emit())
            self.tables_follower.staged.connect(self._tables_staged)
            self.tables_follower.start()

    def stop(self) -> None:
        self.sync.stop()
        self.readiness.stop()
        self._purge_timer.stop()
        for service in (self.tables_follower, self.site_mode, self.roster):
            if service is not None:
                service.stop()

    # --- tables that follow the primary -------------------------------------------------

    def _tables_staged(self) -> None:
        self.tables_waiting = True
        self.tablesStaged.emit()

    def activate_tables(self, current: PackStatus | None) -> None:
        """A staged pack becomes the seat's: the window calls this between two calls only
        (never under the agent's hands)."""
        if not self.tables_waiting or self.seat is None:
            return
        self.tables_waiting = False
        paths, engine, region = self.paths, self.seat.engine, self.settings.region

        def activated(found: tuple[LookupIndex | None, PackStatus | None]) -> None:
            index, status = found
            if status is not None and (current is None or status.pack_id != current.pack_id):
                log.info("tables followed: %s %s", status.info.name, status.info.version)
                self.tablesActivated.emit(index, status)

        self.ops.run(lambda: operations.activate_tables(paths, engine, region), activated)

    # --- the retention ------------------------------------------------------------------

    def _purge(self) -> None:
        if self.seat is None:
            return
        engine, settings = self.seat.engine, self.settings
        self.ops.run(
            lambda: operations.purge(engine, settings),
            lambda done: log.info("retention: %s contacts purged", done.contacts if done else 0),
            lambda error: log.error("retention purge failed: %s", error),
        )
