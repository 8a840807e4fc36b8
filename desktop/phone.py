"""Phone numbers, in one place: parse, normalise, format, dialling digits.

Everything goes through ``phonenumbers`` with a default region (FR unless configured). The
library is imported on first use, not at start-up: the first frame of the window needs none
of it (see desktop.app).

France's numbering plan covers its overseas departments and communities too: ``0262 21 34 56``
is a number of La Réunion (+262 262 21 34 56), ``0596 …`` one of Martinique, dialled that way
from Paris. phonenumbers knows each territory as its own region, so a number written the
national way is read against every region of the plan (``FRENCH_PLAN``), and the territory
whose geographic or mobile ranges hold it wins (see ``parse``).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache, partial
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from phonenumbers import PhoneNumber


_DIGITS = frozenset("0123456789")

# The regions that write their numbers the French way (trunk prefix 0, then nine digits) and
# are dialled that way from each other: metropolitan France and its overseas departments and
# communities. Saint-Pierre-et-Miquelon keeps a plan of its own (+508, six digits) but is
# tried too, for a number written the way its inhabitants write it.
FRENCH_PLAN = ("FR", "RE", "YT", "GP", "BL", "MF", "MQ", "GF")
OVERSEAS = ("RE", "YT", "GP", "BL", "MF", "MQ", "GF", "PM")
_READ_AS_FRENCH = (*FRENCH_PLAN, "PM")


@dataclass(frozen=True)
class Normalised:
    """A number as typed, with what phonenumbers made of it."""

    raw: str
    e164: str | None
    national: str
    valid: bool
    territory: str = ""  # the number's region (RE for La Réunion), "" when invalid

    @property
    def stored(self) -> str:
        """What a contact records: E.164 when valid, the raw text otherwise."""
        return self.e164 if self.valid and self.e164 else self.raw.strip()


def only_digits(text: str) -> str:
    return "".join(ch for ch in text if ch in _DIGITS)


def parse(text: str, region: str = "FR") -> PhoneNumber | None:
    """``text`` read with ``region`` as the default; a number written the national way in a
    region of France's plan is read against the whole plan (see ``_in_french_plan``)."""
    read = _read(text, region)
    return read[0] if read is not None else None


def _read(text: str, region: str) -> tuple[PhoneNumber, bool] | None:
    """The number and whether it is valid (``is_valid``), each worked out once."""
    import phonenumbers

    try:
        number = _common_french(text, region) or phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return None
    source = phonenumbers.CountryCodeSource
    if region.upper() in _READ_AS_FRENCH and number.country_code_source in (
        source.FROM_DEFAULT_COUNTRY,
        source.UNSPECIFIED,
    ):
        return _in_french_plan(text, number, region.upper())
    return number, is_valid(number)


# The two ways a pack most often writes a French number (0 and nine digits, in pairs or not;
# +33 and nine digits), from a seat in France: read as phonenumbers.parse reads them, without
# its general parser (17 µs of a 27 µs check, for a pack of 100,000 numbers;
# tests/unit/test_phone.py compares the two over random numbers of both shapes).
_FRENCH_NATIONAL = re.compile(r"0[1-9](?: ?[0-9]{2}){4}")
_FRENCH_E164 = re.compile(r"\+33[1-9][0-9]{8}")


def _common_french(text: str, region: str) -> PhoneNumber | None:
    nsn = _common_french_nsn(text, region)
    if nsn is None:
        return None
    from phonenumbers import PhoneNumber

    return PhoneNumber(country_code=33, national_number=int(nsn))


def _common_french_nsn(text: str, region: str) -> str | None:
    """The nine digits after +33 or 0 of a number in one of the two common shapes."""
    if region != "FR":
        return None
    if _FRENCH_E164.fullmatch(text):
        return text[3:]
    if _FRENCH_NATIONAL.fullmatch(text):
        return text.replace(" ", "")[1:]
    return None


