"""The wall screen (``repli wallboard``): full screen on the site's wall TV, readable at 5 m
(large type, white on black, every state in words), from the site store only, refreshed
every 5 s off the GUI thread. When the site store cannot be reached it keeps the last
figures and says, in a band, since when and how old they are; it never shows a traceback
or a blank screen.

Two views: the client's figures (the screen in that client's room) and the seats' health
(the screen in the hall: seats only, no client's business). Tab or 1–2 switch, Escape
leaves full screen, F1 lists the keys."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QGridLayout,
    QLabel,
    QMessageBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.site.roster import duration
from desktop.site.wallboard import EVERY_S, WallFigures, wall_figures
from desktop.store.site_calls import SEAT_BOUND_S, in_words, within
from desktop.ui.announcer import Announcer
from desktop.ui.ops import Ops
from desktop.ui.supervisor.seats import problem_text
from desktop.ui.texts import mode_label
from desktop.ui.widgets import named

if TYPE_CHECKING:
    from sqlalchemy import Engine

SHEET = """
#wallboard { background: #000000; color: #ffffff; }
#wallboard QLabel { color: #ffffff; background: #000000; font-size: 26pt; }
#wallboard QLabel[role="figure"] { font-size: 96pt; font-weight: bold; }
#wallboard QLabel[role="title"] { font-size: 30pt; }
#wallboard QLabel#wallMode { font-size: 34pt; font-weight: bold; padding: 8px;
    border: 4px solid #ffffff; }
#wallboard QLabel#wallStale { font-size: 28pt; font-weight: bold; color: #000000;
    background: #ffd400; padding: 8px; }
