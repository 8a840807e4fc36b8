"""France's numbering plan, overseas territories included: every territory's numbers, in each
written form, give the territory's E.164, the national display and the territory."""

from __future__ import annotations

import pytest

from desktop import phone

# (territory, national number as a Frenchman writes it, E.164)
TERRITORIES = [
    ("RE", "0262 21 34 56", "+262262213456"),  # La Réunion, fixed
    ("RE", "0692 12 34 56", "+262692123456"),  # La Réunion, mobile
    ("YT", "0269 61 23 45", "+262269612345"),  # Mayotte, fixed
    ("YT", "0639 69 12 34", "+262639691234"),  # Mayotte, mobile
    ("GP", "0590 82 12 34", "+590590821234"),  # Guadeloupe, fixed
    ("GP", "0690 12 34 56", "+590690123456"),  # Guadeloupe, mobile
    ("MQ", "0596 60 12 34", "+596596601234"),  # Martinique, fixed
    ("MQ", "0696 12 34 56", "+596696123456"),  # Martinique, mobile
    ("GF", "0594 30 12 34", "+594594301234"),  # Guyane, fixed
    ("GF", "0694 12 34 56", "+594694123456"),  # Guyane, mobile
    ("BL", "0590 27 12 34", "+590590271234"),  # Saint-Barthélemy (shares +590)
]


def written_forms(national: str, e164: str) -> list[str]:
    digits = national.replace(" ", "")
    code = e164[1 : len(e164) - 9]
    return [
        national,
        digits,
        national.replace(" ", "."),
        f"+{code} {digits[1:4]} {digits[4:6]} {digits[6:8]} {digits[8:]}",
        f"+{code}{digits[1:]}",
        f"00{code}{digits[1:]}",
        f"00 {code} {digits[1:]}",
    ]


@pytest.mark.parametrize(("territory", "national", "e164"), TERRITORIES)
def test_every_written_form_of_an_overseas_number(territory: str, national: str, e164: str) -> None:
    for text in written_forms(national, e164):
        read = phone.normalise(text, "FR")
        assert read.valid, text
        assert read.e164 == e164, text
        assert read.territory in (territory, "BL", "MF", "GP"), text  # +590 is shared
        assert read.national == national, text  # dialled that way from Paris


@pytest.mark.parametrize(("territory", "national", "e164"), TERRITORIES)
def test_a_pack_number_gets_the_territory_and_the_digits_agents_read(
    territory: str, national: str, e164: str
) -> None:
    checked = phone.canonical(national, "FR")
    assert checked == phone.Canonical(e164, national.replace(" ", ""))


def test_a_martinique_range_outside_the_blocks_phonenumbers_knows_is_still_martinique() -> None:
    """phonenumbers calls +33 596 21 34 56 a valid French number; 0596 is Martinique's."""
    read = phone.normalise("0596 21 34 56")
    assert (read.valid, read.e164, read.territory) == (True, "+596596213456", "MQ")
    assert phone.normalise("+596 596 21 34 56").e164 == "+596596213456"


@pytest.mark.parametrize(
    ("text", "e164"),
    [
        ("01 99 00 66 77", "+33199006677"),  # metropolitan numbers do not move
        ("05 36 49 40 50", "+33536494050"),
        ("06 12 34 56 78", "+33612345678"),
        ("0800 12 34 56", "+33800123456"),  # national lines stay national
        ("0810 12 34 56", "+33810123456"),
        ("0976 12 34 56", "+33976123456"),
    ],
)
def test_metropolitan_and_national_numbers_keep_their_reading(text: str, e164: str) -> None:
    read = phone.normalise(text, "FR")
    assert (read.valid, read.e164, read.territory) == (True, e164, "FR")


def test_a_seat_in_la_reunion_reads_both_its_own_and_metropolitan_numbers() -> None:
    assert phone.normalise("0262 21 34 56", "RE").e164 == "+262262213456"
    paris = phone.normalise("01 99 00 66 77", "RE")
    assert (paris.valid, paris.e164, paris.national) == (True, "+33199006677", "01 99 00 66 77")


def test_saint_pierre_et_miquelon_keeps_its_own_plan() -> None:
    assert phone.normalise("+508 41 23 45").e164 == "+508412345"
    assert phone.normalise("41 23 45", "PM").e164 == "+508412345"


def test_a_caller_from_overseas_is_not_flagged_invalid() -> None:
    """The contact records E.164 and the form shows the national display."""
    caller = phone.normalise("0692 12 34 56")
    assert caller.valid and caller.stored == "+262692123456"
    assert phone.display_stored(caller.stored) == "0692 12 34 56"


def test_foreign_numbers_are_still_international() -> None:
    read = phone.normalise("+32 2 555 12 12", "FR")
    assert read.valid and read.national.startswith("+32")


@pytest.mark.parametrize("seat", ["FR", "YT", "RE", "MQ", "GP", "GF"])
@pytest.mark.parametrize(
    ("typed", "e164", "territory"),
    [
        ("0269 61 12 34", "+262269611234", "YT"),  # Mayotte is +262, never +269 nor +33
        ("0639 69 12 34", "+262639691234", "YT"),  # a Mayotte mobile
        ("0596 21 34 56", "+596596213456", "MQ"),  # outside phonenumbers' blocks: its prefix
        ("0262 21 34 56", "+262262213456", "RE"),
        ("0508 41 12 34", "+508411234", "PM"),  # Saint-Pierre-et-Miquelon: +508, six digits
        ("0806 12 34 56", "+33806123456", "FR"),  # 08: national, never a territory's fixed line
        ("01 99 00 68 81", "+33199006881", "FR"),
    ],
)
def test_the_territory_comes_from_the_prefix_first_from_every_seat(
    seat: str, typed: str, e164: str, territory: str
) -> None:
    read = phone.normalise(typed, seat)
    assert (read.e164, read.valid, read.territory) == (e164, True, territory)


def test_a_09_branch_takes_its_packs_territory_not_paris() -> None:
    from desktop import places

    assert places.country_from("", "09 70 12 34 56", "RE") == "RE"
    assert places.country_from("", "0262 21 34 56", "FR") == "RE"
    assert places.country_from("", "09 70 12 34 56", "FR") == "FR"
