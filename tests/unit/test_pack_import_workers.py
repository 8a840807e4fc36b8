"""A large pack's import: its numbers checked and its lookup index built in worker processes
beside this one's reading and writing, with the answers this process gives alone; Python's
cycle collector paused for its length, and set back as it was."""

from __future__ import annotations

import gc
import logging
import marshal
import multiprocessing.spawn
import os
import threading
from pathlib import Path

import pytest

from desktop import workers as workers_module
from desktop.context import SeatContext
from desktop.gc_paused import gc_paused
from desktop.lookup import LookupIndex
from desktop.store import tables as tables_store
from desktop.tables.importer import import_tables
from desktop.tables.validate import PackError, read_pack
from tests.helpers.packs import write_pack

COUNT = tables_store.INDEX_BESIDE_FROM


def big_pack(folder: Path, *extra: dict[str, str]) -> Path:
    numbers = [
        {
            "number": f"01 4{i // 10_000} {i % 10_000 // 100:02d} {i % 100:02d} 00",
            "branch_id": ("B1", "B2", "")[i % 3],
            "call_type": "FAM" if i % 5 == 0 else "",
            "label": ("Ligne agence", "Standard")[i % 2],
        }
        for i in range(COUNT)
    ]
    numbers[7]["number"] = "+33 5 96 21 34 56"  # overseas: phonenumbers' own reading
    return write_pack(folder, numbers=[*numbers, *extra])


def stored_snapshot(seat: SeatContext) -> object:
    with seat.engine.connect() as conn:
        row = conn.exec_driver_sql("SELECT index_snapshot FROM table_packs WHERE active").one()
    return marshal.loads(row[0])


def workers_started(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    started: list[object] = []
    real = workers_module._Worker.start

    def start() -> workers_module._Worker:
        started.append(worker := real())
        return worker

    monkeypatch.setattr(workers_module._Worker, "start", start)
    return started


def test_a_large_packs_index_is_built_beside_as_it_is_built_here(
    seat: SeatContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    started = workers_started(monkeypatch)
    report = import_tables(seat.engine, big_pack(tmp_path / "p"))
    assert len(report.pack.numbers) == COUNT
    assert len(started) >= 2  # one checks the numbers, one builds the index
    here = LookupIndex.from_pack(report.pack).snapshot()
    assert stored_snapshot(seat) == marshal.loads(here)
    index = seat.load_index()
    assert index is not None and index.search("21 34 56").count == 1
    assert gc.isenabled()


@pytest.mark.parametrize("executable", ["/bin/false", "missing-python"])
def test_workers_that_cannot_start_leave_the_import_to_this_process(
    seat: SeatContext,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    executable: str,
) -> None:
    """A Python that exits at once, or none where it is looked for: the same pack, the same
    index, and the log says so."""
    from multiprocessing import resource_tracker

    resource_tracker.ensure_running()  # with the real Python: it is shared by every pool
    pack = big_pack(tmp_path / "p")
    expected = LookupIndex.from_pack(read_pack(pack).pack).snapshot()
    where = tmp_path / executable if executable == "missing-python" else Path(executable)
    monkeypatch.setattr(multiprocessing.spawn, "_python_exe", os.fsencode(where))
    with caplog.at_level(logging.WARNING, logger="desktop.workers"):
        report = import_tables(seat.engine, pack)
    assert len(report.pack.numbers) == COUNT
    assert stored_snapshot(seat) == marshal.loads(expected)
    assert "the worker processes stopped" in caplog.text


def test_a_refused_large_pack_sets_the_collector_back(seat: SeatContext, tmp_path: Path) -> None:
    before = seat.tables_status()
    bad = big_pack(tmp_path / "bad", {"number": "12", "branch_id": "B1"})
    with pytest.raises(PackError, match="'12' is not a valid phone number"):
        import_tables(seat.engine, bad)
    assert gc.isenabled()
    assert seat.tables_status() == before


def test_the_collector_is_set_back_by_the_last_of_several_threads() -> None:
    seen: list[bool] = []
    inside, leave = threading.Event(), threading.Event()

    def other() -> None:
        with gc_paused():
            inside.set()
            leave.wait(10)

    thread = threading.Thread(target=other)
    with gc_paused():
        thread.start()
        assert inside.wait(10)
    seen.append(gc.isenabled())  # the other thread still works
    leave.set()
    thread.join(10)
    seen.append(gc.isenabled())
    assert seen == [False, True]


def test_a_collector_paused_before_stays_paused() -> None:
    gc.disable()
    try:
        with gc_paused(), gc_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        gc.enable()
