"""Events about the same call_id are one call: merging them, remembering recent calls."""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, replace
from datetime import datetime

from desktop.telephony.events import CallEvent, EventKind

KEEP_CALLS = 2000


@dataclass(frozen=True)
class Call:
    call_id: str
    called: str
    caller: str
    first_at: datetime
    answered_at: datetime | None = None
    ended_at: datetime | None = None
    events: int = 1
    called_via: str = ""  # the SIP header the dialled number came from (a rerouted call)
    reached_on: str = ""


@dataclass(frozen=True)
class CallUpdate:
    call: Call
    is_new: bool
    event: CallEvent
    repeated: bool = False  # an end (or an answer) this call already had: nothing new


class CallBook:
    """The recent calls by call_id (bounded: the oldest are forgotten first)."""

    def __init__(self, keep: int = KEEP_CALLS) -> None:
        self._calls: OrderedDict[str, Call] = OrderedDict()
        self._keep = keep

    def apply(self, event: CallEvent) -> CallUpdate:
        known = self._calls.get(event.call_id)
        if known is None:
            call = Call(
                event.call_id, event.called, event.caller, event.at,
                called_via=event.called_via, reached_on=event.reached_on,
            )  # fmt: skip
        else:  # the site proxy's notification and the softphone's event: one call
            better = not known.called_via and bool(event.called_via)
            call = replace(
                known,
                called=event.called if better else known.called or event.called,
                caller=known.caller or event.caller,
                events=known.events + 1,
                called_via=known.called_via or event.called_via,
                reached_on=known.reached_on or event.reached_on,
            )
        repeated = known is not None and (
            (event.kind is EventKind.ENDED and known.ended_at is not None)
            or (event.kind is EventKind.ANSWERED and known.answered_at is not None)
        )
        # never before the call began: the proxy's clock (or its whole seconds) may be behind
        # the softphone's, which gave the start
        at = max(event.at, call.first_at)
        if event.kind is EventKind.ANSWERED and call.answered_at is None:
            call = replace(call, answered_at=at)
        if event.kind is EventKind.ENDED and call.ended_at is None:  # a replay changes nothing
            call = replace(call, ended_at=at)
        self._calls[event.call_id] = call
        self._calls.move_to_end(event.call_id)
        while len(self._calls) > self._keep:
            self._calls.popitem(last=False)
        return CallUpdate(call, known is None, event, repeated)

    def get(self, call_id: str) -> Call | None:
        return self._calls.get(call_id)

    def __len__(self) -> int:
        return len(self._calls)
