"""A call whose dialled number is in the tables of two clients of the shift: the agent says
whose call it is, by its number or Up/Down and Enter; Escape leaves it with the client on
screen. Not modal to the application: the other window's contact stays as it is."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QDialog, QLabel, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from desktop.lookup import ClientTag
from desktop.ui.client_sign_in import NUMBER_KEYS, swatch
from desktop.ui.widgets import named


class ClientQuestion(QDialog):
    """Signals: ``answered(str)`` with the chosen client's id ("" : the agent did not say)."""

    answered = Signal(str)

    def __init__(self, number: str, clients: list[ClientTag], parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setObjectName("clientQuestion")
        self.setWindowTitle(self.tr("Whose call is it?"))
        self.text = named(QLabel(wordWrap=True), "clientQuestionText")
        self.text.setText(
            self.tr(
                "The dialled number %1 is in the tables of several clients: whose call is it?"
            ).replace("%1", number)
        )
        self.list = named(QListWidget(), "clientQuestionList")
        for i, client in enumerate(clients, 1):
            item = QListWidgetItem(swatch(client.colour), f"{i}   {client.name}")
            item.setData(Qt.ItemDataRole.UserRole, client.id)
            self.list.addItem(item)
        self.list.setCurrentRow(0)
        self.hint = QLabel(self.tr("Its number or Up/Down then Enter; Escape: the client shown."))
        box = QVBoxLayout(self)
        for widget in (self.text, self.list, self.hint):
            box.addWidget(widget)
        self.list.installEventFilter(self)
        self.list.itemActivated.connect(lambda _item: self.accept())
        self._said = False
        self.setWindowModality(Qt.WindowModality.WindowModal)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self.list
            and isinstance(event, QKeyEvent)
            and event.type() == QEvent.Type.KeyPress
        ):
            key = event.key()
            if key in NUMBER_KEYS and NUMBER_KEYS[key] <= self.list.count():
                self.list.setCurrentRow(NUMBER_KEYS[key] - 1)
                self.accept()
                return True
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.accept()
                return True
        return False

    def accept(self) -> None:
        item = self.list.currentItem()
        self._say(str(item.data(Qt.ItemDataRole.UserRole)) if item is not None else "")
        super().accept()

    def reject(self) -> None:
        self._say("")
        super().reject()

    def _say(self, client: str) -> None:
        if not self._said:
            self._said = True
            self.answered.emit(client)
