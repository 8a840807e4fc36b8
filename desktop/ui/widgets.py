"""Small helpers shared by the widgets."""

from __future__ import annotations

from typing import TypeVar

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QObject, Qt, QTimer
from PySide6.QtWidgets import QComboBox, QLayout, QWidget

from desktop.ui import style

W = TypeVar("W", bound=QObject)


def named(widget: W, name: str) -> W:
    """Give ``widget`` its object name (tests find widgets by it) and the style sheet's
    rules for that name (desktop.ui.style)."""
    widget.setObjectName(name)
    if isinstance(widget, QWidget) and style.rules_for(name):
        style.style(widget)
    return widget


def shown_key(key: str) -> str:
    """A key as the agent's keyboard names it (``Maj+F2`` in French)."""
    from PySide6.QtGui import QKeySequence

    return QKeySequence(key).toString(QKeySequence.SequenceFormat.NativeText)


NEUTRAL_COLOUR = "#3c3c3c"


def client_style(colour: str) -> str:
    """A client's colour as a background, with the ink that stays readable on it."""
    colour = colour or NEUTRAL_COLOUR
    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    ink = "black" if 0.299 * red + 0.587 * green + 0.114 * blue > 150 else "white"
    return f"background: {colour}; color: {ink};"


def centred_column(owner: QWidget, parts: list[QWidget | QLayout], width: int) -> None:
    """A sign-in's column: ``parts`` top to bottom, at most ``width`` wide, centred a little
    above the middle of ``owner``."""
    from PySide6.QtWidgets import QVBoxLayout

    panel = QWidget()
    panel.setMaximumWidth(width)
    inner = QVBoxLayout(panel)
    for part in parts:
        if isinstance(part, QLayout):
            inner.addLayout(part)
        else:
            inner.addWidget(part)
    box = QVBoxLayout(owner)
    box.addStretch(1)
    box.addWidget(panel, 0, Qt.AlignmentFlag.AlignHCenter)
    box.addStretch(2)


class Selector(QComboBox):
    """A combo box whose closed list has no current item. Qt's item views report their
    current item as focused to screen readers whether they are shown or not: the form's
    closed lists said "focused" while the agent typed in the digits field."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.currentIndexChanged.connect(self._park)

    def hidePopup(self) -> None:
        super().hidePopup()
        self._park()

    def _park(self, *_args: object) -> None:
        QTimer.singleShot(0, self, self._clear_current)  # after the combo's own updates

    def _clear_current(self) -> None:
        view = self.view()
        if not view.isVisible():  # showPopup sets it again from the combo's own index
            view.selectionModel().setCurrentIndex(
                QModelIndex(), QItemSelectionModel.SelectionFlag.NoUpdate
            )
