"""The plain values of a table pack: branches, call types, dialled numbers, partners."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from desktop.places import Place


@dataclass(frozen=True)
class Branch:
    branch_id: str
    name: str
    city: str = ""
    postcode: str = ""
    address: str = ""
    phone: str = ""
    opening_hours: str = ""
    region: str = ""
    notes: str = ""
    timezone: str = ""  # IANA; "" in a pack imported before 0.3: see ``place``
    country: str = ""  # holiday calendar (FR, RE, FR-57, …)

    def place(self, region: str = "FR") -> Place:
        """The branch's clock and calendar: the pack's, else from its postcode or number."""
        from desktop.places import place_of

        return place_of(self.postcode, self.phone, self.timezone, self.country, region)


@dataclass(frozen=True)
class CallType:
    code: str
    label: str
    hotkey: str = ""
    procedure: tuple[str, ...] = ()
    priority: int | None = None


class DialledNumber(NamedTuple):
    """A number callers dial. Without a branch it is a national line.

    A NamedTuple rather than a dataclass: a pack has a hundred thousand of them, and a tuple
    is several times cheaper to create."""

    e164: str
    dialling: str
    branch_id: str | None = None
    call_type: str | None = None
    label: str = ""


@dataclass(frozen=True)
class Partner:
    e164: str
    name: str
    kind: str = ""


@dataclass(frozen=True)
class PackInfo:
    name: str
    version: str
    generated_at: str = ""
    imported_at: str = ""
    source: str = ""
    serial: int | None = None  # a signed pack's serial (desktop.tables.signed), verified
    signed_by: str = ""  # the id of the key that signed it


@dataclass
class TablePack:
    info: PackInfo
    branches: dict[str, Branch] = field(default_factory=dict)
    call_types: dict[str, CallType] = field(default_factory=dict)
    numbers: list[DialledNumber] = field(default_factory=list)
    partners: dict[str, Partner] = field(default_factory=dict)

    def counts(self) -> dict[str, int]:
        return {
            "branches": len(self.branches),
            "numbers": len(self.numbers),
            "call_types": len(self.call_types),
            "partners": len(self.partners),
        }
