"""Screen pops on the agent page: the pop policy decides (desktop.telephony.pop_policy), this
presenter carries it out on the page's lookup and form, shows the calls waiting and keeps
which number and digits the pop gave (the contact records whether it was found by pop).
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

from desktop import operations, phone
from desktop.contacts import ContactData, FoundBy
from desktop.lookup import Match
from desktop.telephony.calls import Call
from desktop.telephony.events import CallEvent
from desktop.telephony.pop_policy import Do, PopPolicy, dialled_replaces_digits, learns_dialled
from desktop.ui.widgets import shown_key

if TYPE_CHECKING:
    from desktop.ui.page_view import PageView

log = logging.getLogger("repli.ui.pops")


class PopPresenter(QObject):
    """The page's calls: ``policy`` holds the calls seen, waiting and saved."""

    def __init__(self, page: PageView, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.page = page
        self.policy = PopPolicy()
        self.number: str | None = None  # the E.164 number the pop chose
        self.digits = ""  # what a pop put in the digits (a later one may correct it)

    def reset(self) -> None:
        """A new call: nothing of it came from a pop yet."""
        self.number = None
        self.digits = ""

    def call_event(self, event: CallEvent) -> None:
        page = self.page
        decision = self.policy.on_event(event, page.contact.call_id, page.ready_for_pop())
        if decision.do is Do.MERGE:
            self.merge_call(decision.call)
        elif decision.do is Do.RECORD_END and event.at is not None:
            self.record_end(decision.contact_id, event.at)
        elif decision.do is Do.FILL:
            self.apply(decision.call)
        if decision.waiting_changed:
            self.show_waiting()

    def apply(self, call: Call) -> None:
        page = self.page
        page.spoken.emit(self.tr("Incoming call"), True, "call")  # before what the card says
        page.new_call()
        page.contact = page.contact.with_changes(
            call_id=call.call_id,
            found_by=FoundBy.POP.value,
            call_started_at=call.first_at,
            call_ended_at=call.ended_at,
            called_via=call.called_via,
            reached_on=call.reached_on,
        )
        self._fill_from_call(call)
        self.digits = page.lookup.digits_text()
        self.show_origin(bool(self.digits))  # a number not in the tables too
        chosen = page.lookup.chosen
        self.number = chosen.number.e164 if chosen is not None else None
        if chosen is not None:
            page.form.focus_first_empty()
        page.edited()  # a popped call is kept as a draft like a typed one

    def keep_origin(self, contact: ContactData) -> None:
        """A contact from elsewhere (a draft, a correction): whether a pop found it."""
        popped = contact.found_by == FoundBy.POP.value
        self.number = contact.matched_number if popped else None
        self.digits = contact.digits_typed if popped else ""
        self.show_origin(popped)

    def show_origin(self, by_pop: bool) -> None:
        """ "Found by screen pop" on the card and, for a rerouted call, the header the number
        was read in and the line the call came in on."""
        contact, lookup = self.page.contact, self.page.lookup
        line = self.shown_number(contact.reached_on) if contact.reached_on else ""
        lookup.show_found_by_pop(by_pop, contact.called_via, line, lookup.chosen is not None)

    def chosen_changed(self, match: Match | None) -> None:
        """The agent chose another number: no longer the pop's."""
        if self.number is not None:
            self.show_origin(match is not None and match.number.e164 == self.number)

    def found_by_pop(self, match: Match | None) -> bool:
        """The number the contact records is the pop's: the branch it found, or the digits
        it gave that no table holds (an unknown number was recorded as typed)."""
        if match is not None:
            return bool(match.number.e164 == self.number)
        return bool(self.digits) and self.page.lookup.digits_text() == self.digits

    def shown_number(self, number: str) -> str:
        """A number from telephony as the agent reads it: ``01 99 00 68 81``, not
        ``+33199006881``; what is not a valid number (last digits, a short code) as it came."""
        shown = phone.normalise(number, self.page.settings.region)
        return shown.national if shown.valid else number.strip()

    def merge_call(self, call: Call) -> None:
        """Another event of the call in the form: fill what is still empty, record the end,
        and a dialled number learnt late where the pop's rule lets it."""
        page = self.page
        if learns_dialled(call, page.contact.called_via):
            page.contact = page.contact.with_changes(
                called_via=call.called_via, reached_on=call.reached_on
            )
            if dialled_replaces_digits(call, page.lookup.digits_text(), self.digits):
                self._show_dialled(call.called)
                self.digits = page.lookup.digits_text()
                chosen = page.lookup.chosen
                self.number = chosen.number.e164 if chosen is not None else None
                self.show_origin(chosen is not None)
        self._fill_from_call(call)
        if call.ended_at is not None:
            page.contact = page.contact.with_changes(call_ended_at=call.ended_at)

    def _show_dialled(self, called: str) -> None:
        """The telephony's dialled number in the digits; a number several clients' packs
        hold (a shift of several clients) chosen as this window's client's."""
        self.page.lookup.set_digits(self.shown_number(called))
        self.page.lookup.choose_own(self.page.settings.client_id)

    def _fill_from_call(self, call: Call) -> None:
        if call.called and not self.page.lookup.digits_text():
            self._show_dialled(call.called)
        if call.caller:
            self.page.form.fill_caller(self.shown_number(call.caller))

    def take_waiting(self) -> None:
        """The agent takes the oldest waiting call (F9)."""
        if not self.policy.waiting:
            return
        call = self.policy.take_next(self.page.ready_for_pop())
        if call is None:
            self.page.say(self.tr("Save or abandon (Ctrl+N) the current contact first."))
            return
        self.apply(call)
        self.show_waiting()

    def record_end(self, contact_id: str, at: datetime) -> None:
        """The end of a call already saved: a new revision of its contact."""
        seat = self.page.seat
        if seat is None:
            return
        engine = seat.engine
        self.page.ops.run(
            lambda: operations.record_call_end(engine, contact_id, at),
            failed=lambda exc: log.error("call end not recorded: %s", exc),
        )

    def show_waiting(self) -> None:
        banner, waiting = self.page.pop_banner, self.policy.waiting
        if not waiting:
            banner.hide()
            return
        first = waiting[0]
        parts = [self.tr("%n call(s) waiting", "", len(waiting))]
        if first.called:
            parts.append(f"{self.shown_number(first.called)} ({self._branch_of(first.called)})")
        if first.caller:
            parts.append(self.tr("from %1").replace("%1", self.shown_number(first.caller)))
        key = shown_key(self.page.keymap.actions["take"])
        take = self.tr("%1 to take it").replace("%1", key)
        banner.setText("☎ " + " — ".join(parts) + " — " + take)
        banner.show()
        self.page.spoken.emit(", ".join([*parts, take]), False, "waiting")

    def _branch_of(self, called: str) -> str:
        index = self.page.index
        try:
            found = index.search(called).unique if index else None
        except ValueError:
            found = None
        if found is None:
            return self.tr("unknown number")
        return found.branch.name if found.branch else found.number.label
