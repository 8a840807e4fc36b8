"""The kinds of French numbers the agent reads beside a number, by ARCEP's ranges."""

from __future__ import annotations

import pytest

from desktop import phone
from desktop.number_kinds import NumberKind, kind_of


@pytest.mark.parametrize(
    ("typed", "kind"),
    [
        ("0800 12 34 56", NumberKind.FREE),
        ("0805 12 34 56", NumberKind.FREE),
        ("0806 12 34 56", NumberKind.NORMAL_RATE),
        ("0809 12 34 56", NumberKind.NORMAL_RATE),
        ("0812 34 56 78", NumberKind.SURCHARGED),
        ("0825 12 34 56", NumberKind.SURCHARGED),
        ("0899 12 34 56", NumberKind.SURCHARGED),
        ("01 62 12 34 56", NumberKind.TELEMARKETING),
        ("02 71 12 34 56", NumberKind.TELEMARKETING),
        ("03 77 12 34 56", NumberKind.TELEMARKETING),
        ("04 25 12 34 56", NumberKind.TELEMARKETING),
        ("05 68 12 34 56", NumberKind.TELEMARKETING),
        ("09 49 12 34 56", NumberKind.TELEMARKETING),
        ("09 47 51 23 45", NumberKind.TELEMARKETING),  # an overseas telemarketing range
        ("09 38 12 34 56", NumberKind.PLATFORM),
        ("01 99 00 68 81", None),
        ("06 12 34 56 78", None),
        ("09 47 41 23 45", None),  # 0947 outside 09475–09479
        ("0262 21 34 56", None),  # La Réunion's, not +33
    ],
)
def test_each_range_has_its_kind(typed: str, kind: NumberKind | None) -> None:
    read = phone.normalise(typed, "FR")
    assert kind_of(read.e164) is kind


def test_no_number_has_no_kind() -> None:
    assert kind_of(None) is None and kind_of("") is None and kind_of("0162") is None
