"""The table models obey Qt's model contract (pytest-qt's modeltester)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from desktop.contacts import ContactData
from desktop.context import SeatContext
from desktop.store import contacts as store
from desktop.store.history import ContactFilter
from desktop.ui.candidates import CandidateModel
from desktop.ui.history import PAGE_SIZE, HistoryModel
from desktop.ui.ops import Ops


def test_candidate_model(qtmodeltester: ModelTester, seat: SeatContext) -> None:
    index = seat.load_index()
    assert index is not None
    model = CandidateModel()
    model.set_matches(index.search("7").matches)
    qtmodeltester.check(model)
    paris = index.search("6881").matches
    model.set_matches(paris)
    # read with commas, not the list's spaces and dashes
    spoken = model.data(model.index(0), Qt.ItemDataRole.AccessibleTextRole)
    assert spoken == "01 99 00 68 81, Obsèques Démo Paris Centre, Paris"
    model.set_matches(())
    qtmodeltester.check(model)


def test_history_model_fetches_lazily_off_the_gui_thread(
    qtmodeltester: ModelTester, qtbot: QtBot, seat: SeatContext
) -> None:
    total = PAGE_SIZE * 2 + 5
    for i in range(total):
        store.save_contact(
            seat.engine, ContactData(agent="A", seat_id="S", caller_name=f"N{i}"), "A"
        )
    ops = Ops()
    model = HistoryModel()
    model.attach(seat.engine, ops, count=False)
    model.set_filter(ContactFilter())
    qtbot.waitUntil(lambda: model.rowCount() == total)
    assert model.cached_pages == 1  # the first page comes with the count
    assert model.data(model.index(0, 4)) == f"N{total - 1}"  # newest first
    last = model.index(total - 1, 4)
    assert model.data(last) is None  # not read yet: its page is asked for off the GUI thread
    qtbot.waitUntil(lambda: model.data(last) == "N0")
    assert model.cached_pages == 2
    qtmodeltester.check(model)
    qtbot.waitUntil(lambda: not ops.busy)

    # a page asked for just before the rows change is dropped when it comes back
    model.set_filter(ContactFilter())
    qtbot.waitUntil(lambda: not ops.busy)
    assert model.data(model.index(PAGE_SIZE + 1, 4)) is None
    model.set_filter(ContactFilter(text="N10"))
    qtbot.waitUntil(lambda: model.rowCount() == 11 and not ops.busy)  # N10 and N100 to N109
    assert model.cached_pages == 1
    assert {model.data(model.index(r, 4)) for r in range(11)} == {
        "N10",
        *(f"N{n}" for n in range(100, 110)),
    }
    ops.shutdown()
