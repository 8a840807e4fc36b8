"""The suffix index: which dialled numbers end with the digits an agent typed.

Dialling digits (``0144556677``) are stored reversed and sorted, so "ends with 6677" is a
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
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from desktop import phone
from desktop.tables.model import Branch, CallType, DialledNumber, Partner, TablePack

_SEPARATORS = frozenset(" .-/()+\t")
_AFTER_DIGITS = ":"  # sorts right after "9"
FULL_NUMBER_MIN_DIGITS = 9
SNAPSHOT_FORMAT = 1

NumberRow = tuple[str, str, str | None, str | None, str]  # e164, dialling, branch, type, label


class NotDigits(ValueError):
    """The text holds characters that no written phone number has."""


@dataclass(frozen=True)
class Match:
    number: DialledNumber
    branch: Branch | None
    call_type: CallType | None

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


class LookupIndex:
    def __init__(
        self,
        rows: list[NumberRow],
        keys: list[str],
        unique_length: list[int],
        branches: dict[str, Branch],
        call_types: dict[str, CallType],
        partners: dict[str, Partner],
        region: str = "FR",
    ) -> None:
        """Use ``build`` or ``from_snapshot``: rows must already be sorted by key."""
        self._rows = rows
        self._keys = keys
        self._unique_length = unique_length
        self._by_e164 = {row[0]: i for i, row in enumerate(rows)}
        self.branches = branches
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
        rows: list[NumberRow] = sorted(
            ((n.e164, n.dialling, n.branch_id, n.call_type, n.label) for n in numbers),
            key=lambda r: r[1][::-1],
        )
        keys = [r[1][::-1] for r in rows]
        return cls(rows, keys, _unique_lengths(keys), branches, call_types, partners or {}, region)

    @classmethod
    def from_pack(cls, pack: TablePack, region: str = "FR") -> LookupIndex:
        return cls.build(pack.numbers, pack.branches, pack.call_types, pack.partners, region)

    def snapshot(self) -> bytes:
        """Everything the index needs, in marshal's format (our own data, read back by us)."""
        return marshal.dumps((
            SNAPSHOT_FORMAT, self.region, self._rows, self._unique_length,
            [tuple(vars(b).values()) for b in self.branches.values()],
            [(c.code, c.label, c.hotkey, list(c.procedure), c.priority)
             for c in self.call_types.values()],
            [(p.e164, p.name, p.kind) for p in self.partners.values()],
        ))  # fmt: skip

    @classmethod
    def from_snapshot(cls, data: bytes) -> LookupIndex | None:
        """None when the snapshot is of another format (it is then rebuilt from the rows)."""
        try:
            fmt, region, rows, unique, branches, call_types, partners = marshal.loads(data)
        except (EOFError, ValueError, TypeError):
            return None
        if fmt != SNAPSHOT_FORMAT:
            return None
        return cls(
            rows,
            [r[1][::-1] for r in rows],
            unique,
            {b[0]: Branch(*b) for b in branches},
            {c[0]: CallType(c[0], c[1], c[2], tuple(c[3]), c[4]) for c in call_types},
            {p[0]: Partner(*p) for p in partners},
            region,
        )

    def __len__(self) -> int:
        return len(self._rows)

    def dialling_numbers(self) -> list[str]:
        return [row[1] for row in self._rows]

    def search(self, text: str, limit: int = 50) -> LookupResult:
        digits = digits_of(text)
        if not digits:
            return LookupResult("", 0, ())
        exact = self._exact(text, digits)
        if exact is not None:
            return LookupResult(digits, 1, (self._match(self._rows[exact]),), exact=True)
        lo = bisect_left(self._keys, digits[::-1])
        hi = bisect_left(self._keys, digits[::-1] + _AFTER_DIGITS, lo)
        found = [self._match(row) for row in self._rows[lo : min(hi, lo + limit)]]
        if hi - lo <= limit:
            found.sort(key=lambda m: (m.branch.name if m.branch else "", m.number.dialling))
        more = None
        if hi - lo > 1:
            more = max(0, max(self._unique_length[lo:hi]) - len(digits))
        return LookupResult(digits, hi - lo, tuple(found), more_digits_needed=more)

    def _exact(self, text: str, digits: str) -> int | None:
        if len(digits) < FULL_NUMBER_MIN_DIGITS:
            return None
        parsed = phone.parse(text, self.region)
        if parsed is None:
            return None
        e164 = phone.phonenumbers.format_number(parsed, phone.PhoneNumberFormat.E164)
        return self._by_e164.get(e164)

    def _match(self, row: NumberRow) -> Match:
        number = DialledNumber(*row)
        branch = self.branches.get(number.branch_id) if number.branch_id else None
        call_type = self.call_types.get(number.call_type) if number.call_type else None
        return Match(number, branch, call_type)

    def partner_for(self, e164: str | None) -> Partner | None:
        return self.partners.get(e164) if e164 else None

    def call_type_for_hotkey(self, hotkey: str) -> CallType | None:
        wanted = hotkey.replace(" ", "").lower()
        return next((c for c in self.call_types.values() if c.hotkey.lower() == wanted), None)


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


def match_as_dict(match: Match) -> dict[str, object]:
    """The JSON shape of ``repli lookup --json``."""
    branch, call_type = match.branch, match.call_type
    return {
        "number": match.number.e164,
        "national": match.national,
        "branch_id": match.number.branch_id,
        "branch_name": branch.name if branch else None,
        "city": branch.city if branch else None,
        "call_type": match.number.call_type,
        "call_type_label": call_type.label if call_type else None,
        "label": match.number.label,
    }


def matches_as_dicts(matches: Iterable[Match]) -> list[dict[str, object]]:
    return [match_as_dict(m) for m in matches]
