from pathlib import Path

import pytest

from desktop.context import SeatContext
from desktop.store import tables as tables_store
from desktop.tables.importer import import_tables
from desktop.tables.validate import PackError
from tests.helpers.packs import NUMBERS, write_pack

pytestmark = pytest.mark.dates  # the tables' age: run on other dates too (dev.py)


def test_first_start_imports_the_demo_pack_and_says_so(seat: SeatContext) -> None:
    assert seat.notices == ["demo-pack-imported"]
    status = seat.tables_status()
    assert status is not None and status.counts["branches"] >= 300
    index = seat.load_index()
    assert index is not None and len(index) == status.counts["numbers"]


def test_import_activates_and_loads_back_identically(seat: SeatContext, tmp_path: Path) -> None:
    report = import_tables(seat.engine, write_pack(tmp_path / "p"))
    loaded = tables_store.load_active(seat.engine)
    assert loaded is not None
    assert loaded.branches == report.pack.branches
    assert sorted(loaded.numbers, key=lambda n: n.e164) == sorted(
        report.pack.numbers, key=lambda n: n.e164
    )
    assert loaded.call_types == report.pack.call_types
    assert loaded.partners == report.pack.partners
    status = seat.tables_status()
    assert status is not None and status.info.version == "7"


def test_rejected_pack_leaves_the_active_one_untouched(seat: SeatContext, tmp_path: Path) -> None:
    before = seat.tables_status()
    bad = write_pack(tmp_path / "bad", numbers=[*NUMBERS, {"number": "12", "branch_id": "B1"}])
    with pytest.raises(PackError):
        import_tables(seat.engine, bad)
    assert seat.tables_status() == before


def test_failure_while_writing_rolls_back(
    seat: SeatContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = seat.tables_status()

    def broken(*_args: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(tables_store, "_insert_rows", broken)
    with pytest.raises(OSError):
        import_tables(seat.engine, write_pack(tmp_path / "p"))
    assert seat.tables_status() == before


def test_the_active_pack_and_two_others_are_kept_never_dropping_the_active(
    seat: SeatContext, tmp_path: Path
) -> None:
    """A pack staged for the next call, the active one and the one before (rollback)."""
    from desktop.store.tables import activate_pack, import_pack, previous_pack
    from desktop.tables.validate import read_pack

    ids = [import_tables(seat.engine, write_pack(tmp_path / f"p{i}")).pack_id for i in range(4)]

    def kept() -> list[int]:
        with seat.engine.connect() as conn:
            return [r[0] for r in conn.exec_driver_sql("SELECT id FROM table_packs ORDER BY id")]

    assert kept() == ids[-3:]
    activate_pack(seat.engine, ids[1])  # an old one made active again (a rollback)
    staged = [
        import_pack(seat.engine, read_pack(write_pack(tmp_path / f"s{i}")).pack, activate=False)
        for i in range(3)
    ]
    assert kept() == [ids[1], *staged[-2:]]  # the active one is never pruned
    status = seat.tables_status()
    assert status is not None and status.pack_id == ids[1]
    assert previous_pack(seat.engine) is None  # nothing older than it is kept now
    activate_pack(seat.engine, staged[-1])
    assert previous_pack(seat.engine) == staged[-2]
    with seat.engine.connect() as conn:
        numbers = conn.exec_driver_sql(
            "SELECT count(DISTINCT pack_id) FROM dialled_numbers"
        ).scalar()
    assert numbers == 3


def test_age_counts_from_generation(seat: SeatContext, tmp_path: Path) -> None:
    import_tables(seat.engine, write_pack(tmp_path / "p"))
    status = seat.tables_status()
    assert status is not None
    from datetime import UTC, datetime

    assert round(status.age_days(datetime(2026, 11, 30, 6, tzinfo=UTC))) == 10
    assert seat.tables_too_old(status, datetime(2027, 1, 30, tzinfo=UTC))
    assert not seat.tables_too_old(status, datetime(2026, 11, 21, tzinfo=UTC))


def test_an_outdated_snapshot_is_rebuilt_once(seat: SeatContext) -> None:
    from pathlib import Path as _Path

    from desktop.store import quickstart

    with seat.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE table_packs SET index_snapshot = x'00'")
    assert quickstart.read(_Path(seat.paths.database), seat.key) is not None  # bytes, but unusable
    index = seat.load_index()
    assert index is not None and index.search("6881").count == 1
    quick = quickstart.read(_Path(seat.paths.database), seat.key)
    assert quick is not None
    from desktop.lookup import LookupIndex

    assert LookupIndex.from_snapshot(quick.snapshot) is not None
