"""The list of dialled numbers matching the typed digits (on a shift of several clients,
each says whose it is: the client's name, and its colour beside it)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QIcon, QPixmap

from desktop.lookup import Match
from desktop.ui.widgets import NEUTRAL_COLOUR

Index = QModelIndex | QPersistentModelIndex


def describe(match: Match) -> str:
    if match.branch is not None:
        place = (
            f"{match.branch.name} — {match.branch.city}" if match.branch.city else match.branch.name
        )
    else:
        place = match.number.label
    kind = f"  · {match.call_type.label}" if match.call_type else ""
    client = f"{match.client.name}  · " if match.client else ""
    return f"{client}{match.national}   {place}{kind}"


def spoken(match: Match) -> str:
    """A candidate as a screen reader says it: "01 34 48 01 01, Obsèques Cergy Centre,
    Cergy", commas where the list shows spaces and dashes."""
    parts = [match.client.name] if match.client else []
    parts.append(match.national)
    if match.branch is not None:
        parts += [match.branch.name, match.branch.city]
    else:
        parts.append(match.number.label)
    if match.call_type is not None:
        parts.append(match.call_type.label)
    return ", ".join(p for p in parts if p)


class CandidateModel(QAbstractListModel):
    MatchRole = Qt.ItemDataRole.UserRole + 1

    def __init__(self) -> None:
        super().__init__()
        self._matches: tuple[Match, ...] = ()
        self._swatches: dict[str, QIcon] = {}

    def set_matches(self, matches: tuple[Match, ...]) -> None:
        self.beginResetModel()
        self._matches = matches
        self.endResetModel()

    def match_at(self, row: int) -> Match | None:
        return self._matches[row] if 0 <= row < len(self._matches) else None

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._matches)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._matches):
            return None
        match = self._matches[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return describe(match)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return spoken(match)
        if role == Qt.ItemDataRole.DecorationRole and match.client is not None:
            return self._swatch(match.client.colour or NEUTRAL_COLOUR)
        if role == self.MatchRole:
            return match
        return None

    def _swatch(self, colour: str) -> QIcon:
        if colour not in self._swatches:
            pixmap = QPixmap(14, 14)
            pixmap.fill(QColor(colour))
            self._swatches[colour] = QIcon(pixmap)
        return self._swatches[colour]
