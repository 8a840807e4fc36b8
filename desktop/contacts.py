"""The contact record: plain values that the form fills and the store saves."""

from __future__ import annotations

import json
from dataclasses import dataclass, field, fields, replace
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any


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


_DATETIME_FIELDS = (
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

    def problems(self) -> list[str]:
        """What stops this contact from being saved (the form says it to the agent)."""
        found = []
        if not self.agent.strip():
            found.append("agent")
        if self.outcome not in {o.value for o in Outcome}:
            found.append("outcome")
        if self.outcome == Outcome.CALLBACK and self.callback_at is None:
            found.append("callback_at")
        return found

    def to_json(self) -> str:
        return json.dumps(to_plain(self), ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> ContactData:
        return from_plain(json.loads(text))

    def with_changes(self, **changes: Any) -> ContactData:
        return replace(self, **changes)


def to_plain(contact: ContactData) -> dict[str, Any]:
    plain = {name: getattr(contact, name) for name in _FIELD_NAMES}
    for name in _DATETIME_FIELDS:
        value = plain[name]
        plain[name] = value.astimezone(UTC).isoformat() if value else None
    return plain


def from_plain(plain: dict[str, Any]) -> ContactData:
    known = {f.name for f in fields(ContactData)}
    values = {k: v for k, v in plain.items() if k in known}
    for name in _DATETIME_FIELDS:
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
