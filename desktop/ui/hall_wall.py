"""The hall's wall screen (``repli wallboard --seats-only`` on a PC provisioned for several
clients): one line a client, from each client's own site store, health only (its mode, its
seats active out of those seen today, silent, needing attention; never a call count).
White on black in large type, as the client's wall screen (desktop.ui.wallboard), every
state in words. Each client's line is read on its own thread every 5 s: a site store that
does not answer keeps its last reading on its line, with its age, in a band that says so,
and the other lines go on."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QMessageBox, QVBoxLayout, QWidget

from desktop.site.hall import NO_SITE, ClientHealth, client_health
from desktop.site.wallboard import EVERY_S
from desktop.store.site_calls import SEAT_BOUND_S, in_words, within
from desktop.ui.announcer import Announcer
from desktop.ui.ops import Ops
from desktop.ui.texts import mode_label
from desktop.ui.wallboard import SHEET, show_stale
from desktop.ui.widgets import named

if TYPE_CHECKING:
    from sqlalchemy import Engine


LINE_SHEET = "#wallboard QWidget#hallLine { border: 3px solid #ffffff; margin: 4px; }"


class ClientLine(QWidget):
    """One client's line: its name and mode, its seats, and a band when its site store
    does not answer. Signals: ``spoken(str)``: its site store went away or came back."""

    spoken = Signal(str)

    def __init__(self, client: str, engine: Engine, clock: Callable[[], datetime]) -> None:
        super().__init__()
        self.setObjectName("hallLine")  # framed by the sheet: one client, one box
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.client, self.engine, self.clock = client, engine, clock
        self.health: ClientHealth | None = None
        self.failed_since: datetime | None = None
        self.ops = Ops(self, "repli-hall")
        self.name = named(QLabel(client), "hallClient")
        self.name.setProperty("role", "title")
        self.mode = named(QLabel(), "hallMode")
        self.seats = named(QLabel("—"), "hallSeats")
        self.seats.setProperty("role", "figure")
        self.detail = named(QLabel(), "hallDetail")
        self.stale = named(QLabel(), "wallStale")
        self.stale.setWordWrap(True)
        self.stale.hide()
        words = QVBoxLayout()
        for label in (self.name, self.mode, self.detail):
            label.setWordWrap(True)
            words.addWidget(label)
        row = QHBoxLayout()
        row.addLayout(words, 3)
        row.addWidget(self.seats, 1, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        box = QVBoxLayout(self)
        box.addLayout(row)
        box.addWidget(self.stale)
        self.mode.setText(self.tr("Reading the site store…"))

    def refresh(self) -> None:
        if self.ops.busy:  # a frozen server: one read at a time, bounded
            return
        engine, client, now = self.engine, self.client, self.clock()

        def read() -> ClientHealth:
            from desktop.store.schema import ensure_site_schema

            ensure_site_schema(engine)
            return client_health(engine, client, now)

        self.ops.run(within(engine, read, SEAT_BOUND_S), self.show_health, self._failed)

    def _failed(self, error: Exception) -> None:
        if self.failed_since is None:
            self.failed_since = self.clock()
            self.spoken.emit(
                self.tr("%1: the site store does not answer").replace("%1", self.client)
            )
        last = self.health.at if self.health else None
        show_stale(self.stale, self.failed_since, last, self.clock(), in_words(error))

    def show_health(self, health: ClientHealth) -> None:
        if self.failed_since is not None:
            self.spoken.emit(
                self.tr("%1: the site store answers again").replace("%1", health.client)
            )
        self.health, self.failed_since = health, None
        self.stale.hide()
        mode = mode_label(health.mode) if health.mode else self.tr("each seat's own mode")
        self.mode.setText(self.tr("MODE: %1").replace("%1", mode))
        seats = health.seats
        self.seats.setText(f"{seats.active} / {seats.seen_today}")
        self.detail.setText(
            self.tr("seats active · %1 silent · %2 needing attention")
            .replace("%1", str(seats.silent))
            .replace("%2", str(seats.needing_attention))
        )
        self.seats.setAccessibleName(
            self.tr("%1: %2 seats active out of %3")
            .replace("%1", health.client)
            .replace("%2", str(seats.active))
            .replace("%3", str(seats.seen_today))
        )
        self.seats.setAccessibleDescription(f"{self.mode.text()}; {self.detail.text()}")

    def text(self) -> str:
        """What the line says, as one text (the screen reader's, a test's)."""
        shown = [self.name, self.mode, self.seats, self.detail]
        if not self.stale.isHidden():
            shown.append(self.stale)
        return " ".join(label.text() for label in shown)


class HallWall(QWidget):
    def __init__(
        self,
        sites: list[tuple[str, Engine]],
        left_out: list[tuple[str, str]] | None = None,
        clock: Callable[[], datetime] = lambda: datetime.now().astimezone(),
        parent: QWidget | None = None,
    ) -> None:
        """``sites``: each client's name and its site store's engine; ``left_out``: the
        clients this PC has but cannot show, with why (desktop.site.hall.hall_sites), said
        under the lines."""
        super().__init__(parent)
        self.setObjectName("wallboard")
        self.setStyleSheet(SHEET + LINE_SHEET)
        self.announcer = Announcer(self)
        self.title = named(QLabel(), "wallMode")
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.lines = [ClientLine(client, engine, clock) for client, engine in sites]
        self.footer = named(QLabel(), "wallFooter")
        self.footer.setWordWrap(True)
        box = QVBoxLayout(self)
        box.addWidget(self.title)
        for line in self.lines:
            line.spoken.connect(lambda text: self.announcer.say(text, kind="wall"))
            box.addWidget(line)
        box.addStretch(1)
        box.addWidget(self.footer)
        self.title.setText(
            self.tr("The site's seats — %1 client(s)").replace("%1", str(len(sites)))
        )
        self.title.setAccessibleName(self.title.text())
        missing = "\n".join(
            self.tr("%1: no site store in its configuration").replace("%1", client)
            if why == NO_SITE
            else f"{client} : {why}"
            for client, why in left_out or []
        )
        self.footer.setText(
            (self.tr("Not shown: %1").replace("%1", missing) + "\n" if missing else "")
            + self.tr("Escape: leave full screen · F1: the keys")
        )
        self.setWindowTitle(self.tr("Repli — the hall's wall screen"))
        self.timer = QTimer(self, interval=EVERY_S * 1000)
        self.timer.timeout.connect(self.refresh)
        self.timer.start()
        self.refresh()

    def refresh(self) -> None:
        for line in self.lines:
            line.refresh()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.showNormal()
        elif event.key() == Qt.Key.Key_F1:
            QMessageBox.information(self, self.windowTitle(), self.footer.text())
        else:
            super().keyPressEvent(event)

    def closeEvent(self, event: object) -> None:
        self.timer.stop()
        for line in self.lines:
            line.ops.shutdown()
        super().closeEvent(event)  # type: ignore[arg-type]
