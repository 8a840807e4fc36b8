"""A pack's numbers held compactly read back exactly as the tuples they were made from."""

import marshal
from pathlib import Path

import pytest

from desktop.lookup import LookupIndex
from desktop.table_pack import DialledNumber, DialledNumbers
from desktop.tables.validate import read_pack
from tests.helpers.packs import NUMBERS, write_pack

ROWS = [
    DialledNumber("+33199006677", "0199006677", "B1", None, "Ligne agence"),
    DialledNumber("+33472001234", "0472001234", "B2", "FAM", ""),
    DialledNumber("+33800102030", "0800102030", None, "FAM", "Ligne « familles » \x1f ✓"),
    DialledNumber("+590590123456", "0590123456", "B1", "FAM", "Accueil, Pointe-à-Pitre"),
]


def test_compact_numbers_read_back_as_the_list_they_were_made_from() -> None:
    numbers = DialledNumbers(ROWS)
    assert len(numbers) == 4
    assert list(numbers) == ROWS  # the label may hold the separator and any letter
    assert [numbers[i] for i in range(4)] == ROWS
    assert numbers[-1] == ROWS[-1] and numbers[1:3] == ROWS[1:3]
    assert [numbers.e164(i) for i in range(4)] == [n.e164 for n in ROWS]
    assert numbers == ROWS and numbers == DialledNumbers(ROWS)
    assert numbers != ROWS[:3] and numbers != DialledNumbers(reversed(ROWS))
    assert list(numbers.without({0, 2})) == [ROWS[1], ROWS[3]]
    with pytest.raises(IndexError):
        numbers[4]
    with pytest.raises(IndexError):
        numbers[-5]


def test_an_index_built_from_compact_numbers_is_the_one_built_from_the_list(
    tmp_path: Path,
) -> None:
    pack = read_pack(write_pack(tmp_path / "p")).pack
    from_list = LookupIndex.build(ROWS, pack.branches, pack.call_types)
    compact = LookupIndex.build(DialledNumbers(ROWS), pack.branches, pack.call_types)
    # the same values (marshal's bytes differ by which strings it shares)
    assert marshal.loads(compact.snapshot()) == marshal.loads(from_list.snapshot())
    assert compact.search("6677").unique is not None


def test_a_number_listed_three_times_keeps_the_first_and_names_each_conflict(
    tmp_path: Path,
) -> None:
    numbers = [
        *NUMBERS,
        {"number": "+33 1 99 00 66 77", "branch_id": "B2"},  # another target
        {"number": "01.99.00.66.77", "branch_id": "B1"},  # the same target: left out, silently
        {"number": "0199006677", "branch_id": "B2", "call_type": "FAM"},  # another again
    ]
    reading = read_pack(
        write_pack(tmp_path / "p", numbers=numbers, manifest=False), skip_invalid_rows=True
    )
    assert [str(p) for p in reading.skipped] == [
        "numbers.csv:5: number '01 99 00 66 77' already at line 2 with another target",
        "numbers.csv:7: number '01 99 00 66 77' already at line 2 with another target",
    ]
    kept = [n for n in reading.pack.numbers if n.e164 == "+33199006677"]
    assert kept == [DialledNumber("+33199006677", "0199006677", "B1", None, "Ligne agence")]
    assert len(reading.pack.numbers) == 3
