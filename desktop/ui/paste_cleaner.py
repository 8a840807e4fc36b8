"""Pasted text cleaned where the agent types it: control characters turned into line breaks
or dropped (a note pasted from Word was refused at save, "Missing: notes", while visibly
filled), the cursor kept where it was; said once per contact (``cleaned()``)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QLineEdit, QPlainTextEdit

from desktop.text import cleaned_paste


class PasteCleaner(QObject):
    cleaned = Signal()

    def __init__(
        self,
        notes: QPlainTextEdit,
        lines: tuple[QLineEdit, ...],
        loading: Callable[[], bool],
        parent: QObject | None = None,
    ) -> None:
        """``loading``: the form is being filled by the program (nothing to clean then)."""
        super().__init__(parent)
        self.notes, self._loading = notes, loading
        self._said = False
        notes.textChanged.connect(self._clean_notes)
        for line in lines:
            line.textEdited.connect(lambda _t, line=line: self._clean_line(line))

    def next_contact(self) -> None:
        self._said = False

    def _clean_notes(self) -> None:
        notes = self.notes
        text = notes.toPlainText()
        clean = cleaned_paste(text)
        if clean == text or self._loading():
            return
        position = notes.textCursor().position() - (len(text) - len(clean))
        blocked = notes.blockSignals(True)
        notes.setPlainText(clean)
        notes.blockSignals(blocked)
        cursor = notes.textCursor()
        cursor.setPosition(max(0, min(position, len(clean))))
        notes.setTextCursor(cursor)
        self._say()

    def _clean_line(self, line: QLineEdit) -> None:
        text = line.text()
        clean = cleaned_paste(text).replace("\n", " ")
        if clean != text:
            position = line.cursorPosition() - (len(text) - len(clean))
            line.setText(clean)
            line.setCursorPosition(max(0, position))
            self._say()

    def _say(self) -> None:
        if not self._said:
            self._said = True
            self.cleaned.emit()
