"""Phone numbers, in one place: parse, normalise, format, dialling digits.

Everything goes through ``phonenumbers`` with a default region (FR unless configured).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumber, PhoneNumberFormat

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
    try:
        return phonenumbers.parse(text, region)
    except NumberParseException:
        return None


def normalise(text: str, region: str = "FR") -> Normalised:
    number = parse(text, region) if only_digits(text) else None
    if number is None:
        return Normalised(text, None, text.strip(), False)
    valid = phonenumbers.is_valid_number(number)
    e164 = phonenumbers.format_number(number, PhoneNumberFormat.E164)
    national = _display(number, region) if valid else text.strip()
    return Normalised(text, e164, national, valid)


def _display(number: PhoneNumber, region: str) -> str:
    if phonenumbers.region_code_for_number(number) == region.upper():
        return str(phonenumbers.format_number(number, PhoneNumberFormat.NATIONAL))
    return str(phonenumbers.format_number(number, PhoneNumberFormat.INTERNATIONAL))


@lru_cache(maxsize=4096)
def display_e164(e164: str, region: str = "FR") -> str:
    """National display for a stored E.164 number (cached: history rows repeat numbers)."""
    number = parse(e164, region)
    return _display(number, region) if number is not None else e164


def dialling_digits(number: PhoneNumber) -> str:
    """The digits an agent reads on a national display: ``0144556677`` for +33 1 44 55 66 77."""
    return only_digits(phonenumbers.format_number(number, PhoneNumberFormat.NATIONAL))
