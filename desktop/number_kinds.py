"""What kind of number a French number is, by ARCEP's plan: free, normal rate, surcharged,
a telemarketing range, a platform's. The agent reads it beside the caller's number and the
number dialled: a caller on a telemarketing range is worth a word on the card.

The ranges (national digits, 0 and the first digits):
- free ("numéro vert"): 0800 to 0805;
- normal rate: 0806 to 0809;
- surcharged: 081, 082, 089;
- telemarketing (ARCEP's ranges for automated and telemarketing calls): 0162, 0163, 0270,
  0271, 0377, 0378, 0424, 0425, 0568, 0569, 0948, 0949, and overseas 09475 to 09479;
- platforms (numbers of call-routing platforms, never a person's line): 0937 to 0939.
"""

from __future__ import annotations

from enum import StrEnum


class NumberKind(StrEnum):
    FREE = "free"
    NORMAL_RATE = "normal-rate"
    SURCHARGED = "surcharged"
    TELEMARKETING = "telemarketing"
    PLATFORM = "platform"


_TELEMARKETING = (
    *("0162", "0163", "0270", "0271", "0377", "0378", "0424", "0425", "0568", "0569"),
    *("0948", "0949", "09475", "09476", "09477", "09478", "09479"),
)
_RANGES: tuple[tuple[tuple[str, ...], NumberKind], ...] = (
    (("0800", "0801", "0802", "0803", "0804", "0805"), NumberKind.FREE),
    (("0806", "0807", "0808", "0809"), NumberKind.NORMAL_RATE),
    (("081", "082", "089"), NumberKind.SURCHARGED),
    (_TELEMARKETING, NumberKind.TELEMARKETING),
    (("0937", "0938", "0939"), NumberKind.PLATFORM),
)


def kind_of(e164: str | None) -> NumberKind | None:
    """The kind of a number of France's plan (E.164: ``+33…``, or an overseas territory's
    ``+262 9479…``), or None: an ordinary line, another country's number, or no number."""
    national = _national_digits(e164 or "")
    if national is None:
        return None
    for prefixes, kind in _RANGES:
        if national.startswith(prefixes):
            return kind
    return None


# the country codes of France's plan whose national numbers are their nine digits after 0
_PLAN_CODES = ("+33", "+262", "+590", "+594", "+596")


def _national_digits(e164: str) -> str | None:
    """``0`` and the nine digits an agent in France dials for ``e164``, when it is of the
    plan: +33 1 43… is 01 43…; +262 947 91… (La Réunion's telemarketing range) is 09 47 91…"""
    for code in _PLAN_CODES:
        rest = e164[len(code) :]
        if e164.startswith(code) and len(rest) == 9 and rest.isdigit():
            return "0" + rest
    return None
