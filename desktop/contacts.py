"""The contact record: plain values that the form fills and the store saves."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field, fields, replace
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from desktop.config import Mode
from desktop.text import CONTROL_CHARACTERS


class Outcome(StrEnum):
    INFORMATION = "information"
    MESSAGE = "message"
    CALLBACK = "callback"
    TRANSFERRED = "transferred"
    OTHER = "other"


class FoundBy(StrEnum):
    TYPED = "typed"
    POP = "pop"


def new_contact_id() -> str:
    import uuid  # on the first contact, not before the first frame

    return str(uuid.uuid4())


def utc_now() -> datetime:
    return datetime.now(UTC)


# The longest text each field may hold (the site database's columns are this wide), and the
# times a contact can carry: nothing outside can be stored, converted or delivered.
TEXT_LIMITS = {
    "id": 36,
    "site": 120,
    "seat_id": 64,
    "agent": 120,
    "mode": 16,
    "digits_typed": 40,
    "matched_number": 20,
    "branch_id": 64,
    "branch_name": 200,
    "call_type": 32,
    "caller_number": 40,
    "caller_name": 200,
    "subject": 300,
    "notes": 100_000,
    "outcome": 32,
    "found_by": 16,
    "tables_version": 100,
    "call_id": 200,
    "called_via": 32,
    "reached_on": 40,
}
EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)
LATEST = datetime(2100, 1, 1, tzinfo=UTC)

DATETIME_FIELDS = (
    "created_at",
    "updated_at",
    "callback_at",
    "call_started_at",
    "call_ended_at",
    "callback_done_at",
    "app_started_at",
    "erased_at",
)


@dataclass(frozen=True)
class ContactData:
    """Everything a contact records. ``revision`` 0 means not saved yet."""

    id: str = field(default_factory=new_contact_id)
    revision: int = 0
    created_at: datetime | None = None
    updated_at: datetime | None = None
    site: str = ""
    seat_id: str = ""
    agent: str = ""
    mode: str = "disaster"
    digits_typed: str = ""
    matched_number: str | None = None
    branch_id: str | None = None
    branch_name: str = ""
    call_type: str | None = None
    caller_number: str = ""
    caller_number_valid: bool = False
    caller_name: str = ""
    subject: str = ""
    notes: str = ""
    outcome: str = Outcome.INFORMATION.value
    callback_at: datetime | None = None
    urgent: bool = False
    call_started_at: datetime | None = None
    call_ended_at: datetime | None = None
    found_by: str = FoundBy.TYPED.value
    tables_version: str = ""
    call_id: str | None = None
    callback_done_at: datetime | None = None  # a requested callback marked done (a revision)
    app_started_at: datetime | None = None  # when the seat's app started (exercise report)
    candidates: int = 0  # candidates the lookup showed when the branch was chosen
    erased_at: datetime | None = None  # erased on request: the personal fields are blank
    called_via: str = ""  # the header a rerouted call's dialled number came from
    reached_on: str = ""  # the number the seat was reached on, when it is not the dialled one

    def problems(self) -> list[str]:
        """The fields that stop this contact from being saved: the form names them to the
        agent, and a merged or delivered revision is held to the same rules."""
        return list(dict.fromkeys(name for name, _why in self.reasons()))

    def reasons(self) -> list[tuple[str, str]]:
        """Each field that is wrong, with why."""
        found = []
        if not self.agent.strip():
            found.append(("agent", "no agent"))
        if self.outcome not in _OUTCOMES:
            found.append(("outcome", f"unknown outcome {self.outcome[:40]!r}"))
        if self.outcome == Outcome.CALLBACK and self.callback_at is None:
            found.append(("callback_at", "a callback needs its time"))
        texts = [(name, limit, getattr(self, name)) for name, limit in TEXT_LIMITS.items()]
        # one search over them all first: a merge checks a million contacts this way
        control = CONTROL_CHARACTERS.search("".join(v for _n, _l, v in texts if v is not None))
        for name, limit, value in texts:
            if value is None:
                continue
            if len(value) > limit:
                found.append((name, f"{len(value)} characters, over {limit}"))
            elif control and CONTROL_CHARACTERS.search(value):
                found.append((name, "a control character"))
        for name in DATETIME_FIELDS:
            value = getattr(self, name)
            if value is not None and (value.tzinfo is None or not EARLIEST <= value <= LATEST):
                found.append((name, f"a time outside {EARLIEST:%Y}–{LATEST:%Y}"))
        if self.mode not in _MODES:
            found.append(("mode", f"unknown mode {self.mode[:20]!r}"))
        if self.found_by not in _FOUND_BY:
            found.append(("found_by", f"unknown {self.found_by[:20]!r}"))
        return found

    def to_json(self) -> str:
        """Its fields sorted by name (the dict is built in that order: the same text as
        json.dumps(..., sort_keys=True), without sorting each time)."""
        return plain_json(to_plain(self))

    @classmethod
    def from_json(cls, text: str) -> ContactData:
        return from_plain(json.loads(text))

    def with_changes(self, **changes: Any) -> ContactData:
        return replace(self, **changes)


def to_plain(contact: ContactData) -> dict[str, Any]:
    plain = {name: getattr(contact, name) for name in _SORTED_NAMES}
    for name in DATETIME_FIELDS:
        value = plain[name]
        plain[name] = value.astimezone(UTC).isoformat() if value else None
    return plain


def plain_json(plain: dict[str, Any]) -> str:
    """``to_plain``'s dict as the JSON text a revision is saved as."""
    return _JSON.encode(plain)


