"""Regression: PySide6 6.12.0 on Python 3.11 decrements None's refcount on every signal
emission and aborts after a few thousand. The pinned release must survive many more."""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal


class Emitter(QObject):
    fired = Signal(object)
    plain = Signal()


def test_hundreds_of_thousands_of_emissions_through_python_slots() -> None:
    emitter = Emitter()
    received: list[int] = []
    emitter.fired.connect(lambda value: received.append(1) if value is None else None)
    emitter.plain.connect(lambda: None)
    before = sys.getrefcount(None)
    for _ in range(150_000):
        emitter.fired.emit(None)
        emitter.plain.emit()
    after = sys.getrefcount(None)
    assert len(received) == 150_000
    # The bug drops None's count by one per emission; normal churn is a few dozen at most.
    assert after > before - 1000
