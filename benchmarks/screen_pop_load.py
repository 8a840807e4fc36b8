"""Screen pops under load: 50 call events a second for 60 seconds from another process,
while a simulated agent takes calls (F9), types and saves (Ctrl+S) with real key presses.

    .venv/bin/python benchmarks/screen_pop_load.py [--seconds 60] [--rate 50]

Prints the events accepted, the contacts saved, and the longest stall of the GUI thread
(goal: never over 100 ms), beside a reference measured in the same run: the same agent
activity for the same time with no events at all.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def open_window(data_dir: Path, config: str = "pop_port = 0\n"):  # type: ignore[no-untyped-def]
    """The real window on ``data_dir`` (its config.toml ``config``), signed in, the contact
    started (benchmarks/site_proxy.py opens it too)."""
    from PySide6.QtWidgets import QApplication

    from desktop.app import build_window

    data_dir.mkdir(parents=True, exist_ok=True)
    (data_dir / "config.toml").write_text(config)
    app, window = build_window(["repli", "--data-dir", str(data_dir)], route_qt_messages=False)
    window.show()
    while window.seat is None or not window.intake.state.listening:
        app.processEvents()
    assert window.sign_in is not None  # a new shift: the window opens on its sign-in
    window.sign_in.agent.setText("bench")
    window.sign_in._submit()
    while not window.page.started:
        QApplication.processEvents()
    return app, window


def idle_reference(window, seconds: float) -> float:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from tests.helpers.pop_load import StallMeter, agent_step

    meter = StallMeter()
    agent = QTimer(interval=150)
    agent.timeout.connect(lambda: agent_step(window))
    agent.start()
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        QApplication.processEvents()
        time.sleep(0.001)
    agent.stop()
    meter.stop()
    return meter.worst * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)  # fmt: skip
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--rate", type=float, default=50)
    args = parser.parse_args()
    from tests.helpers import pop_load

    with tempfile.TemporaryDirectory(prefix="repli-popload-") as tmp:
        _app, window = open_window(Path(tmp) / "seat")
        result = pop_load.run(window, args.rate, args.seconds)
        reference = idle_reference(window, min(args.seconds, 20))
        accepted = window.intake.state.accepted
        window.close()
    print(
        f"events sent / accepted        {result.sent} / {accepted} in {result.seconds:.1f} s "
        f"({result.sent / result.seconds:.1f} a second), statuses {result.statuses}"
    )
    print(f"contacts saved meanwhile      {result.saved}")
    print(f"worst GUI-thread stall        {result.worst_stall_ms:7.1f} ms   reference "
          f"{reference:7.1f} ms (the same agent, no events)   goal < 100 ms")  # fmt: skip


if __name__ == "__main__":
    main()
