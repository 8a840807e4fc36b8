"""The exercise tab: switch the seat's mode, and the exercise report (in the window, as PDF
and as XLSX)."""

from __future__ import annotations

import html
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.config import Mode
from desktop.files import output_file
from desktop.store.site_calls import in_words, within
from desktop.supervisor.exercise_report import SeatFigures, report
from desktop.ui.ops import Ops
from desktop.ui.texts import mode_label
from desktop.ui.widgets import named

if TYPE_CHECKING:
    from sqlalchemy import Engine


class ExerciseTab(QWidget):
    """Signals: ``written(object)`` with the path of a report written, ``failed(str)``.
    The report is read, and written, on the tab's own ops."""

    written = Signal(object)
    failed = Signal(str)

    def __init__(
        self,
        engine: Engine,
        mode: str,
        set_mode: Callable[[str], None],
        site: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        """``site``: the supervision shows the site database; the mode applies to every seat
        that delivers to it."""
        super().__init__(parent)
        self.site = site
        self.engine = engine
        self.ops = Ops(self, "repli-exercise")
        self.set_mode = set_mode
        self.rows: list[SeatFigures] = []
        self.mode = named(QComboBox(), "seatMode")
        for value in Mode:
            self.mode.addItem(mode_label(value.value), value.value)
        self.mode.setCurrentIndex(self.mode.findData(mode))
        self.mode_label = QLabel()
        self.mode_label.setBuddy(self.mode)
        self.apply = named(QPushButton(), "applyMode")
        self.apply.clicked.connect(lambda: self.set_mode(self.mode.currentData()))
        self.table = named(QTableWidget(0, 8), "exerciseReport")
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.pdf_button = named(QPushButton(), "reportPdf")
        self.pdf_button.clicked.connect(lambda: self._save_report("pdf"))
        self.xlsx_button = named(QPushButton(), "reportXlsx")
        self.xlsx_button.clicked.connect(lambda: self._save_report("xlsx"))
        self.table.verticalHeader().hide()
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        top = QHBoxLayout()
        top.addWidget(self.mode_label)
        top.addWidget(self.mode)
        top.addWidget(self.apply)
        top.addStretch(1)
        top.addWidget(self.pdf_button)
        top.addWidget(self.xlsx_button)
        box = QVBoxLayout(self)
        box.addLayout(top)
        box.addWidget(self.hint)
        box.addWidget(self.table, 1)
        self.retranslate()
        self.refresh()

    def retranslate(self) -> None:
        if self.site:
            self.mode_label.setText(self.tr("The whole site's &mode:"))
            self.apply.setText(self.tr("&Apply the mode to every seat"))
        else:
            self.mode_label.setText(self.tr("This seat's &mode:"))
            self.apply.setText(self.tr("&Apply the mode"))
        self.pdf_button.setText(self.tr("Report as P&DF…"))
        self.table.setAccessibleName(self.tr("Exercise report"))
        self.xlsx_button.setText(self.tr("Report as &XLSX…"))
        self.hint.setText(
            self.tr(
                "In exercise mode the agent window says EXERCISE everywhere, and contacts are"
                " marked exercise: they go only to exercise sync targets and stay out of"
                " exports unless asked for. Scripted calls: repli drill --script FILE."
                " The report covers the exercise contacts of every seat this store holds."
            )
        )
        self.table.setHorizontalHeaderLabels(headers())

    def refresh(self) -> None:
        engine = self.engine
        self.ops.run(within(engine, lambda: report(engine)), self._show, self._failed, key="report")

    def stop(self) -> None:
        self.ops.shutdown()

    def _failed(self, error: Exception) -> None:
        self.failed.emit(in_words(error))

    def _show(self, rows: list[SeatFigures]) -> None:
        self.rows = rows
        self.table.setRowCount(len(self.rows))
        for r, seat in enumerate(self.rows):
            for column, text in enumerate(cells(seat)):
                self.table.setItem(r, column, QTableWidgetItem(text))

    def _save_report(self, kind: str) -> None:
        from PySide6.QtWidgets import QFileDialog

        name = f"repli-rapport-exercice-{datetime.now():%Y%m%d-%H%M}.{kind}"
        chosen, _filter = QFileDialog.getSaveFileName(self, self.tr("Save the report"), name)
        if chosen:
            (self.write_pdf if kind == "pdf" else self.write_xlsx)(Path(chosen))

    def write_pdf(self, path: Path) -> None:
        from desktop.ui.branch_sheets import write_pdf

        page = report_html(self.rows)
        self.ops.run(
            lambda: write_pdf(path, page), lambda _r: self.written.emit(path), self._failed
        )

    def write_xlsx(self, path: Path) -> None:
        rows = list(self.rows)
        self.ops.run(
            lambda: _write_xlsx(path, rows), lambda _r: self.written.emit(path), self._failed
        )


def _write_xlsx(path: Path, rows: list[SeatFigures]) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Exercice"
    sheet.append(xlsx_headers())
    for seat in rows:
        sheet.append(values(seat))
    sheet.freeze_panes = "A2"
    with output_file(path, mode=0o600) as out:
        book.save(out)


def headers() -> list[str]:
    return [
        QCoreApplication.translate("ExerciseTab", "Seat"),
        QCoreApplication.translate("ExerciseTab", "First contact after start"),
        QCoreApplication.translate("ExerciseTab", "Contacts"),
        QCoreApplication.translate("ExerciseTab", "Median handling"),
        QCoreApplication.translate("ExerciseTab", "Several candidates"),
        QCoreApplication.translate("ExerciseTab", "Screen pops"),
        QCoreApplication.translate("ExerciseTab", "Agents"),
        QCoreApplication.translate("ExerciseTab", "Tables"),
    ]


def xlsx_headers() -> list[str]:
    return [*headers(), QCoreApplication.translate("ExerciseTab", "Tables age (days)")]


def values(seat: SeatFigures) -> list[object]:
    return [
        seat.seat_id,
        seat.time_to_first_contact_s,
        seat.contacts,
        seat.median_handling_s,
        seat.several_candidates,
        seat.pops,
        seat.agents,
        seat.tables_version,
        round(seat.tables_age_days, 1) if seat.tables_age_days is not None else None,
    ]


def cells(seat: SeatFigures) -> list[str]:
    def duration(seconds: float | None) -> str:
        if seconds is None:
            return "—"
        minutes, rest = divmod(round(seconds), 60)
        return f"{minutes} min {rest:02d} s" if minutes else f"{rest} s"

    return [
        seat.seat_id,
        duration(seat.time_to_first_contact_s),
        str(seat.contacts),
        duration(seat.median_handling_s),
        str(seat.several_candidates),
        str(seat.pops),
        str(seat.agents),
        seat.tables_version
        + (
            ""
            if seat.tables_age_days is None
            else " "
            + QCoreApplication.translate("ExerciseTab", "(%1 days old)").replace(
                "%1", f"{seat.tables_age_days:.0f}"
            )
        ),
    ]


def report_html(rows: list[SeatFigures]) -> str:
    title = QCoreApplication.translate("ExerciseTab", "Failover exercise report")
    head = "".join(f"<th>{html.escape(h)}</th>" for h in headers())
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in cells(seat)) + "</tr>"
        for seat in rows
    )
    return (
        "<html><body style='font-family: sans-serif; font-size: 9pt'>"
        f"<h1>{html.escape(title)}</h1>"
        "<table border='1' cellspacing='0' cellpadding='4' width='100%'>"
        f"<thead><tr>{head}</tr></thead>{body}</table></body></html>"
    )
