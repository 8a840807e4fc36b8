"""A slow site database, a live window: the agent types and saves, the supervisor filters and
corrects, with the store on PostgreSQL reached through a TCP proxy that adds 300 ms to every
round trip; beside the same run straight to the server.

    .venv/bin/python benchmarks/slow_store.py [--contacts 5] [--delay 0.3]

Figures, for each run: the longest stall of the GUI thread (a 5 ms timer that did not run,
or a key press that took long to handle; goal < 50 ms with the delay), the p99 of a key
press's handling, and how long the saves took to reach the database (the delay shows there,
not in the window). PostgreSQL comes from Debian's postgresql package (dev.py installs it).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.helpers.percentiles import p99  # noqa: E402

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from tests.helpers.delay_proxy import delayed  # noqa: E402
from tests.helpers.pop_load import StallMeter  # noqa: E402
from tests.helpers.postgres import Postgres  # noqa: E402

CTRL = Qt.KeyboardModifier.ControlModifier
NAMES = ("Aubert", "Bernard", "Carpentier", "Dumas", "Etienne", "Fabre", "Gauthier", "Hoarau")


class Agent:
    """Real key presses, each timed; the event loop turns between them as a typist's would."""

    def __init__(self, app: QApplication) -> None:
        self.app = app
        self.keys: list[float] = []

    def idle(self, seconds: float) -> None:
        end = time.perf_counter() + seconds
        while time.perf_counter() < end:
            self.app.processEvents()
            time.sleep(0.001)

    def until(self, done: Callable[[], bool], timeout: float = 30) -> None:
        end = time.perf_counter() + timeout
        while not done():
            if time.perf_counter() > end:
                raise TimeoutError("the window did not get there")
            self.app.processEvents()
            time.sleep(0.001)

    def key(
        self, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier
    ) -> None:
        target = QApplication.focusWidget()
        assert target is not None
        start = time.perf_counter()
        QTest.keyClick(target, key, modifier)
        self.keys.append(time.perf_counter() - start)
        self.idle(0.03)

    def type(self, text: str) -> None:
        for char in text:
            target = QApplication.focusWidget()
            assert target is not None
            start = time.perf_counter()
            QTest.keyClicks(target, char)
            self.keys.append(time.perf_counter() - start)
            self.idle(0.03)


CHARTS: list[float] = []  # each redraw of the dashboard's six charts (GUI work, no store)


def _timed_charts() -> None:
    from desktop.ui.supervisor.dashboard import Dashboard

    draw = Dashboard.show_figures

    def timed(self: Dashboard, found: object) -> None:
        start = time.perf_counter()
        draw(self, found)  # type: ignore[arg-type]
        CHARTS.append(time.perf_counter() - start)

    Dashboard.show_figures = timed  # type: ignore[method-assign]


