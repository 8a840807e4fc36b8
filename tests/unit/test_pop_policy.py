"""The pop rules, without a window: what each call event does to the agent's form."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

import pytest

from desktop.telephony.events import CallEvent, EventKind
from desktop.telephony.pop_policy import Do, PopPolicy

T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def ev(kind: EventKind, call_id: str, seconds: int = 0, called: str = "0199006881") -> CallEvent:
    return CallEvent(kind, call_id, called, "0612345678", T0 + timedelta(seconds=seconds))


def test_an_idle_form_takes_a_new_call_and_merges_its_next_events() -> None:
    pops = PopPolicy()
    first = pops.on_event(ev(EventKind.RINGING, "a"), form_call_id=None, form_idle=True)
    assert first.do is Do.FILL and first.call.call_id == "a" and not first.waiting_changed
    again = pops.on_event(ev(EventKind.ANSWERED, "a", 3), form_call_id="a", form_idle=False)
    assert again.do is Do.MERGE and again.call.answered_at == T0 + timedelta(seconds=3)
    assert pops.last_event_at == T0 + timedelta(seconds=3)


def test_a_busy_form_makes_calls_wait_in_order_and_never_overwrites() -> None:
    pops = PopPolicy()
    assert pops.on_event(ev(EventKind.RINGING, "a"), "typed", form_idle=False).do is Do.WAIT
    assert pops.on_event(ev(EventKind.RINGING, "b", 1), "typed", form_idle=False).do is Do.WAIT
    update = pops.on_event(ev(EventKind.ANSWERED, "a", 2), "typed", form_idle=False)
    assert update.do is Do.UPDATE_WAITING and update.waiting_changed
    assert [c.call_id for c in pops.waiting] == ["a", "b"]
    assert pops.waiting[0].answered_at is not None  # the waiting call learnt it was answered
    assert pops.take_next(form_idle=False) is None  # still typing: nothing is taken
    taken = pops.take_next(form_idle=True)
    assert taken is not None and taken.call_id == "a" and [c.call_id for c in pops.waiting] == ["b"]


def test_the_end_of_a_saved_call_is_recorded_on_its_contact() -> None:
    pops = PopPolicy()
    pops.on_event(ev(EventKind.RINGING, "a"), None, form_idle=True)
    pops.saved("a", "contact-1")
    assert pops.on_event(ev(EventKind.ANSWERED, "a", 1), None, True).do is Do.NOTHING
    end = pops.on_event(ev(EventKind.ENDED, "a", 60), None, form_idle=True)
    assert end.do is Do.RECORD_END and end.contact_id == "contact-1"
    assert end.call.ended_at == T0 + timedelta(seconds=60)


def test_the_end_of_a_call_never_seen_is_ignored() -> None:
    pops = PopPolicy()
    assert pops.on_event(ev(EventKind.ENDED, "z"), None, form_idle=True).do is Do.NOTHING
    assert pops.waiting == []
    pops.saved(None, "contact-2")  # a typed contact has no call: nothing to remember
    assert pops.on_event(ev(EventKind.RINGING, "y"), None, form_idle=True).do is Do.FILL


def test_a_replayed_end_makes_no_second_revision() -> None:
    """A replayed ``ended`` (or the softphone's after the proxy's) once added a revision to
    the saved contact each time: the first end is the call's, the others change nothing."""
    pops = PopPolicy()
    pops.on_event(ev(EventKind.RINGING, "a"), form_call_id=None, form_idle=True)
    pops.saved("a", "contact-1")
    first = pops.on_event(ev(EventKind.ENDED, "a", 60), form_call_id=None, form_idle=True)
    assert first.do is Do.RECORD_END and first.call.ended_at == T0 + timedelta(seconds=60)
    for later in (61, 300, 900):
        again = pops.on_event(ev(EventKind.ENDED, "a", later), form_call_id=None, form_idle=True)
        assert again.do is Do.NOTHING
        assert again.call.ended_at == T0 + timedelta(seconds=60)  # the first end stays


def test_the_log_names_a_call_by_a_digest_never_its_id(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, "repli.pop")
    pops = PopPolicy()
    pops.on_event(ev(EventKind.RINGING, "0612345678-secret@10.0.0.5"), None, form_idle=True)
    text = caplog.text
    assert "0612345678-secret" not in text and "10.0.0.5" not in text and "call #" in text


def test_an_end_dated_before_the_start_is_taken_at_the_start() -> None:
    """The proxy's clock (its whole seconds once) may be behind the softphone's, which gave
    the start: a call then ended before it began."""
    pops = PopPolicy()
    pops.on_event(ev(EventKind.RINGING, "a", 10), form_call_id=None, form_idle=True)
    ended = pops.on_event(ev(EventKind.ENDED, "a", 9), form_call_id="a", form_idle=False)
    assert ended.call.ended_at == ended.call.first_at == T0 + timedelta(seconds=10)


def test_a_dialled_number_learnt_late_replaces_only_the_digits_the_pop_gave() -> None:
    """The site proxy's notification after the softphone's event: the contact learns where
    the number was dialled; the digits follow only while the agent left them as popped."""
    from desktop.telephony.calls import Call
    from desktop.telephony.pop_policy import dialled_replaces_digits, learns_dialled

    late = Call("c", "0199006881", "0612345678", T0, called_via="Diversion", reached_on="+3319")
    assert learns_dialled(late, form_called_via="")
    assert not learns_dialled(late, form_called_via="History-Info")  # known already
    assert not learns_dialled(Call("c", "0199006881", "", T0), form_called_via="")
    assert dialled_replaces_digits(late, digits_now="3319", popped_digits="3319")
    assert not dialled_replaces_digits(late, digits_now="6881", popped_digits="3319")  # typed
    no_number = Call("c", "", "0612345678", T0, called_via="Diversion")
    assert not dialled_replaces_digits(no_number, digits_now="", popped_digits="")
