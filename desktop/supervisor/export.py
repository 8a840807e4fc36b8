"""Exports of the contact log: CSV (RFC 4180, or Excel France), XLSX and JSON Lines.

- CSV and XLSX: one row per contact at its latest revision, for people (the branch managers,
  a spreadsheet). Cells a caller could have dictated that start with ``=``, ``+``, ``-``,
  ``@`` (or a tab or carriage return) are neutralised with a leading apostrophe: a
  spreadsheet shows them as text and never runs them as formulas.
- JSON Lines: the canonical, lossless format (every revision, as saved), documented in
  docs/export-format.md; ``repli merge`` reads it back.
Every file is written under a temporary name and renamed when complete, readable by its owner
only (it holds personal data).
"""

from __future__ import annotations

import csv
import hashlib
import io
import itertools
import json
import re
import shutil
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any, BinaryIO

from sqlalchemy import Engine, and_, case, func, literal, not_, select, type_coerce
from sqlalchemy.types import NullType

from desktop import phone
from desktop.contacts import utc_now
from desktop.files import UnsafeOutput, check_output, is_standard_stream, output_file
from desktop.store.history import SYNC_STATE, ContactFilter
from desktop.store.models import ContactRevisionRow, ContactRow

EXPORT_SCHEMA = "repli.export/1"
FORMATS = ("csv", "xlsx", "jsonl")
CSV_DIALECTS = ("rfc4180", "excel-fr")
DANGEROUS_STARTS = ("=", "+", "-", "@", "\t", "\r")
BATCH = 5000

# (column, French header, kind): kind says how each format writes the value
COLUMNS: list[tuple[str, str, str]] = [
    ("id", "Identifiant", "text"),
    ("revision", "Révision", "int"),
    ("created_at", "Créée le", "datetime"),
    ("updated_at", "Modifiée le", "datetime"),
    ("site", "Site", "text"),
    ("seat_id", "Poste", "text"),
    ("agent", "Agent", "text"),
    ("mode", "Mode", "text"),
    ("branch_id", "Code agence", "text"),
    ("branch_name", "Agence", "text"),
    ("matched_number", "Numéro composé", "phone"),
    ("digits_typed", "Chiffres tapés", "text"),
    ("call_type", "Type d'appel", "text"),
    ("caller_number", "Numéro de l'appelant", "phone"),
    ("caller_name", "Nom de l'appelant", "text"),
    ("subject", "Objet", "text"),
    ("notes", "Notes", "text"),
    ("outcome", "Issue", "text"),
    ("urgent", "Urgent", "bool"),
    ("callback_at", "Rappel le", "datetime"),
    ("callback_done_at", "Rappel fait le", "datetime"),
    ("call_started_at", "Début d'appel", "datetime"),
    ("call_ended_at", "Fin d'appel", "datetime"),
    ("handling_seconds", "Durée (s)", "int"),
    ("found_by", "Trouvé par", "text"),
    ("tables_version", "Tables", "text"),
    ("call_id", "Identifiant d'appel", "text"),
    ("called_via", "Numéro composé lu dans", "text"),
    ("reached_on", "Numéro du poste", "text"),
    ("sync", "Livraison CRM", "text"),
]
# the columns read from the contacts table (the others are computed), and their kinds
_STORED = [(name, kind) for name, _h, kind in COLUMNS if name not in ("handling_seconds", "sync")]
_NAMES = [name for name, _h, _k in COLUMNS]
_KINDS = [kind for _n, _h, kind in COLUMNS]


def _neutralised(column: Any) -> Any:
    """``neutralise`` computed by the database (SQLite and PostgreSQL alike): a text that
    starts as a formula would gets a leading apostrophe, an E.164 number does not. Only
    the functions both have: substr, length, ltrim."""
    first = func.substr(column, 1, 1)
    e164 = and_(
        first == "+",
        func.length(column).between(7, 16),
        func.substr(column, 2, 1).in_(list("123456789")),
        func.ltrim(func.substr(column, 2), "0123456789") == "",
    )
    return case(
        (and_(first.in_(list(DANGEROUS_STARTS)), not_(e164)), literal("'") + column),
        else_=column,
    )


def _raw_columns(neutralised: tuple[str, ...]) -> list[Any]:
    """The columns as the driver gives them (SQLite: times as text, booleans as 0/1), and
    the ``neutralised`` kinds' cells made safe by the database: an export converts each
    value once, straight to what it writes, instead of building a datetime or a bool
    first, and checks no text cell in Python (most of an export's time on a million)."""
    columns: list[Any] = []
    for name, kind in _STORED:
        column = ContactRow.__table__.c[name]
        if kind in ("datetime", "bool"):
            columns.append(type_coerce(column, NullType()).label(column.name))
        elif kind in neutralised:
            columns.append(_neutralised(column).label(column.name))
        else:
            columns.append(column)
    return columns


