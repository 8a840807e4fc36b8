"""The agent's window on a store whose key is gone: one clear message box, no traceback, and
the store left as it was."""

from __future__ import annotations

import hashlib
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from desktop import app
from desktop.context import SeatContext
from desktop.seat import store_key


def test_the_window_says_the_store_cannot_be_opened_without_its_key(
    data_dir: Path, qtbot: QtBot
) -> None:
    SeatContext.open(str(data_dir)).close()
    database = data_dir / "repli.sqlite3"
    found = store_key.find(database)
    assert found is not None
    store_key.forget(found)
    before = hashlib.sha256(database.read_bytes()).hexdigest()
    shown: list[str] = []

    def read_and_close() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(50, read_and_close)
            return
        shown.append(box.text())
        box.accept()

    QTimer.singleShot(50, read_and_close)
    assert app.main(["repli", "--data-dir", str(data_dir)]) == 1
    (text,) = shown
    assert text.startswith("Repli cannot start:") and "its key is not in" in text
    assert "Traceback" not in text
    assert hashlib.sha256(database.read_bytes()).hexdigest() == before
