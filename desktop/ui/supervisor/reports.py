"""The supervision's Rapports tab (Ctrl+6): the client's signed failback report for a period
(optionally queueing again what a target lacks) and the site's drill report, as the command
line makes them (desktop.failback.files): the JSON, signed, and its PDF or XLSX beside it.
Everything is read and written on the tab's ops; the outcome is said in words."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QDate, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.store.site_calls import in_words
from desktop.ui.ops import Ops
from desktop.ui.widgets import named

if TYPE_CHECKING:
    from collections.abc import Callable

    from sqlalchemy import Engine

    from desktop.failback.files import Written


def summary(document: dict[str, Any]) -> str:
    """The report's outcome in a sentence, in the interface's language."""
    from desktop.ui import drill_render, failback_render

    if str(document.get("schema", "")).startswith("repli.drill-report"):
        return drill_render.verdict_text(document["verdict"])
    totals = document["totals"]
    return (
        failback_render.verdict_text(document["verdict"])
        + " — "
        + QCoreApplication.translate("ReportsTab", "%1 revision(s), %2 to send again")
        .replace("%1", str(totals["taken"] or 0))
        .replace("%2", str(totals["to_resend"]))
    )


class ReportsTab(QWidget):
    """Signals: ``written(object)`` with the report's path, ``failed(str)``, ``spoken(str)``."""

    written = Signal(object)
    failed = Signal(str)
    spoken = Signal(str)

    def __init__(
        self,
        engine: Engine,
        settings: Any,
        key_folder: Path | None,
        today: Callable[[], date] = lambda: datetime.now(UTC).date(),
        parent: QWidget | None = None,
    ) -> None:
        """``engine``: this seat's store; ``key_folder``: where the site's key is looked for
        when ``report_signing_key`` is not set."""
        super().__init__(parent)
        self.engine = engine
        self.settings = settings
        self.key_folder = key_folder
        self.ops = Ops(self, "repli-reports")
        self.last: dict[str, Any] | None = None
        day = today()
        self.since = named(QDateEdit(QDate(day.year, day.month, day.day).addDays(-7)), "since")
        self.until = named(QDateEdit(QDate(day.year, day.month, day.day)), "until")
        for edit in (self.since, self.until):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("dd/MM/yyyy")
        self.resend = named(QCheckBox(), "resend")
        self.failback_pdf = named(QPushButton(), "failbackPdf")
        self.failback_pdf.clicked.connect(lambda: self._ask("failback", "pdf"))
        self.failback_xlsx = named(QPushButton(), "failbackXlsx")
        self.failback_xlsx.clicked.connect(lambda: self._ask("failback", "xlsx"))
        self.drill_pdf = named(QPushButton(), "drillPdf")
        self.drill_pdf.clicked.connect(lambda: self._ask("drill", "pdf"))
        self.outcome = named(QLabel(), "reportOutcome")
        self.outcome.setWordWrap(True)
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.since_label, self.until_label = QLabel(), QLabel()
        self.since_label.setBuddy(self.since)
        self.until_label.setBuddy(self.until)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        form.addRow(self.since_label, self.since)
        form.addRow(self.until_label, self.until)
        form.addRow(self.resend)
        buttons = QHBoxLayout()
        for button in (self.failback_pdf, self.failback_xlsx, self.drill_pdf):
            buttons.addWidget(button)
        buttons.addStretch(1)
        box = QVBoxLayout(self)
        box.addWidget(self.hint)
        box.addLayout(form)
        box.addLayout(buttons)
        box.addWidget(self.outcome)
        box.addStretch(1)
        self.retranslate()

    def retranslate(self) -> None:
        self.hint.setText(
            self.tr(
                "The failback report proves, seat by seat and day by day (UTC), what the backup"
                " site took and what reached the client's CRM; the drill report gives the"
                " site's last drill one verdict. Each is a JSON file signed with the site's"
                " key, with its PDF or XLSX beside it."
            )
        )
        self.since_label.setText(self.tr("&From (UTC day):"))
        self.until_label.setText(self.tr("&To (UTC day, included):"))
        self.resend.setText(self.tr("&Queue again what a target lacks"))
        self.failback_pdf.setText(self.tr("&Failback report (PDF)…"))
        self.failback_xlsx.setText(self.tr("Failback report (XLS&X)…"))
        self.drill_pdf.setText(self.tr("Site &drill report (PDF)…"))
        self.outcome.setAccessibleName(self.tr("Last report"))

    def _ask(self, kind: str, suffix: str) -> None:
        name = f"repli-{'retour' if kind == 'failback' else 'exercice-site'}.{suffix}"
        chosen, _filter = QFileDialog.getSaveFileName(self, self.tr("Save the report"), name)
        if chosen:
            self.write(kind, Path(chosen))

    def period(self) -> tuple[datetime, datetime]:
        first, last = self.since.date().toPython(), self.until.date().toPython()
        since = datetime.combine(first, time.min, tzinfo=UTC)  # type: ignore[arg-type]
        until = datetime.combine(last, time.min, tzinfo=UTC) + timedelta(days=1)  # type: ignore[arg-type]
        return since, until

    def write(self, kind: str, path: Path) -> None:
        """The report written at ``path`` (with its JSON and signatures), off the GUI thread."""
        from desktop.failback.files import drill_files, failback_files, signing_key
        from desktop.ui.report_files import render

        settings, engine, folder = self.settings, self.engine, self.key_folder
        since, until = self.period()
        resend = self.resend.isChecked()
        language = "fr"  # unused here: the window's own translations render it

        def work() -> Written:
            # no terminal here: a key with a password is refused, and the tab says why
            key = signing_key(None, settings.report_signing_key, folder or Path.cwd(), ask=False)
            if kind == "drill":
                return drill_files(settings, engine, None, None, key=key, out=path,
                                   language=language, render=render)  # fmt: skip
            return failback_files(settings, engine, since, until, exercise=False, key=key,
                                  out=path, language=language, render=render, resend=resend)  # fmt: skip

        self.outcome.setText(self.tr("Writing the report…"))
        self.ops.run(work, lambda done: self._written(done, path), self._failed, key="report")

    def _written(self, done: Written, path: Path) -> None:
        self.last = done.document
        text = summary(done.document)
        if done.here or done.asked:
            text += " — " + self.tr("queued again: %1 here, %2 asked of other seats").replace(
                "%1", str(done.here)
            ).replace("%2", str(sum(done.asked.values())))
        self.outcome.setText(text)
        self.spoken.emit(text)
        self.written.emit(path)

    def _failed(self, error: Exception) -> None:
        text = in_words(error) if not isinstance(error, ValueError | OSError) else str(error)
        self.outcome.setText(self.tr("The report was not written: %1").replace("%1", text))
        self.failed.emit(text)

    def stop(self) -> None:
        self.ops.shutdown()
