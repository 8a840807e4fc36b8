"""The supervision's Sièges tab: every seat of the site at once (desktop.site.roster), the
stale ones first and marked in words, each problem said ("tables 20261201 alors que
20261204 est publiée"), read off the GUI thread every 15 s and on F5."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QTimer, Signal
from PySide6.QtWidgets import (
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.site.roster import EVERY_S, Problem, RosterLine, duration
from desktop.store.site_calls import in_words, within
from desktop.ui.ops import Ops
from desktop.ui.texts import mode_label
from desktop.ui.widgets import named

if TYPE_CHECKING:
    from sqlalchemy import Engine

COLUMNS = 9


def problem_text(problem: Problem) -> str:
    """A roster problem in the interface's language."""
    v = problem.values
    if problem.kind == "stale":
        return QCoreApplication.translate("SeatsTab", "no word for %1").replace("%1", str(v[0]))
    if problem.kind == "tables":
        return (
            QCoreApplication.translate("SeatsTab", "tables %1 while %2 is published")
            .replace("%1", str(v[0]))
            .replace("%2", str(v[1]))
        )
    if problem.kind == "no_tables":
        return QCoreApplication.translate("SeatsTab", "no tables while %1 is published").replace(
            "%1", str(v[0])
        )
    if problem.kind == "waiting":
        return (
            QCoreApplication.translate("SeatsTab", "%1 contact(s) waiting for %2 for %3")
            .replace("%1", str(v[0]))
            .replace("%2", str(v[1]))
            .replace("%3", str(v[2]))
        )
    if problem.kind == "not_ready":
        return QCoreApplication.translate("SeatsTab", "not ready: %1").replace("%1", str(v[0]))
    if problem.kind == "mode":
        return (
            QCoreApplication.translate("SeatsTab", "in %1 mode while the site is in %2")
            .replace("%1", mode_label(str(v[0])))
            .replace("%2", mode_label(str(v[1])))
        )
    return problem.text()


def cells(line: RosterLine) -> list[str]:
    s = line.state
    if line.stale:
        status = QCoreApplication.translate("SeatsTab", "SILENT")
    elif line.problems:
        status = QCoreApplication.translate("SeatsTab", "Attention")
    else:
        status = QCoreApplication.translate("SeatsTab", "OK")
    waiting = sum(int(count or 0) for count, _age in s.backlog.values())
    last = s.last_saved_at.astimezone().strftime("%d/%m %H:%M") if s.last_saved_at else "—"
    return [
        status,
        s.seat_id,
        f"{s.pc_name} · {s.version}",
        s.agent or QCoreApplication.translate("SeatsTab", "(nobody signed in)"),
        str(s.pack_serial) if s.pack_serial is not None else "—",
        mode_label(s.mode),
        str(waiting),
        last,
        "; ".join(problem_text(p) for p in line.problems)
        or QCoreApplication.translate("SeatsTab", "last word %1 ago").replace(
            "%1", duration(line.age_s)
        ),
    ]


class SeatsTab(QWidget):
    """Signals: ``spoken(str)``: the summary changed (said to screen readers)."""

    spoken = Signal(str)

    def __init__(self, engine: Engine, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.engine = engine
        self.lines: list[RosterLine] = []
        self.ops = Ops(self, "repli-seats")
        self.summary = named(QLabel(), "seatsSummary")
        self.summary.setWordWrap(True)
        self.table = named(QTableWidget(0, COLUMNS), "seatsTable")
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        box = QVBoxLayout(self)
        box.addWidget(self.summary)
        box.addWidget(self.table, 1)
        self._timer = QTimer(self, interval=EVERY_S * 1000)
        self._timer.timeout.connect(self.refresh)
        self._timer.start()
        self.retranslate()
        self.refresh()

    def retranslate(self) -> None:
        self.table.setAccessibleName(self.tr("Seats of the site"))
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("State"),
                self.tr("Seat"),
                self.tr("PC · version"),
                self.tr("Agent"),
                self.tr("Tables"),
                self.tr("Mode"),
                self.tr("Waiting"),
                self.tr("Last contact"),
                self.tr("Problems"),
            ]
        )

    def refresh(self) -> None:
        from desktop.site.roster import read_roster
        from desktop.store.schema import ensure_site_schema

        engine = self.engine

        def read() -> list[RosterLine]:
            if engine.dialect.name == "postgresql":
                ensure_site_schema(engine)
                return read_roster(engine)
            return []  # a seat's own store: the roster is the site's

        self.ops.run(within(engine, read), self.show_lines, self._failed, key="roster")

    def _failed(self, error: Exception) -> None:
        self._say(self.tr("The seats could not be read: %1").replace("%1", in_words(error)))

    def show_lines(self, lines: list[RosterLine]) -> None:
        self.lines = lines
        self.table.setRowCount(len(lines))
        for row, line in enumerate(lines):
            for column, text in enumerate(cells(line)):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.table.setItem(row, column, item)
        if self.engine.dialect.name != "postgresql":
            text = self.tr(
                "The seats write to the site database's roster: show the site database "
                "(Ctrl+Shift+B)."
            )
        elif not lines:
            text = self.tr("No seat has written to the site's roster yet.")
        else:
            stale = sum(1 for line in lines if line.stale)
            troubled = sum(1 for line in lines if line.problems and not line.stale)
            text = (
                self.tr("%1 seat(s): %2 silent, %3 needing attention, %4 OK")
                .replace("%1", str(len(lines)))
                .replace("%2", str(stale))
                .replace("%3", str(troubled))
                .replace("%4", str(len(lines) - stale - troubled))
            )
        self._say(text)

    def _say(self, text: str) -> None:
        if text != self.summary.text():
            self.summary.setText(text)
            self.spoken.emit(text)

    def stop(self) -> None:
        self._timer.stop()
        self.ops.shutdown()
