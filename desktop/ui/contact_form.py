"""The contact form: who called, about what, and what was done. Tab order follows the form."""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import QDateTime, QTimeZone, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop import phone
from desktop.contacts import ContactData, Outcome
from desktop.keys import KeyMap
from desktop.table_pack import CallType, Partner
from desktop.ui.paste_cleaner import PasteCleaner
from desktop.ui.texts import number_kind_label, outcome_label
from desktop.ui.widgets import Selector, named, shown_key


class ContactForm(QWidget):
    """Signals: ``edited()`` on any change the agent makes; ``callerChanged(str)`` with the
    normalised caller number (E.164 or raw) when it changes; ``callTypeChanged()``.

    ``pasteCleaned()`` once per contact, when a paste held control characters (Word's soft
    line break, a terminal's colours) that the form turned into line breaks or dropped.

    Its fields are its own: the page reads and sets them through the methods below."""

    edited = Signal()
    pasteCleaned = Signal()
    callerChanged = Signal(str)
    callTypeChanged = Signal()
    saveRequested = Signal()

    def __init__(self, region: str = "FR", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.region = region
        self._loading = False
        self._call_type_keys = "F5–F8"
        self.call_type = named(Selector(), "callTypeSelector")
        self.caller_number = named(QLineEdit(), "callerNumberInput")
        self.caller_info = named(QLabel(wordWrap=True), "callerInfo")
        self.caller_name = named(QLineEdit(), "callerNameInput")
        self.subject = named(QLineEdit(), "subjectInput")
        self.notes = named(QPlainTextEdit(), "notesInput")
        self.notes.setTabChangesFocus(True)
        self.outcome = named(Selector(), "outcomeSelector")
        self.callback_at = named(QDateTimeEdit(), "callbackInput")
        self.callback_at.setCalendarPopup(True)
        self.callback_at.setDisplayFormat("dd/MM/yyyy HH:mm")
        self.urgent = named(QCheckBox(), "urgentCheck")
        self.save_button = named(QPushButton(), "saveButton")
        self.error = named(QLabel(wordWrap=True), "formError")
        self.error.hide()
        self._labels: dict[str, QLabel] = {}
        self._build()
        self._connect()
        self.retranslate()

    def _build(self) -> None:
        form = QFormLayout()
        for key, widget in (
            ("call_type", self.call_type),
            ("caller_number", self.caller_number),
            ("caller_info", self.caller_info),
            ("caller_name", self.caller_name),
            ("subject", self.subject),
            ("notes", self.notes),
            ("outcome", self.outcome),
            ("callback_at", self.callback_at),
            ("urgent", self.urgent),
        ):
            label = QLabel()
            label.setBuddy(widget)
            self._labels[key] = label
            form.addRow(label, widget)
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.addLayout(form)
        box.addWidget(self.error)
        box.addWidget(self.save_button)
        for first, second in (
            (self.call_type, self.caller_number),
            (self.caller_number, self.caller_name),
            (self.caller_name, self.subject),
            (self.subject, self.notes),
            (self.notes, self.outcome),
            (self.outcome, self.callback_at),
            (self.callback_at, self.urgent),
            (self.urgent, self.save_button),
        ):
            QWidget.setTabOrder(first, second)

    def _connect(self) -> None:
        lines = (self.caller_number, self.caller_name, self.subject)
        self.paste = PasteCleaner(self.notes, lines, lambda: self._loading, self)
        self.paste.cleaned.connect(self.pasteCleaned)
        for line in lines:
            line.textEdited.connect(self._edited)
        self.notes.textChanged.connect(self._edited)
        self.call_type.activated.connect(self._edited)
        self.outcome.currentIndexChanged.connect(self._outcome_changed)
        self.callback_at.dateTimeChanged.connect(self._edited)
        self.urgent.toggled.connect(self._edited)
        self.caller_number.textChanged.connect(self._caller_changed)
        self.save_button.clicked.connect(self.saveRequested)
        self.call_type.currentIndexChanged.connect(lambda _i: self.callTypeChanged.emit())

    def retranslate(self) -> None:
        titles = {
            "call_type": self.tr("Call &type (%1)").replace("%1", self._call_type_keys),
            "caller_number": self.tr("Caller's &number"),
            "caller_info": "",
            "caller_name": self.tr("Caller's na&me"),
            "subject": self.tr("&Subject"),
            "notes": self.tr("N&otes"),
            "outcome": self.tr("O&utcome"),
            "callback_at": self.tr("Call&back at"),
            "urgent": "",
        }
        for key, title in titles.items():
            self._labels[key].setText(title)
        self.urgent.setText(self.tr("U&rgent (Ctrl+U)"))
        self.save_button.setText(self.tr("Save (Ctrl+S)"))
        names = {
            self.call_type: self.tr("Call type"),
            self.caller_number: self.tr("Caller's number"),
            self.caller_name: self.tr("Caller's name"),
            self.subject: self.tr("Subject"),
            self.notes: self.tr("Notes"),
            self.outcome: self.tr("Outcome"),
            self.callback_at: self.tr("Callback time"),
            self.urgent: self.tr("Urgent"),
            self.save_button: self.tr("Save the contact"),
        }
        for widget, name in names.items():
            widget.setAccessibleName(name)
        current = self.outcome.currentData()
        self._loading = True
        self.outcome.clear()
        for outcome in Outcome:
            self.outcome.addItem(outcome_label(outcome.value), outcome.value)
        self._select(self.outcome, current or Outcome.INFORMATION.value)
        self._loading = False
        self._outcome_changed()

    def set_call_types(self, call_types: list[CallType], keymap: KeyMap) -> None:
        """The pack's call types, each with the key that really chooses it."""
        self.call_type.clear()
        self.call_type.addItem(self.tr("— not chosen —"), None)
        ordered = sorted(call_types, key=lambda c: (c.priority or 99, c.code))
        for call_type in ordered:
            key = keymap.call_types.get(call_type.code, "")
            hint = f" ({shown_key(key)})" if key else ""
            self.call_type.addItem(call_type.label + hint, call_type.code)
        self._call_type_keys = keymap.call_type_keys(shown_key)
        self.retranslate()

    def choose_call_type(self, code: str | None) -> None:
        self._select(self.call_type, code)

    @staticmethod
    def _select(combo: QComboBox, value: object) -> None:
        index = combo.findData(value)
        combo.setCurrentIndex(max(index, 0))

    def _edited(self, *_args: object) -> None:
        if not self._loading:
            self.error.hide()
            self.edited.emit()

    def _outcome_changed(self, *_args: object) -> None:
        is_callback = self.outcome.currentData() == Outcome.CALLBACK.value
        self.callback_at.setEnabled(is_callback)
        if (
            is_callback
            and not self._loading
            and self.callback_at.dateTime() < QDateTime.currentDateTime()
        ):
            soon = QDateTime.currentDateTime().addSecs(3600)
            self.callback_at.setDateTime(soon)
        self._edited()

    def _caller_changed(self, text: str) -> None:
        normalised = phone.normalise(text, self.region)
        self.callerChanged.emit(normalised.stored if text.strip() else "")

    def show_caller_info(
        self, text: str, partner: Partner | None, earlier: list[ContactData]
    ) -> None:
        parts = []
        if text.strip():
            normalised = phone.normalise(text, self.region)
            parts.append(
                normalised.national
                if normalised.valid
                else "⚠ " + self.tr("not a valid number — recorded as typed")
            )
            kind = number_kind_label(normalised.e164) if normalised.valid else ""
            if kind:
                parts.append(kind)
        if partner is not None:
            parts.append(
                self.tr("Known partner: %1").replace("%1", f"{partner.name} ({partner.kind})")
            )
        if earlier:
            when = (
                earlier[0].created_at.astimezone().strftime("%d/%m %H:%M")
                if earlier[0].created_at
                else ""
            )
            parts.append(
                self.tr("%n earlier contact(s), last %1", "", len(earlier)).replace("%1", when)
            )
        self.caller_info.setText(" · ".join(parts))

    def show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()

    def fill(self, contact: ContactData) -> None:
        """Put a contact (a draft, a correction) into the fields without emitting edits."""
        self._loading = True
        try:
            self.choose_call_type(contact.call_type)
            self.caller_number.setText(_caller_text(contact, self.region))
            self.caller_name.setText(contact.caller_name)
            self.subject.setText(contact.subject)
            self.notes.setPlainText(contact.notes)
            self._select(self.outcome, contact.outcome)
            if contact.callback_at:
                self.callback_at.setDateTime(_to_qt(contact.callback_at))
            self.urgent.setChecked(contact.urgent)
        finally:
            self._loading = False
        self.callback_at.setEnabled(contact.outcome == Outcome.CALLBACK.value)
        self.error.hide()

    def clear(self) -> None:
        self.fill(ContactData())
        self.paste.next_contact()  # the paste's cleaning is said once per contact
        self.callback_at.setDateTime(QDateTime.currentDateTime().addSecs(3600))
        self.caller_info.clear()

    def collect(self, base: ContactData) -> ContactData:
        caller = phone.normalise(self.caller_number.text(), self.region)
        outcome = self.outcome.currentData() or Outcome.INFORMATION.value
        callback = (
            _from_qt(self.callback_at.dateTime()) if outcome == Outcome.CALLBACK.value else None
        )
        return base.with_changes(
            call_type=self.call_type.currentData(),
            caller_number=caller.stored if self.caller_number.text().strip() else "",
            caller_number_valid=caller.valid,
            caller_name=self.caller_name.text().strip(),
            subject=self.subject.text().strip(),
            notes=self.notes.toPlainText().strip(),
            outcome=outcome,
            callback_at=callback,
            urgent=self.urgent.isChecked(),
        )

    def has_input(self) -> bool:
        return any(
            (
                self.caller_number.text().strip(),
                self.caller_name.text().strip(),
                self.subject.text().strip(),
                self.notes.toPlainText().strip(),
            )
        )

    # --- what the page asks of the form ----------------------------------------------

    def call_type_code(self) -> str | None:
        code = self.call_type.currentData()
        return str(code) if code else None

    def caller_text(self) -> str:
        return self.caller_number.text()

    def fill_caller(self, text: str) -> None:
        """The caller's number a call event gave, unless the agent typed one."""
        if not self.caller_number.text().strip():
            self.caller_number.setText(text)

    def focus_caller(self) -> None:
        self.caller_number.setFocus()

    def focus_name(self) -> None:
        self.caller_name.setFocus()

    def focus_notes(self) -> None:
        self.notes.setFocus()

    def focus_first_empty(self) -> None:
        """After the call type: the caller's number, or their name when a pop gave it."""
        if self.caller_number.text().strip():
            self.caller_name.setFocus()
        else:
            self.caller_number.setFocus()

    def focus_callback(self) -> None:
        self.callback_at.setFocus()

    def toggle_urgent(self) -> None:
        self.urgent.toggle()


def _caller_text(contact: ContactData, region: str) -> str:
    number = contact.caller_number
    if contact.caller_number_valid and number.startswith("+"):
        return phone.display_e164(number, region)
    return number


def _to_qt(value: datetime) -> QDateTime:
    return QDateTime.fromSecsSinceEpoch(int(value.timestamp()), QTimeZone.systemTimeZone())


def _from_qt(value: QDateTime) -> datetime:
    return datetime.fromtimestamp(value.toSecsSinceEpoch(), UTC)
