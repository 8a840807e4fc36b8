"""One call at a time: the lookup, the contact form and today's history, wired together.

The page is built before the store is open (the first frame needs only the lookup index);
``attach_store`` gives it the database right after. The form is kept as a draft on every
change (throttled, at most ``draft_delay_ms`` behind); a save goes through the runner and the
page says "saved" only once the commit returned.
"""

from __future__ import annotations

import logging
from datetime import datetime
from types import ModuleType
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSplitter, QVBoxLayout, QWidget

from desktop import keys, phone
from desktop.config import Settings
from desktop.contacts import ContactData, FoundBy, utc_now
from desktop.lookup import LookupIndex, Match
from desktop.telephony.calls import Call
from desktop.ui.call_pops import CallPops
from desktop.ui.contact_form import ContactForm
from desktop.ui.history import HistoryPanel
from desktop.ui.lookup_panel import LookupPanel
from desktop.ui.runner import DbRunner
from desktop.ui.widgets import named, shown_key

if TYPE_CHECKING:
    from desktop.context import SeatContext
    from desktop.store.contacts import Saved

log = logging.getLogger("repli.ui.agent")
APP_STARTED_AT = utc_now()  # imported while the app starts: its start time, give or take


CALLER_LOOKUP_DELAY_MS = 150  # a pause in the caller's number before its history is read


