"""The suffix index: which dialled numbers end with the digits an agent typed.

Dialling digits (``0199006677``) are stored reversed and sorted, so "ends with 6677" is a
prefix range found by two binary searches: a keystroke costs O(log n) whatever the pack size.
For each number the index also knows how many trailing digits make it unique in the pack, so
the window can say how many more digits the agent needs.

Rows are kept as plain tuples and turned into values only for the matches shown; the sorted
arrays can be saved as a snapshot (``snapshot()``) when a pack is imported and loaded at start
(``from_snapshot()``) without sorting anything again.
"""

from __future__ import annotations

import itertools
import marshal
from array import array
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from desktop import phone
from desktop.table_pack import (
    Branch,
    CallType,
    DialledNumber,
    PackedSequence,
    Partner,
    TablePack,
)

if TYPE_CHECKING:  # the hours are read for --json and the card only: not at each lookup
    from desktop import hours
    from desktop.places import Place

_SEPARATORS = frozenset(" .-/()+\t")
_AFTER_DIGITS = ":"  # sorts right after "9"
FULL_NUMBER_MIN_DIGITS = 9
_COLUMNS_AT_ONCE = 50_000
_LINE = "\n"  # between numbers' texts (digits and +) in PackColumns
SNAPSHOT_FORMAT = 5  # 5: branches have a time zone and a holiday calendar


class NotDigits(ValueError):
    """The text holds characters that no written phone number has."""


@dataclass(frozen=True)
class ClientTag:
    """Whose pack a match came from, on a shift taking several clients' calls."""

    id: str
    name: str
    colour: str = ""


@dataclass(frozen=True)
class Match:
    number: DialledNumber
    branch: Branch | None
    call_type: CallType | None
    client: ClientTag | None = None  # set by desktop.shift_lookup only

    @property
    def national(self) -> str:
        return phone.display_e164(self.number.e164)


@dataclass(frozen=True)
class LookupResult:
    digits: str
    count: int
    matches: tuple[Match, ...]
    exact: bool = False
    more_digits_needed: int | None = None

    @property
    def unique(self) -> Match | None:
        return self.matches[0] if self.count == 1 else None


def digits_of(text: str) -> str:
    """The digits of ``text``; raises NotDigits when it is not a written number."""
    bad = {ch for ch in text if not ch.isdigit() and ch not in _SEPARATORS}
    if bad:
        raise NotDigits(f"not a phone number or digits: {''.join(sorted(bad))!r} in {text!r}")
    return phone.only_digits(text)


class FixedStrings(PackedSequence[str]):
    """Many short strings stored as one, each padded to the same width: loading it costs one
    string, not one object per number, and ``bisect`` works on it as on a list."""

    PAD = " "

    def __init__(self, data: str, width: int) -> None:
        self.data = data
        self.width = width

    @classmethod
    def of(cls, items: Sequence[str]) -> FixedStrings:
        width = max(map(len, items), default=1)
        if min(map(len, items), default=width) == width:  # the common case: no padded copies
            return cls("".join(items), width)
        return cls("".join(i.ljust(width, cls.PAD) for i in items), width)

    def __len__(self) -> int:
        return len(self.data) // self.width

    def _at(self, i: int) -> str:
        return self.data[i * self.width : (i + 1) * self.width].rstrip(self.PAD)