def scenario(url: str, data_dir: Path, contacts: int) -> dict[str, float]:
    from desktop.app import build_window
    from desktop.ui.supervisor.window import SupervisorWindow

    data_dir.mkdir(parents=True)
    (data_dir / "config.toml").write_text(f'pop_port = 0\ndatabase_url = "{url}"\n')
    app, window = build_window(["repli", "--data-dir", str(data_dir)], route_qt_messages=False)
    window.show()
    agent = Agent(app)
    agent.until(lambda: window.seat is not None)
    window.activateWindow()
    agent.until(lambda: QApplication.activeWindow() is window)
    assert window.sign_in is not None  # a new shift: the window opens on its sign-in
    window.sign_in.agent.setFocus()
    agent.type("Claire")
    agent.key(Qt.Key.Key_Return)
    agent.until(lambda: window.page.started)
    agent.keys.clear()
    meter = StallMeter()
    saves: list[float] = []
    page = window.page
    for n in range(contacts):
        page.focus_digits()
        agent.type("6881")
        agent.key(Qt.Key.Key_F6)
        agent.type(f"06 12 34 56 {n:02d}")
        agent.key(Qt.Key.Key_Tab)
        agent.type(f"Mme {NAMES[n % len(NAMES)]}")
        agent.key(Qt.Key.Key_Tab)
        agent.key(Qt.Key.Key_Tab)
        agent.type("Rappeler demain.")
        start = time.perf_counter()
        agent.key(Qt.Key.Key_S, CTRL)
        agent.until(lambda: not page.saving)
        saves.append(time.perf_counter() - start)
    assert window.seat is not None
    meter.stop()
    agent_stall, agent_keys, typed = meter.worst, max(agent.keys), list(agent.keys)
    start = time.perf_counter()  # building the supervision's window is not a store stall
    supervisor = SupervisorWindow(window.seat.engine, window.settings, window.set_mode)
    supervisor.show()
    opened = time.perf_counter() - start
    supervisor.activateWindow()
    agent.until(lambda: QApplication.activeWindow() is supervisor)
    agent.idle(0.3)
    meter = StallMeter()
    agent.keys.clear()
    CHARTS.clear()
    contacts_panel = supervisor.contacts
    agent.until(lambda: not contacts_panel.busy)
    contacts_panel.search.setFocus()
    agent.type(NAMES[0])
    agent.until(lambda: contacts_panel.model.rowCount() == 1 and not contacts_panel.busy, 60)
    details = contacts_panel.details
    agent.until(lambda: details.contact is not None)
    details.subject.setFocus()
    agent.type("Corrige")
    agent.key(Qt.Key.Key_S, CTRL)
    agent.until(lambda: details.message.text() != "", 60)
    agent.idle(0.5)
    meter.stop()
    supervisor.close()
    window.close()
    window.deleteLater()  # the supervision deletes itself on close
    agent.idle(0.2)
    return {
        "agent_stall": max(agent_stall, agent_keys),
        "supervisor_stall": max(meter.worst, max(agent.keys)),
        "opened": opened,
        "charts": max(CHARTS, default=0.0),
        "key_p99": p99(typed + agent.keys),
        "save_median": statistics.median(saves),
        "keys": float(len(typed) + len(agent.keys)),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--contacts", type=int, default=5, help=f"at most {len(NAMES)}")
    parser.add_argument("--delay", type=float, default=0.3, help="seconds added per round trip")
    args = parser.parse_args(argv)
    _timed_charts()
    with tempfile.TemporaryDirectory(prefix="repli-slow-") as tmp:
        root = Path(tmp)
        server = Postgres(Path(tempfile.mkdtemp(prefix="repli-pg-"))).start()
        try:
            scenario(server.create_database("warm"), root / "warm", 1)  # imports, first paints
            direct = server.create_database("direct")
            slow = server.create_database("slow")
            plain = scenario(direct, root / "direct", args.contacts)
            with delayed(server.host, server.port, args.delay) as proxy:
                url = slow.replace(f"{server.host}:{server.port}/", f"127.0.0.1:{proxy.port}/")
                late = scenario(url, root / "slow", args.contacts)
        finally:
            server.stop(remove=True)
    slow_title = f"+{args.delay * 1000:.0f} ms per round trip"
    print(f"{'':<44} {slow_title:>22} {'direct':>12}")
    for name, key in (
        ("longest GUI stall, agent (goal < 50 ms)", "agent_stall"),
        ("longest GUI stall, supervision (goal < 50 ms)", "supervisor_stall"),
        ("  the longest redraw of the dashboard's charts", "charts"),
        ("building the supervision's window", "opened"),
        ("p99 of a key press's handling", "key_p99"),
        ("median save, key to saved", "save_median"),
    ):
        print(f"{name:<44} {late[key] * 1000:>19.1f} ms {plain[key] * 1000:>9.1f} ms")
    print(f"{'key presses measured':<44} {int(late['keys']):>22} {int(plain['keys']):>12}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