_STARTED, _ENDED = _NAMES.index("call_started_at"), _NAMES.index("call_ended_at")
_HANDLING = _NAMES.index("handling_seconds")


class ExportError(ValueError):
    """An export that cannot be made (unknown format, unwritable destination)."""


@dataclass(frozen=True)
class ExportReport:
    path: Path
    format: str
    contacts: int
    records: int  # rows (CSV, XLSX) or revisions (JSON Lines)


def neutralise(text: str) -> str:
    """A leading apostrophe before what a spreadsheet would take for a formula. A phone
    number in E.164 (``+33199006677``) is data, not a formula: it is written as it is."""
    if text.startswith(DANGEROUS_STARTS) and not _E164.fullmatch(text):
        return "'" + text
    return text


_E164 = re.compile(r"\+[1-9][0-9]{5,14}")
# What an XLSX cell cannot hold (openpyxl refuses it, and the whole export failed on one
# control character pasted into a note): replaced by the Unicode replacement character.
_NOT_IN_XLSX = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")
EXCEL_CELL_CHARS = 32_767


def export(
    engine: Engine,
    path: Path,
    fmt: str,
    where: ContactFilter | None = None,
    dialect: str = "rfc4180",
    source: dict[str, str] | None = None,
    progress: Callable[[int], None] | None = None,
) -> ExportReport:
    """Write the contacts ``where`` selects to ``path`` in ``fmt`` (csv: in ``dialect``).
    ``source`` (site, seat) is recorded in a JSON Lines header."""
    where = where if where is not None else ContactFilter(exercise="exclude")
    if fmt not in FORMATS:
        raise ExportError(f"unknown format {fmt!r}: one of {', '.join(FORMATS)}")
    if fmt == "csv" and dialect not in CSV_DIALECTS:
        raise ExportError(f"unknown CSV dialect {dialect!r}: one of {', '.join(CSV_DIALECTS)}")
    if not is_standard_stream(path) and not path.parent.is_dir():
        raise ExportError(f"{path.parent}: no such folder")
    try:
        check_output(path)
        with output_file(path, mode=0o600) as out:
            if fmt == "jsonl":
                contacts, records = _jsonl(engine, where, out, source or {}, progress)
            elif fmt == "csv":
                client = (source or {}).get("client", "")
                contacts = records = _csv(engine, where, out, dialect, progress, client)
            else:
                client = (source or {}).get("client", "")
                # its scratch file beside the export: a kill leaves it where the same data
                # was going, never in the machine's shared temporary folder
                scratch = None if is_standard_stream(path) else path.resolve().parent
                contacts = records = _xlsx(engine, where, out, progress, client, scratch)
    except UnsafeOutput as exc:
        raise ExportError(str(exc)) from None
    except OSError as exc:
        raise ExportError(f"{path}: {exc.strerror or exc}") from exc
    return ExportReport(path, fmt, contacts, records)


def rows(
    engine: Engine, where: ContactFilter, progress: Callable[[int], None] | None = None
) -> Iterator[dict[str, Any]]:
    """The selected contacts, oldest first, as dicts of COLUMNS (datetimes in UTC)."""
    typed = _converters(_KINDS, {"datetime": _as_utc, "bool": bool})
    for values in _raw_rows(engine, where, progress):
        yield dict(zip(_NAMES, _converted(values, typed), strict=True))


def _raw_rows(
    engine: Engine,
    where: ContactFilter,
    progress: Callable[[int], None] | None,
    neutralised: tuple[str, ...] = (),
) -> Iterator[list[Any]]:
    """The selected contacts, oldest first, as lists in COLUMNS' order, each value as the
    driver gives it (see ``_raw_columns``); handling_seconds computed, sync as stored."""
    where.ready(engine)
    columns = _raw_columns(neutralised)
    query = where.apply(select(*columns, SYNC_STATE))
    query = query.order_by(ContactRow.created_at, ContactRow.id)
    done = 0
    with engine.connect() as conn:
        result = conn.execution_options(yield_per=BATCH, stream_results=True).execute(query)
        for row in result:
            values = list(row)
            values.insert(_HANDLING, _handling(values[_STARTED], values[_ENDED]))
            done += 1
            if progress is not None and done % BATCH == 0:
                progress(done)
            yield values


