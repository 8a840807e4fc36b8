"""Where a branch keeps its clock and its public holidays.

A branch has an IANA time zone and a holiday calendar ("country"): ``FR`` for metropolitan
France, a territory's code for an overseas one (``RE``, ``GP``, ``MQ``, ``GF``, ``YT``,
``PM``, ``BL``, ``MF``), ``FR-57``/``FR-67``/``FR-68`` for Alsace-Moselle (Good Friday and
26 December), or any country the opening-hours library knows (``BE``, ``CH``, …).

A pack may give both per branch (``timezone`` and ``country`` columns) or for the whole pack
(the manifest); otherwise they come from the branch's postcode (974xx is La Réunion), then
from its phone number (phonenumbers knows each number's region and time zone), then from the
seat's region.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from desktop import phone

DEFAULT_COUNTRY = "FR"

# The French calendars: the country the opening-hours library evaluates ``PH`` in, and the
# subdivision of the ``holidays`` package that adds the territory's own days (abolition of
# slavery, Good Friday in Alsace-Moselle, …).
FRENCH_CALENDARS: dict[str, str | None] = {
    "FR": None,
    "FR-57": "57",
    "FR-67": "6AE",
    "FR-68": "6AE",
    "GP": "971",
    "MQ": "972",
    "GF": "973",
    "RE": "974",
    "YT": "976",
    "PM": "PM",
    "BL": "BL",
    "MF": "MF",
}

# La Poste's overseas postcodes (971–978) and the three departments of Alsace-Moselle.
_POSTCODE_PREFIXES = (
    ("97133", "BL"),
    ("97150", "MF"),
    ("971", "GP"),
    ("972", "MQ"),
    ("973", "GF"),
    ("974", "RE"),
    ("975", "PM"),
    ("976", "YT"),
    ("977", "BL"),
    ("978", "MF"),
    ("57", "FR-57"),
    ("67", "FR-67"),
    ("68", "FR-68"),
)


class UnknownPlace(ValueError):
    """A time zone or a holiday calendar that does not exist."""


@dataclass(frozen=True)
class Place:
    timezone: str
    country: str


def check_timezone(name: str) -> str:
    """``name`` if it is an IANA time zone this machine knows (tzdata on Windows)."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    if not name or name != name.strip() or name.startswith(("/", ".")) or ".." in name:
        raise UnknownPlace(f"time zone {name!r} is not an IANA name like Europe/Paris")
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise UnknownPlace(
            f"time zone {name!r} is not an IANA name like Europe/Paris or Indian/Reunion"
        ) from None
    return name


def check_country(code: str) -> str:
    """The holiday calendar ``code`` (upper case) if it exists."""
    wanted = code.strip().upper()
    if _known(wanted):
        return wanted
    raise UnknownPlace(
        f"country {code!r} has no holiday calendar (FR, RE, GP, MQ, GF, YT, PM, BL, MF, "
        "FR-57, FR-67, FR-68, or an ISO code such as BE)"
    )


def _known(code: str) -> bool:
    return code in FRENCH_CALENDARS or _library_knows(code)


@lru_cache(maxsize=64)
def _library_knows(code: str) -> bool:
    import opening_hours

    if len(code) != 2 or not code.isalpha():
        return False
    try:
        opening_hours.OpeningHours("24/7", country=code)
    except opening_hours.UnknownCountryError:  # type: ignore[attr-defined]
        return False
    return True


def country_from(postcode: str, number: str, region: str = DEFAULT_COUNTRY) -> str:
    """The holiday calendar a branch's postcode, else its phone number, points to."""
    code = postcode.strip().replace(" ", "")
    if len(code) == 5 and code.isdigit():
        for prefix, country in _POSTCODE_PREFIXES:
            if code.startswith(prefix):
                return country
        return "FR"
    if number:
        normalised = phone.normalise(number, region)
        # an 08 or 09 number (+33 8, +33 9) says nothing of where its line is: a branch of La
        # Réunion on a 09 line is La Réunion's (the pack's or the seat's territory), not Paris's
        anywhere = (normalised.e164 or "").startswith(("+338", "+339"))
        if normalised.valid and _known(normalised.territory) and not anywhere:
            return normalised.territory
    seat = region.upper()
    return seat if _known(seat) else DEFAULT_COUNTRY


@lru_cache(maxsize=64)
def timezone_for(country: str) -> str:
    """The time zone of a calendar's territory, from phonenumbers' own data: the zone of its
    example fixed-line number (Indian/Reunion for RE, Europe/Paris for FR-57)."""
    import phonenumbers
    from phonenumbers import timezone

    region = country.split("-")[0]
    example = phonenumbers.example_number_for_type(region, phonenumbers.PhoneNumberType.FIXED_LINE)
    zones = timezone.time_zones_for_number(example) if example is not None else ()
    known = [z for z in zones if z != "Etc/Unknown"]
    return known[0] if known else "Europe/Paris"


def place_of(
    postcode: str,
    number: str,
    timezone: str = "",
    country: str = "",
    region: str = DEFAULT_COUNTRY,
) -> Place:
    """A branch's place: what the pack says, else what its postcode or number says."""
    calendar = country or country_from(postcode, number, region)
    return Place(timezone or timezone_for(calendar), calendar)
