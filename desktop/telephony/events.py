"""Call events, from whatever source: one shape, validated once.

A malformed or absurd event raises EventError with the HTTP status that fits and a short
message that says which field is wrong; nothing else happens.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any

from desktop.lookup import NotDigits, digits_of

MAX_DIGITS = 20
MAX_CALL_ID = 200
MAX_TEXT = 100
VIAS = ("History-Info", "Diversion", "P-Called-Party-ID", "To", "Request-URI")


class EventKind(StrEnum):
    RINGING = "ringing"
    ANSWERED = "answered"
    ENDED = "ended"


class EventError(ValueError):
    """The event is refused: ``status`` is the HTTP status, ``str()`` the reason."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class CallEvent:
    kind: EventKind
    call_id: str
    called: str  # as sent (digits and separators), "" when the telephony gave none
    caller: str
    at: datetime
    line: str = ""
    queue: str = ""
    source: str = "http"
    called_via: str = ""  # the SIP header ``called`` came from (desktop.telephony.dialled)
    reached_on: str = ""  # the number the seat was reached on, when a reroute changed it
    dated: bool = False  # ``at`` came from the sender (else: when it was received)

    def to_plain(self) -> dict[str, str]:
        return {
            "called_via": self.called_via,
            "reached_on": self.reached_on,
            "event": self.kind.value,
            "call_id": self.call_id,
            "called": self.called,
            "caller": self.caller,
            "at": self.at.isoformat(),
            "line": self.line,
            "queue": self.queue,
            "source": self.source,
        }


def from_json_body(body: bytes) -> CallEvent:
    """``POST /v1/call-events``: a JSON object with event, call_id, called and/or caller."""
    import json

    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:  # JSONDecodeError is a ValueError
        raise EventError(400, f"malformed JSON: {exc}") from None
    except RecursionError:
        raise EventError(400, "malformed JSON: nested too deeply") from None
    if not isinstance(data, dict):
        raise EventError(400, "the body must be a JSON object")
    return from_fields(data, source="http", call_id_required=True)


SIP_FORM_FIELDS = {
    "sip_history_info": "history_info",
    "sip_diversion": "diversion",
    "sip_p_called_party_id": "p_called_party_id",
    "sip_to": "to",
    "sip_request_uri": "request_uri",
}


def from_form_body(body: bytes) -> CallEvent:
    """``POST /v1/call-events`` as a form (the site proxy's: Kamailio cannot escape JSON):
    event, call_id, caller, called…, and the raw headers as ``sip_history_info``,
    ``sip_diversion``, ``sip_p_called_party_id``, ``sip_to``, ``sip_request_uri``."""
    from urllib.parse import parse_qs

    try:
        params = parse_qs(body.decode("utf-8"), keep_blank_values=False, max_num_fields=40)
    except (UnicodeDecodeError, ValueError) as exc:
        raise EventError(400, f"malformed form: {exc}") from None
    fields: dict[str, Any] = {k: v[-1] for k, v in params.items() if k not in SIP_FORM_FIELDS}
    if not _is_number(fields.get("caller", "")):
        # the From header's user, as the proxy read it: "anonymous", "restricted" or a SIP
        # name is a caller whose number is unknown, not a broken notification
        fields.pop("caller", None)
    sip = {SIP_FORM_FIELDS[k]: v for k, v in params.items() if k in SIP_FORM_FIELDS}
    if sip:
        fields["sip"] = {k: (v if k != "request_uri" else v[-1]) for k, v in sip.items()}
    return from_fields(fields, source="proxy", call_id_required=True)


def from_query(params: dict[str, list[str]]) -> CallEvent:
    """``GET /v1/pop?called=…&caller=…&call_id=…``: a ringing call, for URL-only softphones."""
    single = {key: values[-1] for key, values in params.items() if values}
    single.setdefault("event", EventKind.RINGING.value)
    return from_fields(single, source="url", call_id_required=False)


def from_fields(data: dict[str, Any], source: str, call_id_required: bool = False) -> CallEvent:
    kind = _kind(data.get("event"))
    call_id = _text(data, "call_id", MAX_CALL_ID)
    if not call_id:
        if call_id_required:
            raise EventError(422, "call_id is required")
        import uuid

        call_id = f"{source}-{uuid.uuid4()}"
    called, caller = _number(data, "called"), _number(data, "caller")
    via, reached = _text(data, "called_via", 32), _number(data, "reached_on")
    if via and via not in VIAS:
        raise EventError(422, f"called_via must be one of {', '.join(VIAS)}")
    if "sip" in data:  # the site proxy's raw headers: the seat applies the rule itself
        from desktop.telephony.dialled import original_dialled

        headers, uri = _sip_headers(data["sip"])
        found = original_dialled(headers, uri)
        if found is not None and not called:  # a number the rule read: 4 to 20 digits
            called, via = found.number, found.header
        reached = reached or _reached_on(headers, uri)
    if not called and not caller and kind is EventKind.RINGING:
        raise EventError(422, "called or caller is required for a ringing call")
    return CallEvent(
        kind=kind,
        call_id=call_id,
        called=called,
        caller=caller,
        at=_at(data.get("at")),
        dated=data.get("at") not in (None, ""),
        line=_text(data, "line", MAX_TEXT),
        queue=_text(data, "queue", MAX_TEXT),
        source=source,
        called_via=via,
        reached_on=reached if reached != called else "",
    )


