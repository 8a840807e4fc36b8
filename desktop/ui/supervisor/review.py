"""All the contacts (the seat's, or the site's), filtered, with each contact's revisions and
the supervisor's corrections (a correction is a new revision, like an agent's)."""

from __future__ import annotations

import html
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QCoreApplication,
    QDate,
    QDateTime,
    QModelIndex,
    Qt,
    QTime,
    QTimer,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from desktop import operations, phone
from desktop.contacts import ContactData, Outcome, changed_fields, utc_now
from desktop.store.history import ContactFilter, HistoryRow
from desktop.store.site_calls import in_words, within
from desktop.ui.history import PAGE_SIZE, SYNC_LABELS, HistoryModel
from desktop.ui.ops import Ops
from desktop.ui.texts import OUTCOMES, mode_label, outcome_label
from desktop.ui.widgets import named

if TYPE_CHECKING:
    from sqlalchemy import Engine


class ReviewModel(HistoryModel):
    HEADERS: tuple[str, ...] = (
        str(QT_TRANSLATE_NOOP("ReviewModel", "Date")),
        str(QT_TRANSLATE_NOOP("ReviewModel", "Seat")),
        str(QT_TRANSLATE_NOOP("ReviewModel", "Agent")),
        str(QT_TRANSLATE_NOOP("ReviewModel", "Branch")),
        str(QT_TRANSLATE_NOOP("ReviewModel", "Type")),
        str(QT_TRANSLATE_NOOP("ReviewModel", "Caller")),
        str(QT_TRANSLATE_NOOP("ReviewModel", "Name")),
        str(QT_TRANSLATE_NOOP("ReviewModel", "Subject")),
        str(QT_TRANSLATE_NOOP("ReviewModel", "Outcome")),
        str(QT_TRANSLATE_NOOP("ReviewModel", "Callback")),
        str(QT_TRANSLATE_NOOP("ReviewModel", "Mode")),
        str(QT_TRANSLATE_NOOP("ReviewModel", "Rev.")),
        str(QT_TRANSLATE_NOOP("ReviewModel", "CRM")),
    )

    def _display(self, row: HistoryRow, column: int) -> str:
        return str(CELLS[column](row))  # only the column asked for: painting calls it per cell


# What each column shows, in HEADERS' order
CELLS: tuple[Callable[[HistoryRow], object], ...] = (
    lambda row: _date(row.created_at),
    lambda row: row.seat_id,
    lambda row: row.agent,
    lambda row: row.branch_name,
    lambda row: row.call_type or "",
    lambda row: phone.display_stored(row.caller_number),
    lambda row: row.caller_name,
    lambda row: row.subject,
    lambda row: ("⚠ " if row.urgent else "") + outcome_label(row.outcome),
    lambda row: _callback(row),
    lambda row: mode_label(row.mode) if row.mode == "exercise" else "",
    lambda row: row.revision,
    lambda row: QCoreApplication.translate("HistoryModel", SYNC_LABELS.get(row.sync, "")),
)


def _date(value: datetime | None) -> str:
    return value.astimezone().strftime("%d/%m %H:%M") if value else ""


def _callback(row: HistoryRow) -> str:
    if row.outcome != Outcome.CALLBACK or row.callback_at is None:
        return ""
    if row.callback_done_at is not None:
        return QCoreApplication.translate("ReviewModel", "done %1").replace(
            "%1", _date(row.callback_done_at)
        )
    if row.callback_at < utc_now():
        return QCoreApplication.translate("ReviewModel", "late %1").replace(
            "%1", _date(row.callback_at)
        )
    return _date(row.callback_at)


