"""Every file opened and every socket connected or bound by the window's code on the GUI
thread once a window is shown: the proof that the window reaches files and the network
through its operations (desktop.ui.ops), as it reaches the database, so that a share gone
slow or a server that does not answer freezes nothing (``tests/gui/conftest.py`` applies it
to every GUI test, beside the SQL guard).

One audit hook (PEP 578) for the whole test process: an audit hook cannot be removed, so it
reports to the guard of the test running, if any. Python's own imports (``.py``, ``.pyc``
and extension modules read by the import system) are not the window's I/O: a module
imported on demand is the first frame's rule (tests/unit/test_architecture.py).
"""

from __future__ import annotations

import sys
import threading
from dataclasses import dataclass, field
from typing import Any

from tests.helpers.gui_thread_sql import _window_frame, report

WATCHED = frozenset(
    {
        "open",
        "socket.connect",
        "socket.bind",
        "os.listdir",
        "os.scandir",
        "os.remove",
        "os.rename",
        "os.mkdir",
        "shutil.rmtree",
        "shutil.copyfile",
    }
)
IMPORTED = (".py", ".pyc", ".so", ".pyd", ".pth")


@dataclass
class GuiThreadIo:
    """``armed`` once a window is shown; ``offences`` lists (what, where) pairs."""

    armed: bool = False
    offences: list[tuple[str, str]] = field(default_factory=list)

    def seen(self, event: str, args: tuple[Any, ...]) -> None:
        if not self.armed or threading.current_thread() is not threading.main_thread():
            return
        target = args[0] if args else ""
        if event == "open" and str(target).endswith(IMPORTED):
            return
        if event.startswith("socket."):
            target = args[1] if len(args) > 1 else ""
        where = _window_frame(sys._getframe(2))
        if where is not None:
            self.offences.append((f"{event} {str(target)[:120]}", where))

    def report(self) -> str:
        title = f"{len(self.offences)} file or socket call(s) on the GUI thread:"
        return report(title, self.offences)


_current: list[GuiThreadIo] = []  # the running test's guard (one at a time)


def _hook(event: str, args: tuple[Any, ...]) -> None:
    if event in WATCHED and _current:
        _current[-1].seen(event, args)


_installed = False


def watch(guard: GuiThreadIo) -> None:
    global _installed
    if not _installed:
        sys.addaudithook(_hook)
        _installed = True
    _current.append(guard)


def unwatch(guard: GuiThreadIo) -> None:
    _current.remove(guard)