#wallboard QLabel#wallFooter { font-size: 18pt; }
"""


def show_stale(
    band: QLabel, since: datetime, last_at: datetime | None, now: datetime, failure: str
) -> None:
    """The band over figures the site store no longer refreshes (the client's wall screen,
    each line of the hall's): since when it does not answer, the age of the figures still
    shown (or that there are none yet), and why."""
    if last_at is None:
        text = QCoreApplication.translate(
            "Wallboard", "⚠ The site store does not answer since %1: no figures yet (%2)"
        )
    else:
        text = (
            QCoreApplication.translate(
                "Wallboard",
                "⚠ The site store does not answer since %1 — figures of %3, %4 old (%2)",
            )
            .replace("%3", last_at.strftime("%H:%M:%S"))
            .replace("%4", duration(int((now - last_at).total_seconds())))
        )
    band.setText(text.replace("%1", since.strftime("%H:%M")).replace("%2", failure))
    band.setAccessibleName(band.text())
    band.show()


class Tile(QWidget):
    """A title above a big figure and a line under it: one of the wall's readings."""

    def __init__(self, name: str) -> None:
        super().__init__()
        self.title = QLabel()
        self.title.setProperty("role", "title")
        self.figure = named(QLabel("—"), name)
        self.figure.setProperty("role", "figure")
        self.detail = QLabel()
        box = QVBoxLayout(self)
        for label in (self.title, self.figure, self.detail):
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            label.setWordWrap(True)
            box.addWidget(label)

    def show_value(self, title: str, figure: str, detail: str = "") -> None:
        self.title.setText(title)
        self.figure.setText(figure)
        self.detail.setText(detail)
        self.figure.setAccessibleName(f"{title} : {figure}" if figure else title)
        self.figure.setAccessibleDescription(detail)


class Wallboard(QWidget):
    def __init__(
        self,
        engine: Engine,
        client_name: str = "",
        site_target: str = "",
        seats_only: bool = False,
        clock: Callable[[], datetime] = lambda: datetime.now().astimezone(),
        parent: QWidget | None = None,
    ) -> None:
        """``clock``: now, in the site's zone (the wall PC's own, by default)."""
        super().__init__(parent)
        self.setObjectName("wallboard")
        self.clock = clock
        self.setStyleSheet(SHEET)
        self.engine = engine
        self.client_name = client_name
        self.site_target = site_target
        self.seats_only = seats_only
        self.figures: WallFigures | None = None
        self.failed_since: datetime | None = None
        self.ops = Ops(self, "repli-wallboard")
        self.announcer = Announcer(self)
        self.mode = named(QLabel(), "wallMode")
        self.mode.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.stale = named(QLabel(), "wallStale")
        self.stale.setWordWrap(True)
        self.stale.hide()
        self.views = named(QStackedWidget(), "wallViews")
        self.views.addWidget(self._client_view())
        self.views.addWidget(self._seats_view())
        if seats_only:
            self.views.setCurrentIndex(1)
        self.footer = named(QLabel(), "wallFooter")
        self.footer.setWordWrap(True)
        box = QVBoxLayout(self)
        for widget in (self.mode, self.stale):
            box.addWidget(widget)
        box.addWidget(self.views, 1)
        box.addWidget(self.footer)
        self.timer = QTimer(self, interval=EVERY_S * 1000)
        self.timer.timeout.connect(self.refresh)
        self.timer.start()
        self.setWindowTitle(self.tr("Repli — wall screen"))
        self._show_empty()
        self.refresh()

    def _client_view(self) -> QWidget:
        view = QWidget()
        grid = QGridLayout(view)
        self.hour = Tile("wallHour")
        self.day = Tile("wallToday")
        self.crm = Tile("wallNotAtCrm")
        self.callbacks = Tile("wallCallbacks")
        self.active = Tile("wallSeats")
        self.types = named(QLabel(), "wallCallTypes")
        self.types.setWordWrap(True)
        self.types.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        grid.addWidget(self.hour, 0, 0)
        grid.addWidget(self.day, 0, 1)
        grid.addWidget(self.crm, 0, 2)
        grid.addWidget(self.callbacks, 1, 0)
        grid.addWidget(self.active, 1, 1)
        grid.addWidget(self.types, 1, 2)
        for column in range(3):
            grid.setColumnStretch(column, 1)
        return view

    def _seats_view(self) -> QWidget:
        view = QWidget()
        box = QVBoxLayout(view)
        self.health = Tile("wallHealth")
        self.problems = named(QLabel(), "wallProblems")
        self.problems.setWordWrap(True)
        self.problems.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        box.addWidget(self.health)
        box.addWidget(self.problems, 1)
        return view

    # -- reading the site store, off the GUI thread
    def refresh(self) -> None:
        if self.ops.busy:
            return
        engine, target, now = self.engine, self.site_target, self.clock()

        def read() -> WallFigures:
            from desktop.store.schema import ensure_site_schema

            ensure_site_schema(engine)
            assert now.tzinfo is not None
            return wall_figures(engine, now, now.tzinfo, target)

        self.ops.run(within(engine, read, SEAT_BOUND_S), self.show_figures, self._failed)

    def _failed(self, error: Exception) -> None:
        if self.failed_since is None:
            self.failed_since = self.clock()
            self.announcer.say(self.tr("The site store does not answer"), kind="wall")
        last = self.figures.at if self.figures else None
        show_stale(self.stale, self.failed_since, last, self.clock(), in_words(error))

    def show_figures(self, figures: WallFigures) -> None:
        was_failing = self.failed_since is not None
        self.figures, self.failed_since = figures, None
        self.stale.hide()
        if was_failing:
            self.announcer.say(self.tr("The site store answers again"), kind="wall")
        self._show()

    # -- showing
    def _show_empty(self) -> None:
        self.mode.setText(self.tr("Reading the site store…"))
        self._footer()

    def _show(self) -> None:
        f = self.figures
        if f is None:
            return
        mode = mode_label(f.mode) if f.mode else self.tr("each seat's own mode")
        client = f"{self.client_name} — " if self.client_name and not self.seats_only else ""
        self.mode.setText(client + self.tr("MODE: %1").replace("%1", mode))
        self.mode.setAccessibleName(self.mode.text())
        self.hour.show_value(self.tr("Calls this hour"), str(f.this_hour))
        self.day.show_value(self.tr("Calls today"), str(f.today))
        oldest = (
            self.tr("oldest: %1").replace("%1", duration(f.oldest_not_at_crm_s))
            if f.oldest_not_at_crm_s is not None
            else ""
        )
        self.crm.show_value(self.tr("Not yet at the CRM"), str(f.not_at_crm), oldest)
        self.callbacks.show_value(self.tr("Callbacks overdue"), str(f.callbacks_overdue))
        seats = f"{f.seats.active} / {f.seats.seen_today}"
        self.active.show_value(self.tr("Seats active"), seats)
        lines = [self.tr("By call type (this hour · today):")]
        untyped = self.tr("(no call type)")
        lines += [f"{t or untyped} : {hour} · {day}" for t, hour, day in f.per_call_type[:8]]
        self.types.setText("\n".join(lines))
        self.types.setAccessibleName(self.types.text())
        self.health.show_value(
            self.tr("Seats active"),
            seats,
            self.tr("%1 silent · %2 needing attention")
            .replace("%1", str(f.seats.silent))
            .replace("%2", str(f.seats.needing_attention)),
        )
        problems = [
            f"{seat} : " + "; ".join(problem_text(p) for p in found)
            for seat, found in f.seats.problems[:12]
        ]
        self.problems.setText("\n".join(problems) or self.tr("Every seat is fine."))
        self.problems.setAccessibleName(self.problems.text())
        self._footer()

    def _footer(self) -> None:
        at = self.figures.at.strftime("%H:%M:%S") if self.figures else "—"
        keys = (
            self.tr("Escape: leave full screen · F1: the keys")
            if self.seats_only
            else self.tr("Tab or 1–2: switch the view · Escape: leave full screen · F1: the keys")
        )
        self.footer.setText(self.tr("Updated at %1").replace("%1", at) + " · " + keys)

    # -- keys
    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key == Qt.Key.Key_Escape:
            self.showNormal()
        elif key == Qt.Key.Key_F1:
            QMessageBox.information(self, self.windowTitle(), self.footer.text())
        elif not self.seats_only and key == Qt.Key.Key_Tab:
            self.views.setCurrentIndex((self.views.currentIndex() + 1) % self.views.count())
        elif not self.seats_only and Qt.Key.Key_1 <= key <= Qt.Key.Key_9:
            index = int(key) - int(Qt.Key.Key_1)
            if index < self.views.count():
                self.views.setCurrentIndex(index)
        else:
            super().keyPressEvent(event)

    def focusNextPrevChild(self, _next: bool) -> bool:
        return False  # Tab switches the view: nothing here takes the focus

    def closeEvent(self, event: object) -> None:
        self.timer.stop()
        self.ops.shutdown()
        super().closeEvent(event)  # type: ignore[arg-type]
