"""One call at a time: the lookup, the contact form and today's history, wired together.

The page is built before the store is open (the first frame needs only the lookup index);
``attach_store`` gives it the database right after. Everything it asks of the store goes
through the window's ops (desktop.ui.ops), off the GUI thread: the form is kept as a draft on
every change (throttled, at most ``draft_delay_ms`` behind), and the page says "saved" only
once the commit returned. What a call event does is the pop policy's decision
(desktop.telephony.pop_policy); the page carries it out.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from types import ModuleType
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from desktop import keys, phone
from desktop.changes import CONTACTS, DRAFTS, NOTHING, Changed
from desktop.config import Settings
from desktop.contacts import ContactData, FoundBy, utc_now
from desktop.lookup import LookupIndex, Match
from desktop.telephony.calls import Call
from desktop.telephony.events import CallEvent
from desktop.telephony.pop_policy import Do, PopPolicy
from desktop.ui.contact_form import ContactForm
from desktop.ui.history import HistoryPanel
from desktop.ui.lookup_panel import LookupPanel
from desktop.ui.ops import Ops
from desktop.ui.widgets import named, shown_key

if TYPE_CHECKING:
    from desktop.context import SeatContext
    from desktop.store.contacts import Saved

log = logging.getLogger("repli.ui.agent")
APP_STARTED_AT = utc_now()  # imported while the app starts: its start time, give or take


CALLER_LOOKUP_DELAY_MS = 150  # a pause in the caller's number before its history is read


@dataclass(frozen=True)
class HandOff:
    """A contact whose dialled number belongs to another client of the shift, on its way to
    that client's window (desktop.ui.client_shift): what was typed, the call-type key the
    agent pressed (that client's pack gives it its own meaning), and whether to save."""

    contact: ContactData
    client: str
    call_type_key: str = ""
    save: bool = False


class AgentPage(QWidget):
    """Signals: ``saved(object)`` with the saved ContactData, ``saveFailed(str)``,
    ``draftSaved(object)`` with the time it was written, ``modeChanged(str)`` ("new",
    "correction", "restored"), ``callEvent()`` after each call event, ``spoken(str, bool,
    str)`` with what a screen reader says of a change, whether assertive, and its kind
    (desktop.ui.announcer)."""

    saved = Signal(object)
    saveFailed = Signal(str)
    draftSaved = Signal(object)
    modeChanged = Signal(str)
    callEvent = Signal()
    handOff = Signal(object)  # a HandOff: the contact is another client's of the shift
    spoken = Signal(str, bool, str)

    def __init__(
        self, settings: Settings, ops: Ops, index: LookupIndex | None, tables_version: str
    ) -> None:
        super().__init__()
        self.setObjectName("agentPage")
        self.settings = settings
        self.ops = ops
        self.tables_version = tables_version
        self.seat: SeatContext | None = None
        self.store: ModuleType | None = None
        self.agent = ""
        self.contact = ContactData()
        self.saving = False
        self.started = False  # the interrupted contact was looked for (a pop waits till then)
        self.lookup = LookupPanel(region=settings.region)
        self.form = ContactForm(settings.region)
        self.history: HistoryPanel | None = None  # built with the store (after the first frame)
        self.banner = named(QLabel(wordWrap=True), "formBanner")
        self.banner.hide()
        self.pop_banner = named(QLabel(wordWrap=True), "popBanner")
        self.pop_banner.hide()
        self.pops = PopPolicy()
        self._pop_number: str | None = None
        self._popped_digits = ""  # what a pop put in the digits (a later one may correct it)
        self._draft_in_flight = self._draft_dirty = False
        self._draft_timer = QTimer(self, singleShot=True, interval=settings.draft_delay_ms)
        self._draft_timer.timeout.connect(self.write_draft)
        # the caller's earlier contacts: read after a pause in the typing, off the GUI thread
        self._caller_wanted = ""
        self._caller_timer = QTimer(self, singleShot=True, interval=CALLER_LOOKUP_DELAY_MS)
        self._caller_timer.timeout.connect(self._look_up_caller)
        self._layout()
        self.set_index(index)
        self.lookup.matchChanged.connect(self._match_changed)
        self.lookup.accepted.connect(self._accepted)
        self.lookup.digitsEdited.connect(self._edited)
        self.lookup.spoken.connect(self.spoken)
        self.form.edited.connect(self._edited)
        self.form.pasteCleaned.connect(self._say_paste_cleaned)
        self.form.callTypeChanged.connect(self._show_call_type)
        self.form.callerChanged.connect(self._caller_changed)
        self.form.saveRequested.connect(self.save)

    def _layout(self) -> None:
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.lookup)
        right = QWidget()
        right_box = QVBoxLayout(right)
        right_box.setContentsMargins(0, 0, 0, 0)
        right_box.addWidget(self.pop_banner)
        right_box.addWidget(self.banner)
        right_box.addWidget(self.form)
        split.addWidget(right)
        split.setStretchFactor(0, 5)
        split.setStretchFactor(1, 6)
        self._vertical = vertical = QSplitter(Qt.Orientation.Vertical)
        vertical.addWidget(split)
        box = QHBoxLayout(self)
        box.setContentsMargins(6, 6, 6, 6)
        box.addWidget(vertical)

    # --- a shift of several clients: a contact belongs to its number's client ------------

    def _foreign(self) -> str:
        """The other client of the shift whose number the agent chose ("" : this window's)."""
        chosen = self.lookup.chosen
        client = chosen.client if chosen is not None else None
        return client.id if client is not None and client.id != self.settings.client_id else ""

    def _hand_off(self, call_type_key: str = "", save: bool = False) -> bool:
        client = self._foreign()
        if client:
            self._draft_timer.stop()
            self.handOff.emit(HandOff(self.collect(), client, call_type_key, save))
        return bool(client)

    def _accepted(self) -> None:
        if not self._hand_off():
            self.form.focus_first_empty()

    def _focus_moved(self, old: QWidget | None, new: QWidget | None) -> None:
        """From the digits into the form with another client's number: the contact goes to
        that client's window before anything of it is typed here."""
        if old is None or new is None or not self.isVisible() or not self._foreign():
            return
        if self.lookup.isAncestorOf(old) and self.form.isAncestorOf(new):
            self._hand_off()

    def join_shift(self) -> None:
        """This window is one of a shift's clients: watch the focus for a hand-off."""
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._focus_moved)

    def handed_off(self) -> None:
        """The contact went to its client's window: nothing of it stays here."""
        if self.seat is not None and self.store is not None:
            engine, store = self.seat.engine, self.store
            self.ops.run(lambda: store.discard_draft(engine), changes=DRAFTS)
        self.new_call()

    def take_over(self, carried: HandOff) -> None:
        """A contact handed over by another client's window of the shift: its digits, its
        chosen number (this client's own), what was typed and the call's times, recorded
        under this client's site, mode and tables."""
        self.new_call()
        contact = carried.contact
        types = self.index.call_types if self.index else {}
        known = contact.call_type if contact.call_type in types else None
        self.contact = contact.with_changes(
            site=self.settings.site,
            seat_id=self.settings.seat_id,
            agent=self.agent or contact.agent,
            mode=self.settings.mode.value,
            tables_version=self.tables_version,
            app_started_at=APP_STARTED_AT,
            call_type=known,
        )
        self._show_contact(self.contact)
        key = carried.call_type_key
        by_key = self.index.call_type_for_hotkey(key) if self.index and key else None
        if by_key is not None:
            self.form.choose_call_type(by_key.code)
        self._edited()
        if carried.save:
            self.save()
        else:
            self.form.focus_first_empty()

    def set_index(self, index: LookupIndex | None) -> None:
        self.index = index
        call_types = list(index.call_types.values()) if index else []
        self.keymap = keys.resolve({c.code: c.hotkey for c in call_types})
        self.lookup.set_index(index)
        self.lookup.set_keys(self.keymap)
        self.form.set_call_types(call_types, self.keymap)

    def set_tables(self, index: LookupIndex | None, version: str) -> None:
        """Tables that followed the primary, between two calls: the next contacts record
        their version (and the one just started, when nothing of it is typed yet)."""
        self.tables_version = version
        self.set_index(index)
        if not self.in_progress():
            self.contact = self.contact.with_changes(tables_version=version)

    def attach_store(self, seat: SeatContext) -> None:
        from desktop.store import contacts

        self.seat = seat
        self.store = contacts
        self.history = HistoryPanel(self.settings.region)
        self.history.search_key = shown_key(self.keymap.actions["history"])
        self.history.retranslate()
        self.history.correctionRequested.connect(self.start_correction)
        self.history.leaveRequested.connect(self.focus_digits)
        self._vertical.addWidget(self.history)
        self._vertical.setStretchFactor(0, 3)
        self._vertical.setStretchFactor(1, 2)
        self.history.attach(seat.engine, self.ops)

    def begin(self, agent: str) -> None:
        """The agent signed in (the store is attached): restore an interrupted contact, or
        start a fresh one (the draft is read off the GUI thread)."""
        assert self.seat is not None and self.store is not None and self.history is not None
        self.agent = agent
        self.history.apply_filter()
        if self.in_progress():  # typed while the store was opening: kept, never wiped
            self.contact = self.contact.with_changes(
                **self._seat_fields(),
                tables_version=self.contact.tables_version or self.tables_version,
            )
        else:
            self.new_call()  # the agent may type at once; an interrupted contact replaces it
        engine, store = self.seat.engine, self.store
        self.ops.run(lambda: store.load_draft(engine), self._began, self._begin_failed, key="draft")

    def _began(self, draft: ContactData | None) -> None:
        self.started = True
        if draft is not None and not self.in_progress():
            self.restore(draft)
        elif draft is None:
            self.take_waiting_call()  # a call that popped while nobody was signed in

    def _begin_failed(self, error: Exception) -> None:
        log.error("the draft could not be read: %s", error)
        self._began(None)

    # --- the call's life -------------------------------------------------------------

    def _seat_fields(self) -> dict[str, Any]:
        """What every contact taken at this seat records of the seat and its agent."""
        return {
            "site": self.settings.site,
            "seat_id": self.settings.seat_id,
            "agent": self.agent,
            "mode": self.settings.mode.value,
            "app_started_at": APP_STARTED_AT,
        }

    def new_call(self) -> None:
        self._draft_timer.stop()
        self.contact = ContactData(**self._seat_fields(), tables_version=self.tables_version)
        self._pop_number = None
        self._popped_digits = ""
        self.lookup.clear()
        self.form.clear()
        self._show_banner("")
        self.modeChanged.emit("new")
        self.focus_digits()

    def abandon(self) -> None:
        """The agent abandoned the contact being typed (after saying yes): its draft goes
        too, and a fresh contact starts."""
        if self.seat is not None and self.store is not None:
            engine, store = self.seat.engine, self.store
            self.ops.run(
                lambda: store.discard_draft(engine),
                failed=lambda exc: log.error("the abandoned draft stays: %s", exc),
                changes=DRAFTS,
            )
        self.new_call()

    def set_mode(self, settings: Settings) -> None:
        """The seat's mode changed: the call being taken (not saved yet) and the next ones
        are recorded in the new mode."""
        self.settings = settings
        if self.contact.revision == 0:
            self.contact = self.contact.with_changes(mode=settings.mode.value)

    def restore(self, draft: ContactData) -> None:
        self.contact = draft.with_changes(agent=self.agent or draft.agent)
        self._show_contact(draft)
        when = draft.updated_at or draft.created_at or draft.call_started_at
        stamp = when.astimezone().strftime("%H:%M:%S") if when else ""
        self._show_banner(
            self.tr("Contact restored after an interruption (draft of %1).").replace("%1", stamp)
        )
        self.modeChanged.emit("restored")
        self.focus_digits()

    def start_correction(self, contact_id: str) -> None:
        if self.seat is None or self.store is None:
            return
        if self.in_progress():
            self._show_banner(self.tr("Save or abandon (Ctrl+N) the current contact first."))
            return
        engine, store = self.seat.engine, self.store
        self.ops.run(
            lambda: store.get_contact(engine, contact_id),
            self._correct,
            lambda exc: self._show_banner(str(exc)),
            key="correction",
        )

    def _correct(self, contact: ContactData | None) -> None:
        if contact is None or self.in_progress():  # erased meanwhile; or a pop filled the form
            return
        self.contact = contact
        self._show_contact(contact)
        created = contact.created_at.astimezone().strftime("%H:%M") if contact.created_at else ""
        self._show_banner(
            self.tr("Correcting the contact of %1 (revision %2): saving makes revision %3.")
            .replace("%1", created)
            .replace("%2", str(contact.revision))
            .replace("%3", str(contact.revision + 1))
        )
        self.modeChanged.emit("correction")
        self.form.focus_caller()

    # --- screen pops -----------------------------------------------------------------

    def call_event(self, event: CallEvent) -> None:
        """A call event: the pop policy decides, the page does it."""
        decision = self.pops.on_event(event, self.contact.call_id, self.ready_for_pop())
        if decision.do is Do.MERGE:
            self.merge_call(decision.call)
        elif decision.do is Do.RECORD_END and event.at is not None:
            self.record_end(decision.contact_id, event.at)
        elif decision.do is Do.FILL:
            self.apply_pop(decision.call)
        if decision.waiting_changed:
            self._show_waiting()
        self.callEvent.emit()

    def ready_for_pop(self) -> bool:
        """A pop may fill the form: someone is signed in and nothing is being typed."""
        return bool(self.agent) and self.started and not self.saving and not self.in_progress()

    def apply_pop(self, call: Call) -> None:
        self.spoken.emit(self.tr("Incoming call"), True, "call")  # before what the card says of it
        self.new_call()
        self.contact = self.contact.with_changes(
            call_id=call.call_id,
            found_by=FoundBy.POP.value,
            call_started_at=call.first_at,
            call_ended_at=call.ended_at,
            called_via=call.called_via,
            reached_on=call.reached_on,
        )
        self._fill_from_call(call)
        self._popped_digits = self.lookup.digits_text()
        self._show_pop_origin(bool(self._popped_digits))  # a number not in the tables too
        self._pop_number = self.lookup.chosen.number.e164 if self.lookup.chosen else None
        if self.lookup.chosen is not None:
            self.form.focus_first_empty()
        self._edited()  # a popped call is kept as a draft like a typed one

    def _show_contact(self, contact: ContactData) -> None:
        """A contact from elsewhere (a draft, a correction, another client's window) in the
        digits, the chosen number, the pop's mark and the fields."""
        self.lookup.set_digits(contact.digits_typed)
        self.lookup.select_number(contact.matched_number)
        self._keep_pop_origin(contact)
        self.form.fill(contact)

    def _keep_pop_origin(self, contact: ContactData) -> None:
        popped = contact.found_by == FoundBy.POP.value
        self._pop_number = contact.matched_number if popped else None
        self._popped_digits = contact.digits_typed if popped else ""
        self._show_pop_origin(popped)

    def _show_pop_origin(self, by_pop: bool) -> None:
        """ "Found by screen pop" on the card and, for a rerouted call, the header the number
        was read in and the line the call came in on."""
        line = self._shown_number(self.contact.reached_on) if self.contact.reached_on else ""
        known = self.lookup.chosen is not None
        self.lookup.show_found_by_pop(by_pop, self.contact.called_via, line, known)

    def _shown_number(self, number: str) -> str:
        """A number from telephony as the agent reads it: ``01 99 00 68 81``, not
        ``+33199006881``; what is not a valid number (last digits, a short code) as it came."""
        shown = phone.normalise(number, self.settings.region)
        return shown.national if shown.valid else number.strip()

    def merge_call(self, call: Call) -> None:
        """Another event of the call in the form: fill what is still empty, record the end.
        The site proxy's dialled number, when it comes after the softphone's, replaces the
        number the seat was reached on, unless the agent changed the digits meanwhile."""
        if call.called_via and not self.contact.called_via:
            self.contact = self.contact.with_changes(
                called_via=call.called_via, reached_on=call.reached_on
            )
            if self.lookup.digits_text() == self._popped_digits and call.called:
                self._show_dialled(call.called)
                self._popped_digits = self.lookup.digits_text()
                chosen = self.lookup.chosen
                self._pop_number = chosen.number.e164 if chosen is not None else None
                self._show_pop_origin(chosen is not None)
        self._fill_from_call(call)
        if call.ended_at is not None:
            self.contact = self.contact.with_changes(call_ended_at=call.ended_at)

    def _show_dialled(self, called: str) -> None:
        """The telephony's dialled number in the digits; a number several clients' packs
        hold (a shift of several clients) chosen as this window's client's."""
        self.lookup.set_digits(self._shown_number(called))
        self.lookup.choose_own(self.settings.client_id)

    def _fill_from_call(self, call: Call) -> None:
        if call.called and not self.lookup.digits_text():
            self._show_dialled(call.called)
        if call.caller:
            self.form.fill_caller(self._shown_number(call.caller))

    def take_waiting_call(self) -> None:
        """The agent takes the oldest waiting call (F9)."""
        if not self.pops.waiting:
            return
        call = self.pops.take_next(self.ready_for_pop())
        if call is None:
            self._show_banner(self.tr("Save or abandon (Ctrl+N) the current contact first."))
            return
        self.apply_pop(call)
        self._show_waiting()

    def record_end(self, contact_id: str, at: datetime) -> None:
        """The end of a call already saved: a new revision of its contact."""
        if self.seat is None or self.store is None:
            return
        engine, store = self.seat.engine, self.store

        def work() -> object:
            contact = store.get_contact(engine, contact_id)
            if contact is None or contact.call_ended_at == at:
                return Changed(None, NOTHING)  # an end already recorded makes no revision
            return store.save_contact(engine, contact.with_changes(call_ended_at=at), "telephony")

        self.ops.run(
            work, failed=lambda exc: log.error("call end not recorded: %s", exc), changes=CONTACTS
        )

    def _show_waiting(self) -> None:
        waiting = self.pops.waiting
        if not waiting:
            self.pop_banner.hide()
            return
        first = waiting[0]
        parts = [self.tr("%n call(s) waiting", "", len(waiting))]
        if first.called:
            parts.append(f"{self._shown_number(first.called)} ({self._branch_of(first.called)})")
        if first.caller:
            parts.append(self.tr("from %1").replace("%1", self._shown_number(first.caller)))
        take = self.tr("%1 to take it").replace("%1", shown_key(self.keymap.actions["take"]))
        self.pop_banner.setText("☎ " + " — ".join(parts) + " — " + take)
        self.pop_banner.show()
        self.spoken.emit(", ".join([*parts, take]), False, "waiting")

    def _branch_of(self, called: str) -> str:
        try:
            found = self.index.search(called).unique if self.index else None
        except ValueError:
            found = None
        if found is None:
            return self.tr("unknown number")
        return found.branch.name if found.branch else found.number.label

    def in_progress(self) -> bool:
        return (
            bool(self.lookup.digits_text()) or self.form.has_input() or (self.contact.revision > 0)
        )

    def collect(self) -> ContactData:
        match = self.lookup.chosen
        base = self.contact.with_changes(
            agent=self.contact.agent or self.agent,
            digits_typed=self.lookup.digits_text(),
            matched_number=match.number.e164 if match else None,
            branch_id=match.number.branch_id if match else None,
            branch_name=_place(match),
            found_by=FoundBy.POP.value if self._from_pop(match) else FoundBy.TYPED.value,
        )
        if base.revision == 0:  # what the agent saw when the call was taken
            result = self.lookup.result
            base = base.with_changes(candidates=result.count if result and match else 0)
        return self.form.collect(base)

    def _from_pop(self, match: Match | None) -> bool:
        """The number the contact records is the pop's: the branch it found, or the digits
        it gave that no table holds (an unknown number was recorded as typed)."""
        if match is not None:
            return bool(match.number.e164 == self._pop_number)
        return bool(self._popped_digits) and self.lookup.digits_text() == self._popped_digits

    # --- edits and drafts ------------------------------------------------------------

    def _edited(self) -> None:
        if self.contact.call_started_at is None and self.contact.revision == 0:
            self.contact = self.contact.with_changes(call_started_at=utc_now())
        if not self.saving and not self._draft_timer.isActive():
            self._draft_timer.start()

    def write_draft(self, now: bool = False) -> None:
        """At most one draft on its way: typing on meanwhile writes the latest once it is
        back (on a slow site database a queue of drafts would hold up the save behind it)."""
        if self.saving or not self.in_progress():
            return
        if self.seat is None or self.store is None:
            self._draft_timer.start()  # the store is opening: try again shortly
            return
        if self._draft_in_flight and not now:
            self._draft_dirty = True
            return
        draft, engine, store = self.collect(), self.seat.engine, self.store
        self._draft_in_flight, self._draft_dirty = True, False
        self.ops.run(
            lambda: store.save_draft(engine, draft),
            self._draft_written,
            self._draft_failed,
            changes=DRAFTS,
        )

    def _draft_written(self, at: datetime) -> None:
        self._draft_in_flight = False
        self.draftSaved.emit(at)
        if self._draft_dirty:
            self.write_draft()

    def _draft_failed(self, error: Exception) -> None:
        self._draft_in_flight = False
        log.error("draft not written: %s", error)

    def flush_draft(self) -> None:
        """Write the draft now (the window is closing: its ops finish before it goes)."""
        self._draft_timer.stop()
        self.write_draft(now=True)

    def _match_changed(self, match: Match | None) -> None:
        if match is not None and match.call_type is not None:
            self.form.choose_call_type(match.call_type.code)
        self._show_call_type()
        if self._pop_number is not None:  # the agent chose another number: no longer the pop's
            self._show_pop_origin(match is not None and match.number.e164 == self._pop_number)
        if self.lookup.digits_text():
            self._edited()

    def choose_call_type(self, code: str) -> None:
        """A call-type key: the type is chosen and, when the agent was on the digits, the
        cursor goes on to the first field left to type (the caller's number, or their name
        when a pop gave it): no Tab between the digits and the caller."""
        if self._foreign():  # the key means what the number's client's pack says
            own = self.index.call_types.get(code) if self.index else None
            self._hand_off(own.hotkey if own else "")
            return
        self.form.choose_call_type(code)
        self._edited()
        if self.lookup.has_focus():
            self.form.focus_first_empty()
        self.spoken.emit(self.lookup.card.spoken_call_type(), False, "call type")

    def _show_call_type(self) -> None:
        code = self.form.call_type_code()
        call_type = self.index.call_types.get(code) if self.index and code else None
        self.lookup.show_call_type(call_type)

    def _caller_changed(self, stored: str) -> None:
        """The partner at once (from the tables, in memory); the earlier contacts once the
        agent pauses, read on the operation thread (a round trip on a site database)."""
        partner = self.index.partner_for(stored) if self.index else None
        self.form.show_caller_info(self.form.caller_text(), partner, [])
        self._caller_wanted = stored
        self.ops.forget("earlier-contacts")  # a read on its way is for the number before
        self._caller_timer.start()

    def _look_up_caller(self) -> None:
        stored, seat, store = self._caller_wanted, self.seat, self.store
        if not stored or seat is None or store is None:
            return
        engine = seat.engine
        self.ops.run(
            lambda: store.earlier_contacts(engine, stored),
            lambda found: self._show_earlier(stored, found),
            lambda exc: log.warning("earlier contacts not read: %s", exc),
            key="earlier-contacts",  # a newer number's read makes this one stale (desktop.ui.ops)
        )

    def _show_earlier(self, stored: str, found: list[ContactData]) -> None:
        partner = self.index.partner_for(stored) if self.index else None
        earlier = [c for c in found if c.id != self.contact.id]
        self.form.show_caller_info(self.form.caller_text(), partner, earlier)

    # --- saving ----------------------------------------------------------------------

    def save(self) -> None:
        if self.saving:
            return
        if self.seat is None or self.store is None:
            self._show_error(self.tr("The database is still opening; try again in a moment."))
            return
        if self._hand_off(save=True):  # saved by the number's client, in its store
            return
        contact = self.collect()
        if contact.call_ended_at is None and contact.revision == 0:
            contact = contact.with_changes(call_ended_at=utc_now())
        missing = contact.problems()
        if missing:
            self._refuse(missing)
            return
        self.saving = True
        self._draft_timer.stop()
        actor, engine, store = self.agent or contact.agent, self.seat.engine, self.store
        self.ops.run(
            lambda: store.save_contact(engine, contact, actor),
            self._saved,
            self._failed,
            changes=CONTACTS | DRAFTS,
        )

    def _refuse(self, missing: list[str]) -> None:
        if "callback_at" in missing:
            self._show_error(self.tr("A callback needs a callback time."))
            self.form.focus_callback()
        else:
            self._show_error(self.tr("Missing: %1").replace("%1", ", ".join(missing)))

    def _saved(self, result: Saved) -> None:
        self.saving = False
        self.pops.saved(result.contact.call_id, result.contact.id)
        self.saved.emit(result.contact)
        self.new_call()  # the history refreshes from what the save changed (desktop.changes)

    def _failed(self, exc: Exception) -> None:
        self.saving = False
        reason = _plain_reason(exc)
        self._show_error(
            self.tr("NOT SAVED: %1. Everything typed is still here; try again (Ctrl+S).").replace(
                "%1", reason
            )
        )
        self.saveFailed.emit(reason)

    def say(self, text: str) -> None:
        """A word to the agent above the form (it stays until the next call)."""
        self._show_banner(text)

    def _say_paste_cleaned(self) -> None:
        self._show_banner(
            self.tr(
                "Invisible characters removed from the pasted text "
                "(soft line breaks kept as line breaks)."
            )
        )

    def _show_banner(self, text: str) -> None:
        self.banner.setText(text)
        self.banner.setVisible(bool(text))
        if text:
            self.spoken.emit(text, False, "banner")

    def _show_error(self, text: str) -> None:
        """A save refused or failed, under the form, said at once."""
        self.form.show_error(text)
        self.spoken.emit(text, True, "save")

    def focus_digits(self) -> None:
        self.lookup.focus()

    def focus_caller(self) -> None:
        self.form.focus_caller()

    def focus_notes(self) -> None:
        self.form.focus_notes()

    def toggle_urgent(self) -> None:
        self.form.toggle_urgent()


def _place(match: Match | None) -> str:
    if match is None:
        return ""
    return match.branch.name if match.branch else match.number.label


def _plain_reason(exc: Exception) -> str:
    from sqlalchemy.exc import SQLAlchemyError

    from desktop.store.contacts import StaleRevision

    if isinstance(exc, StaleRevision):
        return "the contact was corrected elsewhere meanwhile; reopen it from the history"
    if isinstance(exc, SQLAlchemyError):
        original = getattr(exc, "orig", None)
        return str(original or exc).splitlines()[0]
    return str(exc).splitlines()[0] if str(exc) else type(exc).__name__
