"""What a call event does to the agent's form.

- A call the form is already showing (same call_id): merged into it, never a second contact;
  ``ended`` records its end time.
- A call already saved: ``ended`` records the end time as a new revision of its contact.
- A new call: fills the form when it is idle; otherwise it waits, visibly, and the agent
  takes it with one key (F9) when ready. Nothing the agent is typing is ever overwritten.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from desktop.telephony.calls import Call, CallBook
from desktop.telephony.events import CallEvent, EventKind

if TYPE_CHECKING:
    from desktop.contacts import ContactData
    from desktop.ui.agent_page import AgentPage

log = logging.getLogger("repli.ui.pop")


class CallPops(QObject):
    """Signals: ``waitingChanged()`` when calls start or stop waiting, ``applied(object)``
    with the Call just put into the form."""

    waitingChanged = Signal()
    applied = Signal(object)

    def __init__(self, page: AgentPage) -> None:
        super().__init__(page)
        self.page = page
        self.book = CallBook()
        self.waiting: list[Call] = []
        self._saved: dict[str, str] = {}  # call_id -> contact id
        self.last_event_at: datetime | None = None

    def on_event(self, event: CallEvent) -> None:
        self.last_event_at = event.at
        log.info("call event %s: call %s (%s)", event.kind.value, event.call_id, event.source)
        update = self.book.apply(event)
        call = update.call
        if self.page.contact.call_id == call.call_id:
            self.page.merge_call(call)
        elif call.call_id in self._saved:
            if event.kind is EventKind.ENDED:
                self.page.record_end(self._saved[call.call_id], event.at)
        elif any(w.call_id == call.call_id for w in self.waiting):
            self.waiting = [call if w.call_id == call.call_id else w for w in self.waiting]
            self.waitingChanged.emit()
        elif event.kind is EventKind.ENDED and update.is_new:
            log.info("end of a call never seen ignored: %s", call.call_id)
        elif self.page.ready_for_pop():
            self._apply(call)
        else:
            log.info("call %s waiting for the agent", call.call_id)
            self.waiting.append(call)
            self.waitingChanged.emit()

    def take_next(self) -> bool:
        """The agent takes the oldest waiting call (F9)."""
        if not self.waiting or not self.page.ready_for_pop():
            return False
        self._apply(self.waiting.pop(0))
        self.waitingChanged.emit()
        return True

    def _apply(self, call: Call) -> None:
        log.info("screen pop shown: call %s", call.call_id)
        self.page.apply_pop(call)
        self.applied.emit(call)

    def saved(self, contact: ContactData) -> None:
        if contact.call_id:
            self._saved[contact.call_id] = contact.id