PERIODS = (
    (str(QT_TRANSLATE_NOOP("ReviewPanel", "Today")), 0),
    (str(QT_TRANSLATE_NOOP("ReviewPanel", "Last 7 days")), 7),
    (str(QT_TRANSLATE_NOOP("ReviewPanel", "All")), -1),
    (str(QT_TRANSLATE_NOOP("ReviewPanel", "From … to …")), -2),  # the two dates below
)
CALLBACKS = (
    (str(QT_TRANSLATE_NOOP("ReviewPanel", "All contacts")), ""),
    (str(QT_TRANSLATE_NOOP("ReviewPanel", "Callbacks pending")), "pending"),
    (str(QT_TRANSLATE_NOOP("ReviewPanel", "Callbacks overdue")), "overdue"),
    (str(QT_TRANSLATE_NOOP("ReviewPanel", "Callbacks done")), "done"),
)
EXERCISE = (
    (str(QT_TRANSLATE_NOOP("ReviewPanel", "Without exercise")), "exclude"),
    (str(QT_TRANSLATE_NOOP("ReviewPanel", "With exercise")), "include"),
    (str(QT_TRANSLATE_NOOP("ReviewPanel", "Exercise only")), "only"),
)
SYNC = (
    (str(QT_TRANSLATE_NOOP("ReviewPanel", "Any CRM state")), ""),
    (str(QT_TRANSLATE_NOOP("ReviewPanel", "Delivered")), "delivered"),
    (str(QT_TRANSLATE_NOOP("ReviewPanel", "Waiting")), "pending"),
    (str(QT_TRANSLATE_NOOP("ReviewPanel", "Rejected")), "rejected"),
    (str(QT_TRANSLATE_NOOP("ReviewPanel", "Not queued")), "none"),
)


