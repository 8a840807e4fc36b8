"""Reading and validating a whole table pack before anything changes.

``read_pack`` returns every problem as ``file:line: what is wrong``. With
``skip_invalid_rows`` the bad rows are left out (and listed) instead of rejecting the pack;
problems with a whole file (missing, unreadable, checksum, missing column) always reject.
"""

from __future__ import annotations

import hashlib
import json
import re
from array import array
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from desktop import hours, keys, phone, places
from desktop.gc_paused import gc_paused
from desktop.table_pack import (
    Branch,
    CallType,
    DialledNumber,
    DialledNumbers,
    PackInfo,
    Partner,
    TablePack,
)
from desktop.tables.csvfile import CsvError, CsvTable, Problem, Row, read_table
from desktop.tables.packfiles import PackFilesError, read_pack_files, shown

if TYPE_CHECKING:
    from desktop.tables.signed import Signed

BRANCH_COLUMNS = (
    "branch_id",
    "name",
    "city",
    "postcode",
    "address",
    "phone",
    "opening_hours",
    "region",
    "notes",
    "timezone",
    "country",
)
NUMBER_COLUMNS = ("number", "branch_id", "call_type", "label")
CALL_TYPE_COLUMNS = ("code", "label", "hotkey", "procedure", "priority")
PARTNER_COLUMNS = ("number", "name", "kind")
REQUIRED_FILES = ("branches.csv", "numbers.csv", "call_types.csv")
OPTIONAL_FILES = ("partners.csv",)


_SMALL_WHOLE = re.compile(r"-?[0-9]{1,3}")


