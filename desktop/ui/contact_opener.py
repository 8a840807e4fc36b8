"""A contact from the store into the agent page: at sign-in the one a crash or a closed
window interrupted (its draft), from the history a saved one to correct. Read on the page's
ops; what the agent typed meanwhile is never replaced.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

from desktop.contacts import ContactData

if TYPE_CHECKING:
    from desktop.ui.page_view import PageView

log = logging.getLogger("repli.ui.opener")


class ContactOpener(QObject):
    def __init__(self, page: PageView, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.page = page

    def begin(self, agent: str) -> None:
        """The agent signed in (the store is attached): restore an interrupted contact, or
        start a fresh one (the draft is read off the GUI thread)."""
        page = self.page
        assert page.seat is not None and page.store is not None and page.history is not None
        page.agent = agent
        page.history.apply_filter()
        if page.in_progress():  # typed while the store was opening: kept, never wiped
            page.contact = page.contact.with_changes(
                **page.seat_fields(),
                tables_version=page.contact.tables_version or page.tables_version,
            )
        else:
            page.new_call()  # the agent may type at once; an interrupted contact replaces it
        engine, store = page.seat.engine, page.store
        page.ops.run(lambda: store.load_draft(engine), self._began, self._begin_failed, key="draft")

    def _began(self, draft: ContactData | None) -> None:
        page = self.page
        page.started = True
        if draft is not None and not page.in_progress():
            self._restore(draft)
        elif draft is None:
            page.take_waiting()  # a call that popped while nobody was signed in

    def _begin_failed(self, error: Exception) -> None:
        log.error("the draft could not be read: %s", error)
        self._began(None)

    def _restore(self, draft: ContactData) -> None:
        page = self.page
        page.contact = draft.with_changes(agent=page.agent or draft.agent)
        page.show_contact(draft)
        when = draft.updated_at or draft.created_at or draft.call_started_at
        stamp = when.astimezone().strftime("%H:%M:%S") if when else ""
        page.say(
            self.tr("Contact restored after an interruption (draft of %1).").replace("%1", stamp)
        )
        page.modeChanged.emit("restored")
        page.focus_digits()

    def correct(self, contact_id: str) -> None:
        """The agent chose a saved contact in the history to correct it."""
        page = self.page
        if page.seat is None or page.store is None:
            return
        if page.in_progress():
            page.say(self.tr("Save or abandon (Ctrl+N) the current contact first."))
            return
        engine, store = page.seat.engine, page.store
        page.ops.run(
            lambda: store.get_contact(engine, contact_id),
            self._correct,
            lambda exc: page.say(str(exc)),
            key="correction",
        )

    def _correct(self, contact: ContactData | None) -> None:
        page = self.page
        if contact is None or page.in_progress():  # erased meanwhile; or a pop filled the form
            return
        page.contact = contact
        page.show_contact(contact)
        created = contact.created_at.astimezone().strftime("%H:%M") if contact.created_at else ""
        page.say(
            self.tr("Correcting the contact of %1 (revision %2): saving makes revision %3.")
            .replace("%1", created)
            .replace("%2", str(contact.revision))
            .replace("%3", str(contact.revision + 1))
        )
        page.modeChanged.emit("correction")
        page.form.focus_caller()
