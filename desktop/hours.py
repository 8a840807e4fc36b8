"""Opening hours in OpenStreetMap syntax: validation and "open now"."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

import opening_hours


@dataclass(frozen=True)
class OpenState:
    is_open: bool
    known: bool
    next_change: datetime | None


def problem(expression: str) -> str | None:
    """None if ``expression`` parses, else the parser's first line."""
    try:
        _parsed(expression)
    except opening_hours.ParserError as exc:
        return str(exc).splitlines()[0]
    return None


@lru_cache(maxsize=1024)
def _parsed(expression: str) -> opening_hours.OpeningHours:
    return opening_hours.OpeningHours(expression)


def state_at(expression: str, when: datetime) -> OpenState:
    """Open or closed at ``when`` (naive local time), and when that changes."""
    if not expression.strip():
        return OpenState(False, False, None)
    try:
        parsed = _parsed(expression)
    except opening_hours.ParserError:
        return OpenState(False, False, None)
    naive = when.replace(tzinfo=None)
    return OpenState(parsed.is_open(naive), not parsed.is_unknown(naive), parsed.next_change(naive))