class PackError(ValueError):
    """The pack is rejected; ``problems`` lists every reason."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


@dataclass
class PackReading:
    pack: TablePack
    warnings: list[str] = field(default_factory=list)
    skipped: list[Problem] = field(default_factory=list)


@gc_paused()  # a pack makes objects by the hundred thousand
def read_pack(
    path: Path,
    region: str = "FR",
    skip_invalid_rows: bool = False,
    public_keys: tuple[str, ...] = (),
    require_signed: bool = False,
) -> PackReading:
    """``public_keys``: the keys a signature is checked against (a signed pack's serial
    counts only once verified); ``require_signed``: an unsigned pack is refused."""
    try:
        read = read_pack_files(path)
    except PackFilesError as exc:
        raise PackError(exc.problems) from None
    files = read.files
    fatal: list[Problem] = []
    warnings: list[str] = list(read.warnings)
    signed = _signature(files, public_keys, require_signed)
    info, defaults, vouched = _manifest(files, path, fatal)
    if signed is not None:
        info = replace(info, serial=signed.serial, signed_by=signed.key_id)
    tables: dict[str, CsvTable] = {}
    # a pack that names its country reads its numbers as that country writes them
    region = defaults["country"].split("-")[0] if "country" in defaults else region
    builder = _Builder(region, defaults)
    for name, columns in (
        ("numbers.csv", NUMBER_COLUMNS),  # first: its numbers are checked while the rest is read
        ("branches.csv", BRANCH_COLUMNS),
        ("call_types.csv", CALL_TYPE_COLUMNS),
        ("partners.csv", PARTNER_COLUMNS),
    ):
        table = _read(files, name, columns, fatal, vouched=name in vouched)
        if table is not None:
            tables[name] = table
            warnings += [f"{name}:1: unknown column {c!r} ignored" for c in table.ignored_columns]
            if name == "numbers.csv":
                builder.start_checking(table)
    if fatal:
        builder.discard()
        raise PackError(fatal)
    pack = builder.build(info, tables)
    warnings += builder.key_moves(pack)
    warnings += slow_hours(pack)
    if builder.problems and not skip_invalid_rows:
        raise PackError(builder.problems)
    if not pack.branches or not pack.call_types:
        empty = "branches.csv" if not pack.branches else "call_types.csv"
        raise PackError([*builder.problems, Problem(empty, 1, "no valid row: the pack is empty")])
    return PackReading(pack, warnings, builder.problems)


def slow_hours(pack: TablePack) -> list[str]:
    """A warning for each distinct opening-hours expression (with its place) that takes over
    ``hours.SLOW_EXPRESSION_S`` to evaluate once: the card evaluates it on the GUI thread."""
    moment = datetime(2026, 1, 5, 10, 0, tzinfo=UTC)  # any instant: the walk is bounded
    found = []
    seen: set[tuple[str, str, str]] = set()
    for branch in pack.branches.values():
        key = (branch.opening_hours, branch.timezone, branch.country)
        if not branch.opening_hours or key in seen:
            continue
        seen.add(key)
        place = branch.place("FR")
        taken = hours.evaluation_time(branch.opening_hours, place, moment, tries=1)
        if taken > hours.SLOW_EXPRESSION_S:
            found.append(
                f"branches.csv: opening_hours {branch.opening_hours[:60]!r} ({branch.branch_id}) "
                f"takes {taken * 1000:.0f} ms to evaluate: simplify it"
            )
    return found


def _signature(
    files: dict[str, bytes], public_keys: tuple[str, ...], required: bool
) -> Signed | None:
    from desktop.tables.signed import SIGNATURE_FILE, check_signature

    if not public_keys:
        if required:
            reason = "a signed pack is required, but no key is set (tables_public_keys)"
            raise PackError([Problem(SIGNATURE_FILE, 0, reason)])
        return None
    if not required and SIGNATURE_FILE not in files:
        return None
    checked = check_signature(files, public_keys)
    if isinstance(checked, Problem):
        raise PackError([checked])
    return checked


class _Manifest(NamedTuple):
    info: PackInfo
    place_defaults: dict[str, str]  # the pack's ``timezone`` and ``country``
    vouched: set[str]  # the files whose sha256 it gives, and matched


def _manifest(files: dict[str, bytes], path: Path, fatal: list[Problem]) -> _Manifest:
    """The pack's name, version and date, its default ``timezone`` and ``country``, and the
    files its checksums vouch for."""
    now = datetime.now(UTC).isoformat(timespec="seconds")
    default = PackInfo(
        name=path.stem, version="", generated_at="", imported_at=now, source=str(path)
    )
    raw = files.get("manifest.json")
    if raw is None:
        return _Manifest(default, {}, set())
    try:
        manifest: dict[str, Any] = json.loads(raw.decode("utf-8-sig"))
        if not isinstance(manifest, dict):
            raise ValueError("the manifest must be a JSON object")
    except (ValueError, UnicodeDecodeError, RecursionError) as exc:
        reason = "nested too deeply" if isinstance(exc, RecursionError) else exc
        fatal.append(Problem("manifest.json", 1, f"unreadable manifest: {reason}"))
        return _Manifest(default, {}, set())
    place_defaults = _place_defaults(manifest, fatal)
    vouched = _checksums(manifest, files, fatal)
    texts = {}
    for key, limit in (("name", 200), ("version", 100), ("generated_at", 40)):
        value = manifest.get(key)
        if (value is not None and not isinstance(value, str | int | float)) or isinstance(
            value, bool
        ):
            fatal.append(Problem("manifest.json", 1, f"{key} must be a text"))
            value = None
        text = "" if value is None else str(value)
        if len(text) > limit or not text.isprintable():
            fatal.append(Problem("manifest.json", 1, f"{key} is not a short line of text"))
            text = ""
        texts[key] = text
    generated = _generated_at(texts["generated_at"], fatal)
    info = PackInfo(
        name=texts["name"] or default.name,
        version=texts["version"],
        generated_at=generated,
        imported_at=now,
        source=str(path),
    )
    return _Manifest(info, place_defaults, vouched)


def _checksums(manifest: dict[str, Any], files: dict[str, bytes], fatal: list[Problem]) -> set[str]:
    """Every listed checksum verified; returns the files whose checksum matched."""
    listed = manifest.get("sha256") or manifest.get("files") or {}
    if not isinstance(listed, dict):
        fatal.append(Problem("manifest.json", 1, "sha256 must be an object {file: hex digest}"))
        return set()
    matched = set()
    for name, expected in listed.items():
        data = files.get(str(name).lower())
        if not isinstance(expected, str) or len(expected) != 64:
            fatal.append(
                Problem("manifest.json", 1, f"the sha256 of {shown(name)} is not 64 hex digits")
            )
        elif data is None:
            fatal.append(
                Problem("manifest.json", 1, f"lists {shown(name)} but the pack has no such file")
            )
        elif hashlib.sha256(data).hexdigest() != expected.lower():
            fatal.append(Problem(shown(name), 0, "checksum mismatch with manifest.json"))
        else:
            matched.add(str(name).lower())
    return matched


FUTURE_SLACK = timedelta(days=1)


def _generated_at(text: str, fatal: list[Problem]) -> str:
    """The pack's date, checked: a date in the future would hide the pack's age for ever."""
    if not text:
        return ""
    try:
        when = datetime.fromisoformat(text)
    except ValueError:
        fatal.append(Problem("manifest.json", 1, f"generated_at {text!r} is not an ISO 8601 date"))
        return ""
    when = when if when.tzinfo else when.replace(tzinfo=UTC)
    if when > datetime.now(UTC) + FUTURE_SLACK:
        fatal.append(
            Problem("manifest.json", 1, f"generated_at {text!r} is in the future (the PC's clock?)")
        )
        return ""
    return text


def _place_defaults(manifest: dict[str, Any], fatal: list[Problem]) -> dict[str, str]:
    defaults = {}
    for key, check in (("timezone", places.check_timezone), ("country", places.check_country)):
        value = manifest.get(key)
        if value in (None, ""):
            continue
        try:
            if not isinstance(value, str):
                raise places.UnknownPlace(f"{key} must be a text, not {type(value).__name__}")
            defaults[key] = check(value)
        except places.UnknownPlace as exc:
            fatal.append(Problem("manifest.json", 1, str(exc)))
    return defaults


def _read(
    files: dict[str, bytes],
    name: str,
    columns: tuple[str, ...],
    fatal: list[Problem],
    vouched: bool = False,
) -> CsvTable | None:
    """One file of the pack, whole: a file cut short is refused unless the manifest's
    checksum (``vouched``) says it is whole as it is."""
    data = files.get(name)
    if data is None:
        if name in REQUIRED_FILES:
            fatal.append(Problem(name, 0, "required file missing from the pack"))
        return None
    try:
        table = read_table(name, data, columns)
    except CsvError as exc:
        fatal.append(exc.problem)
        return None
    required = [columns[0], columns[1]] if name != "numbers.csv" else ["number"]
    missing = [c for c in required if c not in table.columns]
    if missing:
        fatal.append(Problem(name, 1, f"required column missing: {', '.join(missing)}"))
        return None
    if name in REQUIRED_FILES and not table.count:
        fatal.append(Problem(name, 1, "no rows under the header: an empty table (a cut copy?)"))
        return None
    if not data.endswith((b"\n", b"\r")) and not vouched:
        lines = data.count(b"\n") + 1
        fatal.append(
            Problem(
                name,
                lines,
                "the file ends in the middle of a line (an interrupted copy?): end it with a "
                "line break, or ship a manifest.json with its sha256",
            )
        )
        return None
    return table


class _Builder:
    """Turns the rows of the four files into a pack, collecting row problems."""

    def __init__(self, region: str, place_defaults: dict[str, str] | None = None) -> None:
        self.region = region
        self.place_defaults = place_defaults or {}
        self.call_type_lines: dict[str, int] = {}
        self.problems: list[Problem] = []
        self._checked: dict[str, phone.Canonical | None] = {}
        self._unchecked: list[str] = []
        self._chunks: Iterator[list[phone.Canonical | None]] = iter(())

    def start_checking(self, numbers: CsvTable) -> None:
        """Check the dialled numbers, in row order: the common metropolitan ones at once, the
        others (when there are many) in other processes while the other files are read; the
        rows are then built chunk by chunk as their numbers come back."""
        texts = dict.fromkeys(numbers.column("number"))
        texts.pop("", None)
        self._unchecked = list(texts)
        self._chunks = phone.canonical_chunks(self._unchecked, self.region)

    def discard(self) -> None:
        self._chunks = iter(())

    def _checked_number(self, text: str) -> phone.Canonical | None:
        while text not in self._checked and self._unchecked:
            chunk = next(self._chunks)
            self._checked.update(zip(self._unchecked, chunk, strict=False))
            del self._unchecked[: len(chunk)]
        if text in self._checked:  # taken once: a row's number is not kept twice
            return self._checked.pop(text)
        return phone.canonical(text, self.region)

    def build(self, info: PackInfo, tables: dict[str, CsvTable]) -> TablePack:
        pack = TablePack(info)
        self._each(tables["call_types.csv"], lambda r: self._call_type(r, pack))
        self._each(tables["branches.csv"], lambda r: self._branch(r, pack))
        # a file too big to hold its rows holds its numbers compactly too (each made again
        # when read: slower, so a common pack keeps a list)
        big = tables["numbers.csv"].held is None
        numbers: list[DialledNumber] | DialledNumbers = DialledNumbers() if big else []
        lines = array("I")
        first_problem = len(self.problems)
        self._each(tables["numbers.csv"], lambda r: self._number(r, pack, numbers, lines))
        pack.numbers = self._without_repeats(numbers, lines)
        self.problems[first_problem:] = sorted(self.problems[first_problem:], key=_line)
        if "partners.csv" in tables:
            self._each(tables["partners.csv"], lambda r: self._partner(r, pack))
        return pack

    def _each(self, table: CsvTable, handle: Callable[[Row], str | None]) -> None:
        """Each row handled then let go: a 1.6-million-row numbers.csv held every row and
        every number built from it at once."""
        for row in table.take_rows():
            if row.problem:
                message: str | None = row.problem
            elif row.extra_cells:
                message = f"{row.extra_cells} cell(s) beyond the header's columns"
            else:
                message = handle(row)
            if message:
                self.problems.append(Problem(table.name, row.line, message))

    def _call_type(self, row: Row, pack: TablePack) -> str | None:
        v = row.values
        code, label = v.get("code", ""), v.get("label", "")
        if not code or not label:
            return "code and label are required"
        if code in pack.call_types:
            return f"duplicate call type code {code!r}"
        hotkey = v.get("hotkey", "")
        if hotkey:
            try:
                hotkey = keys.canonical(hotkey)
            except keys.BadKey as exc:
                return f"hotkey {exc}"
            refused = keys.refusal(hotkey)
            if refused:
                return f"hotkey {hotkey!r} cannot choose a call type: {refused}"
        taken = [c.code for c in pack.call_types.values() if hotkey and c.hotkey == hotkey]
        if taken:
            return f"hotkey {v['hotkey']!r} already used by call type {taken[0]!r}"
        priority = v.get("priority", "")
        if priority and not _SMALL_WHOLE.fullmatch(priority):
            return f"priority {priority[:20]!r} is not a whole number from -999 to 999"
        steps = _procedure_steps(v.get("procedure", ""))
        pack.call_types[code] = CallType(
            code, label, hotkey, steps, int(priority) if priority else None
        )
        self.call_type_lines[code] = row.line
        return None

    def key_moves(self, pack: TablePack) -> list[str]:
        """What the pack's call-type keys change of the window's own keys, as warnings."""
        keymap = keys.resolve({c.code: c.hotkey for c in pack.call_types.values()})
        for code, why in keymap.problems.items():
            self.problems.append(
                Problem("call_types.csv", self.call_type_lines.get(code, 0), f"hotkey: {why}")
            )
        return [
            f"call_types.csv:{self.call_type_lines.get(m.call_type, 0)}: {keys.describe(m)}"
            for m in keymap.moved
        ]

    def _branch(self, row: Row, pack: TablePack) -> str | None:
        v = row.values
        branch_id, name = v.get("branch_id", ""), v.get("name", "")
        if not branch_id or not name:
            return "branch_id and name are required"
        if branch_id in pack.branches:
            return f"duplicate branch_id {branch_id!r}"
        hours_problem = (
            hours.problem(v.get("opening_hours", "")) if v.get("opening_hours") else None
        )
        if hours_problem:
            return f"opening_hours {v['opening_hours']!r} is not valid: {hours_problem}"
        try:
            place = self._place(v)
        except places.UnknownPlace as exc:
            return str(exc)
        values = {c: v.get(c, "") for c in BRANCH_COLUMNS}
        values.update(timezone=place.timezone, country=place.country)
        pack.branches[branch_id] = Branch(**values)
        return None

    def _place(self, v: dict[str, str]) -> places.Place:
        """The row's time zone and calendar, else the manifest's, else what the branch's
        postcode or phone number says; each checked."""
        own_zone = places.check_timezone(v["timezone"]) if v.get("timezone") else ""
        own_country = places.check_country(v["country"]) if v.get("country") else ""
        country = own_country or self.place_defaults.get("country", "")
        zone = own_zone or ("" if own_country else self.place_defaults.get("timezone", ""))
        postcode, number = v.get("postcode", ""), v.get("phone", "")
        return places.place_of(postcode, number, zone, country, self.region)

    def _number(
        self,
        row: Row,
        pack: TablePack,
        numbers: list[DialledNumber] | DialledNumbers,
        lines: array[int],
    ) -> str | None:
        v = row.values
        parsed = self._parse(v.get("number", ""))
        if isinstance(parsed, str):
            return parsed
        e164, dialling = parsed
        branch_id, call_type = v.get("branch_id") or None, v.get("call_type") or None
        if branch_id and branch_id not in pack.branches:
            return f"branch_id {branch_id!r} is not in branches.csv"
        if call_type and call_type not in pack.call_types:
            return f"call_type {call_type!r} is not in call_types.csv"
        numbers.append(DialledNumber(e164, dialling, branch_id, call_type, v.get("label", "")))
        lines.append(row.line)
        return None

    def _without_repeats(
        self, numbers: list[DialledNumber] | DialledNumbers, lines: array[int]
    ) -> Sequence[DialledNumber]:
        """A number listed again is left out: silently with the same target, as a problem with
        another. Found once all rows are read, by sorting each number's digits with its
        position in one integer (a dictionary of every number seen took a fifth of a 60 MiB
        file's import memory; sorting positions by text, a third)."""
        shift = len(numbers).bit_length()
        mask = (1 << shift) - 1
        dropped: set[int] = set()
        first, first_digits = -1, -1
        e164 = numbers.e164 if isinstance(numbers, DialledNumbers) else lambda i: numbers[i].e164
        for key in sorted(int(e164(i)[1:]) << shift | i for i in range(len(numbers))):
            digits, i = key >> shift, key & mask  # "+" and digits: one integer, one number
            if digits != first_digits:
                first, first_digits = i, digits
                continue
            dropped.add(i)
            kept, again = numbers[first], numbers[i]
            if (kept.branch_id, kept.call_type) != (again.branch_id, again.call_type):
                shown = phone.display_e164(again.e164)
                self.problems.append(
                    Problem(
                        "numbers.csv",
                        lines[i],
                        f"number {shown!r} already at line {lines[first]} with another target",
                    )
                )
        if not dropped:
            return numbers
        if isinstance(numbers, DialledNumbers):
            return numbers.without(dropped)
        return [n for i, n in enumerate(numbers) if i not in dropped]

    def _partner(self, row: Row, pack: TablePack) -> str | None:
        v = row.values
        if not v.get("name"):
            return "name is required"
        parsed = self._parse(v.get("number", ""))
        if isinstance(parsed, str):
            return parsed
        pack.partners[parsed[0]] = Partner(parsed[0], v["name"], v.get("kind", ""))
        return None

    def _parse(self, text: str) -> tuple[str, str] | str:
        if not text:
            return "number is required"
        checked = self._checked_number(text)
        if checked is None:
            return f"number {text!r} is not a valid phone number"
        return checked.e164, checked.dialling


def _line(problem: Problem) -> int:
    return problem.line


def _procedure_steps(text: str) -> tuple[str, ...]:
    parts = text.splitlines() if "\n" in text else text.split(" | ")
    return tuple(step.strip() for step in parts if step.strip())