def _in_french_plan(text: str, default: PhoneNumber, region: str) -> tuple[PhoneNumber, bool]:
    """The reading of a nationally written number that France's plan gives it.

    A territory's fixed or mobile ranges are its own: ``0262 …`` or ``0692 …`` is La
    Réunion's, whatever the seat's region. Other numbers (``08``, ``09``) are national: the
    seat's region keeps them when they are valid there. A number in a range that bears a
    territory's country code (``0596 21 …``: +596) is that territory's even where
    phonenumbers, which knows the allocated blocks only, does not know it: its metropolitan
    patterns are broad enough to call it a valid French number, which it is not.
    """
    import phonenumbers

    nsn = phonenumbers.national_significant_number(default)
    any_overseas, ranges = _own_ranges()
    bears_code = len(nsn) == 9 and nsn[:3] in _OVERSEAS_PREFIXES
    national_service = nsn.startswith("8")  # 08: France's special numbers, the same everywhere
    if national_service and default.country_code != 33:
        default = phonenumbers.parse(text, "FR")
    if not national_service and (region != "FR" or bears_code or any_overseas.fullmatch(nsn)):
        # the territory comes from the prefix first: the territories' own ranges, France's
        # broad patterns last, and never for a number that bears a territory's code (from a
        # seat in Mayotte, 0269 … was read as +33 2 69 …, and 0596 … as +33 5 96 …)
        for territory, own_ranges in sorted(ranges, key=lambda r: r[0] == "FR"):
            if (territory == "FR" and bears_code) or not own_ranges.fullmatch(nsn):
                continue
            reading = default if territory == region else phonenumbers.parse(text, territory)
            if phonenumbers.is_valid_number(reading):
                return reading, True
    if bears_code:
        found = _territory_bearing_code(nsn)
        if found is not None:
            return found, True
    if phonenumbers.is_valid_number(default):
        return default, True
    for territory in _READ_AS_FRENCH:
        if territory != region:
            reading = phonenumbers.parse(text, territory)
            if phonenumbers.is_valid_number(reading):
                return reading, True
    return default, _is_overseas_reading(default)


@lru_cache(maxsize=1)
def _own_ranges() -> tuple[re.Pattern[str], tuple[tuple[str, re.Pattern[str]], ...]]:
    """Each region of the plan with its fixed and mobile ranges as one pattern, and one
    pattern for every overseas range: a metropolitan number costs one match, not a parse in
    each region."""
    import phonenumbers

    ranges = []
    for territory in _READ_AS_FRENCH:
        meta = phonenumbers.PhoneMetadata.metadata_for_region(territory)
        assert meta is not None, territory
        parts = [
            d.national_number_pattern
            for d in (meta.fixed_line, meta.mobile)
            if d is not None and d.national_number_pattern
        ]
        ranges.append((territory, "|".join(f"(?:{p})" for p in parts)))
    overseas = "|".join(f"(?:{pattern})" for territory, pattern in ranges if territory != "FR")
    return re.compile(overseas), tuple((t, re.compile(pattern)) for t, pattern in ranges)


def _territory_bearing_code(nsn: str) -> PhoneNumber | None:
    """``+33 596 21 34 56`` (valid to phonenumbers' broad French patterns) is ``+596 596 21 34
    56``: the overseas ranges of the French plan start with the territory's country code,
    the first three digits of ``nsn`` (one of ``_OVERSEAS_PREFIXES``). Saint-Pierre-et-
    Miquelon's plan has six digits: ``0508 41 12 34`` is ``+508 41 12 34``."""
    import phonenumbers

    code = int(nsn[:3])
    national = int(nsn[3:]) if code == _SPM else int(nsn)
    reading = phonenumbers.PhoneNumber(country_code=code, national_number=national)
    return reading if phonenumbers.is_possible_number(reading) else None


def territory_of(number: PhoneNumber) -> str:
    """The region a number belongs to (``BL`` for a Saint-Barthélemy number of +590)."""
    import phonenumbers

    return str(phonenumbers.region_code_for_number(number) or "")


def e164_of(number: PhoneNumber) -> str:
    import phonenumbers

    return str(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164))


def normalise(text: str, region: str = "FR") -> Normalised:
    read = _read(text, region) if only_digits(text) else None
    if read is None:
        return Normalised(text, None, text.strip(), False)
    number, valid = read
    e164 = e164_of(number)
    national = _display(number, region) if valid else text.strip()
    return Normalised(text, e164, national, valid, territory_of(number) if valid else "")


def is_valid(number: PhoneNumber) -> bool:
    """phonenumbers' validity, and an overseas number of France's plan outside the blocks
    phonenumbers knows (see ``_territory_bearing_code``)."""
    import phonenumbers

    return bool(phonenumbers.is_valid_number(number)) or _is_overseas_reading(number)


def _is_overseas_reading(number: PhoneNumber) -> bool:
    """A reading made by ``_territory_bearing_code``: possible in its territory, not in
    phonenumbers' allocated blocks; the plan says it is the territory's."""
    import phonenumbers

    nsn = phonenumbers.national_significant_number(number)
    if number.country_code == _SPM:
        return len(nsn) == 6 and bool(phonenumbers.is_possible_number(number))
    return (
        number.country_code in _OVERSEAS_CODES
        and len(nsn) == 9
        and nsn.startswith(str(number.country_code))
        and phonenumbers.is_possible_number(number)
    )


