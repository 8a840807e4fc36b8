"""The lookup of a shift taking two clients' calls: the digits reach both packs, each match
says whose it is, and a pop's dialled number names the clients whose pack knows it."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.lookup import ClientTag, LookupIndex
from desktop.shift_lookup import SharedLookup
from desktop.tables.validate import read_pack
from tests.conftest import DEMO_PACK
from tests.helpers.packs import NUMBERS, write_pack

SUD = ClientTag("pompes-sud", "Pompes Funèbres du Sud", "#1f7a3a")
NORD = ClientTag("assur-nord", "Assurances du Nord", "#f2c200")
BOTH = "01 99 00 68 81"  # a demo branch's line, and in the other client's pack too


@pytest.fixture
def shift(tmp_path: Path) -> SharedLookup:
    sud = LookupIndex.from_pack(read_pack(DEMO_PACK).pack)
    numbers = [*NUMBERS, {"number": BOTH, "branch_id": "B1", "call_type": "", "label": ""}]
    nord = LookupIndex.from_pack(read_pack(write_pack(tmp_path / "nord", numbers=numbers)).pack)
    return SharedLookup([(SUD, sud), (NORD, nord)])


def test_the_digits_reach_every_clients_pack_and_each_match_says_whose(
    shift: SharedLookup,
) -> None:
    other = shift.search("1234")  # 04 72 00 12 34: only in the other client's pack
    assert other.count == 1 and other.unique is not None
    assert other.unique.client == NORD and other.unique.branch is not None
    assert other.unique.branch.name == "Agence Fourvière"
    both = shift.search("6881")
    assert [m.client for m in both.matches] == [SUD, NORD]  # the window's own client first
    assert both.count == 2 and both.unique is None and both.more_digits_needed is None
    own = shift.search("0199009594")  # a full number of one pack: that one only, exactly
    assert own.exact and own.count == 1 and own.unique is not None and own.unique.client == SUD
    assert shift.search("99999").count == 0
    assert shift.call_types == shift.packs[0][1].call_types  # the keys stay the window's own


def test_a_dialled_number_names_the_clients_whose_pack_knows_it(shift: SharedLookup) -> None:
    assert shift.knowing("+33472001234") == [NORD]
    assert shift.knowing("01 99 00 95 94") == [SUD]
    assert shift.knowing(BOTH) == [SUD, NORD]  # the agent is asked
    assert shift.knowing("0899 00 00 00") == [] and shift.knowing("") == []
    assert shift.knowing("88") == []  # two digits decide nothing
    assert shift.knowing("sip:unknown") == []


def test_the_other_clients_window_reads_its_own_pack_first(shift: SharedLookup) -> None:
    theirs = shift.own_first("assur-nord")
    assert theirs.own == NORD and [m.client for m in theirs.search("6881").matches] == [NORD, SUD]
    assert theirs.call_types == shift.packs[1][1].call_types
    followed = shift.with_pack("assur-nord", shift.packs[0][1])  # new tables for one client
    assert followed.search("1234").count == 0 and followed.own == SUD
