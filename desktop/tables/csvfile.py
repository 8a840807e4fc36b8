"""Reading one CSV of a pack the way Excel in French writes them, or cleanly.

Handles UTF-8 (with or without BOM) and Windows-1252, comma, semicolon or tab separators,
CRLF, and header names with stray case and spaces.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, NamedTuple

from desktop.text import CONTROL_CHARACTERS

_SEPARATORS = (";", ",", "\t")


@dataclass(frozen=True)
class Problem:
    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


class CsvError(ValueError):
    """The file cannot be read as a CSV at all."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


class Row(NamedTuple):
    """One data row: its first line number, its cells by column, and how many non-empty
    cells stood beyond the header's columns (a tuple: packs have a hundred thousand rows)."""

    line: int
    values: dict[str, str]
    extra_cells: int = 0
    problem: str = ""  # a row no table may take (control characters)


# A file over this many characters is not held as rows: it is read again, row by row, each
# time its rows are asked for (a 60 MiB numbers.csv held 1.6 million rows, ~550 bytes each).
HELD_ROWS_CHARS = 16 * 2**20


@dataclass(frozen=True)
class CsvTable:
    """A table read and checked to its end (a broken CSV is a CsvError at once); its rows
    held when it is small, else read again from its text at each ``rows()``."""

    name: str
    columns: tuple[str, ...]
    ignored_columns: tuple[str, ...]
    count: int  # rows, blank lines left out
    held: list[Row] | None = None
    text: str = ""  # the text its rows are read again from, when they are not held
    separator: str = ","
    controls: bool = True

    def rows(self) -> Iterator[Row]:
        """The rows, in order."""
        if self.held is not None:
            return iter(self.held)
        return _rows(self.name, self._body(), list(self.columns), self.controls)

    def column(self, column: str) -> Iterator[str]:
        """One column's cells, stripped, row by row: cheaper than ``rows()`` where a pass
        needs that column alone (the numbers to check before the rows are built)."""
        if self.held is not None or column not in self.columns:
            yield from (row.values.get(column, "") for row in self.rows())
            return
        index = self.columns.index(column)
        for cells in self._body():
            if index < len(cells):
                yield cells[index].strip()

    def _body(self) -> Any:
        """A reader of the text again, past its header line."""
        reader = _reader(self.text, self.separator)
        next(reader, None)
        return reader

    def take_rows(self) -> Iterator[Row]:
        """The rows, each let go once taken: the last pass over a table."""
        if self.held is None:
            yield from self.rows()
            return
        for index, row in enumerate(self.held):
            self.held[index] = _TAKEN
            yield row


def decode(name: str, data: bytes) -> str:
    head = data[:64]
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or (
        len(head) >= 8
        and (head[1::2].count(0) == len(head[1::2]) or head[::2].count(0) == len(head[::2]))
    ):
        raise CsvError(
            Problem(name, 1, "UTF-16 text: save it as CSV UTF-8 (or Windows-1252) instead")
        )
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise CsvError(
            Problem(name, 1, f"not UTF-8 nor Windows-1252 text ({exc.reason})")
        ) from None


def normalise_header(header: str) -> str:
    return "_".join(header.strip().strip("\ufeff").lower().split())


def _separator(header_line: str) -> str:
    return max(_SEPARATORS, key=header_line.count)


def read_table(name: str, data: bytes, known_columns: tuple[str, ...]) -> CsvTable:
    text = decode(name, data)
    if not text.strip():
        raise CsvError(Problem(name, 1, "the file is empty (a header line is required)"))
    separator = _separator(text.split("\n", 1)[0])
    reader = _reader(text, separator)
    # one search over the whole text; the rows are searched only when it finds one
    controls = bool(CONTROL_CHARACTERS.search(text))
    try:
        header = [normalise_header(h) for h in next(reader)]
        held: list[Row] | None = None
        if len(text) <= HELD_ROWS_CHARS:
            held = list(_rows(name, reader, header, controls))
            count = len(held)
        else:  # checked to its end now, read again when its rows are asked for
            count = sum(1 for cells in reader if any(c.strip() for c in cells))
    except csv.Error as exc:
        raise CsvError(Problem(name, reader.line_num, f"broken CSV: {exc}")) from None
    ignored = tuple(h for h in header if h and h not in known_columns)
    kept_text = "" if held is not None else text
    return CsvTable(name, tuple(header), ignored, count, held, kept_text, separator, controls)


def _reader(text: str, separator: str) -> Any:
    return csv.reader(_lines(text), delimiter=separator, strict=True)


_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")


def _lines(text: str) -> Iterator[str]:
    """``text``'s lines, each with its line end (CRLF, LF or a lone CR, as ``io.StringIO``
    with ``newline=""`` splits them), one at a time: a StringIO of a 60 MiB file held
    another copy of it."""
    for found in _LINE.finditer(text):
        yield found.group()


SHARED_VALUES = 4096  # distinct values a column's cells share before it is taken as unique


def _rows(name: str, reader: Any, header: list[str], controls: bool = True) -> Iterator[Row]:
    width = len(header)
    unnamed = "" in header
    # the cells of a column with few distinct values (a branch id, a label) share one string
    # each: a pack's 1.6 million rows held 1.6 million copies of "Ligne agence"
    shared: list[dict[str, str]] = [{} for _ in header]
    sharing = list(range(width))  # the columns still sharing (not yet taken as unique)
    line = 1
    for number, cells in enumerate(reader):
        start = line + 1
        line = reader.line_num
        bad = next((c for c in cells if CONTROL_CHARACTERS.search(c)), None) if controls else None
        if bad is not None:
            char = CONTROL_CHARACTERS.search(bad)
            assert char is not None
            yield Row(start, {}, 0, f"control character U+{ord(char.group()):04X} in a cell")
            continue
        stripped = [cell.strip() for cell in cells]
        count = len(stripped)
        for index in sharing:
            if index < count:
                value = stripped[index]
                stripped[index] = shared[index].setdefault(value, value)
        if number % 256 == 0:  # a column of distinct values: nothing to share
            sharing = [i for i in sharing if len(shared[i]) <= SHARED_VALUES]
        values = dict(zip(header, stripped, strict=False))
        extra = sum(1 for c in stripped[width:] if c) if count > width else 0
        if not extra and not any(values.values()):
            continue  # a blank line
        if unnamed:
            values.pop("", None)
        yield Row(start, values, extra)


_TAKEN = Row(0, {})
