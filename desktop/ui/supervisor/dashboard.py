"""The dashboard: charts (QtCharts) of the contacts since a time, refreshed by themselves, and
exportable as a PNG. The figures are computed off the GUI thread."""

from __future__ import annotations

import html
from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QHorizontalBarSeries,
    QPieSeries,
    QValueAxis,
)
from PySide6.QtCore import QMargins, Qt, QTimer
from PySide6.QtGui import QImage, QPainter
from PySide6.QtWidgets import QGridLayout, QLabel, QVBoxLayout, QWidget

from desktop.store.site_calls import in_words, within
from desktop.supervisor.dashboard import Figures, figures
from desktop.ui.ops import Ops
from desktop.ui.texts import outcome_label
from desktop.ui.widgets import named

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from desktop.store.history import ContactFilter

REFRESH_MS = 30_000


class Dashboard(QWidget):
    """The figures are read on the dashboard's own ops (a new source's dashboard replaces
    this one, and a reading this one started reaches no one)."""

    def __init__(self, engine: Engine, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.engine = engine
        self.ops = Ops(self, "repli-dashboard")
        self.where: ContactFilter | None = None
        self.figures: Figures | None = None
        self.summary = named(QLabel(), "dashboardSummary")
        self.summary.setWordWrap(True)
        self.views: dict[str, QChartView] = {}
        grid = QGridLayout()
        for i, (key, title) in enumerate(self._titles().items()):
            view = named(QChartView(), f"chart_{key}")
            view.setAccessibleName(title)  # its figures, once read, as its description
            view.setRenderHint(QPainter.RenderHint.Antialiasing)
            view.setMinimumSize(320, 220)
            view.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # Tab reaches it: its figures said
            self.views[key] = view
            grid.addWidget(view, i // 3, i % 3)
        box = QVBoxLayout(self)
        box.addWidget(self.summary)
        box.addLayout(grid, 1)
        self._timer = QTimer(self, interval=REFRESH_MS)
        self._timer.timeout.connect(self.refresh)
        self._timer.start()

    def stop(self) -> None:
        """No more refreshes (the window closes, or another source replaces this one)."""
        self._timer.stop()
        self.ops.shutdown()

    def set_filter(self, where: ContactFilter) -> None:
        self.where = where
        self.refresh()

    def refresh(self) -> None:
        if self.where is None or not self._timer.isActive():
            return  # nothing to show yet, or stopped
        where, engine = self.where, self.engine
        work = within(engine, lambda: figures(engine, where))
        self.ops.run(work, self.show_figures, self._failed, key="figures")

    def _failed(self, error: Exception) -> None:
        self.summary.setText(
            self.tr("The figures could not be read: %1").replace("%1", in_words(error))
        )

    def show_figures(self, found: Figures) -> None:
        self.figures = found
        backlog = found.sync_backlog
        self.summary.setText(
            self.tr(
                "%1 contacts · callbacks pending: %2 (overdue: %3) · CRM: %4 waiting, %5 rejected"
            )
            .replace("%1", str(found.total))
            .replace("%2", str(found.callbacks_pending))
            .replace("%3", str(found.callbacks_overdue))
            .replace("%4", str(backlog.get("pending", 0)))
            .replace("%5", str(backlog.get("rejected", 0)))
        )
        title = self._titles()
        hours = [(h.astimezone().strftime("%d/%m %Hh"), n) for h, n in found.per_hour[-24:]]
        self._bars("per_hour", title["per_hour"], hours, upright=True)
        self._pie("per_call_type", title["per_call_type"], found.per_call_type)
        self._bars("top_branches", title["top_branches"], found.top_branches, True)
        outcomes = [(outcome_label(k), n) for k, n in found.outcomes]
        self._bars("outcomes", title["outcomes"], outcomes, True)  # long names: read whole
        self._bars("handling", title["handling"], found.handling, upright=True)
        self._bars("per_seat_agent", title["per_seat_agent"], found.per_seat_agent, True)

    def _titles(self) -> dict[str, str]:
        return {
            "per_hour": self.tr("Contacts per hour"),
            "per_call_type": self.tr("Per call type"),
            "top_branches": self.tr("Busiest branches"),
            "outcomes": self.tr("Outcomes"),
            "handling": self.tr("Handling time"),
            "per_seat_agent": self.tr("Per seat and agent"),
        }

    def _chart(self, key: str, title: str) -> QChart:
        chart = QChart()
        chart.setTitle(title)
        chart.legend().hide()
        chart.setMargins(QMargins(4, 4, 4, 4))
        chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
        old = self.views[key].chart()
        self.views[key].setChart(chart)
        if old is not None:
            old.deleteLater()
        return chart

    def _bars(
        self,
        key: str,
        title: str,
        values: list[tuple[str, int]],
        horizontal: bool = False,
        upright: bool = False,
    ) -> None:
        """``upright``: the categories' labels written upwards, so that a long one ("01/12
        14h", "1-2 min") is read whole under a narrow bar instead of being cut to "…"."""
        chart = self._chart(key, title)
        self._say_figures(key, title, values)
        if horizontal:  # the first category is drawn at the bottom: the largest on top
            values = list(reversed(values))
        bars = QBarSet(title)
        bars.append([float(n) for _k, n in values])
        series = QHorizontalBarSeries() if horizontal else QBarSeries()
        series.append(bars)
        series.setLabelsVisible(True)
        chart.addSeries(series)
        categories = QBarCategoryAxis()
        labels = [html.escape(str(k)[:28]) for k, _n in values]  # Qt reads them as HTML: "<30 s"
        if horizontal:  # beside a bar, a long one on two lines
            labels = [_two_lines(label) for label in labels]
        categories.append(labels)
        if upright:
            categories.setLabelsAngle(-90)
        counts = QValueAxis()
        counts.setLabelFormat("%d")
        counts.setRange(0, max([n for _k, n in values] + [1]) * 1.1)
        counts.applyNiceNumbers()
        category_side = Qt.AlignmentFlag.AlignLeft if horizontal else Qt.AlignmentFlag.AlignBottom
        value_side = Qt.AlignmentFlag.AlignBottom if horizontal else Qt.AlignmentFlag.AlignLeft
        chart.addAxis(categories, category_side)
        chart.addAxis(counts, value_side)
        series.attachAxis(categories)
        series.attachAxis(counts)

    def _pie(self, key: str, title: str, values: list[tuple[str, int]]) -> None:
        chart = self._chart(key, title)
        self._say_figures(key, title, values)
        series = QPieSeries()
        for label, count in values:
            series.append(html.escape(f"{label} ({count})"), float(count))
        chart.addSeries(series)
        # the names beside the pie, whole (written around it, they were cut to "…")
        chart.legend().setAlignment(Qt.AlignmentFlag.AlignRight)
        chart.legend().show()

    def _say_figures(self, key: str, title: str, values: list[tuple[str, int]]) -> None:
        """A chart's text equivalent: its title as its name, its figures as its description
        ("04/12 09h : 3 ; 04/12 10h : 5"), read by a screen reader when Tab reaches it."""
        view = self.views[key]
        view.setAccessibleName(title)
        figures = " ; ".join(f"{label} : {count}" for label, count in values)
        view.setAccessibleDescription(figures or self.tr("no contact"))

    def snapshot(self) -> QImage:
        """The dashboard as it is shown (taken on the GUI thread; written off it)."""
        return self.grab().toImage()

    def default_png_name(self) -> str:
        return f"repli-tableau-de-bord-{datetime.now():%Y%m%d-%H%M}.png"


WRAP_AT = 14  # a bar's name longer than this goes on two lines (one line was cut to "…")


def _two_lines(label: str) -> str:
    """``label`` (HTML) cut at the space nearest its middle, when it is long."""
    spaces = [i for i, ch in enumerate(label) if ch == " "]
    if len(label) <= WRAP_AT or not spaces:
        return label
    cut = min(spaces, key=lambda i: abs(i - len(label) / 2))
    return f"{label[:cut]}<br>{label[cut + 1 :]}"
