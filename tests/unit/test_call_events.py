import json
from datetime import UTC, datetime

import pytest
import time_machine

from desktop.telephony.calls import CallBook
from desktop.telephony.events import EventError, EventKind, from_json_body, from_query


def body(**fields: object) -> bytes:
    return json.dumps(fields).encode()


@time_machine.travel(datetime(2026, 11, 22, 9, 0, 30, tzinfo=UTC), tick=False)
def test_a_full_event() -> None:
    event = from_json_body(body(event="ringing", call_id="c1", called="01 99 00 66 77",
                                caller="+33 6 12 34 56 78", line="L1", queue="Q",
                                at="2026-11-22T10:00:00+01:00"))  # fmt: skip
    assert (event.kind, event.call_id, event.called, event.caller) == (
        EventKind.RINGING,
        "c1",
        "01 99 00 66 77",
        "+33 6 12 34 56 78",
    )
    assert event.at == datetime(2026, 11, 22, 9, tzinfo=UTC)
    assert (event.line, event.queue, event.source) == ("L1", "Q", "http")


@pytest.mark.parametrize(
    ("raw", "status", "says"),
    [
        (b"{not json", 400, "malformed JSON"),
        (b"\xff\xfe", 400, "malformed JSON"),
        (b"[1, 2]", 400, "JSON object"),
        (body(event="hangup", call_id="c", called="1"), 422, "unknown event: expected"),
        (body(event="ringing", called="0199006677"), 422, "call_id is required"),
        (body(event="ringing", call_id="c"), 422, "called or caller is required for a ringing"),
        (body(event="ringing", call_id="c", called="01-ABC"), 422, "called is not a phone number"),
        (
            body(event="ringing", call_id="c", caller="1" * 25),
            422,
            "caller must have 1 to 20 digits",
        ),
        (body(event="ringing", call_id="c", called=["0144"]), 422, "called must be a string"),
        (body(event="ringing", call_id="x" * 300, called="1"), 422, "call_id must be printable"),
        (
            body(event="ringing", call_id="c\n", called="1", line="a\x00"),
            422,
            "line must be printable",
        ),
        (
            body(event="ringing", call_id="c", called="1", at="yesterday"),
            422,
            "at must be an ISO 8601",
        ),
    ],
)
def test_bad_events_say_what_is_wrong(raw: bytes, status: int, says: str) -> None:
    with pytest.raises(EventError, match=says) as caught:
        from_json_body(raw)
    assert caught.value.status == status


def test_url_pop_is_a_ringing_call_with_a_generated_id() -> None:
    event = from_query({"called": ["0199006677"], "caller": ["0612345678"]})
    assert event.kind is EventKind.RINGING and event.call_id.startswith("url-")
    assert from_query({"caller": ["0612345678"], "call_id": ["abc"]}).call_id == "abc"


def test_later_events_of_a_call_need_no_number() -> None:
    assert from_json_body(body(event="ended", call_id="c1")).kind is EventKind.ENDED
    assert from_json_body(body(event="answered", call_id="c1")).kind is EventKind.ANSWERED


def test_events_of_one_call_are_merged() -> None:
    book = CallBook()
    ring = book.apply(from_json_body(body(event="ringing", call_id="c1", caller="0612345678")))
    assert ring.is_new and ring.call.called == ""
    answered = book.apply(from_json_body(body(event="answered", call_id="c1", called="0199006677")))
    assert not answered.is_new
    assert answered.call.called == "0199006677" and answered.call.caller == "0612345678"
    assert answered.call.answered_at is not None
    ended = book.apply(from_json_body(body(event="ended", call_id="c1")))
    assert ended.call.ended_at is not None and ended.call.events == 3
    assert len(book) == 1


def test_the_book_forgets_the_oldest_calls() -> None:
    book = CallBook(keep=3)
    for i in range(5):
        book.apply(from_json_body(body(event="ringing", call_id=f"c{i}", called="1")))
    assert len(book) == 3 and book.get("c0") is None and book.get("c4") is not None


@time_machine.travel(datetime(2026, 11, 22, 9, 0, tzinfo=UTC), tick=False)
@pytest.mark.parametrize(
    "at",
    [
        "9999-12-31T23:59:59-23:59",  # accepted before, then no contact could be saved
        "0001-01-01T00:00:00",  # naive: killed the request's thread
        "0001-01-01T00:00:00+00:00",
        "2026-11-24T09:00:00+00:00",  # two days from this PC's clock
        "2026-11-20T09:00:00+00:00",
        "x" * 5000,
    ],
)
def test_absurd_call_times_are_a_422(at: str) -> None:
    with pytest.raises(EventError) as caught:
        from_json_body(body(event="ringing", call_id="c1", called="0199006677", at=at))
    assert caught.value.status == 422 and len(str(caught.value)) < 120


def test_refusals_never_carry_the_callers_number() -> None:
    for caller in ("06 12 34 56 78 ABC", "0" * 30):
        with pytest.raises(EventError) as caught:
            from_json_body(body(event="ringing", call_id="c1", caller=caller))
        assert "06 12" not in str(caught.value) and "0" * 25 not in str(caught.value)


def test_deep_nesting_is_a_400() -> None:
    with pytest.raises(EventError) as caught:
        from_json_body(b"[" * 5000 + b"]" * 5000)
    assert caught.value.status in (400, 422)
