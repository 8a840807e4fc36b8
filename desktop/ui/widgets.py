"""Small helpers shared by the widgets."""

from __future__ import annotations

from typing import TypeVar

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QObject, Qt, QTimer
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QFrame,
    QLayout,
    QMessageBox,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from desktop.ui import style

W = TypeVar("W", bound=QObject)


def named(widget: W, name: str) -> W:
    """Give ``widget`` its object name (tests find widgets by it) and the style sheet's
    rules for that name (desktop.ui.style)."""
    widget.setObjectName(name)
    if isinstance(widget, QWidget) and style.rules_for(name):
        style.style(widget)
    return widget


def repolish(widget: QWidget) -> None:
    """The style sheet's rules again after a property they key on changed. Nothing to do
    before the widget is first polished (as it is shown): the rules read the property then,
    and the first frame is spared the style's polish and the ``QStyle`` type's loading."""
    if widget.testAttribute(Qt.WidgetAttribute.WA_WState_Polished):
        widget.style().unpolish(widget)
        widget.style().polish(widget)


def confirm(parent: QWidget | None, title: str, question: str) -> bool:
    """Yes or No to something that cannot be undone; No is the default (Enter or Escape
    by reflex changes nothing)."""
    yes, no = QMessageBox.StandardButton.Yes, QMessageBox.StandardButton.No
    return QMessageBox.question(parent, title, question, yes | no, no) == yes


def column(*widgets: QWidget) -> QWidget:
    """The widgets one above the other, edge to edge (a window's bands and its page)."""
    holder = QWidget()
    box = QVBoxLayout(holder)
    box.setContentsMargins(0, 0, 0, 0)
    box.setSpacing(0)
    for widget in widgets:
        box.addWidget(widget)
    return holder


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


def scrolling(content: QWidget) -> QWidget:
    """``content`` in a scroll area that keeps the focused field in sight: at 200% text on a
    1366x768 screen the agent page is taller and wider than the window, and is scrolled
    rather than clipped (a shortcut's jump, F2 or Ctrl+S, is followed as Tab is)."""
    area = QScrollArea()
    area.setObjectName("pageScroll")
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # a nameless stop in the Tab order otherwise
    area.setWidget(content)
    app = QApplication.instance()
    if isinstance(app, QApplication):  # a slot of the area's own: gone with it
        app.focusChanged.connect(_FocusFollower(area).follow)
    return area


class _FocusFollower(QObject):
    def __init__(self, area: QScrollArea) -> None:
        super().__init__(area)
        self.area = area

    def follow(self, _old: QWidget | None, new: QWidget | None) -> None:
        content = self.area.widget()
        if new is not None and content is not None and content.isAncestorOf(new):
            self.area.ensureWidgetVisible(new, 8, 8)


def fit_to_screen(window: QWidget, width: int, height: int) -> None:
    """``width`` x ``height``, or the screen's available area where it is smaller (the
    window's status bar, where "Enregistrée" appears, fell below a small screen)."""
    screen = window.screen()
    if screen is not None:
        room = screen.availableGeometry()
        width, height = min(width, room.width()), min(height, room.height())
    window.resize(width, height)
