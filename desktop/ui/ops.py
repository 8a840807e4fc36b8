"""The one way from the window to the core (Anki's ``CollectionOp`` is the model).

Every call that reads or writes the database, a config file, the site database or a file
goes through ``Ops.run``: the work runs on the operation thread, in submission order (a draft
written before a save never lands after it), and its result comes back on the GUI thread.

- **What changed** is said by the work, never by the window that submits it: a work that
  changes something is one of the core's operations (desktop.operations) and returns
  ``Changed(value, changes)``; its ``done`` gets the value, and every window hears the
  changes on ``changes_hub().changed`` and refreshes what it shows from them, instead of
  ``.refresh()`` calls placed by hand. A work returning a plain value changed nothing.
- **Stale results are dropped here**, nowhere else: a result whose ``key`` was asked for again
  since (the caller's history while the agent types on, a list's newer filter), or that comes
  back after ``shutdown`` (the window closed), reaches no callback. What it changed is still
  broadcast: the database did change.
- **Failures** reach ``failed`` (or the log), never the event loop as a traceback.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, TypeVar, overload

from PySide6.QtCore import QObject, Signal, Slot

from desktop.changes import NOTHING, Changed

log = logging.getLogger("repli.ui.ops")

Done = Callable[[Any], object]
Failed = Callable[[Exception], None]
T = TypeVar("T")


class ChangeHub(QObject):
    """Signals: ``changed(object)`` with the Changes of an op that is done."""

    changed = Signal(object)


_hub: ChangeHub | None = None


def changes_hub() -> ChangeHub:
    """The one hub of the application (created with the first window, on the GUI thread)."""
    global _hub
    if _hub is None:
        _hub = ChangeHub()
    return _hub


@dataclass
class _Op:
    work: Callable[[], Any]
    done: Done | None
    failed: Failed | None
    key: str | None
    ticket: int


class Ops(QObject):
    """Signals: ``idle()`` when the last submitted op has been delivered."""

    _finished = Signal(object, object, object)
    idle = Signal()

    def __init__(self, parent: QObject | None = None, name: str = "repli-db") -> None:
        super().__init__(parent)
        self.name = name
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix=name)
        self._pending = 0
        self._closed = False
        self._latest: dict[str, int] = {}  # key -> ticket of the newest op asked for
        self._tickets = 0
        self._finished.connect(self._deliver)

    @property
    def busy(self) -> bool:
        return self._pending > 0

    def forget(self, key: str) -> None:
        """What the ops with ``key`` still on their way return is no longer wanted (the
        agent typed on, the list was reset)."""
        if key in self._latest:
            self._latest[key] = 0  # no op has ticket 0

    @overload
    def run(
        self,
        work: Callable[[], Changed[T]],
        done: Callable[[T], object] | None = None,
        failed: Failed | None = None,
        *,
        key: str | None = None,
    ) -> None: ...
    @overload
    def run(
        self,
        work: Callable[[], T],
        done: Callable[[T], object] | None = None,
        failed: Failed | None = None,
        *,
        key: str | None = None,
    ) -> None: ...
    def run(
        self,
        work: Callable[[], Any],
        done: Callable[[Any], object] | None = None,
        failed: Failed | None = None,
        *,
        key: str | None = None,
    ) -> None:
        """Run ``work`` off the GUI thread; ``done(result)`` or ``failed(error)`` on it.
        Typed end to end: a ``done`` that takes another type than ``work`` returns is a
        type error (a ``Changed`` result hands ``done`` its value)."""
        if self._closed:  # the window is closing: a late read (a timer's) has no one to tell
            log.debug("%s: op submitted after shutdown dropped", self.name)
            return
        self._tickets += 1
        op = _Op(work, done, failed, key, self._tickets)
        if key is not None:
            self._latest[key] = op.ticket
        self._pending += 1
        self._pool.submit(self._job, op)

    def _job(self, op: _Op) -> None:  # on the operation thread
        try:
            result = op.work()
        except Exception as exc:  # reported to the GUI, which says it plainly
            log.exception("%s: op failed", self.name)
            self._finished.emit(op, None, exc)
        else:
            self._finished.emit(op, result, None)

    @Slot(object, object, object)
    def _deliver(self, op: _Op, result: Any, error: Exception | None) -> None:
        self._pending -= 1
        changes = NOTHING
        if isinstance(result, Changed):
            result, changes = result.value, result.changes
        stale = op.key is not None and self._latest.get(op.key) != op.ticket
        if op.key is not None and not stale:
            del self._latest[op.key]
        elif op.key is not None and self._latest.get(op.key) == 0 and not self._pending:
            del self._latest[op.key]  # forgotten, and nothing of it is on its way
        if self._closed or stale:
            log.debug("%s: stale result dropped (%s)", self.name, op.key or "closed")
        elif error is not None:
            if op.failed is not None:
                op.failed(error)
            else:
                log.error("%s: %s", self.name, error)
        elif op.done is not None:
            op.done(result)
        if error is None and changes:
            changes_hub().changed.emit(changes)
        if self._pending == 0:
            self.idle.emit()

    def shutdown(self) -> None:
        """Finish submitted work (a draft or a save in flight must reach the disk); the
        results still on their way are dropped."""
        self._closed = True
        self._pool.shutdown(wait=True)