class AgentPage(QWidget):
    """Signals: ``saved(object)`` with the saved ContactData, ``saveFailed(str)``,
    ``draftSaved(object)`` with the time it was written, ``modeChanged(str)`` ("new",
    "correction", "restored")."""

    saved = Signal(object)
    saveFailed = Signal(str)
    draftSaved = Signal(object)
    modeChanged = Signal(str)

    def __init__(
        self, settings: Settings, runner: DbRunner, index: LookupIndex | None, tables_version: str
    ) -> None:
        super().__init__()
        self.setObjectName("agentPage")
        self.settings = settings
        self.runner = runner
        self.tables_version = tables_version
        self.seat: SeatContext | None = None
        self.store: ModuleType | None = None
        self.agent = ""
        self.contact = ContactData()
        self.saving = False
        self.lookup = LookupPanel(region=settings.region)
        self.form = ContactForm(settings.region)
        self.history: HistoryPanel | None = None  # built with the store (after the first frame)
        self.banner = named(QLabel(wordWrap=True), "formBanner")
        self.banner.hide()
        self.pop_banner = named(QLabel(wordWrap=True), "popBanner")
        self.pop_banner.hide()
        self.pops = CallPops(self)
        self.pops.waitingChanged.connect(self._show_waiting)
        self._pop_number: str | None = None
        self._draft_timer = QTimer(self, singleShot=True, interval=settings.draft_delay_ms)
        self._draft_timer.timeout.connect(self.write_draft)
        # the caller's earlier contacts: read after a pause in the typing, off the GUI thread
        self._caller_wanted = ""
        self._caller_timer = QTimer(self, singleShot=True, interval=CALLER_LOOKUP_DELAY_MS)
        self._caller_timer.timeout.connect(self._look_up_caller)
        self._layout()
        self.set_index(index)
        self.lookup.matchChanged.connect(self._match_changed)
        self.lookup.accepted.connect(lambda: self.form.caller_number.setFocus())
        self.lookup.digits.textEdited.connect(lambda _t: self._edited())
        self.form.edited.connect(self._edited)
        self.form.call_type.currentIndexChanged.connect(lambda _i: self._show_call_type())
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

    def set_index(self, index: LookupIndex | None) -> None:
        self.index = index
        call_types = list(index.call_types.values()) if index else []
        self.keymap = keys.resolve({c.code: c.hotkey for c in call_types})
        self.lookup.set_index(index)
        self.lookup.set_keys(self.keymap)
        self.form.set_call_types(call_types, self.keymap)

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
        self.history.attach(seat.engine)

    def begin(self, agent: str) -> None:
        """The agent signed in (the store is attached): restore an interrupted contact, or
        start a fresh one."""
        assert self.seat is not None and self.store is not None and self.history is not None
        self.agent = agent
        self.history.apply_filter()
        draft = self.store.load_draft(self.seat.engine)
        if draft is not None:
            self.restore(draft)
        else:
            self.new_call()
            self.pops.take_next()  # a call that popped while nobody was signed in

    # --- the call's life -------------------------------------------------------------

    def new_call(self) -> None:
        self._draft_timer.stop()
        self.contact = ContactData(
            site=self.settings.site,
            seat_id=self.settings.seat_id,
            agent=self.agent,
            mode=self.settings.mode.value,
            tables_version=self.tables_version,
            app_started_at=APP_STARTED_AT,
        )
        self._pop_number = None
        self.lookup.clear()
        self.form.clear()
        self._show_banner("")
        self.modeChanged.emit("new")
        self.focus_digits()

    def set_mode(self, settings: Settings) -> None:
        """The seat's mode changed: the call being taken (not saved yet) and the next ones
        are recorded in the new mode."""
        self.settings = settings
        if self.contact.revision == 0:
            self.contact = self.contact.with_changes(mode=settings.mode.value)

    def restore(self, draft: ContactData) -> None:
        self.contact = draft.with_changes(agent=self.agent or draft.agent)
        self.lookup.digits.setText(draft.digits_typed)
        self._select_number(draft.matched_number)
        self._keep_pop_origin(draft)
        self.form.fill(draft)
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
        contact = self.store.get_contact(self.seat.engine, contact_id)
        if contact is None:
            return
        self.contact = contact
        self.lookup.digits.setText(contact.digits_typed)
        self._select_number(contact.matched_number)
        self._keep_pop_origin(contact)
        self.form.fill(contact)
        created = contact.created_at.astimezone().strftime("%H:%M") if contact.created_at else ""
        self._show_banner(
            self.tr("Correcting the contact of %1 (revision %2): saving makes revision %3.")
            .replace("%1", created)
            .replace("%2", str(contact.revision))
            .replace("%3", str(contact.revision + 1))
        )
        self.modeChanged.emit("correction")
        self.form.caller_number.setFocus()

    def _select_number(self, e164: str | None) -> None:
        for row in range(self.lookup.model.rowCount()):
            match = self.lookup.model.match_at(row)
            if match is not None and match.number.e164 == e164:
                self.lookup.candidates.setCurrentIndex(self.lookup.model.index(row))
                return

    # --- screen pops -----------------------------------------------------------------

    def ready_for_pop(self) -> bool:
        """A pop may fill the form: someone is signed in and nothing is being typed."""
        return (
            bool(self.agent)
            and self.seat is not None
            and not self.saving
            and not self.in_progress()
        )

    def apply_pop(self, call: Call) -> None:
        self.new_call()
        self.contact = self.contact.with_changes(
            call_id=call.call_id,
            found_by=FoundBy.POP.value,
            call_started_at=call.first_at,
            call_ended_at=call.ended_at,
        )
        self._fill_from_call(call)
        self.lookup.card.set_found_by_pop(self.lookup.chosen is not None)
        self._pop_number = self.lookup.chosen.number.e164 if self.lookup.chosen else None
        if self.lookup.chosen is not None:
            self.form.caller_name.setFocus()
        self._edited()  # a popped call is kept as a draft like a typed one

    def _keep_pop_origin(self, contact: ContactData) -> None:
        popped = contact.found_by == FoundBy.POP.value
        self._pop_number = contact.matched_number if popped else None
        self.lookup.card.set_found_by_pop(popped)

    def merge_call(self, call: Call) -> None:
        """Another event of the call in the form: fill what is still empty, record the end."""
        self._fill_from_call(call)
        if call.ended_at is not None:
            self.contact = self.contact.with_changes(call_ended_at=call.ended_at)

    def _fill_from_call(self, call: Call) -> None:
        if call.called and not self.lookup.digits.text().strip():
            self.lookup.digits.setText(call.called)
        if call.caller and not self.form.caller_number.text().strip():
            shown = phone.normalise(call.caller, self.settings.region)
            self.form.caller_number.setText(shown.national if shown.valid else call.caller)

    def take_waiting_call(self) -> None:
        if not self.pops.waiting:
            return
        if not self.pops.take_next():
            self._show_banner(self.tr("Save or abandon (Ctrl+N) the current contact first."))

    def record_end(self, contact_id: str, at: datetime) -> None:
        """The end of a call already saved: a new revision of its contact."""
        if self.seat is None or self.store is None:
            return
        engine, store = self.seat.engine, self.store

        def work() -> object:
            contact = store.get_contact(engine, contact_id)
            if contact is None or contact.call_ended_at == at:
                return None
            return store.save_contact(engine, contact.with_changes(call_ended_at=at), "telephony")

        self.runner.run(work, lambda _r: self.history.refresh() if self.history else None,
                        lambda exc: log.error("call end not recorded: %s", exc))  # fmt: skip

    def _show_waiting(self) -> None:
        waiting = self.pops.waiting
        if not waiting:
            self.pop_banner.hide()
            return
        first = waiting[0]
        parts = [self.tr("%n call(s) waiting", "", len(waiting))]
        if first.called:
            parts.append(f"{first.called} ({self._branch_of(first.called)})")
        if first.caller:
            parts.append(self.tr("from %1").replace("%1", first.caller))
        self.pop_banner.setText(
            "☎ "
            + " — ".join(parts)
            + " — "
            + self.tr("%1 to take it").replace("%1", shown_key(self.keymap.actions["take"]))
        )
        self.pop_banner.show()

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
            bool(self.lookup.digits.text().strip())
            or self.form.has_input()
            or (self.contact.revision > 0)
        )

    def collect(self) -> ContactData:
        match = self.lookup.chosen
        base = self.contact.with_changes(
            agent=self.contact.agent or self.agent,
            digits_typed=self.lookup.digits.text().strip(),
            matched_number=match.number.e164 if match else None,
            branch_id=match.number.branch_id if match else None,
            branch_name=_place(match),
            found_by=FoundBy.POP.value
            if match is not None and match.number.e164 == self._pop_number
            else FoundBy.TYPED.value,
        )
        if base.revision == 0:  # what the agent saw when the call was taken
            result = self.lookup.result
            base = base.with_changes(candidates=result.count if result and match else 0)
        return self.form.collect(base)

    # --- edits and drafts ------------------------------------------------------------

    def _edited(self) -> None:
        if self.contact.call_started_at is None and self.contact.revision == 0:
            self.contact = self.contact.with_changes(call_started_at=utc_now())
        if not self.saving and not self._draft_timer.isActive():
            self._draft_timer.start()

    def write_draft(self) -> None:
        if self.saving or not self.in_progress():
            return
        if self.seat is None or self.store is None:
            self._draft_timer.start()  # the store is opening: try again shortly
            return
        draft, engine, store = self.collect(), self.seat.engine, self.store
        self.runner.run(
            lambda: store.save_draft(engine, draft),
            self.draftSaved.emit,
            lambda exc: log.error("draft not written: %s", exc),
        )

    def flush_draft(self) -> None:
        """Write the draft now, on this thread (the window is closing)."""
        self._draft_timer.stop()
        if (
            self.seat is not None
            and self.store is not None
            and not self.saving
            and self.in_progress()
        ):
            self.store.save_draft(self.seat.engine, self.collect())

    def _match_changed(self, match: Match | None) -> None:
        if match is not None and match.call_type is not None:
            self.form.choose_call_type(match.call_type.code)
        self._show_call_type()
        if self.lookup.digits.text():
            self._edited()

    def choose_call_type(self, code: str) -> None:
        self.form.choose_call_type(code)
        self._edited()

    def _show_call_type(self) -> None:
        code = self.form.call_type.currentData()
        call_type = self.index.call_types.get(code) if self.index and code else None
        self.lookup.card.show_call_type(call_type)

    def _caller_changed(self, stored: str) -> None:
        """The partner at once (from the tables, in memory); the earlier contacts once the
        agent pauses, read on the runner's thread (a round trip on a site database)."""
        partner = self.index.partner_for(stored) if self.index else None
        self.form.show_caller_info(self.form.caller_number.text(), partner, [])
        self._caller_wanted = stored
        self._caller_timer.start()

    def _look_up_caller(self) -> None:
        stored, seat, store = self._caller_wanted, self.seat, self.store
        if not stored or seat is None or store is None:
            return
        engine = seat.engine
        self.runner.run(
            lambda: store.earlier_contacts(engine, stored),
            lambda found: self._show_earlier(stored, found),
            lambda exc: log.warning("earlier contacts not read: %s", exc),
        )

    def _show_earlier(self, stored: str, found: list[ContactData]) -> None:
        if stored != self._caller_wanted:
            return  # the agent typed on meanwhile: a newer lookup is on its way
        partner = self.index.partner_for(stored) if self.index else None
        earlier = [c for c in found if c.id != self.contact.id]
        self.form.show_caller_info(self.form.caller_number.text(), partner, earlier)

    # --- saving ----------------------------------------------------------------------

    def save(self) -> None:
        if self.saving:
            return
        if self.seat is None or self.store is None:
            self.form.show_error(self.tr("The database is still opening; try again in a moment."))
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
        self.runner.run(
            lambda: store.save_contact(engine, contact, actor), self._saved, self._failed
        )

    def _refuse(self, missing: list[str]) -> None:
        if "callback_at" in missing:
            self.form.show_error(self.tr("A callback needs a callback time."))
            self.form.callback_at.setFocus()
        else:
            self.form.show_error(self.tr("Missing: %1").replace("%1", ", ".join(missing)))

    def _saved(self, result: Saved) -> None:
        self.saving = False
        self.pops.saved(result.contact)
        self.saved.emit(result.contact)
        if self.history is not None:
            self.history.refresh()
        self.new_call()

    def _failed(self, exc: Exception) -> None:
        self.saving = False
        reason = _plain_reason(exc)
        self.form.show_error(
            self.tr("NOT SAVED: %1. Everything typed is still here; try again (Ctrl+S).").replace(
                "%1", reason
            )
        )
        self.saveFailed.emit(reason)

    def _show_banner(self, text: str) -> None:
        self.banner.setText(text)
        self.banner.setVisible(bool(text))

    def focus_digits(self) -> None:
        self.lookup.digits.setFocus()
        self.lookup.digits.selectAll()


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
