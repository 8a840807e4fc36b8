"""``repli drill --script FILE``: a scripted sequence of simulated calls, played as screen pops
into the running window at a chosen pace, so that agents train on the real window.

The script is TOML (docs/drill-script.md; an example: lookup_tables/drills/exemple.toml):

    title = "Exercice trimestriel"
    pace = 30            # seconds between two calls (default 30)

    [[call]]
    called = "01 99 00 66 77"      # the number the caller dialled (required)
    caller = "06 12 34 56 78"      # optional
    after = 5                      # seconds after the previous call (default: pace)
    ends_after = 90                # optional: an "ended" event that many seconds later
    brief = "Décès, demande de rendez-vous"   # for the trainer's console only

Every call is checked before the first one is played: a wrong script says which call and
what is wrong, and plays nothing. The calls carry ids ``drill-<script>-<n>``, so playing a
script twice gives new calls only if the seat saved the first ones (a call id is merged).
"""

from __future__ import annotations

import time
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from desktop.contacts import utc_now
from desktop.telephony.events import CallEvent, EventError, from_fields

DEFAULT_PACE = 30.0


class DrillError(ValueError):
    """A script that cannot be played (unreadable, or a call that is wrong)."""


@dataclass(frozen=True)
class DrillCall:
    number: int
    after: float
    ringing: CallEvent
    ends_after: float | None
    brief: str


@dataclass(frozen=True)
class Drill:
    title: str
    calls: list[DrillCall]


def read_script(path: Path, pace: float | None = None) -> Drill:
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise DrillError(f"{path}: {exc}") from None
    default = float(pace if pace is not None else raw.get("pace", DEFAULT_PACE))
    calls_raw = raw.get("call")
    if not isinstance(calls_raw, list) or not calls_raw:
        raise DrillError(f"{path}: no [[call]] in the script")
    unknown = set(raw) - {"title", "pace", "call"}
    if unknown:
        raise DrillError(f"{path}: unknown keys {', '.join(sorted(unknown))}")
    stem = "".join(c if c.isalnum() else "-" for c in path.stem)[:40]
    calls = [_call(path, stem, n, entry, default) for n, entry in enumerate(calls_raw, 1)]
    return Drill(str(raw.get("title", path.stem)), calls)


def _call(path: Path, stem: str, number: int, entry: Any, pace: float) -> DrillCall:
    where = f"{path}: call {number}"
    if not isinstance(entry, dict):
        raise DrillError(f"{where}: not a table")
    unknown = set(entry) - {"called", "caller", "after", "ends_after", "brief"}
    if unknown:
        raise DrillError(f"{where}: unknown keys {', '.join(sorted(unknown))}")
    try:
        after = float(entry.get("after", pace if number > 1 else 0))
        ends = entry.get("ends_after")
        ends_after = float(ends) if ends is not None else None
    except (TypeError, ValueError):
        raise DrillError(f"{where}: after and ends_after are seconds") from None
    if after < 0 or (ends_after is not None and ends_after <= 0):
        raise DrillError(f"{where}: after and ends_after must be positive")
    fields = {
        "event": "ringing",
        "called": str(entry.get("called", "")),
        "caller": str(entry.get("caller", "")),
        "call_id": f"drill-{stem}-{number}",
    }
    if not fields["called"].strip():
        raise DrillError(f"{where}: called (the dialled number) is required")
    try:
        ringing = from_fields(fields, source="drill")
    except EventError as exc:
        raise DrillError(f"{where}: {exc}") from None
    return DrillCall(number, after, ringing, ends_after, str(entry.get("brief", "")))


def play(
    drill: Drill,
    send: Callable[[CallEvent], bool],
    say: Callable[[str], None] = print,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
) -> int:
    """Send each call's events at their times; returns the number of calls delivered.
    ``send`` returns False when the window did not take the event (it is not running)."""
    start = clock()
    schedule: list[tuple[float, int, CallEvent, str]] = []
    at = 0.0
    for call in drill.calls:
        at += call.after
        schedule.append((at, call.number, call.ringing, call.brief))
        if call.ends_after is not None:
            ended = from_fields(
                {"event": "ended", "call_id": call.ringing.call_id, "called": "", "caller": ""},
                source="drill",
            )
            schedule.append((at + call.ends_after, call.number, ended, ""))
    schedule.sort(key=lambda item: item[0])
    delivered = 0
    for due, number, event, brief in schedule:
        wait = start + due - clock()
        if wait > 0:
            sleep(wait)
        if not send(replace(event, at=utc_now())):  # stamped when it rings
            raise DrillError("the window does not answer any more: is Repli still running?")
        if event.kind == "ringing":
            delivered += 1
            say(
                f"call {number}/{len(drill.calls)}: {event.called or '?'}"
                + (f" — {brief}" if brief else "")
            )
    return delivered