class LookupIndex:
    """Column-oriented: for the i-th number in suffix order, ``keys[i]`` is its reversed
    dialling digits, ``e164[i]`` its E.164 form, and ``branch``/``type``/``label`` hold
    indexes into small tables. Values are built only for the matches a search returns."""

    def __init__(
        self,
        columns: _Columns,
        call_types: dict[str, CallType],
        partners: dict[str, Partner],
        region: str = "FR",
    ) -> None:
        """Use ``build`` or ``from_snapshot``."""
        self._c = columns
        self._branch_cache: dict[int, Branch] = {}
        self._by_e164: dict[str, int] | None = None
        self.call_types = call_types
        self.partners = partners
        self.region = region

    @classmethod
    def build(
        cls,
        numbers: Sequence[DialledNumber],
        branches: dict[str, Branch],
        call_types: dict[str, CallType],
        partners: dict[str, Partner] | None = None,
        region: str = "FR",
    ) -> LookupIndex:
        return cls.from_columns(PackColumns.of(numbers, branches, call_types, partners, region))

    @classmethod
    def from_columns(cls, pack: PackColumns) -> LookupIndex:
        # Positions sorted, each column then read in that order by C loops (map); each list
        # of a million texts let go before the next is made (a 60 MiB pack's import).
        keyed = _split(pack.key)
        order = sorted(range(len(keyed)), key=keyed.__getitem__)
        keys = list(map(keyed.__getitem__, order))
        del keyed
        e164 = FixedStrings.of(list(map(_split(pack.e164).__getitem__, order)))
        labels = sorted(pack.labels)
        sorted_at = _positions(labels)
        label_slot = [sorted_at[lbl] for lbl in pack.labels]  # first seen -> sorted
        columns = _Columns(
            keys=FixedStrings.of(keys),
            e164=e164,
            branch=_ints(map(pack.branch.__getitem__, order)),
            type=_ints(map(pack.type.__getitem__, order)),
            label=_ints(map(label_slot.__getitem__, map(pack.label.__getitem__, order))),
            unique=bytes(min(255, u) for u in _unique_lengths(keys)),
            branch_ids=pack.branch_ids,
            branch_rows=pack.branch_rows,
            type_codes=pack.type_codes,
            labels=labels,
        )
        return cls(columns, dict(pack.call_types), dict(pack.partners), pack.region)

    @classmethod
    def from_pack(cls, pack: TablePack, region: str = "FR") -> LookupIndex:
        return cls.build(pack.numbers, pack.branches, pack.call_types, pack.partners, region)

    def snapshot(self) -> bytes:
        """Everything the index needs, in marshal's format (our own data, read back by us)."""
        c = self._c
        return marshal.dumps(
            (
                SNAPSHOT_FORMAT,
                self.region,
                c.keys.data,
                c.keys.width,
                c.e164.data,
                c.e164.width,
                c.branch.tobytes(),
                c.type.tobytes(),
                c.label.tobytes(),
                c.unique,
                c.branch_ids,
                c.branch_rows.text,
                c.branch_rows.offsets.tobytes(),
                c.type_codes,
                c.labels,
                [
                    (t.code, t.label, t.hotkey, list(t.procedure), t.priority)
                    for t in self.call_types.values()
                ],
                [(p.e164, p.name, p.kind) for p in self.partners.values()],
            )
        )

    @classmethod
    def from_snapshot(cls, data: bytes) -> LookupIndex | None:
        """None when the snapshot is of another format (the caller then rebuilds it)."""
        try:
            loaded = marshal.loads(data)
        except (EOFError, ValueError, TypeError):
            return None
        if not isinstance(loaded, tuple) or len(loaded) != 17 or loaded[0] != SNAPSHOT_FORMAT:
            return None
        (
            _,
            region,
            keys,
            key_width,
            e164,
            e164_width,
            branch,
            kind,
            label,
            unique,
            branch_ids,
            rows,
            offsets,
            type_codes,
            labels,
            call_types,
            partners,
        ) = loaded
        columns = _Columns(
            FixedStrings(keys, key_width),
            FixedStrings(e164, e164_width),
            _ints_from(branch),
            _ints_from(kind),
            _ints_from(label),
            unique,
            branch_ids,
            _Rows(rows, _ints_from(offsets)),
            type_codes,
            labels,
        )
        return cls(
            columns,
            {t[0]: CallType(t[0], t[1], t[2], tuple(t[3]), t[4]) for t in call_types},
            {p[0]: Partner(*p) for p in partners},
            region,
        )

    def __len__(self) -> int:
        return len(self._c.keys)

    def dialling_numbers(self) -> list[str]:
        return [key[::-1] for key in self._c.keys]

    @property
    def branches(self) -> dict[str, Branch]:
        found = (self._branch(i) for i in range(1, len(self._c.branch_ids)))
        return {b.branch_id: b for b in found if b is not None}

    def _branch(self, i: int) -> Branch | None:
        if i == 0:
            return None
        cached = self._branch_cache.get(i)
        if cached is None:
            rows = self._c.branch_rows
            start = rows.offsets[i]
            end = rows.offsets[i + 1] - 1 if i + 1 < len(rows.offsets) else len(rows.text)
            cached = self._branch_cache[i] = Branch(*rows.text[start:end].split(_FIELD))
        return cached

    def search(self, text: str, limit: int = 50) -> LookupResult:
        digits = digits_of(text)
        if not digits:
            return LookupResult("", 0, ())
        exact = self._exact(text, digits)
        if exact is not None:
            return LookupResult(digits, 1, (self._match(exact),), exact=True)
        keys = self._c.keys
        lo = bisect_left(keys, digits[::-1])
        hi = bisect_left(keys, digits[::-1] + _AFTER_DIGITS, lo)
        found = [self._match(i) for i in range(lo, min(hi, lo + limit))]
        if hi - lo <= limit:
            found.sort(key=lambda m: (m.branch.name if m.branch else "", m.number.dialling))
        more = None
        if hi - lo > 1:
            more = max(0, max(self._c.unique[lo:hi]) - len(digits))
        return LookupResult(digits, hi - lo, tuple(found), more_digits_needed=more)

    def _exact(self, text: str, digits: str) -> int | None:
        if len(digits) < FULL_NUMBER_MIN_DIGITS:
            return None
        parsed = phone.parse(text, self.region)
        if parsed is None:
            return None
        if self._by_e164 is None:  # built on the first full number, not at start-up
            self._by_e164 = {e164: i for i, e164 in enumerate(self._c.e164)}
        return self._by_e164.get(phone.e164_of(parsed))

    def _match(self, i: int) -> Match:
        c = self._c
        branch_id, call_type = c.branch_ids[c.branch[i]], c.type_codes[c.type[i]]
        number = DialledNumber(
            c.e164[i], c.keys[i][::-1], branch_id or None, call_type or None, c.labels[c.label[i]]
        )
        return Match(number, self._branch(c.branch[i]), self.call_types.get(call_type))

    def partner_for(self, e164: str | None) -> Partner | None:
        return self.partners.get(e164) if e164 else None

    def call_type_for_hotkey(self, hotkey: str) -> CallType | None:
        wanted = hotkey.replace(" ", "").lower()
        return next((c for c in self.call_types.values() if c.hotkey.lower() == wanted), None)