class ReviewPanel(QWidget):
    """Filters, the table (a million rows scroll: pages fetched on demand), and the chosen
    contact's revisions with a correction form. ``callbacks=True``: the callbacks list
    (pending first, the soonest due first), where Ctrl+D marks one done."""

    def __init__(
        self, engine: Engine, actor: str, callbacks: bool = False, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.engine = engine
        self.actor = actor
        self.callbacks_view = callbacks
        self.ops = Ops(self, "repli-review")  # the lists' reads, on their own thread
        self.model = ReviewModel(None)
        self.search = named(QLineEdit(), "reviewSearch")
        self.search.setClearButtonEnabled(True)
        self._debounce = QTimer(self, singleShot=True, interval=200)
        self._debounce.timeout.connect(self.apply_filter)
        self.period = self._combo("reviewPeriod", PERIODS)
        midnight = QDateTime(QDate.currentDate(), QTime(0, 0))
        self.since = named(QDateTimeEdit(midnight), "reviewSince")
        self.until = named(QDateTimeEdit(midnight.addDays(1)), "reviewUntil")
        for when in (self.since, self.until):
            when.setDisplayFormat("dd/MM/yyyy HH:mm")
            when.setCalendarPopup(True)
            when.setEnabled(False)
            when.dateTimeChanged.connect(lambda _d: self._debounce.start())
        self.callback = self._combo("reviewCallback", CALLBACKS)
        self.exercise = self._combo("reviewExercise", EXERCISE)
        self.sync = self._combo("reviewSync", SYNC)
        self.outcome = named(QComboBox(), "reviewOutcome")
        self.outcome.addItem("", "")
        for value in OUTCOMES:
            self.outcome.addItem("", value)
        self.branch = named(QLineEdit(), "reviewBranch")
        self.agent = named(QLineEdit(), "reviewAgent")
        self.seat = named(QLineEdit(), "reviewSeat")
        self.call_type = named(QLineEdit(), "reviewCallType")
        self.urgent = named(QCheckBox(), "reviewUrgent")
        self.count = named(QLabel(), "reviewCount")
        self.view = named(QTableView(), "reviewView")
        self.details = ContactDetails(engine, actor, self.ops)
        self._setup_view()
        for edit in (self.search, self.branch, self.agent, self.seat, self.call_type):
            edit.textChanged.connect(lambda _t: self._debounce.start())
        for combo in (self.period, self.callback, self.exercise, self.sync, self.outcome):
            combo.currentIndexChanged.connect(lambda _i: self.apply_filter())
        self.urgent.toggled.connect(lambda _c: self.apply_filter())
        self.search.returnPressed.connect(self.view.setFocus)
        if callbacks:
            self.callback.setCurrentIndex(1)
            self.period.setCurrentIndex(2)
        self._layout()
        self.retranslate()
        self.model.attach(engine, self.ops, count=False)
        self.apply_filter()

    def _combo(self, name: str, items: tuple[tuple[str, Any], ...]) -> QComboBox:
        combo = named(QComboBox(), name)
        for _label, value in items:
            combo.addItem("", value)
        combo.setProperty("labels", [label for label, _v in items])
        return combo

    def _setup_view(self) -> None:
        view = self.view
        view.setModel(self.model)
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        view.setTabKeyNavigation(False)
        view.setAlternatingRowColors(True)
        rows = view.verticalHeader()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(24)
        rows.hide()
        header = view.horizontalHeader()
        widths = (105, 55, 80, 170, 55, 120, 120, 150, 175, 140, 85, 40, 90)
        for column, width in enumerate(widths):
            header.resizeSection(column, width)  # never to contents: a million rows
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(7, QHeaderView.ResizeMode.Stretch)
        view.selectionModel().currentRowChanged.connect(self._current_changed)

    def _layout(self) -> None:
        self.labels: dict[str, QLabel] = {}
        grid = QGridLayout()
        fields = (
            ("search", self.search),
            ("period", self.period),
            ("outcome", self.outcome),
            ("callback", self.callback),
            ("exercise", self.exercise),
            ("sync", self.sync),
            ("branch", self.branch),
            ("call_type", self.call_type),
            ("agent", self.agent),
            ("seat", self.seat),
        )
        for i, (key, widget) in enumerate(fields):
            label = QLabel()
            label.setBuddy(widget)
            self.labels[key] = label
            grid.addWidget(label, i // 5 * 2, i % 5)
            grid.addWidget(widget, i // 5 * 2 + 1, i % 5)
        bottom = QHBoxLayout()
        for key, edit in (("since", self.since), ("until", self.until)):
            label = QLabel()
            label.setBuddy(edit)
            self.labels[key] = label
            bottom.addWidget(label)
            bottom.addWidget(edit)
        bottom.addSpacing(20)
        bottom.addWidget(self.urgent)
        bottom.addStretch(1)
        bottom.addWidget(self.count)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.view)
        split.addWidget(self.details)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        box = QVBoxLayout(self)
        box.addLayout(grid)
        box.addLayout(bottom)
        box.addWidget(split, 1)

    def retranslate(self) -> None:
        titles = {
            "search": self.tr("&Search (names, numbers, notes)"),
            "period": self.tr("&Period"),
            "outcome": self.tr("&Outcome"),
            "callback": self.tr("Call&backs"),
            "exercise": self.tr("E&xercise"),
            "sync": self.tr("C&RM"),
            "branch": self.tr("Branch &id"),
            "call_type": self.tr("Call &type"),
            "agent": self.tr("A&gent"),
            "seat": self.tr("S&eat"),
            "since": self.tr("&From"),
            "until": self.tr("T&o"),
        }
        for key, text in titles.items():
            self.labels[key].setText(text)
        for combo in (self.period, self.callback, self.exercise, self.sync):
            for i, label in enumerate(combo.property("labels")):
                combo.setItemText(i, QCoreApplication.translate("ReviewPanel", label))
        self.outcome.setItemText(0, self.tr("All outcomes"))
        for i in range(1, self.outcome.count()):
            self.outcome.setItemText(i, outcome_label(self.outcome.itemData(i)))
        self.urgent.setText(self.tr("&Urgent only"))
        self.view.setAccessibleName(self.tr("Contacts"))
        self._show_count()

    def current_filter(self) -> ContactFilter:
        days = self.period.currentData()
        custom = days == -2
        for when in (self.since, self.until):
            when.setEnabled(custom)
        since = until = None
        if days >= 0:
            today = datetime.now().astimezone().replace(hour=0, minute=0, second=0, microsecond=0)
            since = today - timedelta(days=days)
        elif custom:  # the seat's local time, as shown
            since = datetime.fromtimestamp(self.since.dateTime().toSecsSinceEpoch(), UTC)
            until = datetime.fromtimestamp(self.until.dateTime().toSecsSinceEpoch(), UTC)
        return ContactFilter(
            since=since,
            until=until,
            text=self.search.text(),
            branch=self.branch.text().strip(),
            call_type=self.call_type.text().strip(),
            outcome=self.outcome.currentData(),
            agent=self.agent.text().strip(),
            seat=self.seat.text().strip(),
            exercise=self.exercise.currentData(),
            urgent=True if self.urgent.isChecked() else None,
            callback=self.callback.currentData(),
            sync=self.sync.currentData(),
            order="callback" if self.callback.currentData() in ("pending", "overdue") else "newest",
        )

    def apply_filter(self, keep_row: int = 0) -> None:
        """Count and read the first page on the panel's own thread (a search through a
        million contacts must not freeze the window); the last filter asked for wins."""
        from desktop.store import history as history_store

        where = self.current_filter()
        engine = self.engine
        self.count.setText(self.tr("Searching…"))

        def work() -> tuple[int, list[HistoryRow]]:
            found = history_store.count(engine, where)
            return found, history_store.page(engine, where, 0, PAGE_SIZE)

        self.ops.run(
            within(engine, work),
            lambda result: self._adopt(where, result, keep_row),
            self._failed,
            key="review-rows",  # the last filter asked for wins (desktop.ui.ops)
        )

    def _adopt(self, where: ContactFilter, result: tuple[int, list[HistoryRow]], row: int) -> None:
        found, first = result
        self.model.adopt(where, found, first)
        self._show_count()
        if self.model.rowCount():
            self.view.setCurrentIndex(self.model.index(max(0, min(row, found - 1)), 0))
        else:
            self.details.show_contact(None)

    def _failed(self, error: Exception) -> None:
        self.count.setText(
            self.tr("The contacts could not be read: %1").replace("%1", in_words(error))
        )

    @property
    def busy(self) -> bool:
        return self.ops.busy

    def refresh(self) -> None:
        self.apply_filter(keep_row=max(0, self.view.currentIndex().row()))

    def shutdown(self) -> None:
        """No more reads: the ones in flight finish, and their rows are not shown."""
        self.ops.shutdown()

    def _show_count(self) -> None:
        self.count.setText(
            self.tr("%1 contact(s)").replace("%1", f"{self.model.rowCount():,}".replace(",", " "))
        )

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        contact_id = self.model.data(current, HistoryModel.IdRole) if current.isValid() else None
        self.details.show_contact(contact_id)

    def mark_callback_done(self) -> None:
        self.details.mark_callback_done()


class ContactDetails(QWidget):
    """The chosen contact: every revision (who changed what, when), and a correction form.
    Read and saved through the panel's ops; what a save changed refreshes every list."""

    def __init__(self, engine: Engine, actor: str, ops: Ops, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.engine = engine
        self.actor = actor
        self.ops = ops
        self.contact: ContactData | None = None
        self.history = named(QTextBrowser(), "revisionHistory")
        self.subject = named(QLineEdit(), "correctSubject")
        self.notes = named(QPlainTextEdit(), "correctNotes")
        self.notes.setTabChangesFocus(True)
        self.outcome = named(QComboBox(), "correctOutcome")
        for value in OUTCOMES:
            self.outcome.addItem(outcome_label(value), value)
        self.urgent = named(QCheckBox(), "correctUrgent")
        self.save_button = named(QPushButton(), "correctSave")
        self.save_button.clicked.connect(self.save)
        self.done_button = named(QPushButton(), "callbackDone")
        self.done_button.clicked.connect(self.mark_callback_done)
        self.message = named(QLabel(), "correctMessage")
        self.form = QFormLayout()
        self._labels = [QLabel(), QLabel(), QLabel()]
        for label, field in zip(
            self._labels, (self.subject, self.notes, self.outcome), strict=True
        ):
            label.setBuddy(field)
            self.form.addRow(label, field)
        self.form.addRow(self.urgent)
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.done_button)
        self.form.addRow(buttons)
        self.form.addRow(self.message)
        right = QWidget()
        right.setLayout(self.form)
        box = QHBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(self.history, 3)
        box.addWidget(right, 2)
        self.retranslate()
        self._show(None)

    def retranslate(self) -> None:
        texts = (self.tr("Su&bject"), self.tr("&Notes"), self.tr("Ou&tcome"))
        for label, text in zip(self._labels, texts, strict=True):
            label.setText(text)
        self.urgent.setText(self.tr("Ur&gent"))
        self.save_button.setText(self.tr("Save the correction (Ctrl+S)"))
        self.done_button.setText(self.tr("Callback done (Ctrl+D)"))
        self.history.setAccessibleName(self.tr("Revisions of the contact"))

    def show_contact(self, contact_id: str | None, message: str = "") -> None:
        """Read the contact and its revisions off the GUI thread, then show them."""
        from desktop.store import contacts as store

        if not contact_id:
            self.ops.forget("details")
            self._show(None)
            return
        engine = self.engine

        def work() -> tuple[ContactData, list[tuple[ContactData, str]]] | None:
            contact = store.get_contact(engine, contact_id)
            return None if contact is None else (contact, store.revisions(engine, contact.id))

        self.ops.run(
            within(engine, work),
            lambda read: self._show(read, message),
            self._failed,
            key="details",
        )

    def _failed(self, error: Exception) -> None:
        self.message.setText(self.tr("Not saved: %1").replace("%1", in_words(error)))

    def _show(
        self, read: tuple[ContactData, list[tuple[ContactData, str]]] | None, message: str = ""
    ) -> None:
        same = read is not None and self.contact is not None and self.contact.id == read[0].id
        self.contact = read[0] if read else None
        enabled = self.contact is not None
        for widget in (self.subject, self.notes, self.outcome, self.urgent, self.save_button):
            widget.setEnabled(enabled)
        if message or not same:  # the list read again after a save: its message stays
            self.message.setText(message)
        if self.contact is None or read is None:
            self.history.clear()
            self.done_button.setEnabled(False)
            return
        c = self.contact
        self.subject.setText(c.subject)
        self.notes.setPlainText(c.notes)
        self.outcome.setCurrentIndex(max(0, self.outcome.findData(c.outcome)))
        self.urgent.setChecked(c.urgent)
        self.done_button.setEnabled(c.outcome == Outcome.CALLBACK and c.callback_done_at is None)
        self.history.setHtml(self._revisions_html(read[1]))

    def _revisions_html(self, revisions: list[tuple[ContactData, str]]) -> str:
        parts = []
        previous: ContactData | None = None
        for contact, who in revisions:
            when = _date(contact.updated_at)
            title = self.tr("Revision %1 — %2 by %3").replace("%1", str(contact.revision))
            title = title.replace("%2", when).replace("%3", who)
            if previous is None:
                body = html.escape(
                    f"{contact.caller_name} {contact.caller_number} — {contact.branch_name} — "
                    f"{contact.subject} — {outcome_label(contact.outcome)}"
                )
            else:
                changes = [
                    f"{name}: «{getattr(previous, name)}» → «{getattr(contact, name)}»"
                    for name in changed_fields(previous, contact)
                ]
                body = "<br/>".join(html.escape(c) for c in changes) or "—"
            parts.append(f"<p><b>{html.escape(title)}</b><br/>{body}</p>")
            previous = contact
        return "".join(parts)

    def save(self) -> None:
        if self.contact is None:
            return
        self._save(
            self.contact.with_changes(
                subject=self.subject.text(),
                notes=self.notes.toPlainText(),
                outcome=self.outcome.currentData(),
                urgent=self.urgent.isChecked(),
            )
        )

    def mark_callback_done(self) -> None:
        """Its latest revision marked done (another tab may have saved one meanwhile)."""
        if self.contact is None or not self.done_button.isEnabled():
            return
        engine, actor, contact_id = self.engine, self.actor, self.contact.id
        self.ops.run(
            lambda: operations.mark_callback_done(engine, contact_id, actor),
            lambda saved: self._saved(saved.contact if saved else None),
            self._failed,
        )

    def _save(self, changed: ContactData) -> None:
        assert self.contact is not None
        if not changed_fields(self.contact, changed):
            self.message.setText(self.tr("Nothing changed."))
            return
        engine, actor = self.engine, self.actor
        self.ops.run(
            lambda: operations.save_contact(engine, changed, actor),
            lambda saved: self._saved(saved.contact),
            self._failed,
        )

    def _saved(self, saved: ContactData | None) -> None:
        if saved is None:
            return
        message = self.tr("Saved as revision %1.").replace("%1", str(saved.revision))
        self.show_contact(saved.id, message)
