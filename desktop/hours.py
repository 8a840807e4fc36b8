"""Opening hours in OpenStreetMap syntax: validation, and "open now" at the branch's own time
and with its own public holidays.

The opening-hours library evaluates an expression in a time zone and a country's holiday
calendar (``PH``). It knows France's national holidays; a territory's own days (20 December
in La Réunion, Good Friday in Alsace-Moselle) come from the ``holidays`` package, and are
added to the expression as dated rules that repeat each rule whose day list holds ``PH``
(``PH off`` gains ``2026 Dec 20 off``), so that they count as public holidays too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from typing import TYPE_CHECKING

from desktop.places import FRENCH_CALENDARS, Place

if TYPE_CHECKING:
    import opening_hours

PARIS = Place("Europe/Paris", "FR")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_DAY = r"(?:Mo|Tu|We|Th|Fr|Sa|Su|PH|SH)(?:\[[^\]]*\])?"
# A rule that starts with a list of days holding PH: "PH off", "Sa,PH 09:00-12:00".
_DAYS_FIRST = re.compile(rf"^\s*({_DAY}(?:\s*[-,]\s*{_DAY})*)(\s.*|)$", re.DOTALL)


@dataclass(frozen=True)
class OpenState:
    is_open: bool
    known: bool
    next_change: datetime | None  # aware, in the branch's time zone
    local_now: datetime | None = None  # the branch's clock at the instant asked about


def problem(expression: str) -> str | None:
    """None if ``expression`` parses, else the parser's first line."""
    import opening_hours

    try:
        _parsed(expression, PARIS, 0)
    except opening_hours.ParserError as exc:  # type: ignore[attr-defined]
        return str(exc).splitlines()[0]
    return None


def state_at(expression: str, when: datetime, place: Place = PARIS) -> OpenState:
    """Open or closed at the instant ``when`` (aware; a naive one is taken as the seat's
    local time) by the branch's clock and holidays, and when that changes."""
    from zoneinfo import ZoneInfo

    import opening_hours

    instant = when if when.tzinfo is not None else when.astimezone()
    local = instant.astimezone(ZoneInfo(place.timezone))
    if not expression.strip():
        return OpenState(False, False, None, local)
    try:
        parsed = _parsed(expression, place, local.year)
    except opening_hours.ParserError:  # type: ignore[attr-defined]
        return OpenState(False, False, None, local)
    return _state(parsed, local)


# How far ahead the next change is looked for. The library's own ``next_change`` searches up
# to the year 9999 for an expression that never changes ("Mo-Su 00:00-24:00", a funeral
# service's round-the-clock line): a second on the GUI thread at each card, every 20 s.
# Two weeks hold the next opening of any weekly schedule; beyond, the card says none.
HORIZON = timedelta(days=14)


def _state(parsed: opening_hours.OpeningHours, local: datetime) -> OpenState:
    """The state at ``local`` and its next change within ``HORIZON``: one bounded walk."""
    import opening_hours

    end = local + HORIZON
    intervals = iter(parsed.intervals(local, end))
    first = next(intervals, None)
    if first is None:
        return OpenState(False, False, None, local)
    state, change = first[2], None
    for start, _until, other, _comment in intervals:  # a comment alone splits an interval
        if other != state:
            change = start.astimezone(local.tzinfo)
            break
    is_open = state == opening_hours.State.OPEN
    known = state != opening_hours.State.UNKNOWN
    return OpenState(is_open, known, change, local)


def evaluation_time(
    expression: str, place: Place = PARIS, when: datetime | None = None, tries: int = 13
) -> float:
    """Seconds the worst of ``tries`` evaluations of ``expression`` over a week takes (the
    card asks at any instant): the pack import warns of one slower than ``SLOW_EXPRESSION_S``."""
    import time

    start = when or datetime(2026, 1, 5, 0, 0, tzinfo=UTC)
    state_at(expression, start, place)  # parsed once (then cached), as the card's first show
    worst = 0.0
    for hours in range(0, 13 * tries, 13):
        began = time.perf_counter()
        state_at(expression, start + timedelta(hours=hours), place)
        worst = max(worst, time.perf_counter() - began)
    return worst


SLOW_EXPRESSION_S = 0.005


@lru_cache(maxsize=2048)
def _parsed(expression: str, place: Place, year: int) -> opening_hours.OpeningHours:
    from zoneinfo import ZoneInfo

    import opening_hours  # on first use: the first frame does not need it

    subdivision = FRENCH_CALENDARS.get(place.country, "")
    country = "FR" if place.country in FRENCH_CALENDARS else place.country
    zone = ZoneInfo(place.timezone)
    if subdivision and year:
        own = with_own_holidays(expression, _own_holidays(subdivision, year))
        try:
            return opening_hours.OpeningHours(own, timezone=zone, country=country)
        except opening_hours.ParserError:  # type: ignore[attr-defined]
            pass  # a PH rule of a shape not repeated (an offset): France's days only
    return opening_hours.OpeningHours(expression, timezone=zone, country=country)


def _own_holidays(subdivision: str, year: int) -> tuple[tuple[int, int, int], ...]:
    """The days a French territory keeps beyond France's national holidays, this year and
    the next (a "next change" can fall in January)."""
    import holidays

    years = [year, year + 1]
    own = holidays.country_holidays("FR", subdiv=subdivision, years=years)
    national = holidays.country_holidays("FR", years=years)
    return tuple(sorted((d.year, d.month, d.day) for d in set(own) - set(national)))


def with_own_holidays(expression: str, days: tuple[tuple[int, int, int], ...]) -> str:
    """``expression`` where each rule whose day list holds PH is repeated for ``days``."""
    if not days:
        return expression
    dates = ",".join(f"{y} {_MONTHS[m - 1]} {d:02d}" for y, m, d in days)
    rules = []
    for rule in _rules(expression):
        rules.append(rule)
        match = _DAYS_FIRST.match(rule)
        if match and re.search(r"\bPH\b", match.group(1)):
            rules.append(f"{dates}{match.group(2) or ' open'}")
    return "; ".join(rules)


def _rules(expression: str) -> list[str]:
    """The rules between ``;`` (not those inside a quoted comment)."""
    rules: list[str] = []
    current: list[str] = []
    quoted = False
    for ch in expression:
        if ch == '"':
            quoted = not quoted
        if ch == ";" and not quoted:
            rules.append("".join(current).strip())
            current = []
        else:
            current.append(ch)
    rules.append("".join(current).strip())
    return [r for r in rules if r]


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


def warm_up(language: str, today: date) -> None:
    """The holidays package imported and its calendar's names read (~85 ms the first time,
    0.2 ms after): done off the GUI thread as the store opens, so that the first card an
    agent brings up reads no file."""
    for wanted in {language, "fr"}:
        holiday_name(PARIS, today, wanted)


def holiday_name(place: Place, day: date, language: str = "fr") -> str | None:
    """The public holiday ``day`` is at the place, in ``language`` where the calendar has it."""
    country, subdivision = (
        ("FR", FRENCH_CALENDARS[place.country])
        if place.country in FRENCH_CALENDARS
        else (place.country, None)
    )
    wanted = {"en": "en_US"}.get(language, language)
    return _calendar(country, subdivision, day.year, wanted).get(day)


@lru_cache(maxsize=64)
def _calendar(country: str, subdivision: str | None, year: int, language: str) -> dict[date, str]:
    import holidays

    try:
        found = holidays.country_holidays(
            country, subdiv=subdivision, years=year, language=language
        )
    except NotImplementedError:  # a country the holidays package does not know
        return {}
    return dict(found)