# The country codes that open a territory's ranges in France's plan: 0262 (La Réunion and
# Mayotte), 0590 (Guadeloupe, Saint-Barthélemy, Saint-Martin), 0594 (Guyane), 0596
# (Martinique), 0508 (Saint-Pierre-et-Miquelon, whose own numbers have six digits).
_SPM = 508
_OVERSEAS_CODES = frozenset({262, 590, 594, 596, _SPM})
_OVERSEAS_PREFIXES = frozenset(str(code) for code in _OVERSEAS_CODES)


def _display(number: PhoneNumber, region: str) -> str:
    """The national format for a number of the seat's region, or of France's plan when the
    seat is in it (``0262 21 34 56`` is dialled that way from Paris); international else."""
    import phonenumbers

    style = phonenumbers.PhoneNumberFormat
    own = phonenumbers.region_code_for_number(number)
    seat = region.upper()
    if own == seat or (own in FRENCH_PLAN and seat in FRENCH_PLAN):
        return str(phonenumbers.format_number(number, style.NATIONAL))
    return str(phonenumbers.format_number(number, style.INTERNATIONAL))


def display_stored(number: str, region: str = "FR") -> str:
    """A stored caller number as shown: an E.164 one in the national display, anything else
    (an invalid number, kept as typed) as it is."""
    return display_e164(number, region) if number.startswith("+") else number


def shown_in_pairs(e164: str) -> bool:
    """Whether phonenumbers shows ``e164`` from France as ``0`` and its nine digits in pairs:
    every French number but the 08 ones and those bearing a territory's code, which are read
    as that territory's (checked by tests/unit/test_phone.py and test_export_fast_paths.py)."""
    return (
        len(e164) == 12
        and e164.startswith("+33")
        and e164[1:].isdigit()
        and e164[3] != "8"
        and e164[3:6] not in _OVERSEAS_PREFIXES
    )


@lru_cache(maxsize=4096)
def display_e164(e164: str, region: str = "FR") -> str:
    """National display for a stored E.164 number (cached: history rows repeat numbers)."""
    if region == "FR" and shown_in_pairs(e164):  # no parsing needed
        national = "0" + e164[3:]
        return " ".join(national[i : i + 2] for i in range(0, 10, 2))
    number = parse(e164, region)
    return _display(number, region) if number is not None else e164


def dialling_digits(number: PhoneNumber) -> str:
    """The digits an agent reads on a national display: ``0199006677`` for +33 1 99 00 66 77.

    The national prefix plus the national significant number is what the national format
    shows for the numbers of a region with a trunk prefix (FR: "0"), and costs nothing; other
    numbers go through phonenumbers' national formatting.
    """
    import phonenumbers

    region = phonenumbers.region_code_for_number(number)
    metadata = phonenumbers.PhoneMetadata.metadata_for_region(region) if region else None
    prefix = metadata.national_prefix if metadata is not None else None
    if prefix and prefix.isdigit() and region in _PLAIN_TRUNK_REGIONS:
        return str(prefix + phonenumbers.national_significant_number(number))
    national = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return only_digits(national)


# Regions whose national format is always trunk prefix + NSN (checked by tests/unit/test_phone).
_PLAIN_TRUNK_REGIONS = frozenset(
    {"FR", "BE", "CH", "DE", "GB", "NL", "ES", "PT", "MC", "LU", *FRENCH_PLAN}
)


class Canonical(NamedTuple):
    """A number of a table pack, checked: E.164 and the dialling digits (a tuple: a hundred
    thousand of them cross process boundaries during an import)."""

    e164: str
    dialling: str


def canonical(text: str, region: str) -> Canonical | None:
    """None when ``text`` is not a valid phone number."""
    return _metropolitan(text, region) or _canonical_read(text, region)


def _canonical_read(text: str, region: str) -> Canonical | None:
    read = _read(text, region)
    if read is None or not read[1]:
        return None
    return Canonical(e164_of(read[0]), dialling_digits(read[0]))


def _metropolitan(text: str, region: str) -> Canonical | None:
    """``canonical``'s answer for a valid metropolitan number in a common shape, read on a seat
    in France, in two pattern matches; None for any other (which takes ``_read``).

    Such a number is read as +33 (``_common_french``); ``_in_french_plan`` keeps it there
    when it is in none of the overseas ranges nor bears a territory's code, and phonenumbers
    finds it valid; its dialling digits are then 0 and its nine digits (``dialling_digits``).
    A pack's numbers are mostly these: 100,000 of them took ~1.6 s of phonenumbers' checks.
    ``tests/unit/test_phone.py`` compares this with ``_canonical_read`` over every range.
    """
    nsn = _metropolitan_nsn(text, region)
    return None if nsn is None else _french(nsn)


