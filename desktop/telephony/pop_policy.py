"""What a call event does to the agent's form: the pop rules, with no window in them.

- A call the form is already showing (same call_id): merged into it, never a second contact.
- A call already saved: ``ended`` records its end time as a new revision of its contact,
  once: an end repeated (a replayed notification, the softphone's and the proxy's) changes
  nothing.
- A new call: fills the form when it is idle; otherwise it waits, visibly, and the agent
  takes it with one key (F9) when ready. Nothing the agent is typing is ever overwritten.
- The end of a call never seen (the listener started after it rang) is ignored.

- A rerouted call's dialled number, learnt after the form was filled (the site proxy's
  notification after the softphone's event), replaces the digits the pop gave, unless the
  agent changed them meanwhile (``dialled_replaces_digits``).

The window asks ``on_event`` what to do and does it (desktop.ui.pop_presenter).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from enum import Enum

from desktop.telephony.calls import Call, CallBook
from desktop.telephony.events import CallEvent, EventKind

log = logging.getLogger("repli.pop")


def short_id(call_id: str) -> str:
    """A call in the log: a digest of its id, never the id (a SIP Call-ID names hosts, and
    a pop's id may carry a caller's number; the log outlives ``repli erase``)."""
    import hashlib

    return "#" + hashlib.sha256(call_id.encode()).hexdigest()[:10]


class Do(Enum):
    MERGE = "merge"  # into the contact the form shows
    RECORD_END = "record-end"  # on the contact already saved (``contact_id``)
    FILL = "fill"  # the form is idle: the call fills it
    WAIT = "wait"  # the agent is busy: the call waits (the waiting list changed)
    UPDATE_WAITING = "update-waiting"  # a waiting call learnt more (the waiting list changed)
    NOTHING = "nothing"


@dataclass(frozen=True)
class Decision:
    do: Do
    call: Call
    contact_id: str = ""

    @property
    def waiting_changed(self) -> bool:
        return self.do in (Do.WAIT, Do.UPDATE_WAITING)


def learns_dialled(call: Call, form_called_via: str) -> bool:
    """The call now says which header its dialled number came from, and the form's contact
    did not know it yet: the contact records where it was dialled and reached."""
    return bool(call.called_via) and not form_called_via


def dialled_replaces_digits(call: Call, digits_now: str, popped_digits: str) -> bool:
    """A dialled number learnt after the pop replaces the digits only while they are still
    what the pop put there: a number the agent typed or corrected is never overwritten."""
    return bool(call.called) and digits_now == popped_digits


class PopPolicy:
    """The calls seen, the calls waiting for the agent, the calls already saved."""

    def __init__(self) -> None:
        self.book = CallBook()
        self.waiting: list[Call] = []
        self._saved: dict[str, str] = {}  # call_id -> contact id
        self.last_event_at: datetime | None = None

    def on_event(self, event: CallEvent, form_call_id: str | None, form_idle: bool) -> Decision:
        """``form_call_id``: the call the form shows; ``form_idle``: a pop may fill it."""
        self.last_event_at = event.at
        log.info(
            "call event %s: call %s (%s)", event.kind.value, short_id(event.call_id), event.source
        )
        update = self.book.apply(event)
        call = update.call
        if form_call_id == call.call_id:
            return Decision(Do.MERGE, call)
        if call.call_id in self._saved:
            if event.kind is EventKind.ENDED and not update.repeated:
                return Decision(Do.RECORD_END, call, self._saved[call.call_id])
            return Decision(Do.NOTHING, call)
        if any(w.call_id == call.call_id for w in self.waiting):
            self.waiting = [call if w.call_id == call.call_id else w for w in self.waiting]
            return Decision(Do.UPDATE_WAITING, call)
        if event.kind is EventKind.ENDED and update.is_new:
            log.info("end of a call never seen ignored: %s", short_id(call.call_id))
            return Decision(Do.NOTHING, call)
        if form_idle:
            log.info("screen pop shown: call %s", short_id(call.call_id))
            return Decision(Do.FILL, call)
        log.info("call %s waiting for the agent", short_id(call.call_id))
        self.waiting.append(call)
        return Decision(Do.WAIT, call)

    def take_next(self, form_idle: bool) -> Call | None:
        """The oldest waiting call, taken by the agent (F9) when the form is idle."""
        if not self.waiting or not form_idle:
            return None
        call = self.waiting.pop(0)
        log.info("screen pop shown: call %s (taken)", short_id(call.call_id))
        return call

    def saved(self, call_id: str | None, contact_id: str) -> None:
        if call_id:
            self._saved[call_id] = contact_id
