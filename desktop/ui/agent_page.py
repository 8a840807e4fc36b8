"""One call at a time: the lookup, the contact form and today's history, wired together.

The page is built before the store is open (the first frame needs only the lookup index);
``attach_store`` gives it the database right after. Everything it asks of the store goes
through the window's ops (desktop.ui.ops), off the GUI thread: the form is kept as a draft on
every change (throttled, at most ``draft_delay_ms`` behind), and the page says "saved" only
once the commit returned. Its helpers each have a home: the screen pops
(desktop.ui.pop_presenter), the draft (desktop.ui.draft_keeper), the caller's earlier
contacts (desktop.ui.caller_history), the hand-off to another client's window of a shift
(desktop.ui.hand_off).
"""

from __future__ import annotations

import logging
from types import ModuleType
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from desktop import keys, operations
from desktop.config import Settings
from desktop.contacts import ContactData, FoundBy, utc_now
from desktop.lookup import LookupIndex, Match
from desktop.telephony.events import CallEvent
from desktop.ui.caller_history import CallerHistory
from desktop.ui.contact_form import ContactForm
from desktop.ui.contact_opener import ContactOpener
from desktop.ui.contact_saver import ContactSaver
from desktop.ui.draft_keeper import DraftKeeper
from desktop.ui.hand_off import HandOff, ShiftHandOff
from desktop.ui.lookup_panel import LookupPanel
from desktop.ui.ops import Ops
from desktop.ui.pop_presenter import PopPresenter
from desktop.ui.widgets import named, shown_key

if TYPE_CHECKING:
    from desktop.context import SeatContext
    from desktop.ui.history import HistoryPanel