def _metropolitan_nsn(text: str, region: str) -> str | None:
    """``_metropolitan``'s nine digits alone (a pack's quick pass holds these, a third of the
    memory of its answers)."""
    nsn = _common_french_nsn(text, region)
    return nsn if nsn is not None and _metropolitan_valid().fullmatch(nsn) else None


def _french(nsn: str) -> Canonical:
    return Canonical("+33" + nsn, "0" + nsn)


@lru_cache(maxsize=1)
def _metropolitan_valid() -> re.Pattern[str]:
    """Nine digits after +33 in none of the overseas ranges, not opening with a territory's
    code, and valid to ``phonenumbers.is_valid_number``, as one pattern built from its own
    metadata: the general description's pattern, and any number type's (what its
    ``_number_type_helper`` tries, each with its possible lengths)."""
    import phonenumbers

    meta = phonenumbers.PhoneMetadata.metadata_for_region("FR")
    assert meta is not None

    def nine_digits(desc: phonenumbers.PhoneNumberDesc | None) -> str | None:
        if desc is None or not desc.national_number_pattern:
            return None
        if desc.possible_length and 9 not in desc.possible_length:
            return None
        return f"(?:{desc.national_number_pattern})"

    kinds = (
        meta.premium_rate, meta.toll_free, meta.shared_cost, meta.voip, meta.personal_number,
        meta.pager, meta.uan, meta.voicemail, meta.fixed_line, meta.mobile,
    )  # fmt: skip
    general = nine_digits(meta.general_desc)
    types = [p for p in map(nine_digits, kinds) if p]
    assert general and types
    overseas = f"(?!(?:{_own_ranges()[0].pattern})\\Z)(?!{'|'.join(sorted(_OVERSEAS_PREFIXES))})"
    return re.compile(f"{overseas}(?={general}\\Z)(?:{'|'.join(types)})")


def canonical_many(texts: list[str], region: str, workers: int = 0) -> list[Canonical | None]:
    """``canonical`` for many numbers; parsing is CPU-bound, so big packs use every core."""
    return [item for part in canonical_chunks(texts, region, workers) for item in part]


_CHUNK = 50_000


def canonical_chunks(
    texts: list[str], region: str, workers: int = 0
) -> Iterator[list[Canonical | None]]:
    """``canonical`` for consecutive chunks of ``texts``, in order. From 20,000 numbers they
    are checked in worker processes, started at once, while the caller reads the rest of the
    pack: it can use each chunk as soon as it is ready (and do other work before asking for
    the first). Fewer are checked here (the common metropolitan ones by ``_metropolitan``).
    The workers are spawned, never forked: an import runs in a thread of the window or of the
    tables follower, and a process forked from one with other threads could inherit a lock
    one of them held, and never end."""
    texts = list(texts)  # the caller may let go of its list as chunks come back
    workers = workers or (os.cpu_count() or 1)
    if workers < 2 or len(texts) < 20_000:
        return _checked_here(texts, [_metropolitan_nsn(t, region) for t in texts], region)
    from desktop.workers import Workers  # a large pack's only

    # common numbers (3.4 µs each) leave a core to this process's reading; others (the
    # general parser, ~16 µs) take every core
    costly = sum(_metropolitan_nsn(t, region) is None for t in texts[:1000]) > 100
    count = workers if costly else workers - 1
    chunk = -(-len(texts) // (workers * 8))
    parts = [texts[i : i + chunk] for i in range(0, len(texts), chunk)]
    del texts
    pool = Workers(count, beside=True)  # killed (out of memory?) or unable to start: here
    answers = pool.in_order(parts, partial(_checked_part, region=region), ahead=len(parts))

    def results() -> Iterator[list[Canonical | None]]:
        try:
            for part in answers:  # a common number comes back as its nine digits: less to send
                yield [_french(c) if isinstance(c, str) else c for c in part]
        finally:
            pool.close()

    return results()


def _checked_here(
    texts: list[str], quick: list[str | None], region: str
) -> Iterator[list[Canonical | None]]:
    """The answers in chunks of ``_CHUNK``, each made when it is asked for: a 1.6-million-number
    pack's answers, made all at once, held 300 MB."""
    for start in range(0, len(texts), _CHUNK):
        end = start + _CHUNK
        yield [
            _french(nsn) if nsn is not None else _canonical_read(t, region)
            for t, nsn in zip(texts[start:end], quick[start:end], strict=True)
        ]


def _checked_part(texts: list[str], region: str) -> list[str | Canonical | None]:
    """A worker's part of ``canonical_chunks``: a common metropolitan number's nine digits
    (``_metropolitan_nsn``), another's ``canonical``."""
    return [
        nsn if (nsn := _metropolitan_nsn(t, region)) is not None else _canonical_read(t, region)
        for t in texts
    ]
