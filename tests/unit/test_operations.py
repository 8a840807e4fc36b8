"""The window's mutations are the core's (desktop.operations): each returns its value with
what it changed, and no window code reaches a store mutation but through them."""

from __future__ import annotations

import ast
from pathlib import Path

from desktop import operations
from desktop.changes import CONTACTS, DRAFTS, MODE, NOTHING
from desktop.contacts import ContactData, Outcome
from desktop.context import SeatContext

ROOT = Path(__file__).resolve().parents[2]


def a_contact() -> ContactData:
    return ContactData(
        seat_id="S1", agent="Alice", caller_name="M. Dupont", subject="Décès",
        outcome=Outcome.MESSAGE.value, caller_number="+33612345678", caller_number_valid=True,
    )  # fmt: skip


def test_each_operation_says_what_it_changed(seat: SeatContext) -> None:
    contact = a_contact()
    kept = operations.save_draft(seat.engine, contact)
    assert kept.changes == DRAFTS
    saved = operations.save_contact(seat.engine, contact, "Alice")
    assert saved.changes == CONTACTS | DRAFTS and saved.value.contact.revision == 1
    assert operations.discard_draft(seat.engine).changes == DRAFTS
    done = operations.mark_callback_done(seat.engine, contact.id, "supervisor@S1")
    assert done.changes == CONTACTS and done.value is not None
    again = operations.mark_callback_done(seat.engine, contact.id, "supervisor@S1")
    assert again.changes == NOTHING and again.value is None  # already done: nothing changed
    erased = operations.erase_caller(seat.engine, "supervisor@S1", "+33612345678", "")
    assert erased.changes == CONTACTS and erased.value.contacts == 1
    nothing_due = operations.purge(seat.engine, seat.settings)  # no retention configured
    assert nothing_due.changes == NOTHING
    switched = operations.switch_mode(seat.paths, "exercise", "supervisor@S1")
    assert switched.changes == MODE and switched.value == "exercise"


MUTATIONS = {
    "save_contact", "save_draft", "discard_draft", "record_call_end", "switch_mode",
    "activate_staged", "scheduled_purge", "erase", "merge_files", "publish_to_site",
    "erase_and_confirm",
}  # fmt: skip
# the retired client's erasure runs at the window's close, after its ops stopped, on a
# thread of its own (desktop/ui/client_retired.py): no window is left to hear what changed
OUTSIDE_THE_OPS = {"desktop/ui/client_retired.py erase_and_confirm"}


def test_the_window_mutates_only_through_the_operations() -> None:
    """A store mutation called from the window's code (desktop/ui) other than as
    ``operations.<name>``: the window would decide what it changed."""
    found = []
    for path in (ROOT / "desktop" / "ui").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            owner = func.value if isinstance(func, ast.Attribute) else None
            through = isinstance(owner, ast.Name) and owner.id == "operations"
            where = str(path.relative_to(ROOT))
            if name in MUTATIONS and not through and f"{where} {name}" not in OUTSIDE_THE_OPS:
                found.append(f"{where}:{node.lineno} {name}")
    assert found == []