def from_plain(plain: dict[str, Any]) -> ContactData:
    values = {k: v for k, v in plain.items() if k in _KNOWN}
    for name in DATETIME_FIELDS:
        if values.get(name):
            values[name] = datetime.fromisoformat(values[name])
    return ContactData(**values)


def changed_fields(before: ContactData, after: ContactData) -> list[str]:
    ignored = {"revision", "updated_at"}
    return [
        f.name
        for f in fields(ContactData)
        if f.name not in ignored and getattr(before, f.name) != getattr(after, f.name)
    ]


_FIELD_NAMES = tuple(f.name for f in fields(ContactData))
_SORTED_NAMES = tuple(sorted(_FIELD_NAMES))
_JSON = json.JSONEncoder(ensure_ascii=False)
_KNOWN = frozenset(_FIELD_NAMES)
_OUTCOMES = frozenset(o.value for o in Outcome)
_MODES = frozenset(m.value for m in Mode)
_FOUND_BY = frozenset(f.value for f in FoundBy)


# A contact is corrected a few times; a revision near 2**63 (a hand-made file) could be
# neither corrected nor erased after it (the next one overflowed SQLite's integer).
MAX_REVISION = 1_000_000
# Repli's ids are UUIDs; a merged file's are held to a shape that cannot be blank, a path
# or a control sequence where an id is shown or used ("   " and "../../x" were stored).
_CONTACT_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,63}")


class BadContact(ValueError):
    """A contact from elsewhere (a merged file, another seat) that the form would not save."""


def from_inbound(plain: object) -> ContactData:
    """A revision from a merged export or another seat, checked field by field: its shape
    (each field of its type), then the form's own rules. Raises BadContact with the first
    field that is wrong and why."""
    if not isinstance(plain, dict):
        raise BadContact(f"the contact is a {type(plain).__name__}, not an object")
    values: dict[str, Any] = {}
    for name, value in plain.items():
        shape = _SHAPES.get(name)
        if shape is None:
            continue  # a field of a newer Repli: ignored, as from_plain does
        expected, nullable, kind = shape
        if value is None and nullable:
            values[name] = None
            continue
        if expected is None or type(value) is not expected:
            raise BadContact(f"{name}: {type(value).__name__} where {kind} was expected")
        if name in DATETIME_FIELDS:
            text = str(value)
            try:
                value = datetime.fromisoformat(text)
            except ValueError:
                raise BadContact(f"{name}: {text[:40]!r} is not an ISO 8601 time") from None
            if value.tzinfo is None:
                raise BadContact(f"{name}: {text[:40]!r} has no time zone")
        values[name] = value
    for name in ("id", "revision", "created_at"):
        if plain.get(name) in (None, ""):
            raise BadContact(f"{name}: missing")
    if not 1 <= plain["revision"] <= MAX_REVISION:
        raise BadContact(f"revision: 1 to {MAX_REVISION:,}".replace(",", " "))
    if not _CONTACT_ID.fullmatch(plain["id"]):
        raise BadContact("id: letters, digits and . _ : - (at most 64), as Repli makes them")
    try:
        contact = ContactData(**values)  # each field read and typed once, above
    except (TypeError, ValueError, OverflowError) as exc:
        raise BadContact(str(exc)) from None
    wrong = contact.reasons()
    if wrong:
        name, why = wrong[0]
        raise BadContact(f"{name}: {why}")
    return contact


_INBOUND_TYPES = {"str": str, "int": int, "bool": bool, "datetime": str}
# each field's (JSON type, may be null, its annotation): read once, not for each revision
_SHAPES = {
    f.name: (
        _INBOUND_TYPES.get(str(f.type).replace(" | None", "")),
        "None" in str(f.type),
        f.type,
    )
    for f in fields(ContactData)
}
