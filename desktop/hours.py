"""Opening hours in OpenStreetMap syntax: validation and "open now"."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import opening_hours


@dataclass(frozen=True)
class OpenState:
    is_open: bool
    known: bool
    next_change: datetime | None


def problem(expression: str) -> str | None:
    """None if ``expression`` parses, else the parser's first line."""
    import opening_hours

    try:
        _parsed(expression)
    except opening_hours.ParserError as exc:  # type: ignore[attr-defined]
        return str(exc).splitlines()[0]
    return None


@lru_cache(maxsize=1024)
def _parsed(expression: str) -> opening_hours.OpeningHours:
    import opening_hours  # on first use: the first frame does not need it

    return opening_hours.OpeningHours(expression)


def state_at(expression: str, when: datetime) -> OpenState:
    """Open or closed at ``when`` (naive local time), and when that changes."""
    import opening_hours

    if not expression.strip():
        return OpenState(False, False, None)
    try:
        parsed = _parsed(expression)
    except opening_hours.ParserError:  # type: ignore[attr-defined]
        return OpenState(False, False, None)
    naive = when.replace(tzinfo=None)
    return OpenState(parsed.is_open(naive), not parsed.is_unknown(naive), parsed.next_change(naive))


_FRENCH_WORDS = {
    "Mo": "lun.",
    "Tu": "mar.",
    "We": "mer.",
    "Th": "jeu.",
    "Fr": "ven.",
    "Sa": "sam.",
    "Su": "dim.",
    "PH": "jours fériés",
    "off": "fermé",
    "closed": "fermé",
}
_WORD = re.compile(r"\b(Mo|Tu|We|Th|Fr|Sa|Su|PH|off|closed)\b")


def readable(expression: str, language: str) -> str:
    """The expression for a reader: French day names in French, one rule per line."""
    rules = [rule.strip() for rule in expression.split(";") if rule.strip()]
    if language == "fr":
        rules = [_WORD.sub(lambda m: _FRENCH_WORDS[m.group(1)], r) for r in rules]
        rules = [r.replace(",", ", ").replace("-", "–") for r in rules]
    return "\n".join(rules)