log = logging.getLogger("repli.ui.agent")
APP_STARTED_AT = utc_now()  # imported while the app starts: its start time, give or take
__all__ = ["AgentPage", "HandOff"]


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
        self.started = False  # the interrupted contact was looked for (a pop waits till then)
        self.lookup = LookupPanel(region=settings.region)
        self.form = ContactForm(settings.region)
        self.history: HistoryPanel | None = None  # built with the store (after the first frame)
        self.banner = named(QLabel(wordWrap=True), "formBanner")
        self.banner.hide()
        self.pop_banner = named(QLabel(wordWrap=True), "popBanner")
        self.pop_banner.hide()
        # the page's parts, each in its module; they know the page as a PageView
        self.popper = PopPresenter(self, self)
        self.pops = self.popper.policy  # the calls seen, waiting, saved
        self.drafts = DraftKeeper(self, settings.draft_delay_ms, self)
        self.caller = CallerHistory(self, self)
        self.shift = ShiftHandOff(self, self)
        self.saver = ContactSaver(self, self)
        self.opener = ContactOpener(self, self)
        self._layout()
        self.set_index(index)
        self.lookup.matchChanged.connect(self._match_changed)
        self.lookup.accepted.connect(self._accepted)
        self.lookup.digitsEdited.connect(self.edited)
        self.lookup.spoken.connect(self.spoken)
        self.form.edited.connect(self.edited)
        self.form.pasteCleaned.connect(self._say_paste_cleaned)
        self.form.callTypeChanged.connect(self._show_call_type)
        self.form.callerChanged.connect(self.caller.changed)
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

    # --- a shift of several clients (desktop.ui.hand_off) ---------------------------------

    def hand_off(self, call_type_key: str = "", save: bool = False) -> bool:
        return self.shift.hand_off(call_type_key, save)

    def _accepted(self) -> None:
        if not self.shift.hand_off():
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
        from desktop.ui.history import HistoryPanel  # after the first frame, as the panel

        self.seat = seat
        self.store = contacts
        self.history = HistoryPanel(self.settings.region)
        self.history.search_key = shown_key(self.keymap.actions["history"])
        self.history.retranslate()
        self.history.correctionRequested.connect(self.opener.correct)
        self.history.leaveRequested.connect(self.focus_digits)
        self._vertical.addWidget(self.history)
        self._vertical.setStretchFactor(0, 3)
        self._vertical.setStretchFactor(1, 2)
        self.history.attach(seat.engine, self.ops)

    # --- the call's life -------------------------------------------------------------

    def begin(self, agent: str) -> None:
        """The agent signed in (the store is attached): the interrupted contact comes back
        (desktop.ui.contact_opener)."""
        self.opener.begin(agent)

    def seat_fields(self) -> dict[str, Any]:
        """What every contact taken at this seat records of the seat and its agent."""
        return {
            "site": self.settings.site,
            "seat_id": self.settings.seat_id,
            "agent": self.agent,
            "mode": self.settings.mode.value,
            "app_started_at": APP_STARTED_AT,
        }

    def new_call(self) -> None:
        self.drafts.stop()
        self.contact = ContactData(**self.seat_fields(), tables_version=self.tables_version)
        self.popper.reset()
        self.lookup.clear()
        self.form.clear()
        self._show_banner("")
        self.modeChanged.emit("new")
        self.focus_digits()

    def abandon(self) -> None:
        """The agent abandoned the contact being typed (after saying yes): its draft goes
        too, and a fresh contact starts."""
        if self.seat is not None:
            engine = self.seat.engine
            self.ops.run(
                lambda: operations.discard_draft(engine),
                failed=lambda exc: log.error("the abandoned draft stays: %s", exc),
            )
        self.new_call()

    def set_mode(self, settings: Settings) -> None:
        """The seat's mode changed: the call being taken (not saved yet) and the next ones
        are recorded in the new mode."""
        self.settings = settings
        if self.contact.revision == 0:
            self.contact = self.contact.with_changes(mode=settings.mode.value)

    # --- screen pops (desktop.ui.pop_presenter) ----------------------------------------

    def call_event(self, event: CallEvent) -> None:
        """A call event: the pop policy decides, the presenter does it."""
        self.popper.call_event(event)
        self.callEvent.emit()

    def ready_for_pop(self) -> bool:
        """A pop may fill the form: someone is signed in and nothing is being typed."""
        return bool(self.agent) and self.started and not self.saving and not self.in_progress()

    def take_waiting(self) -> None:
        self.popper.take_waiting()

    def show_contact(self, contact: ContactData) -> None:
        """A contact from elsewhere (a draft, a correction, another client's window) in the
        digits, the chosen number, the pop's mark and the fields."""
        self.lookup.set_digits(contact.digits_typed)
        self.lookup.select_number(contact.matched_number)
        self.popper.keep_origin(contact)
        self.form.fill(contact)

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
            found_by=FoundBy.POP.value if self.popper.found_by_pop(match) else FoundBy.TYPED.value,
        )
        if base.revision == 0:  # what the agent saw when the call was taken
            result = self.lookup.result
            base = base.with_changes(candidates=result.count if result and match else 0)
        return self.form.collect(base)

    # --- edits and drafts ------------------------------------------------------------

    def edited(self) -> None:
        if self.contact.call_started_at is None and self.contact.revision == 0:
            self.contact = self.contact.with_changes(call_started_at=utc_now())
        self.drafts.edited()

    def stop_draft(self) -> None:
        self.drafts.stop()

    def flush_draft(self) -> None:
        """Write the draft now (the window is closing: its ops finish before it goes)."""
        self.drafts.flush()

    def _match_changed(self, match: Match | None) -> None:
        if match is not None and match.call_type is not None:
            self.form.choose_call_type(match.call_type.code)
        self._show_call_type()
        self.popper.chosen_changed(match)
        if self.lookup.digits_text():
            self.edited()

    def choose_call_type(self, code: str) -> None:
        """A call-type key: the type is chosen and, when the agent was on the digits, the
        cursor goes on to the first field left to type (the caller's number, or their name
        when a pop gave it): no Tab between the digits and the caller."""
        if self.shift.foreign():  # the key means what the number's client's pack says
            own = self.index.call_types.get(code) if self.index else None
            self.shift.hand_off(own.hotkey if own else "")
            return
        self.form.choose_call_type(code)
        self.edited()
        if self.lookup.has_focus():
            self.form.focus_first_empty()
        self.spoken.emit(self.lookup.card.spoken_call_type(), False, "call type")

    def _show_call_type(self) -> None:
        code = self.form.call_type_code()
        call_type = self.index.call_types.get(code) if self.index and code else None
        self.lookup.show_call_type(call_type)

    # --- saving (desktop.ui.contact_saver) --------------------------------------------

    @property
    def saving(self) -> bool:
        return self.saver.saving

    def save(self) -> None:
        self.saver.save()

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

    def show_error(self, text: str) -> None:
        """A save refused or failed, under the form, said at once."""
        self.form.show_error(text)
        self.spoken.emit(text, True, "save")

    def focus_digits(self) -> None:
        self.lookup.focus()

    def focus_history(self) -> None:
        if self.history is not None:  # built with the store
            self.history.focus_search()


def _place(match: Match | None) -> str:
    if match is None:
        return ""
    return match.branch.name if match.branch else match.number.label
