from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pytest

from desktop.lookup import LookupIndex, NotDigits, matches_as_dicts
from desktop.table_pack import Branch, CallType, DialledNumber
from desktop.tables.validate import read_pack

DEMO = Path(__file__).resolve().parents[2] / "lookup_tables" / "demo"


@pytest.fixture(scope="module")
def demo_index() -> LookupIndex:
    return LookupIndex.from_pack(read_pack(DEMO).pack)


def small_index() -> LookupIndex:
    branches = {b: Branch(b, f"Agence {b}", city=f"Ville {b}") for b in ("A", "B", "C")}
    numbers = [
        DialledNumber("+33199006677", "0199006677", "A"),
        DialledNumber("+33155446677", "0155446677", "B"),
        DialledNumber("+33472001234", "0472001234", "C", "FAM"),
        DialledNumber("+33800102030", "0800102030", None, "FAM", "Ligne familles"),
    ]
    types = {"FAM": CallType("FAM", "Familles", "F5")}
    return LookupIndex.build(numbers, branches, types)


def test_four_digits_of_a_unique_number_give_its_branch() -> None:
    result = small_index().search("1234")
    assert result.count == 1
    assert result.unique is not None
    assert result.unique.branch is not None and result.unique.branch.name == "Agence C"
    assert result.unique.call_type is not None and result.unique.call_type.code == "FAM"


def test_shared_suffix_lists_all_and_says_how_many_more_digits() -> None:
    result = small_index().search("6677")
    assert result.count == 2
    assert {m.number.branch_id for m in result.matches} == {"A", "B"}
    assert result.unique is None
    # 0199006677 and 0155446677 differ at the 5th digit from the end: one more digit.
    assert result.more_digits_needed == 1
    assert small_index().search("06677").count == 1


@pytest.mark.parametrize(
    "text", ["01 99 00 66 77", "+33 1 99 00 66 77", "0033199006677", "+33 (0)1 99 00 66 77"]
)
def test_full_number_in_any_form_matches_exactly(text: str) -> None:
    result = small_index().search(text)
    assert result.exact
    assert result.count == 1
    assert result.matches[0].number.e164 == "+33199006677"


def test_national_line_has_no_branch_but_a_call_type() -> None:
    result = small_index().search("2030")
    assert result.unique is not None
    assert result.unique.branch is None
    assert result.unique.call_type is not None


def test_nothing_matches_and_empty_input() -> None:
    assert small_index().search("9999").count == 0
    assert small_index().search("").count == 0


@pytest.mark.parametrize("text", ["12a4", "six", "12;34", "1234*"])
def test_non_digits_are_refused(text: str) -> None:
    with pytest.raises(NotDigits):
        small_index().search(text)


def test_few_digits_give_a_count_and_a_bounded_list(demo_index: LookupIndex) -> None:
    result = demo_index.search("7", limit=10)
    expected = sum(1 for n in read_pack(DEMO).pack.numbers if n.dialling.endswith("7"))
    assert result.count == expected > 10
    assert len(result.matches) == 10
    assert all(m.number.dialling.endswith("7") for m in result.matches)


def test_demo_pack_has_shared_four_digit_suffixes(demo_index: LookupIndex) -> None:
    pack = read_pack(DEMO).pack
    shared = [s for s, n in Counter(x.dialling[-4:] for x in pack.numbers).items() if n > 1]
    assert len(shared) >= 3
    for suffix in shared:
        result = demo_index.search(suffix)
        assert result.count >= 2
        assert result.more_digits_needed is not None and result.more_digits_needed >= 1
        more = result.more_digits_needed
        for match in result.matches:
            longer = match.number.dialling[-(4 + more) :]
            assert demo_index.search(longer).count == 1


def test_json_shape() -> None:
    now = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
    (row,) = matches_as_dicts(small_index().search("1234").matches, now)
    assert row == {
        "number": "+33472001234",
        "national": "04 72 00 12 34",
        "branch_id": "C",
        "branch_name": "Agence C",
        "city": "Ville C",
        "call_type": "FAM",
        "call_type_label": "Familles",
        "label": "",
        "open_now": None,  # no opening hours in the pack: unknown, not closed
        "next_change": None,
        "timezone": "Europe/Paris",
        "country": "FR",
    }


def test_hotkeys_find_call_types() -> None:
    index = small_index()
    assert index.call_type_for_hotkey("f5") is not None
    assert index.call_type_for_hotkey("F9") is None


def test_snapshot_round_trip_answers_the_same(demo_index: LookupIndex) -> None:
    restored = LookupIndex.from_snapshot(demo_index.snapshot())
    assert restored is not None
    for query in ("7", "66", "8099", "6881", "0800102030", "+33 1 99 00 68 81", "55555"):
        assert restored.search(query) == demo_index.search(query)
    assert restored.partners == demo_index.partners
    assert restored.call_types == demo_index.call_types
    assert LookupIndex.from_snapshot(b"garbage") is None


def test_every_branch_survives_the_snapshot(demo_index: LookupIndex) -> None:
    restored = LookupIndex.from_snapshot(demo_index.snapshot())
    assert restored is not None
    assert restored.branches == read_pack(DEMO).pack.branches


def test_separator_characters_in_a_branch_cannot_corrupt_its_row() -> None:
    odd = Branch("X", "Nom\x1fbizarre", notes="a\x1eb")
    index = LookupIndex.build([DialledNumber("+33199006677", "0199006677", "X")], {"X": odd}, {})
    restored = LookupIndex.from_snapshot(index.snapshot())
    assert restored is not None
    match = restored.search("6677").unique
    assert match is not None and match.branch is not None
    assert match.branch.name == "Nom bizarre" and match.branch.notes == "a b"
