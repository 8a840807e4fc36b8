"""The agent's shift on this seat: who signed in, and when.

Written at sign-in and removed when the window closes normally, so that after a crash or a
kill the next start goes straight back to the digits, under the same agent, with the draft.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from desktop.files import write_atomically

MAX_SHIFT = timedelta(hours=12)
FILE_NAME = "shift.json"


@dataclass(frozen=True)
class Shift:
    agent: str
    since: datetime


def begin(root: Path, agent: str, now: datetime | None = None) -> Shift:
    shift = Shift(agent, now or datetime.now(UTC))
    data = json.dumps({"agent": agent, "since": shift.since.isoformat()}).encode()
    write_atomically(root / FILE_NAME, data)
    return shift


def interrupted(root: Path, now: datetime | None = None) -> Shift | None:
    """The shift a crash interrupted, if it is recent enough to resume."""
    try:
        data = json.loads((root / FILE_NAME).read_text(encoding="utf-8"))
        shift = Shift(str(data["agent"]), datetime.fromisoformat(data["since"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if not shift.agent.strip() or (now or datetime.now(UTC)) - shift.since > MAX_SHIFT:
        return None
    return shift


def end(root: Path) -> None:
    (root / FILE_NAME).unlink(missing_ok=True)
