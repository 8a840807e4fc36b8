import json
from datetime import UTC, datetime

import pytest

from desktop.telephony.calls import CallBook
from desktop.telephony.events import EventError, EventKind, from_json_body, from_query


def body(**fields: object) -> bytes:
    return json.dumps(fields).encode()


def test_a_full_event() -> None:
    event = from_json_body(body(event="ringing", call_id="c1", called="01 44 55 66 77",
                                caller="+33 6 12 34 56 78", line="L1", queue="Q",
                                at="2026-11-22T10:00:00+01:00"))  # fmt: skip
    assert (event.kind, event.call_id, event.called, event.caller) == (
        EventKind.RINGING,
        "c1",
        "01 44 55 66 77",
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
        (body(event="hangup", call_id="c", called="1"), 422, "unknown event 'hangup'"),
        (body(event="ringing", called="0144556677"), 422, "call_id is required"),
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
    event = from_query({"called": ["0144556677"], "caller": ["0612345678"]})
    assert event.kind is EventKind.RINGING and event.call_id.startswith("url-")
    assert from_query({"caller": ["0612345678"], "call_id": ["abc"]}).call_id == "abc"


def test_later_events_of_a_call_need_no_number() -> None:
    assert from_json_body(body(event="ended", call_id="c1")).kind is EventKind.ENDED
    assert from_json_body(body(event="answered", call_id="c1")).kind is EventKind.ANSWERED


def test_events_of_one_call_are_merged() -> None:
    book = CallBook()
    ring = book.apply(from_json_body(body(event="ringing", call_id="c1", caller="0612345678")))
    assert ring.is_new and ring.call.called == ""
    answered = book.apply(from_json_body(body(event="answered", call_id="c1", called="0144556677")))
    assert not answered.is_new
    assert answered.call.called == "0144556677" and answered.call.caller == "0612345678"
    assert answered.call.answered_at is not None
    ended = book.apply(from_json_body(body(event="ended", call_id="c1")))
    assert ended.call.ended_at is not None and ended.call.events == 3
    assert len(book) == 1


def test_the_book_forgets_the_oldest_calls() -> None:
    book = CallBook(keep=3)
    for i in range(5):
        book.apply(from_json_body(body(event="ringing", call_id=f"c{i}", called="1")))
    assert len(book) == 3 and book.get("c0") is None and book.get("c4") is not None