def _handling(start: Any, end: Any) -> int | None:
    if start is None or end is None:
        return None
    if isinstance(start, str):  # SQLite's text, both in UTC: no zone needed to subtract
        return round((datetime.fromisoformat(end) - datetime.fromisoformat(start)).total_seconds())
    return round((_as_utc(end) - _as_utc(start)).total_seconds())


def _as_utc(value: Any) -> datetime:
    """A time as the driver gives it: SQLite's text (UTC, no zone), or a datetime."""
    if isinstance(value, datetime):
        return value.astimezone(UTC) if value.tzinfo is not None else value.replace(tzinfo=UTC)
    return datetime.fromisoformat(value).replace(tzinfo=UTC)


def _converters(kinds: list[str], to: dict[str, Callable[[Any], Any]]) -> list[tuple[int, Any]]:
    """(column index, converter) for the columns whose kind ``to`` converts."""
    return [(index, to[kind]) for index, kind in enumerate(kinds) if kind in to]


def _converted(values: list[Any], converters: list[tuple[int, Any]]) -> list[Any]:
    """``values`` with each converted cell converted in place (an empty one stays None)."""
    for index, function in converters:
        value = values[index]
        if value is not None:
            values[index] = function(value)
    return values


# ------------------------------------------------------------------------------ CSV


def _csv(
    engine: Engine,
    where: ContactFilter,
    out: BinaryIO,
    dialect: str,
    progress: Callable[[int], None] | None,
    client: str = "",
) -> int:
    """One row per contact, in COLUMNS' order, then the client company whose contacts they
    are (``client``: "" on a seat of one client), so that a file says whose it is."""
    french = dialect == "excel-fr"
    text = io.TextIOWrapper(out, encoding="utf-8-sig" if french else "utf-8", newline="")
    writer = csv.writer(text, delimiter=";" if french else ",", lineterminator="\r\n")
    titles = [header if french else name for name, header, _k in COLUMNS]
    writer.writerow([*titles, CLIENT_TITLE if french else "client"])
    whose = neutralise(client)
    # csv.writer writes None as an empty field and an int as its digits: those need nothing;
    # the texts come neutralised from the database (the French numbers are displayed first)
    convert = _converters(
        _KINDS,
        {
            "datetime": _french_time if french else _iso_time,
            "bool": _OUI_NON.get if french else _TRUE_FALSE.get,
            **({"phone": _french_phone} if french else {}),
        },
    )
    count = 0
    write = writer.writerow
    made_safe = ("text",) if french else ("text", "phone")
    for values in _raw_rows(engine, where, progress, made_safe):
        write([*_converted(values, convert), whose])
        count += 1
    text.flush()
    text.detach()  # the atomic file closes the stream
    return count


CLIENT_TITLE = "Client"  # the last column of the CSV and XLSX exports
_OUI_NON = {True: "oui", False: "non"}  # SQLite's 1 and 0 are True and False here
_TRUE_FALSE = {True: "true", False: "false"}


def _french_phone(value: Any) -> str:
    """``06 12 34 56 78``: what ``phone.display_stored`` shows, its commonest case inline
    (a French number but an 08 one or one bearing a territory's code, in pairs;
    tests/unit/test_export_fast_paths.py)."""
    if phone.shown_in_pairs(value):
        return f"0{value[3]} {value[4:6]} {value[6:8]} {value[8:10]} {value[10:12]}"
    return neutralise(phone.display_stored(str(value)))


def _iso_time(value: Any) -> str:
    """ISO 8601 in UTC, as ``datetime.isoformat`` writes it (no fraction when it is zero)."""
    if isinstance(value, datetime):
        return _utc_iso(value)
    # SQLite's text: 2026-11-22 14:05:09.123456 (UTC; SQLAlchemy's storage format)
    if len(value) == 26 and value[10] == " ":
        fraction = value[19:]
        return f"{value[:10]}T{value[11:19]}{'' if fraction == '.000000' else fraction}+00:00"
    return _utc_iso(_as_utc(value))


def _french_time(value: Any) -> str:
    """22/11/2026 14:05:09 in the seat's local time (seconds, no fraction)."""
    if isinstance(value, str) and len(value) == 26:
        prefix = _french_hour(value[:13])  # the offset is the same for a whole UTC hour
        if prefix is not None:
            return prefix + value[13:19]
    return _local(_as_utc(value)).strftime("%d/%m/%Y %H:%M:%S")