_ROW, _FIELD = "\x1e", "\x1f"  # ASCII record and unit separators


@dataclass(frozen=True)
class _Rows:
    """Branch rows as one string; ``offsets[i]`` is where row i starts."""

    text: str
    offsets: array[int]


def _branch_rows(branches: dict[str, Branch], branch_ids: list[str]) -> _Rows:
    rows = [
        _FIELD.join(v.replace(_ROW, " ").replace(_FIELD, " ") for v in vars(branches[b]).values())
        if b
        else ""
        for b in branch_ids
    ]
    offsets, position = [], 0
    for row in rows:
        offsets.append(position)
        position += len(row) + 1
    return _Rows(_ROW.join(rows), _ints(offsets))


def _split(text: str) -> list[str]:
    return text.split(_LINE) if text else []  # no number: no line


def _positions(values: list[str]) -> dict[str | None, int]:
    return {v: i for i, v in enumerate(values)}


def _ints(values: Iterable[int]) -> array[int]:
    return array("I", values)


def _ints_from(data: bytes) -> array[int]:
    values = array("I")
    values.frombytes(data)
    return values


@dataclass(frozen=True)
class _Columns:
    keys: FixedStrings
    e164: FixedStrings
    branch: array[int]
    type: array[int]
    label: array[int]
    unique: bytes
    branch_ids: list[str]
    branch_rows: _Rows
    type_codes: list[str]
    labels: list[str]


