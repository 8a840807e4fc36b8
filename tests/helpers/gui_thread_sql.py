"""Every SQL statement the window runs, with the thread it ran on: the proof that no SQL runs
on the GUI thread once a window is shown (``tests/gui/conftest.py`` applies it to every GUI
test).

Two sources, so that nothing escapes: SQLAlchemy's ``before_cursor_execute`` (any engine,
PostgreSQL included) and the trace callback of every standard ``sqlite3`` connection (the
pragmas, the raw connections of the quick start, the merge and the doctor). A statement counts
against the window only when the window's code is on the stack (``desktop/ui``, or the app's
start-up in ``desktop/app.py``): a test reading the database to check what was saved is not
the window waiting on it.
"""

from __future__ import annotations

import sqlite3
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import Any

import pytest
from sqlalchemy import Engine, event

DESKTOP = Path(__file__).resolve().parents[2] / "desktop"
WINDOW_CODE = (str(DESKTOP / "ui") + "/", str(DESKTOP / "app.py"))


def _window_frame(frame: FrameType | None) -> str | None:
    """The innermost window frame on the stack, unless the statement is part of building a
    window (``build_window``: before its first frame, where the start-up may read)."""
    found = None
    while frame is not None:
        code = frame.f_code
        if code.co_filename.startswith(WINDOW_CODE):
            if code.co_name == "build_window":
                return None
            if found is None:
                where = Path(code.co_filename).relative_to(DESKTOP.parent)
                found = f"{where}:{frame.f_lineno} {code.co_name}"
        frame = frame.f_back
    return found


def report(title: str, offences: list[tuple[str, str]]) -> str:
    """A guard's offences, one line for each place in the window's code (its first one)."""
    lines = [title]
    seen: set[str] = set()
    for what, where in offences:
        if where not in seen:
            seen.add(where)
            lines.append(f"  {where}: {what}")
    return "\n".join(lines)


@dataclass
class GuiThreadSql:
    """``armed`` once a window is shown; ``offences`` lists (statement, where) pairs."""

    armed: bool = False
    offences: list[tuple[str, str]] = field(default_factory=list)
    statements: int = 0
    off_thread: int = 0

    def seen(self, statement: str) -> None:
        self.statements += 1
        if threading.current_thread() is not threading.main_thread():
            self.off_thread += 1
            return
        if not self.armed:
            return
        where = _window_frame(sys._getframe(1))
        if where is not None:
            self.offences.append((" ".join(statement.split())[:160], where))

    def report(self) -> str:
        return report(
            f"{len(self.offences)} SQL statement(s) ran on the GUI thread:", self.offences
        )

    # --- the two sources ----------------------------------------------------------

    def install(self, monkeypatch: pytest.MonkeyPatch) -> None:
        event.listen(Engine, "before_cursor_execute", self._before_execute)
        import sqlcipher3  # the encrypted store's connections (desktop.store.cipher)

        traced = self._traced(sqlite3.connect)
        monkeypatch.setattr(sqlite3, "connect", traced)
        monkeypatch.setattr(sqlite3.dbapi2, "connect", traced)
        monkeypatch.setattr(sqlcipher3, "connect", self._traced(sqlcipher3.connect))

    def _traced(self, real: Any) -> Any:
        """``real`` (a DB-API connect), its connections' statements seen by the guard."""

        def connect(*args: Any, **kwargs: Any) -> Any:
            connection = real(*args, **kwargs)
            connection.set_trace_callback(self.seen)
            return connection

        return connect

    def uninstall(self) -> None:
        event.remove(Engine, "before_cursor_execute", self._before_execute)

    def _before_execute(self, _conn: Any, _cursor: Any, statement: str, *_rest: Any) -> None:
        self.seen(statement)
