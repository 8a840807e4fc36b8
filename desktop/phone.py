"""Phone numbers, in one place: parse, normalise, format, dialling digits.

Everything goes through ``phonenumbers`` with a default region (FR unless configured). The
library is imported on first use, not at start-up: the first frame of the window needs none
of it (see desktop.app).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from phonenumbers import PhoneNumber

_DIGITS = frozenset("0123456789")


@dataclass(frozen=True)
class Normalised:
    """A number as typed, with what phonenumbers made of it."""

    raw: str
    e164: str | None
    national: str
    valid: bool

    @property
    def stored(self) -> str:
        """What a contact records: E.164 when valid, the raw text otherwise."""
        return self.e164 if self.valid and self.e164 else self.raw.strip()


def only_digits(text: str) -> str:
    return "".join(ch for ch in text if ch in _DIGITS)


def parse(text: str, region: str = "FR") -> PhoneNumber | None:
    import phonenumbers

    try:
        return phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return None


def e164_of(number: PhoneNumber) -> str:
    import phonenumbers

    return str(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164))


def normalise(text: str, region: str = "FR") -> Normalised:
    import phonenumbers

    number = parse(text, region) if only_digits(text) else None
    if number is None:
        return Normalised(text, None, text.strip(), False)
    valid = phonenumbers.is_valid_number(number)
    e164 = e164_of(number)
    national = _display(number, region) if valid else text.strip()
    return Normalised(text, e164, national, valid)


def _display(number: PhoneNumber, region: str) -> str:
    import phonenumbers

    style = phonenumbers.PhoneNumberFormat
    if phonenumbers.region_code_for_number(number) == region.upper():
        return str(phonenumbers.format_number(number, style.NATIONAL))
    return str(phonenumbers.format_number(number, style.INTERNATIONAL))


def display_stored(number: str, region: str = "FR") -> str:
    """A stored caller number as shown: an E.164 one in the national display, anything else
    (an invalid number, kept as typed) as it is."""
    return display_e164(number, region) if number.startswith("+") else number


@lru_cache(maxsize=4096)
def display_e164(e164: str, region: str = "FR") -> str:
    """National display for a stored E.164 number (cached: history rows repeat numbers)."""
    # phonenumbers shows every French number in pairs but the 08 ones (checked by
    # tests/unit/test_phone.py): those need no parsing
    french = len(e164) == 12 and e164.startswith("+33") and e164[1:].isdigit()
    if region == "FR" and french and e164[3] != "8":
        national = "0" + e164[3:]
        return " ".join(national[i : i + 2] for i in range(0, 10, 2))
    number = parse(e164, region)
    return _display(number, region) if number is not None else e164


def dialling_digits(number: PhoneNumber) -> str:
    """The digits an agent reads on a national display: ``0144556677`` for +33 1 44 55 66 77.

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
    {"FR", "BE", "CH", "DE", "GB", "NL", "ES", "PT", "GP", "MQ", "GF", "RE", "YT", "PM", "MC", "LU"}
)


class Canonical(NamedTuple):
    """A number of a table pack, checked: E.164 and the dialling digits (a tuple: a hundred
    thousand of them cross process boundaries during an import)."""

    e164: str
    dialling: str


def canonical(text: str, region: str) -> Canonical | None:
    """None when ``text`` is not a valid phone number."""
    import phonenumbers

    number = parse(text, region)
    if number is None or not phonenumbers.is_valid_number(number):
        return None
    return Canonical(e164_of(number), dialling_digits(number))


def canonical_many(texts: list[str], region: str, workers: int = 0) -> list[Canonical | None]:
    """``canonical`` for many numbers; parsing is CPU-bound, so big packs use every core."""
    return [item for part in canonical_chunks(texts, region, workers) for item in part]


def canonical_chunks(
    texts: list[str], region: str, workers: int = 0
) -> Iterator[list[Canonical | None]]:
    """``canonical`` for consecutive chunks of ``texts``, in order. Big batches are checked in
    worker processes, started at once: the caller can use each chunk as soon as it is ready
    (and do other work before asking for the first)."""
    import os

    workers = workers or (os.cpu_count() or 1)
    if workers < 2 or len(texts) < 20_000:
        return iter([[canonical(t, region) for t in texts]])
    from concurrent.futures import ProcessPoolExecutor
    from functools import partial

    chunk = -(-len(texts) // (workers * 8))
    parts = [texts[i : i + chunk] for i in range(0, len(texts), chunk)]
    pool = ProcessPoolExecutor(max_workers=workers)
    futures = [pool.submit(partial(_canonical_list, region=region), part) for part in parts]

    def results() -> Iterator[list[Canonical | None]]:
        try:
            for future in futures:
                yield future.result()
        finally:
            pool.shutdown(cancel_futures=True)

    return results()


def _canonical_list(texts: list[str], region: str) -> list[Canonical | None]:
    return [canonical(t, region) for t in texts]