MAX_SIP_HEADER = 2048  # an entry
MAX_SIP_VALUE = 16 * 1024  # a value that joins entries (bounded by the body's size anyway)
MAX_SIP_ENTRIES = 20  # a header's entries kept


def _sip_headers(sip: Any) -> tuple[list[tuple[str, str]], str]:
    """The site proxy's ``sip`` object: each header's value (or list of values, in the
    INVITE's order), and the request URI; bounded, text only.

    A value may join several entries (the proxy sends every History-Info entry in one
    field): it is split into its entries, each at most ``MAX_SIP_HEADER`` characters. A chain
    longer than ``MAX_SIP_ENTRIES`` keeps what the rule can need (its first and last entries
    and History-Info's index 1) instead of losing the pop (a 15-hop chain once got a 422)."""
    from desktop.telephony.dialled import split_entries

    if not isinstance(sip, dict):
        raise EventError(422, "sip must be an object of SIP header values")
    headers: list[tuple[str, str]] = []
    for key, name in (
        ("history_info", "History-Info"),
        ("diversion", "Diversion"),
        ("p_called_party_id", "P-Called-Party-ID"),
        ("to", "To"),
    ):
        value = sip.get(key)
        values = value if isinstance(value, list) else [] if value is None else [value]
        if len(values) > MAX_SIP_ENTRIES or not all(isinstance(v, str) for v in values):
            raise EventError(422, f"sip.{key} must be text, or at most {MAX_SIP_ENTRIES} texts")
        entries: list[str] = []
        for text in values:
            if len(text) > MAX_SIP_VALUE or not text.isprintable():
                raise EventError(422, f"sip.{key}: at most {MAX_SIP_VALUE} printable characters")
            entries += split_entries(text)
        if any(len(entry) > MAX_SIP_HEADER for entry in entries):
            raise EventError(422, f"sip.{key}: an entry over {MAX_SIP_HEADER} characters")
        headers += [(name, entry) for entry in _what_the_rule_needs(entries)]
    uri = sip.get("request_uri", "")
    if not isinstance(uri, str) or len(uri) > MAX_SIP_HEADER or not uri.isprintable():
        raise EventError(422, "sip.request_uri must be a short text")
    return headers, uri


def _what_the_rule_needs(entries: list[str]) -> list[str]:
    """At most ``MAX_SIP_ENTRIES`` of a header's entries: the first and the last halves, and
    an entry of index 1 wherever it stands."""
    if len(entries) <= MAX_SIP_ENTRIES:
        return entries
    from desktop.telephony.dialled import began_here

    half = MAX_SIP_ENTRIES // 2
    began = [entry for entry in entries[half:-half] if began_here(entry)]
    return [*entries[:half], *began[:1], *entries[-half:]]


def _reached_on(headers: list[tuple[str, str]], uri: str) -> str:
    """What the seat was reached on: the request URI's number (or To's)."""
    from desktop.telephony.dialled import number_of, uri_of

    to = next((value for name, value in headers if name == "To"), "")
    for candidate in (uri, uri_of(to) if to else ""):
        number = number_of(candidate) if candidate else None
        if number:
            return number
    return ""


def _kind(value: Any) -> EventKind:
    try:
        return EventKind(str(value).strip().lower())
    except ValueError:
        known = ", ".join(k.value for k in EventKind)
        raise EventError(422, f"unknown event: expected {known}") from None


def _text(data: dict[str, Any], key: str, limit: int) -> str:
    value = data.get(key)
    if value is None:
        return ""
    if not isinstance(value, str | int) or isinstance(value, bool):
        raise EventError(422, f"{key} must be a string")
    text = str(value).strip()
    if len(text) > limit or not text.isprintable():
        raise EventError(422, f"{key} must be printable and at most {limit} characters")
    return text


def _number(data: dict[str, Any], key: str) -> str:
    text = _text(data, key, 40)
    if not text:
        return ""
    # the value is a caller's personal data: the reason names the field, never the value
    try:
        digits = digits_of(text)
    except NotDigits:
        raise EventError(422, f"{key} is not a phone number ({len(text)} characters)") from None
    if not digits or len(digits) > MAX_DIGITS:
        raise EventError(422, f"{key} must have 1 to {MAX_DIGITS} digits, not {len(digits)}")
    return text


def _is_number(text: str) -> bool:
    try:
        return 0 < len(digits_of(text)) <= MAX_DIGITS
    except NotDigits:
        return False


# A call happens now: an event dated further from this PC's clock is a broken or hostile
# sender (and a date such as year 9999 could not even be stored or converted).
AT_WINDOW = timedelta(days=1)
_EPOCH = re.compile(r"[0-9]{1,12}(?:\.[0-9]{1,6})?")


def _at(value: Any) -> datetime:
    now = datetime.now(UTC)
    if value in (None, ""):
        return now
    if not isinstance(value, str) or len(value) > 40:
        raise EventError(422, "at must be an ISO 8601 time")
    try:
        if _EPOCH.fullmatch(value):  # seconds since 1970 (the site proxy's $TV(Sn))
            moment = datetime.fromtimestamp(float(value), UTC)
        else:
            moment = datetime.fromisoformat(value)
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=now.astimezone().tzinfo)  # the seat's local time
        far = abs(moment - now) > AT_WINDOW
    except (ValueError, OverflowError, OSError):
        raise EventError(422, "at must be an ISO 8601 time") from None
    if far:
        raise EventError(422, "at is more than a day away from this PC's clock")
    return moment.astimezone(UTC)
