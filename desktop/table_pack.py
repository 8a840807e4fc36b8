"""The plain values of a table pack: branches, call types, dialled numbers, partners. Below
the store and the lookup, which read and index them, and the tables package, which imports
and follows packs (it was desktop/tables/model.py, above the store it is read by)."""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, NamedTuple, TypeVar, overload

if TYPE_CHECKING:
    from desktop.places import Place

T = TypeVar("T")


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


class PackedSequence(Sequence[T]):
    """A sequence whose items are made when read, from a packed form (``_at``, given a
    position within bounds): indexing and slicing as a list's."""

    def _at(self, i: int) -> T:
        raise NotImplementedError

    @overload
    def __getitem__(self, i: int) -> T: ...
    @overload
    def __getitem__(self, i: slice) -> list[T]: ...
    def __getitem__(self, i: int | slice) -> T | list[T]:
        if isinstance(i, slice):
            return [self._at(j) for j in range(*i.indices(len(self)))]
        if i < 0:
            i += len(self)
        if not 0 <= i < len(self):
            raise IndexError(i)
        return self._at(i)


class DialledNumbers(PackedSequence[DialledNumber]):
    """A pack's dialled numbers held as one text and two arrays, each number made again as a
    ``DialledNumber`` when it is read: a 60 MiB numbers.csv's 1.6 million numbers took about
    380 bytes each as tuples, and about 45 here.

    Each number is the text ``e164 US dialling US label`` (digits cannot hold the unit
    separator, the label comes last and may) with its end in ``_ends``; its branch id and call
    type are slots in a small table of the values seen (0: none)."""

    _SEP = "\x1f"

    def __init__(self, numbers: Iterable[DialledNumber] = ()) -> None:
        self._text = bytearray()
        self._ends = array("Q")
        self._branch = array("I")
        self._type = array("I")
        self._values: list[str | None] = [None]
        self._slot: dict[str | None, int] = {None: 0}
        for number in numbers:
            self.append(number)

    def append(self, number: DialledNumber) -> None:
        e164, dialling, branch_id, call_type, label = number
        self._text += f"{e164}{self._SEP}{dialling}{self._SEP}{label}".encode()
        self._ends.append(len(self._text))
        self._branch.append(self._slot_of(branch_id))
        self._type.append(self._slot_of(call_type))

    def _slot_of(self, value: str | None) -> int:
        slot = self._slot.get(value)
        if slot is None:
            slot = self._slot[value] = len(self._values)
            self._values.append(value)
        return slot

    def _start(self, i: int) -> int:
        return self._ends[i - 1] if i else 0

    def e164(self, i: int) -> str:
        """The i-th number's E.164 form alone (no tuple made)."""
        start = self._start(i)
        return self._text[start : self._text.index(0x1F, start)].decode()

    def without(self, dropped: set[int]) -> DialledNumbers:
        """The same numbers but those at the positions ``dropped``."""
        return DialledNumbers(n for i, n in enumerate(self) if i not in dropped)

    def __len__(self) -> int:
        return len(self._ends)

    def _at(self, i: int) -> DialledNumber:
        return self._made(self._text[self._start(i) : self._ends[i]], i)

    def __iter__(self) -> Iterator[DialledNumber]:
        start = 0
        for i, end in enumerate(self._ends):
            yield self._made(self._text[start:end], i)
            start = end

    def _made(self, record: bytearray, i: int) -> DialledNumber:
        e164, dialling, label = record.decode().split(self._SEP, 2)
        values = self._values
        return DialledNumber(e164, dialling, values[self._branch[i]], values[self._type[i]], label)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence) or isinstance(other, str):
            return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))

    __hash__ = None  # type: ignore[assignment]  # mutable, like a list

    def __repr__(self) -> str:
        return f"DialledNumbers({len(self)} numbers)"


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
    numbers: Sequence[DialledNumber] = field(default_factory=list)
    partners: dict[str, Partner] = field(default_factory=dict)

    def counts(self) -> dict[str, int]:
        return {
            "branches": len(self.branches),
            "numbers": len(self.numbers),
            "call_types": len(self.call_types),
            "partners": len(self.partners),
        }
