"""The seat's tables following the primary, seen from the window: a check of
``tables_source`` every ``tables_check_every`` seconds on the follower's own ops (a slow
share or server delays no save), and what it found. The pack it stages is activated by the
window between two calls (desktop.tables.follow)."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer, Signal

from desktop.ui.ops import Ops

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from desktop.config import Settings
    from desktop.paths import DataPaths
    from desktop.tables.follow import FollowState

log = logging.getLogger("repli.ui.tables")
FIRST_CHECK_MS = 3000
SITE_EVERY_S = 5  # a pack published for the site reaches every seat within this (and a check)


class TablesFollower(QObject):
    """Signals: ``checked(object)`` with the FollowState after each check, ``staged()``
    when a newer verified pack waits for the next call."""

    checked = Signal(object)
    staged = Signal()

    def __init__(
        self, paths: DataPaths, settings: Settings, engine: Engine, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.paths, self.settings, self.engine = paths, settings, engine
        self.state: FollowState | None = None
        self.ops = Ops(self, "repli-tables")
        self._client: Any = None  # one HTTP connection pool for every check (ops thread only)
        self._site: Engine | None = None  # the site database, when it is the source
        every = SITE_EVERY_S if self.site else max(10, settings.tables_check_every)
        self.timer = QTimer(self, interval=every * 1000)
        self.timer.timeout.connect(self.check)

    @property
    def site(self) -> bool:
        from desktop.tables.follow import SITE_SOURCE

        return self.settings.tables_source.strip() == SITE_SOURCE

    def start(self) -> None:
        self.timer.start()
        QTimer.singleShot(FIRST_CHECK_MS, self.check)

    def check(self) -> None:
        self.ops.run(self._check, self._checked, key="check")

    def _check(self) -> tuple[bool, FollowState]:  # on the follower's thread
        from desktop.tables.follow import FollowError, FollowState, check

        if self._client is not None and self._client.is_closed:  # cut by a download's deadline
            self._client = None
        if self._client is None and self.settings.tables_source.startswith("http"):
            import httpx

            self._client = httpx.Client(timeout=httpx.Timeout(10.0), follow_redirects=False)
        if self.site and self._site is None and self.settings.site_database_url:
            from desktop.store.engine import make_site_engine

            self._site = make_site_engine(self.settings.site_database_url)
        try:
            check(
                self.paths, self.settings, self.engine, client=self._client, site_engine=self._site
            )
        except FollowError as exc:
            log.warning("tables not followed: %s: %s", exc.kind, exc)
        state = FollowState.load(self.paths)
        return bool(state.staged_pack), state

    def _checked(self, found: tuple[bool, FollowState]) -> None:
        staged, self.state = found
        self.checked.emit(self.state)
        if staged:
            self.staged.emit()

    def stop(self) -> None:
        from desktop.tables.follow import abandon_reads

        self.timer.stop()
        abandon_reads()  # a check waiting on a hung share gives up: closing never waits on it
        self.ops.shutdown()
        if self._client is not None:
            self._client.close()
        if self._site is not None:
            self._site.dispose()