@dataclass(frozen=True)
class PackColumns:
    """What an index is built from, lean to hold and to send to a worker process
    (``snapshot_of``): each number's E.164 form and its reversed dialling digits (its key),
    its branch, type and label as slots in small tables; the branches as their ids and one
    text (10,000 Branch objects took more to send than the 100,000 numbers)."""

    e164: str  # each number's, one a line: one text to hold and to send, not a million
    key: str  # each number's reversed dialling digits, one a line
    branch: array[int]  # in branch_ids; 0: none, or one the pack does not hold
    type: array[int]  # in type_codes, the same
    label: array[int]  # in labels, in the order first seen
    labels: list[str]
    branch_ids: list[str]  # "" first: a national line's
    type_codes: list[str]  # "" first
    branch_rows: _Rows
    call_types: dict[str, CallType]
    partners: dict[str, Partner]
    region: str

    @classmethod
    def of(
        cls,
        numbers: Sequence[DialledNumber],
        branches: dict[str, Branch],
        call_types: dict[str, CallType],
        partners: dict[str, Partner] | None = None,
        region: str = "FR",
    ) -> PackColumns:
        branch_ids, type_codes = ["", *sorted(branches)], ["", *sorted(call_types)]
        branch_at: dict[str | None, int] = defaultdict(int, _positions(branch_ids))
        type_at: dict[str | None, int] = defaultdict(int, _positions(type_codes))
        label_at: dict[str, int] = {}
        e164: list[str] = []
        key: list[str] = []
        branch, kind, label = _ints(()), _ints(()), _ints(())
        each = iter(numbers)  # a chunk at a time: a compact pack's numbers are never all
        while chunk := list(itertools.islice(each, _COLUMNS_AT_ONCE)):  # made at once
            forms, dialling, branch_id, call_type, labels = zip(*chunk, strict=True)
            e164.append(_LINE.join(forms))
            key.append(_LINE.join(d[::-1] for d in dialling))
            branch.extend(map(branch_at.__getitem__, branch_id))
            kind.extend(map(type_at.__getitem__, call_type))
            label.extend(label_at.setdefault(lbl, len(label_at)) for lbl in labels)
        return cls(
            _LINE.join(e164),
            _LINE.join(key),
            branch,
            kind,
            label,
            list(label_at),
            branch_ids,
            type_codes,
            _branch_rows(branches, branch_ids),
            dict(call_types),
            dict(partners or {}),
            region,
        )


def snapshot_of(pack: PackColumns) -> bytes:
    """The index's snapshot (``LookupIndex.snapshot``) built from ``pack``: a worker's task."""
    return LookupIndex.from_columns(pack).snapshot()


def _unique_lengths(keys: Sequence[str]) -> list[int]:
    """For each sorted key, the shortest prefix shared with no neighbour (capped at its length)."""
    shared = [_common_prefix(a, b) for a, b in itertools.pairwise(keys)]
    lengths = []
    for i, key in enumerate(keys):
        before = shared[i - 1] if i > 0 else 0
        after = shared[i] if i < len(shared) else 0
        lengths.append(min(len(key), max(before, after) + 1))
    return lengths


def _common_prefix(a: str, b: str) -> int:
    n = min(len(a), len(b))
    i = 0
    while i < n and a[i] == b[i]:
        i += 1
    return i


def branch_state(
    match: Match, now: datetime, region: str = "FR", place: Place | None = None
) -> hours.OpenState | None:
    """Open or closed at ``now`` by the branch's own clock and holidays (``place``, when the
    caller has it already); None for a national line. The window's card and ``repli lookup
    --json`` both read this."""
    if match.branch is None:
        return None
    from desktop import hours

    where = place or match.branch.place(region)
    return hours.state_at(match.branch.opening_hours, now, where)


def match_as_dict(match: Match, now: datetime, region: str = "FR") -> dict[str, object]:
    """The JSON shape of ``repli lookup --json``: ``open_now`` is null when the hours are
    unknown, ``next_change`` is ISO 8601 at the branch's own offset."""
    branch, call_type = match.branch, match.call_type
    place = branch.place(region) if branch else None
    state = branch_state(match, now, region, place)
    known = state is not None and state.known  # unknown too when the pack gives no hours
    return {
        "number": match.number.e164,
        "national": match.national,
        "branch_id": match.number.branch_id,
        "branch_name": branch.name if branch else None,
        "city": branch.city if branch else None,
        "call_type": match.number.call_type,
        "call_type_label": call_type.label if call_type else None,
        "label": match.number.label,
        "open_now": state.is_open if state is not None and known else None,
        "next_change": (
            state.next_change.isoformat()
            if state is not None and known and state.next_change is not None
            else None
        ),
        "timezone": place.timezone if place else None,
        "country": place.country if place else None,
    }


def matches_as_dicts(
    matches: Iterable[Match], now: datetime, region: str = "FR"
) -> list[dict[str, object]]:
    return [match_as_dict(m, now, region) for m in matches]
