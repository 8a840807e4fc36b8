"""The supervision's file actions: exporting the contacts shown, the branch sheets, merging
other seats' files, publishing a signed table pack for the whole site, the dashboard as a
PNG. The file is chosen on the GUI thread; everything read or written runs on the
supervision's ops, and its outcome is said (desktop.ui.supervisor.window ``say``).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QObject
from PySide6.QtGui import QImage
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLineEdit,
    QWidget,
)

from desktop import operations
from desktop.files import write_output
from desktop.ui.widgets import named

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from desktop.supervisor.export import ExportReport
    from desktop.ui.ops import Ops
    from desktop.ui.supervisor.dashboard import Dashboard
    from desktop.ui.supervisor.review import ReviewPanel

EXPORT_CHOICES = (
    ("CSV (RFC 4180, UTF-8)", "csv", "rfc4180", "csv"),
    ("CSV Excel (France)", "csv", "excel-fr", "csv"),
    ("Excel (XLSX)", "xlsx", "rfc4180", "xlsx"),
    ("JSON Lines (repli merge)", "jsonl", "rfc4180", "jsonl"),
)


class Supervision(Protocol):
    """What the file actions use of the supervisor's window."""

    engine: Engine  # the store the tabs show: this seat's or the site's
    seat_engine: Engine
    settings: Any
    ops: Ops
    contacts: ReviewPanel
    dashboard: Dashboard

    def say(self, text: str) -> None: ...
    def failed(self, error: Exception) -> None: ...


class SupervisionFiles(QObject):
    def __init__(self, supervision: Supervision, parent: QWidget) -> None:
        super().__init__(parent)
        self.sup, self.parent_widget = supervision, parent

    def export_dialog(self) -> None:
        sup = self.sup
        dialog = ExportDialog(self.parent_widget)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        _label, fmt, dialect, _suffix = EXPORT_CHOICES[dialog.format.currentIndex()]
        path = Path(dialog.path.text()).expanduser()
        engine, where, settings = sup.engine, sup.contacts.current_filter(), sup.settings
        sup.say(self.tr("Exporting…"))

        def work() -> ExportReport:
            from desktop.supervisor.export import export, export_source

            return export(engine, path, fmt, where, dialect, export_source(settings))

        sup.ops.run(work, self._exported, sup.failed)

    def _exported(self, report: ExportReport) -> None:
        self.sup.say(
            self.tr("%1 contacts exported to %2")
            .replace("%1", str(report.contacts))
            .replace("%2", str(report.path))
        )

    def branch_sheets(self) -> None:
        parent = self.parent_widget
        folder = QFileDialog.getExistingDirectory(parent, self.tr("Folder for the branch sheets"))
        if folder:
            self.write_branch_sheets(Path(folder))

    def write_branch_sheets(self, folder: Path) -> None:
        """Read and written off the GUI thread; the status bar says what was written."""
        from desktop.ui.branch_sheets import write_branch_sheets

        sup = self.sup
        engine, where = sup.engine, sup.contacts.current_filter()
        client = sup.settings.client_name or sup.settings.client_id
        sup.say(self.tr("Writing the branch sheets…"))
        sup.ops.run(
            lambda: write_branch_sheets(engine, folder, where, client=client),
            lambda written: sup.say(
                self.tr("%1 branch sheets written to %2")
                .replace("%1", str(len(written)))
                .replace("%2", str(folder))
            ),
            sup.failed,
        )

    def merge_files(self) -> None:
        files, _filter = QFileDialog.getOpenFileNames(
            self.parent_widget,
            self.tr("Exports or seat databases to merge"),
            "",
            self.tr("Repli files (*.jsonl *.sqlite3);;All files (*)"),
        )
        if files:
            self.merge(Path(f) for f in files)

    def merge(self, files: Iterable[Path]) -> None:
        sup = self.sup
        engine, chosen, client = sup.engine, list(files), sup.settings.client_id
        sup.say(self.tr("Merging…"))
        sup.ops.run(
            lambda: operations.merge_files(engine, chosen, client),
            self._merged,
            sup.failed,  # a MergeError says which file and what
        )

    def _merged(self, report: dict[str, Any]) -> None:
        self.sup.say(
            self.tr("Merged: %1 new, %2 already present, %3 conflicting")
            .replace("%1", str(report["new"]))
            .replace("%2", str(report["present"]))
            .replace("%3", str(report["conflicting"]))
        )

    def publish_tables(self) -> None:
        if self.sup.engine is self.sup.seat_engine:
            self.sup.say(self.tr("Switch to the site database first (Ctrl+Shift+B)."))
            return
        folder = QFileDialog.getExistingDirectory(
            self.parent_widget, self.tr("Signed table pack to publish for the whole site")
        )
        if folder:
            self.publish_for_site(Path(folder))

    def publish_for_site(self, folder: Path) -> None:
        """The primary's signed pack in the site database: every seat that follows the site
        verifies it and takes it between two calls (desktop.tables.site_packs)."""
        sup = self.sup
        engine, actor = sup.engine, f"supervisor@{sup.settings.seat_id}"
        sup.ops.run(
            lambda: operations.publish_tables(engine, folder, actor),
            lambda serial: sup.say(
                self.tr("Table pack %1 published for the whole site.").replace("%1", str(serial))
            ),
            sup.failed,
        )

    def save_dashboard(self) -> None:
        dashboard = self.sup.dashboard
        name, _filter = QFileDialog.getSaveFileName(
            self.parent_widget,
            self.tr("Save the dashboard"),
            dashboard.default_png_name(),
            "PNG (*.png)",
        )
        if name:
            self.write_dashboard(Path(name))

    def write_dashboard(self, path: Path) -> None:
        """The dashboard's picture taken now, written on the ops (a share may be slow)."""
        sup, image = self.sup, self.sup.dashboard.snapshot()
        sup.ops.run(
            lambda: write_png(image, path),
            lambda written: sup.say(self.tr("Dashboard saved: %1").replace("%1", str(written))),
            sup.failed,
        )


class ExportDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Export the contacts shown"))
        self.format = named(QComboBox(), "exportFormat")
        for label, *_rest in EXPORT_CHOICES:
            self.format.addItem(label)
        self.path = named(QLineEdit(), "exportPath")
        self.format.currentIndexChanged.connect(self._default_path)
        self._default_path(0)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow(self.tr("&Format"), self.format)
        form.addRow(self.tr("&File"), self.path)
        form.addRow(buttons)

    def _default_path(self, index: int) -> None:
        suffix = EXPORT_CHOICES[index][3]
        folder = Path.home() / "Documents"
        folder = folder if folder.is_dir() else Path.home()
        self.path.setText(str(folder / f"repli-contacts-{datetime.now():%Y%m%d-%H%M}.{suffix}"))


def write_png(image: QImage, path: Path) -> Path:
    """``image`` as a PNG at the path the supervisor chose (QImage may be encoded on any
    thread), written as every file a person names is (desktop.files.write_output: a link's
    target, a FIFO or a device is never replaced)."""
    encoded = QByteArray()
    buffer = QBuffer(encoded)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    # PySide6's stub wants the format as bytes; at run time it takes a str
    if not image.save(buffer, "PNG"):  # type: ignore[call-overload]
        raise OSError(f"{path}: the dashboard could not be encoded as PNG")
    return write_output(path, bytes(encoded.data()))
