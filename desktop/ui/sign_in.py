"""The start of a shift: the agent types a name or agent id and presses Enter."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFormLayout, QLabel, QLineEdit, QPushButton, QWidget

from desktop.ui.widgets import centred_column, named


class SignInPage(QWidget):
    """Signals: ``signedIn(str)`` with the agent's name or id."""

    signedIn = Signal(str)

    def __init__(self, site: str, seat_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("signInPage")
        self.title = named(QLabel(alignment=Qt.AlignmentFlag.AlignCenter), "signInTitle")
        self.where = QLabel(f"{site} — {seat_id}", alignment=Qt.AlignmentFlag.AlignCenter)
        self.agent = named(QLineEdit(), "agentInput")
        self.agent.setMaxLength(120)
        self.label = QLabel()
        self.label.setBuddy(self.agent)
        self.button = named(QPushButton(), "signInButton")
        self.hint = named(QLabel(alignment=Qt.AlignmentFlag.AlignCenter), "signInHint")
        form = QFormLayout()
        form.addRow(self.label, self.agent)
        centred_column(self, [self.title, self.where, form, self.button, self.hint], 560)
        self.agent.returnPressed.connect(self._submit)
        self.button.clicked.connect(self._submit)
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText(self.tr("Repli — backup seat"))
        self.label.setText(self.tr("&Agent (name or id)"))
        self.agent.setAccessibleName(self.tr("Agent name or id"))
        self.button.setText(self.tr("Start the shift (Enter)"))
        self.hint.setText(self.tr("Type your name or agent id, then press Enter."))

    def _submit(self) -> None:
        name = self.agent.text().strip()
        if name:
            self.signedIn.emit(name)
        else:
            self.hint.setText(self.tr("An agent name or id is required."))
            self.agent.setFocus()
