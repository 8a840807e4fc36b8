"""Small helpers shared by the widgets."""

from __future__ import annotations

from typing import TypeVar

from PySide6.QtCore import QObject

W = TypeVar("W", bound=QObject)


def named(widget: W, name: str) -> W:
    """Give ``widget`` its object name (tests and style sheets find widgets by it)."""
    widget.setObjectName(name)
    return widget


def shown_key(key: str) -> str:
    """A key as the agent's keyboard names it (``Maj+F2`` in French)."""
    from PySide6.QtGui import QKeySequence

    return QKeySequence(key).toString(QKeySequence.SequenceFormat.NativeText)
