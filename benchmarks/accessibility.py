"""What a screen reader costs and how soon it hears, each figure beside a reference measured
in the same run, on the real AT-SPI bus (tests/helpers/desktop_session.py: Xvfb, a session
bus, at-spi2-core; keys typed by xdotool, events read by pyatspi).

    .venv/bin/python benchmarks/accessibility.py [--contacts 20] [--runs 5]

Figures (goals from the screen-reader issue):
- key → announcement on the bus (the focused field's description), p50 and p99 over the
  digits of scripted contacts, beside key → the candidate count's new text on the bus from
  the same keys (goal: the announcement within one frame, 16 ms, of the list);
- the window's cold start to the first frame with the accessibility bridge on
  (QT_LINUX_ACCESSIBILITY_ALWAYS_ON=1, the AT-SPI bus there), beside off (goal: +10% at most).
No test asserts any of this: machines are noisy, read the ratios.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from agent_seat import READY_SNIPPET, line, ms, start_times  # type: ignore[import-not-found]  # noqa: E402

from tests.helpers.desktop_session import Session, desktop_session, start_repli  # noqa: E402
from tests.helpers.percentiles import p99  # noqa: E402

NAME = "object:property-change:accessible-name"
DESCRIPTION = "object:property-change:accessible-description"
FOCUSED = "object:state-changed:focused"
SUFFIXES = ("6881", "6882", "6883", "6677", "1234")


def bench_announcements(session: Session, data_dir: Path, contacts: int) -> None:
    window = start_repli(session, data_dir)
    try:
        session.window("Repli")
        session.wait_for(lambda e: e.get("type") == FOCUSED and e["detail"] == 1)
        session.type("bench")
        session.key("Return")
        session.wait_for(
            lambda e: e.get("type") == FOCUSED and e["detail"] == 1 and "composé" in e["name"]
        )
        listed: list[float] = []
        said: list[float] = []
        for n in range(contacts):
            digits = SUFFIXES[n % len(SUFFIXES)]
            for digit in digits:
                at = session.key(digit)
                count = session.wait_for(lambda e: _count_changed(e))
                spoken = session.wait_for(lambda e: e.get("type") == DESCRIPTION and e["data"])
                listed.append(count["t"] - at)
                said.append(spoken["t"] - at)
            session.key("ctrl+a", "BackSpace")
            session.drain(0.3)
        line(
            "key → announcement on the AT-SPI bus, p50 / p99",
            f"{ms(statistics.median(said))} / {ms(p99(said))}",
            f"{ms(statistics.median(listed))} / {ms(p99(listed))}",
            f"(reference: key → the candidate count's new text on the bus, same keys; "
            f"{len(said)} keys; goal: within 16 ms of it)",
        )
        late = [s - c for s, c in zip(said, listed, strict=True)]
        line("announcement after the list, p99", ms(p99(late)), "16 ms", "(the goal)")
    finally:
        window.terminate()
        window.wait(timeout=30)


def _count_changed(event: dict[str, Any]) -> bool:
    return (
        event.get("type") == NAME
        and event.get("role") == "label"
        and ("correspondance" in event.get("data", "") or "ne se termine" in event["data"])
    )


def bench_cold_start(session: Session, data_dir: Path, runs: int) -> None:
    def once(accessible: bool) -> float:
        env = {
            **session.env,
            "QT_QPA_PLATFORM": "xcb",
            "QT_LINUX_ACCESSIBILITY_ALWAYS_ON": "1" if accessible else "0",
            "QT_ACCESSIBILITY": "1" if accessible else "0",
        }
        return float(start_times(READY_SNIPPET, data_dir, env)[0])

    from desktop import shift

    shift.begin(data_dir, "bench")  # the window opens on the digits, as after a crash
    once(True)
    on, off = [], []
    for _ in range(runs):
        on.append(once(True))
        off.append(once(False))
    a, b = statistics.median(on), statistics.median(off)
    line(
        "cold start to the first frame, accessibility on, median",
        ms(a),
        ms(b),
        f"(reference: the same start, accessibility off; +{(a / b - 1) * 100:.0f}%, goal +10%)",
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--contacts", type=int, default=20)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="repli-a11y-") as tmp:
        tmp_path = Path(tmp)
        tmp_path.chmod(0o700)
        with desktop_session(tmp_path) as session:
            data_dir = tmp_path / "seat"
            bench_announcements(session, data_dir, args.contacts)
            bench_cold_start(session, data_dir, args.runs)


if __name__ == "__main__":
    main()
