"""The table models obey Qt's model contract (pytest-qt's modeltester)."""

from __future__ import annotations

from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from desktop.contacts import ContactData
from desktop.context import SeatContext
from desktop.store import contacts as store
from desktop.store.history import ContactFilter
from desktop.ui.candidates import CandidateModel
from desktop.ui.history import PAGE_SIZE, HistoryModel


def test_candidate_model(qtmodeltester: ModelTester, seat: SeatContext) -> None:
    index = seat.load_index()
    assert index is not None
    model = CandidateModel()
    model.set_matches(index.search("7").matches)
    qtmodeltester.check(model)
    model.set_matches(())
    qtmodeltester.check(model)


def test_history_model_fetches_lazily(
    qtmodeltester: ModelTester, qtbot: QtBot, seat: SeatContext
) -> None:
    for i in range(PAGE_SIZE * 2 + 5):
        store.save_contact(
            seat.engine, ContactData(agent="A", seat_id="S", caller_name=f"N{i}"), "A"
        )
    model = HistoryModel(seat.engine)
    model.set_filter(ContactFilter())
    assert model.rowCount() == PAGE_SIZE * 2 + 5
    assert model.cached_pages == 0
    assert model.data(model.index(0, 4)) == f"N{PAGE_SIZE * 2 + 4}"  # newest first
    assert model.cached_pages == 1
    assert model.data(model.index(PAGE_SIZE * 2 + 4, 4)) == "N0"
    assert model.cached_pages == 2
    qtmodeltester.check(model)
    model.set_filter(ContactFilter(text="N10"))
    assert model.rowCount() == 11  # N10 and N100 to N109
