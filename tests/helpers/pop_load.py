"""The screen-pop load scenario, shared by the test (correctness) and the benchmark (figures).

Another process sends call events at a steady rate while a simulated agent, with real key
presses, takes the waiting calls (F9), types a name and saves (Ctrl+S). A 5 ms timer on the
GUI thread measures how long the thread ever stayed busy.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from desktop.telephony.secrets import pop_token
from desktop.ui.main_window import MainWindow

ROOT = Path(__file__).resolve().parents[2]


class StallMeter(QObject):
    """The longest time the GUI thread did not run a 5 ms timer, beyond those 5 ms."""

    def __init__(self, interval_ms: int = 5) -> None:
        super().__init__()
        self.interval = interval_ms / 1000
        self.worst = 0.0
        self.ticks = 0
        self._last = time.perf_counter()
        self._timer = QTimer(self, interval=interval_ms)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.timeout.connect(self._tick)
        self._timer.start()

    def _tick(self) -> None:
        now = time.perf_counter()
        self.worst = max(self.worst, now - self._last - self.interval)
        self._last = now
        self.ticks += 1

    def stop(self) -> None:
        self._timer.stop()


@dataclass
class LoadResult:
    sent: int
    statuses: dict[str, int]
    per_call: dict[str, int]
    received: int
    saved: int
    worst_stall_ms: float
    seconds: float


def agent_step(window: MainWindow) -> None:
    page = window.page
    focus = QApplication.focusWidget() or window
    if page.saving:
        return
    if page.in_progress():
        if not page.form.caller_name.text():
            QTest.keyClicks(page.form.caller_name, "Agent charge")
        else:
            QTest.keyClick(focus, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    elif page.pops.waiting:
        QTest.keyClick(focus, Qt.Key.Key_F9)
    else:
        QTest.keyClicks(page.lookup.digits, "6881")


def run(window: MainWindow, rate: float, seconds: float) -> LoadResult:
    app = QApplication.instance()
    window.intake.wait_started(10)  # the listeners start off the GUI thread
    assert app is not None and window.intake.http is not None
    port, token = window.intake.state.port, pop_token(window.paths.root)
    meter = StallMeter()
    agent = QTimer(interval=150)
    agent.timeout.connect(lambda: agent_step(window))
    agent.start()
    start = time.perf_counter()
    flood = subprocess.Popen(
        [sys.executable, "-m", "tests.helpers.event_flood", str(port), token, str(rate), str(seconds)],
        cwd=ROOT, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    while flood.poll() is None:
        app.processEvents()
        time.sleep(0.001)
    report = json.loads(flood.stdout.read() if flood.stdout else "{}")
    deadline = time.perf_counter() + 10  # let the last queued events reach the window
    while window.intake.state.accepted < report["sent"] and time.perf_counter() < deadline:
        app.processEvents()
    for _ in range(50):
        app.processEvents()
    agent.stop()
    meter.stop()
    while window.ops.busy:
        app.processEvents()
    assert window.seat is not None
    with window.seat.engine.connect() as conn:
        saved = conn.exec_driver_sql(
            "SELECT count(*) FROM contacts WHERE call_id IS NOT NULL"
        ).scalar()
    return LoadResult(
        sent=report["sent"],
        statuses=report["statuses"],
        per_call=report["per_call"],
        received=sum(c.events for c in _calls(window)),
        saved=int(saved or 0),
        worst_stall_ms=meter.worst * 1000,
        seconds=time.perf_counter() - start,
    )


def _calls(window: MainWindow) -> list:  # type: ignore[type-arg]
    book = window.page.pops.book
    return [c for c in (book.get(call_id) for call_id in book._calls) if c is not None]
