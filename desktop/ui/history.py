"""Today's contacts (or all of them), newest first, searchable, fetched page by page."""

from __future__ import annotations

from collections import OrderedDict
from datetime import datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QCoreApplication,
    QEvent,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop import phone
from desktop.changes import Changes
from desktop.ui.ops import Ops, changes_hub
from desktop.ui.texts import outcome_label
from desktop.ui.widgets import named

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from desktop.store import history

Index = QModelIndex | QPersistentModelIndex
PAGE_SIZE = 200
SYNC_LABELS = {
    "delivered": str(QT_TRANSLATE_NOOP("HistoryModel", "✔ sent")),
    "pending": str(QT_TRANSLATE_NOOP("HistoryModel", "waiting")),
    "rejected": str(QT_TRANSLATE_NOOP("HistoryModel", "✖ rejected")),
    "": str(QT_TRANSLATE_NOOP("HistoryModel", "waiting")),
}
CACHED_PAGES = 40


def _tr(text: str) -> str:
    return QCoreApplication.translate("HistoryModel", text)


class HistoryModel(QAbstractTableModel):
    """Rows are fetched in pages on demand, off the GUI thread (a row not read yet shows
    empty for the moment its page takes), and a bounded number of pages is kept."""

    IdRole = Qt.ItemDataRole.UserRole + 1
    HEADERS: tuple[str, ...] = (
        str(QT_TRANSLATE_NOOP("HistoryModel", "Time")),
        str(QT_TRANSLATE_NOOP("HistoryModel", "Branch")),
        str(QT_TRANSLATE_NOOP("HistoryModel", "Type")),
        str(QT_TRANSLATE_NOOP("HistoryModel", "Caller")),
        str(QT_TRANSLATE_NOOP("HistoryModel", "Name")),
        str(QT_TRANSLATE_NOOP("HistoryModel", "Subject")),
        str(QT_TRANSLATE_NOOP("HistoryModel", "Outcome")),
        str(QT_TRANSLATE_NOOP("HistoryModel", "Rev.")),
        str(QT_TRANSLATE_NOOP("HistoryModel", "CRM")),
    )

    def __init__(self, engine: Engine | None = None, region: str = "FR") -> None:
        super().__init__()
        self._engine = engine
        self._region = region
        self._filter: history.ContactFilter | None = None
        self._count = 0
        self._pages: OrderedDict[int, list[history.HistoryRow]] = OrderedDict()
        self._ops: Ops | None = None
        self._requested: set[int] = set()  # pages on their way

    def attach(self, engine: Engine, ops: Ops, count: bool = True) -> None:
        """Read through ``ops``. ``count=False``: the caller reads the rows itself (``adopt``)."""
        self._engine = engine
        self._ops = ops
        if count:
            self.refresh()

    def adopt(
        self, where: history.ContactFilter, count: int, first: list[history.HistoryRow]
    ) -> None:
        """Show ``where``'s rows, counted and first page read elsewhere (off the GUI thread)."""
        self.beginResetModel()
        self._filter = where
        self._pages.clear()
        for number in self._requested:  # pages of the rows before: no longer wanted
            if self._ops is not None:
                self._ops.forget(f"history-page-{number}")
        self._requested.clear()
        self._count = count
        if first:
            self._pages[0] = first
        self.endResetModel()

    def set_filter(self, where: history.ContactFilter) -> None:
        self._filter = where
        self.refresh()

    def refresh(self) -> None:
        """Count the rows and read the first page again, then show them (``adopt``)."""
        from desktop.store import history as history_store

        engine, ops = self._engine, self._ops
        if engine is None or ops is None:
            return
        where = self._filter or history_store.ContactFilter()

        def work() -> tuple[int, list[history.HistoryRow]]:
            return history_store.count(engine, where), history_store.page(
                engine, where, 0, PAGE_SIZE
            )

        ops.run(work, lambda read: self.adopt(where, *read), key="history-rows")

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._count

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return QCoreApplication.translate(type(self).__name__, self.HEADERS[section])
        return None  # HEADERS are marked for translation in the context of the class

    def row_at(self, row: int) -> history.HistoryRow | None:
        if not 0 <= row < self._count:
            return None
        number, offset = divmod(row, PAGE_SIZE)
        rows = self._pages.get(number)
        if rows is None:
            self._request(number)
            return None
        self._pages.move_to_end(number)
        return rows[offset] if offset < len(rows) else None

    def _request(self, number: int) -> None:
        from desktop.store import history as history_store

        engine, ops, where = self._engine, self._ops, self._filter
        if engine is None or ops is None or where is None or number in self._requested:
            return
        self._requested.add(number)
        ops.run(
            lambda: history_store.page(engine, where, number * PAGE_SIZE, PAGE_SIZE),
            lambda rows: self._page_read(number, rows),
            key=f"history-page-{number}",
        )

    def _page_read(self, number: int, rows: list[history.HistoryRow]) -> None:
        self._requested.discard(number)
        self._pages[number] = rows
        if len(self._pages) > CACHED_PAGES:
            self._pages.popitem(last=False)
        first = number * PAGE_SIZE
        last = min(self._count, first + PAGE_SIZE) - 1
        if last >= first:
            self.dataChanged.emit(self.index(first, 0), self.index(last, len(self.HEADERS) - 1))

    @property
    def cached_pages(self) -> int:
        return len(self._pages)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.row_at(index.row())
        if row is None:
            return None
        if role == self.IdRole:
            return row.id
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, index.column())
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == 0:
            return row.created_at.astimezone().strftime("%d/%m/%Y %H:%M:%S")
        return None

    def _display(self, row: history.HistoryRow, column: int) -> str:
        if column == 0:
            return row.created_at.astimezone().strftime("%H:%M")
        if column == 3:
            return phone.display_stored(row.caller_number, self._region)
        if column == 6:
            return ("⚠ " if row.urgent else "") + outcome_label(row.outcome)
        values = (None, row.branch_name, row.call_type or "", None, row.caller_name, row.subject)
        if column < len(values):
            return str(values[column])
        if column == 8:
            return _tr(SYNC_LABELS.get(row.sync, SYNC_LABELS[""]))
        return str(row.revision)


