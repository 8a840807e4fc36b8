"""The start of a shift on a seat that serves several client companies: the agent types a
name or agent id, chooses the client with the keyboard (Up/Down from the name, or the
client's number in the list), and presses Enter. The client's own window opens then, with
its store, tables and targets (desktop.paths, desktop.seat.clients).

A shift that takes two clients' calls (one in disaster, one in overflow): Space in the list
ticks each other client to take too; the one chosen opens first (desktop.ui.client_shift)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QSize, Qt, Signal
from PySide6.QtGui import QColor, QIcon, QKeyEvent, QPixmap
from PySide6.QtWidgets import (
    QFormLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QWidget,
)

from desktop.seat.clients import ClientEntry
from desktop.ui.widgets import NEUTRAL_COLOUR, centred_column, named

NUMBER_KEYS = {getattr(Qt.Key, f"Key_{n}"): n for n in range(1, 10)}


class ClientSignIn(QWidget):
    """Signals: ``chosen(str, list)`` with the agent and the clients' ids, the chosen one
    first, then those ticked ("" for the seat's own data directory)."""

    chosen = Signal(str, list)

    def __init__(
        self,
        site: str,
        seat_id: str,
        clients: list[ClientEntry],
        agent: str = "",
        preselect: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("clientSignIn")
        self.clients = clients
        self.title = named(QLabel(alignment=Qt.AlignmentFlag.AlignCenter), "signInTitle")
        self.where = QLabel(f"{site} — {seat_id}", alignment=Qt.AlignmentFlag.AlignCenter)
        self.agent = named(QLineEdit(agent), "agentInput")
        self.agent.setMaxLength(120)
        self.agent_label = QLabel()
        self.agent_label.setBuddy(self.agent)
        self.list = named(QListWidget(), "clientList")
        self.list_label = QLabel()
        self.list_label.setBuddy(self.list)
        for number, client in enumerate(clients, 1):
            prefix = f"{number}   " if number < 10 else "    "
            name = client.name if client.id else self.tr("%1 (this seat's own data)")
            item = QListWidgetItem(swatch(client.colour), prefix + name.replace("%1", client.name))
            item.setData(Qt.ItemDataRole.UserRole, client.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.list.addItem(item)
        ids = [c.id for c in clients]
        self.list.setCurrentRow(ids.index(preselect) if preselect in ids else 0)
        self.list.setIconSize(QSize(24, 24))
        self.list.setMinimumWidth(self.list.sizeHintForColumn(0) + 32)
        rows = min(max(len(clients), 2), 10)  # every client seen at once, up to ten
        row = max(self.list.fontMetrics().height(), 24) + 10
        self.list.setFixedHeight(rows * row + 8)
        self.button = named(QPushButton(), "signInButton")
        self.hint = named(
            QLabel(alignment=Qt.AlignmentFlag.AlignCenter, wordWrap=True), "signInHint"
        )
        form = QFormLayout()
        form.addRow(self.agent_label, self.agent)
        parts: list[QWidget | QLayout] = [
            self.title,
            self.where,
            form,
            self.list_label,
            self.list,
            self.button,
            self.hint,
        ]
        centred_column(self, parts, 760)  # the list under its label: beside it, it overlaps
        self.agent.returnPressed.connect(self._submit)
        self.button.clicked.connect(self._submit)
        self.list.itemActivated.connect(lambda _item: self._submit())
        self.agent.installEventFilter(self)
        self.list.installEventFilter(self)
        self.resize(1280, 820)
        self.retranslate()
        self.agent.setFocus()

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Repli — choose the client"))
        self.title.setText(self.tr("Repli — backup seat"))
        self.agent_label.setText(self.tr("&Agent (name or id)"))
        self.agent.setAccessibleName(self.tr("Agent name or id"))
        self.list_label.setText(self.tr("&Client"))
        self.list.setAccessibleName(self.tr("Client company whose calls you take"))
        self.button.setText(self.tr("Start the shift (Enter)"))
        self.hint.setText(
            self.tr(
                "Type your name, choose the client with Up/Down (or its number), then Enter. "
                "Two clients' calls in one shift: Space in the list ticks the other one."
            )
        )

    @property
    def client(self) -> str:
        item = self.list.currentItem()
        return str(item.data(Qt.ItemDataRole.UserRole)) if item is not None else ""

    @property
    def taken(self) -> list[str]:
        """The clients of the shift: the chosen one first, then every one ticked."""
        ticked = [
            str(self.list.item(row).data(Qt.ItemDataRole.UserRole))
            for row in range(self.list.count())
            if self.list.item(row).checkState() == Qt.CheckState.Checked
        ]
        return [self.client, *(c for c in ticked if c != self.client)]

    def say(self, text: str) -> None:
        """Why the chosen client's window did not open (its store locked, its config wrong)."""
        self.hint.setText(text)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Up/Down from the name move the client; a number in the list chooses it."""
        if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return False
        key = event.key()
        if watched is self.agent and key in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            step = -1 if key == Qt.Key.Key_Up else 1
            row = min(max(self.list.currentRow() + step, 0), self.list.count() - 1)
            self.list.setCurrentRow(row)
            return True
        if watched is self.list and key in NUMBER_KEYS and NUMBER_KEYS[key] <= self.list.count():
            self.list.setCurrentRow(NUMBER_KEYS[key] - 1)
            self._submit()
            return True
        if watched is self.list and key == Qt.Key.Key_Space and self.list.currentItem():
            item = self.list.currentItem()
            ticked = item.checkState() == Qt.CheckState.Checked
            item.setCheckState(Qt.CheckState.Unchecked if ticked else Qt.CheckState.Checked)
            return True
        if watched is self.list and key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self._submit()
            return True
        return False

    def _submit(self) -> None:
        name = self.agent.text().strip()
        if not name:
            self.hint.setText(self.tr("An agent name or id is required."))
            self.agent.setFocus()
            return
        self.chosen.emit(name, self.taken)


def swatch(colour: str) -> QIcon:
    pixmap = QPixmap(28, 28)
    pixmap.fill(QColor(colour or NEUTRAL_COLOUR))
    return QIcon(pixmap)
