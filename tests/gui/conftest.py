"""The real agent window, built as ``repli`` builds it, on a temporary data directory."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QAccessible, QKeyEvent
from PySide6.QtWidgets import QApplication, QComboBox, QMainWindow, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import Engine

from desktop.app import build_window
from desktop.ui.history import HistoryPanel
from desktop.ui.main_window import MainWindow
from tests.helpers.gui_thread_io import GuiThreadIo, unwatch, watch
from tests.helpers.gui_thread_sql import GuiThreadSql

Opener = Callable[..., MainWindow]


class _FirstShow(QObject):
    """Arms the guards when a main window (the agent's, the supervisor's) is first shown."""

    def __init__(self, *guards: GuiThreadSql | GuiThreadIo) -> None:
        super().__init__()
        self.guards = guards

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Show and isinstance(watched, QMainWindow):
            for guard in self.guards:
                guard.armed = True
        return False


@dataclass
class Guards:
    sql: GuiThreadSql
    io: GuiThreadIo


@pytest.fixture(autouse=True)
def gui_thread_guards(qapp: QApplication, monkeypatch: pytest.MonkeyPatch) -> Iterator[Guards]:
    """Fails a GUI test in which the window ran SQL, opened a file or connected a socket on
    the GUI thread after it was shown (tests/helpers/gui_thread_sql.py, gui_thread_io.py):
    the window reaches the database, files and the network through its operations
    (desktop.ui.ops), off that thread, so that a slow site database or share freezes nothing."""
    guard, io_guard = GuiThreadSql(), GuiThreadIo()
    guard.install(monkeypatch)
    watch(io_guard)
    first_show = _FirstShow(guard, io_guard)
    qapp.installEventFilter(first_show)
    try:
        yield Guards(guard, io_guard)
    finally:
        qapp.removeEventFilter(first_show)
        guard.uninstall()
        unwatch(io_guard)
    assert not guard.offences, guard.report()
    assert not io_guard.offences, io_guard.report()


@pytest.fixture
def open_window(qtbot: QtBot, data_dir: Path) -> Iterator[Opener]:
    opened: list[MainWindow] = []

    def open_(
        *extra: str, sign_in: str | None = "Claire", wait_for_store: bool = True
    ) -> MainWindow:
        _app, window = build_window(
            ["repli", "--data-dir", str(data_dir), *extra], route_qt_messages=False
        )
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        window.activateWindow()
        qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
        opened.append(window)
        if not wait_for_store:
            return window
        qtbot.waitUntil(lambda: window.seat is not None)
        if sign_in and window.sign_in and window.stack.currentWidget() is window.sign_in:
            qtbot.keyClicks(window.sign_in.agent, sign_in)
            qtbot.keyClick(window.sign_in.agent, Qt.Key.Key_Return)
            qtbot.waitUntil(lambda: window.stack.currentWidget() is window.page)
        if window.stack.currentWidget() is window.page:  # the interrupted contact looked for
            qtbot.waitUntil(lambda: window.page.started)
        return window

    yield open_
    for window in opened:
        window.ops.shutdown()
        if window.seat is not None:
            window.seat.close()


@pytest.fixture
def window(open_window: Opener) -> MainWindow:
    return open_window()


def focused() -> QWidget | None:
    return QApplication.focusWidget()


def press(
    qtbot: QtBot, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier
) -> None:
    """A key pressed wherever the focus is, as the agent's keyboard would."""
    target = focused()
    assert target is not None, "no widget has the focus"
    qtbot.keyClick(target, key, modifier)


def type_text(qtbot: QtBot, text: str) -> None:
    """Type ``text`` into the focused widget; accented letters arrive as a French keyboard
    sends them (a key event carrying the character), which QTest cannot do itself."""
    target = focused()
    assert target is not None, "no widget has the focus"
    for char in text:
        if char.isascii():
            qtbot.keyClicks(target, char)
            continue
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            event = QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, char)
            QApplication.sendEvent(target, event)


PIN = "739105"


@pytest.fixture
def with_pin(data_dir: Path) -> None:
    """The PC has a supervisor PIN (PIN), in its PC-wide config (the only place for it)."""
    import os

    from desktop.supervisor.pin import hash_pin

    system = Path(os.environ["REPLI_SYSTEM_CONFIG"])
    system.parent.mkdir(parents=True, exist_ok=True)
    with system.open("a", encoding="utf-8") as config:
        config.write(f'supervisor_pin_hash = "{hash_pin(PIN)}"\n')


def engine_of(window: MainWindow) -> Engine:
    """The window's store, which every test waits for before it acts."""
    assert window.seat is not None, "the store is not attached yet"
    return window.seat.engine


def history_of(window: MainWindow) -> HistoryPanel:
    assert window.page.history is not None, "the history comes with the store"
    return window.page.history


def unnamed_stops(top: QWidget) -> list[str]:
    """The visible widgets Tab reaches whose accessible name is empty, as Qt's
    accessibility gives it to a screen reader (a field's buddy label counts; a combo box's
    name is its value on Linux, so it needs a label)."""
    found = []
    for widget in top.findChildren(QWidget):
        tab_stop = widget.focusPolicy().value & Qt.FocusPolicy.TabFocus.value
        if not widget.isVisible() or not tab_stop:
            continue
        face = QAccessible.queryAccessibleInterface(widget)
        if face is None or face.role() in (QAccessible.Role.Client, QAccessible.Role.Pane):
            continue  # a container (a scroll area's viewport, a tab page)
        name = face.text(QAccessible.Text.Name).strip()
        labels = [r for r in face.relations(QAccessible.RelationFlag.Label)]
        if isinstance(widget, QComboBox) and not labels and not widget.accessibleName():
            found.append(f"{type(widget).__name__} {widget.objectName()!r}: no label")
        elif not name:
            found.append(f"{type(widget).__name__} {widget.objectName()!r}")
    return found