class HistoryPanel(QWidget):
    """Signals: ``correctionRequested(str)`` with the id of the contact to correct."""

    correctionRequested = Signal(str)
    leaveRequested = Signal()

    def __init__(self, region: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.search_key = "Ctrl+F"  # the page names the real key (desktop.keys)
        self.model = HistoryModel(None, region)
        self.search = named(QLineEdit(), "historySearch")
        self.search.setClearButtonEnabled(True)
        self.all_days = named(QCheckBox(), "historyAllDays")
        self.title = named(QLabel(), "historyTitle")
        self.view = named(QTableView(), "historyView")
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setTabKeyNavigation(False)
        self.view.setAlternatingRowColors(True)
        rows = self.view.verticalHeader()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(24)
        rows.hide()
        header = self.view.horizontalHeader()
        header.setStretchLastSection(False)
        # Fixed widths: sizing to contents would read every row of a million-row model.
        for column, width in ((0, 60), (2, 60), (3, 130), (4, 160), (6, 190), (7, 50), (8, 90)):
            header.resizeSection(column, width)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(5, QHeaderView.ResizeMode.Stretch)
        self.view.activated.connect(self._activated)
        self._debounce = QTimer(self, singleShot=True, interval=200)
        self._debounce.timeout.connect(self.apply_filter)
        self.search.textChanged.connect(lambda _t: self._debounce.start())
        self.all_days.toggled.connect(lambda _c: self.apply_filter())
        self.search.returnPressed.connect(self._enter_list)
        self.model.modelReset.connect(self._reset)
        self.view.installEventFilter(self)
        self._parked_row = -1
        changes_hub().changed.connect(self._changed)
        self._layout()
        self.retranslate()

    def _layout(self) -> None:
        top = QHBoxLayout()
        top.addWidget(self.title)
        top.addStretch(1)
        top.addWidget(self.search, 2)
        top.addWidget(self.all_days)
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.addLayout(top)
        box.addWidget(self.view)

    def retranslate(self) -> None:
        self.title.setText(
            self.tr("Today's contacts (%1 to search, Enter to correct)").replace(
                "%1", self.search_key
            )
        )
        self.search.setPlaceholderText(self.tr("Search names, numbers, notes…"))
        self.search.setAccessibleName(self.tr("Search the history"))
        self.view.setAccessibleName(self.tr("Contact history"))
        self.all_days.setText(self.tr("&All days (Alt+A)"))
        self.all_days.setAccessibleName(self.tr("Contacts of all days"))

    def attach(self, engine: Engine, ops: Ops) -> None:
        self.model.attach(engine, ops)

    def apply_filter(self) -> None:
        from desktop.store.history import ContactFilter

        since = None if self.all_days.isChecked() else _start_of_today()
        self.model.set_filter(ContactFilter(since=since, text=self.search.text()))

    def refresh(self) -> None:
        self.model.refresh()

    def _changed(self, changes: Changes) -> None:
        if changes.contacts or changes.targets:  # a contact, or its CRM column
            self.refresh()

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def _enter_list(self) -> None:
        self.view.setFocus()
        self._select_first()

    def _select_first(self) -> None:
        if self.model.rowCount() and not self.view.currentIndex().isValid():
            self.view.setCurrentIndex(self.model.index(0, 0))

    def _reset(self) -> None:
        self._parked_row = -1
        if self.view.hasFocus():
            self._select_first()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """The table has a current cell only while it has the focus: a current cell reports
        itself focused to screen readers, and Orca read the history at start instead of the
        digits field the agent was in. Its row is kept for when the agent comes back."""
        if watched is self.view:
            if event.type() == QEvent.Type.FocusOut:
                current = self.view.currentIndex()
                self._parked_row = current.row() if current.isValid() else -1
                self.view.selectionModel().setCurrentIndex(
                    QModelIndex(), QItemSelectionModel.SelectionFlag.NoUpdate
                )
            elif event.type() == QEvent.Type.FocusIn and self._parked_row >= 0:
                row = min(self._parked_row, self.model.rowCount() - 1)
                if row >= 0 and not self.view.currentIndex().isValid():
                    self.view.setCurrentIndex(self.model.index(row, 0))
        return super().eventFilter(watched, event)

    def _activated(self, index: QModelIndex) -> None:
        contact_id = self.model.data(index, HistoryModel.IdRole)
        if contact_id:
            self.correctionRequested.emit(contact_id)

    def keyPressEvent(self, event: Any) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.leaveRequested.emit()
            return
        super().keyPressEvent(event)


def _start_of_today() -> datetime:
    return datetime.now().astimezone().replace(hour=0, minute=0, second=0, microsecond=0)
