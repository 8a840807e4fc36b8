"""Saving the page's contact: checked first (what is missing is said, the cursor goes to it),
then committed on the page's ops; "saved" is said only once the commit returned, and a
failed save keeps everything typed and says why in the agent's words.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

from desktop import operations
from desktop.contacts import utc_now

if TYPE_CHECKING:
    from desktop.store.contacts import Saved
    from desktop.ui.page_view import PageView


class ContactSaver(QObject):
    def __init__(self, page: PageView, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.page = page
        self.saving = False  # a save is on its way: no second one, no draft behind it

    def save(self) -> None:
        page = self.page
        if self.saving:
            return
        if page.seat is None:
            page.show_error(self.tr("The database is still opening; try again in a moment."))
            return
        if page.hand_off(save=True):  # saved by the number's client, in its store
            return
        contact = page.collect()
        if contact.call_ended_at is None and contact.revision == 0:
            contact = contact.with_changes(call_ended_at=utc_now())
        missing = contact.problems()
        if missing:
            self._refuse(missing)
            return
        self.saving = True
        page.stop_draft()
        actor, engine = page.agent or contact.agent, page.seat.engine
        page.ops.run(
            lambda: operations.save_contact(engine, contact, actor), self._saved, self.failed
        )

    def _refuse(self, missing: list[str]) -> None:
        if "callback_at" in missing:
            self.page.show_error(self.tr("A callback needs a callback time."))
            self.page.form.focus_callback()
        else:
            self.page.show_error(self.tr("Missing: %1").replace("%1", ", ".join(missing)))

    def _saved(self, result: Saved) -> None:
        self.saving = False
        self.page.pops.saved(result.contact.call_id, result.contact.id)
        self.page.saved.emit(result.contact)
        self.page.new_call()  # the history refreshes from what the save changed

    def failed(self, exc: Exception) -> None:
        """The store's thread handed back a failure: nothing typed is lost."""
        self.saving = False
        reason = plain_reason(exc)
        self.page.show_error(
            self.tr("NOT SAVED: %1. Everything typed is still here; try again (Ctrl+S).").replace(
                "%1", reason
            )
        )
        self.page.saveFailed.emit(reason)


def plain_reason(exc: Exception) -> str:
    """A failed save's cause in one line (never a traceback)."""
    # imported here: the first frame has no SQLAlchemy (tests/unit/test_architecture.py)
    from sqlalchemy.exc import SQLAlchemyError

    from desktop.store.contacts import StaleRevision

    if isinstance(exc, StaleRevision):
        return "the contact was corrected elsewhere meanwhile; reopen it from the history"
    if isinstance(exc, SQLAlchemyError):
        original = getattr(exc, "orig", None)
        return str(original or exc).splitlines()[0]
    return str(exc).splitlines()[0] if str(exc) else type(exc).__name__