@lru_cache(maxsize=8192)
def _french_hour(utc_hour: str) -> str | None:
    """``dd/mm/yyyy HH`` of a UTC hour (``2026-11-22 14``) in local time; None where the
    local offset is not whole hours (the minutes change too: the slow way does it)."""
    offset = _utc_hour_offset(utc_hour)
    if offset is None or offset.total_seconds() % 3600:
        return None
    return (datetime.fromisoformat(utc_hour + ":00:00") + offset).strftime("%d/%m/%Y %H")


@lru_cache(maxsize=8192)
def _utc_hour_offset(utc_hour: str) -> timedelta | None:
    """The seat's offset through a UTC hour (``2026-11-22 14``); None where it changes."""
    start = datetime.fromisoformat(utc_hour + ":00:00").replace(tzinfo=UTC)
    return _offset(int(start.timestamp()) // 3600)


# ------------------------------------------------------------------------------ XLSX


def _xlsx(
    engine: Engine,
    where: ContactFilter,
    out: BinaryIO,
    progress: Callable[[int], None] | None,
    client: str = "",
    scratch: Path | None = None,
) -> int:
    """rustpy-xlsxwriter (the Rust port of XlsxWriter) in constant-memory mode: each row is
    written out as it comes. Every text is a text cell (nothing typed is read as a formula,
    a URL or a number), dates are dates at the seat's time, the header is bold, frozen and
    filtered. The client company, when the seat has one, is in a last column and in the
    printed page's header. Written to a private temporary file by name (in ``scratch``, the
    export's own folder, when it has one), then copied into ``out``: written to a stream,
    the library holds the whole workbook in memory first."""
    from rustpy_xlsxwriter import FastExcel

    titles = [title for _n, title, _k in COLUMNS]
    names = [*titles, CLIENT_TITLE]
    # the texts come neutralised from the database, as the CSV's: only a character a cell
    # cannot hold, or a text over a cell's limit, is left to change here; a row's texts are
    # looked at together first (nearly every row has neither)
    convert = _converters(_KINDS, {"phone": _xlsx_phone, "datetime": _xlsx_time, "bool": bool})
    texts = [index for index, kind in enumerate(_KINDS) if kind == "text"]
    clean = [(index, _xlsx_clean) for index in texts]
    whose = _xlsx_text(client) or None
    count = 0

    def records() -> Iterator[dict[str, Any]]:
        nonlocal count
        for values in _raw_rows(engine, where, progress, ("text",)):
            count += 1
            _converted(values, convert)
            together = "".join([text for index in texts if (text := values[index])])
            if not together.isprintable() or len(together) > EXCEL_CELL_CHARS:
                _converted(values, clean)
            values.append(whose)
            yield dict(zip(names, values, strict=True))

    widths = {"datetime": 18.0, "int": 9.0, "bool": 8.0}
    column_widths: list[float] = [
        widths.get(kind, 40.0 if name in ("notes", "subject") else 24.0)
        for name, _t, kind in COLUMNS
    ] + [24.0]
    page: dict[str, object] = {"landscape": True, "repeat_rows": 0}
    if whose:
        page["header"] = "&C" + whose.replace("&", "&&")
    rows = records()
    first = next(rows, None)  # the header is the first record's keys: a blank row for none
    data = itertools.chain([first], rows) if first is not None else iter([dict.fromkeys(names)])
    try:  # 0700, this account's
        private = tempfile.TemporaryDirectory(prefix=".repli-xlsx-", dir=scratch)
    except OSError:  # a folder it cannot write in (-o /dev/null): the temporary folder
        private = tempfile.TemporaryDirectory(prefix="repli-xlsx-")
    with private as folder:
        path = Path(folder) / "contacts.xlsx"
        (
            FastExcel(str(path))
            .format(datetime_format="dd/mm/yyyy hh:mm:ss", bold_headers=True)
            .freeze(row=1)
            .sheet(
                "Contacts",
                data,
                column_widths=column_widths,
                autofilter=True,
                page_setup=page,
            )
            .save()
        )
        with path.open("rb") as workbook:
            shutil.copyfileobj(workbook, out, 1 << 20)
    return count


def _xlsx_text(value: Any) -> str:
    """A cell's text: nothing a spreadsheet would compute, no character a cell cannot hold,
    at most Excel's 32,767 characters (the whole is in the CSV and JSON Lines exports)."""
    return _xlsx_clean(neutralise(str(value)))


def _xlsx_clean(text: str) -> str:
    """A text already neutralised: as it is, unless a cell cannot hold it whole (a control
    character, more than 32,767 characters). ``isprintable`` is false for a line break or a
    tab too: those take the regular expression, which keeps them."""
    if text.isprintable() and len(text) <= EXCEL_CELL_CHARS:
        return text
    return _NOT_IN_XLSX.sub("\ufffd", text)[:EXCEL_CELL_CHARS]


def _xlsx_phone(value: Any) -> str:
    return _xlsx_clean(_french_phone(value))  # as the French CSV shows it


def _xlsx_time(value: Any) -> datetime:
    """Excel has no time zones: the seat's local time, typed as a date. From SQLite's text
    (UTC) by its UTC hour's offset, looked up once an hour, as the CSV's French times."""
    if isinstance(value, str) and len(value) == 26:
        offset = _utc_hour_offset(value[:13])
        if offset is not None:
            return datetime.fromisoformat(value) + offset
    return _local(_as_utc(value))


# ------------------------------------------------------------------------------ JSON Lines


def export_source(settings: Any) -> dict[str, str]:
    """Where an export comes from, for its JSON Lines header: site, seat and client."""
    return {"site": settings.site, "seat_id": settings.seat_id, "client": settings.client_id}


def _jsonl(
    engine: Engine,
    where: ContactFilter,
    out: BinaryIO,
    source: dict[str, str],
    progress: Callable[[int], None] | None,
) -> tuple[int, int]:
    """A header line, one line per revision (oldest contact first, its revisions in order),
    then a trailer with the count and the sha256 of the revision lines: a truncated file is
    recognised."""
    header = {
        "kind": "header",
        "schema": EXPORT_SCHEMA,
        "contact_schema": "repli.contacts/1",
        "exported_at": _utc_iso(utc_now()),
        "site": source.get("site", ""),
        "seat_id": source.get("seat_id", ""),
        "client": source.get("client", ""),  # repli merge refuses it under another client
    }
    out.write(json.dumps(header, ensure_ascii=False, sort_keys=True).encode() + b"\n")
    ids = where.apply(select(ContactRow.id)).subquery()
    query = (
        select(
            ContactRevisionRow.contact_id,
            type_coerce(ContactRevisionRow.saved_at, NullType()).label("saved_at"),
            ContactRevisionRow.saved_by,
            ContactRevisionRow.data,
        )
        .join(ids, ids.c.id == ContactRevisionRow.contact_id)
        .order_by(ContactRevisionRow.contact_id, ContactRevisionRow.revision)
    )
    where.ready(engine)
    digest = hashlib.sha256()
    records = contacts = 0
    previous = None
    write, add = out.write, digest.update
    with engine.connect() as conn:
        result = conn.execution_options(yield_per=BATCH, stream_results=True).execute(query)
        for contact_id, saved_at, saved_by, data in result:
            line = (
                '{"contact":'
                + data
                + ',"kind":"revision","saved_at":"'
                + _iso_time(saved_at)  # digits, '-', ':', '.', '+' and 'T': nothing to escape
                + '","saved_by":'
                + json.dumps(saved_by, ensure_ascii=False)
                + "}\n"
            ).encode()
            add(line)
            write(line)
            records += 1
            if contact_id != previous:  # the revisions of a contact are consecutive
                contacts, previous = contacts + 1, contact_id
            if progress is not None and records % BATCH == 0:
                progress(records)
    trailer = {"kind": "end", "records": records, "sha256": digest.hexdigest()}
    out.write(json.dumps(trailer, sort_keys=True).encode() + b"\n")
    return contacts, records


# ------------------------------------------------------------------------------ values


def _utc_iso(value: datetime) -> str:
    return value.astimezone(UTC).isoformat()


def _local(value: datetime) -> datetime:
    """The seat's own time zone (its offset looked up once per hour of UTC time: a million
    rows have five dates each; an hour in which the offset changes, as Newfoundland's does
    at half past, is converted one time at a time)."""
    utc = value.astimezone(UTC)
    offset = _offset(int(utc.timestamp()) // 3600)
    if offset is None:
        return utc.astimezone().replace(tzinfo=None)
    return utc.replace(tzinfo=None) + offset


@lru_cache(maxsize=4096)
def _offset(hour: int) -> timedelta | None:
    """The local offset through a whole UTC hour, or None when it changes within it."""
    first, last = (
        datetime.fromtimestamp(hour * 3600 + s, UTC).astimezone().utcoffset() or timedelta(0)
        for s in (0, 3599)
    )
    return first if first == last else None
