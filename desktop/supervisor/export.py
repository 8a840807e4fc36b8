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
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any, BinaryIO

from sqlalchemy import Engine, select

from desktop import phone
from desktop.contacts import utc_now
from desktop.files import atomic_file
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
_SELECTED = [
    ContactRow.__table__.c[name]
    for name, _h, _k in COLUMNS
    if name not in ("handling_seconds", "sync")
]


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
    number in E.164 (``+33144556677``) is data, not a formula: it is written as it is."""
    if text.startswith(DANGEROUS_STARTS) and not _E164.fullmatch(text):
        return "'" + text
    return text


_E164 = re.compile(r"\+[1-9][0-9]{5,14}")
# What an XLSX cell cannot hold (openpyxl refuses it, and the whole export failed on one
# control character pasted into a note): replaced by the Unicode replacement character.
_NOT_IN_XLSX = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


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
    if not path.parent.is_dir():
        raise ExportError(f"{path.parent}: no such folder")
    try:
        with atomic_file(path, mode=0o600) as out:
            if fmt == "jsonl":
                contacts, records = _jsonl(engine, where, out, source or {}, progress)
            elif fmt == "csv":
                contacts = records = _csv(engine, where, out, dialect, progress)
            else:
                contacts = records = _xlsx(engine, where, out, progress)
    except OSError as exc:
        raise ExportError(f"{path}: {exc.strerror or exc}") from exc
    return ExportReport(path, fmt, contacts, records)


def rows(
    engine: Engine, where: ContactFilter, progress: Callable[[int], None] | None = None
) -> Iterator[dict[str, Any]]:
    """The selected contacts, oldest first, as dicts of COLUMNS (datetimes in UTC)."""
    where.ready(engine)
    query = where.apply(select(*_SELECTED, SYNC_STATE)).order_by(
        ContactRow.created_at, ContactRow.id
    )
    done = 0
    with engine.connect() as conn:
        result = conn.execution_options(yield_per=BATCH).execute(query)
        for row in result:
            values = row._asdict()
            start, end = values["call_started_at"], values["call_ended_at"]
            values["handling_seconds"] = (
                round((end - start).total_seconds()) if start and end else None
            )
            done += 1
            if progress is not None and done % BATCH == 0:
                progress(done)
            yield values


# ------------------------------------------------------------------------------ CSV


def _csv(
    engine: Engine,
    where: ContactFilter,
    out: BinaryIO,
    dialect: str,
    progress: Callable[[int], None] | None,
) -> int:
    french = dialect == "excel-fr"
    text = io.TextIOWrapper(out, encoding="utf-8-sig" if french else "utf-8", newline="")
    writer = csv.writer(text, delimiter=";" if french else ",", lineterminator="\r\n")
    writer.writerow([header if french else name for name, header, _k in COLUMNS])
    count = 0
    for values in rows(engine, where, progress):
        writer.writerow([_csv_cell(values[name], kind, french) for name, _h, kind in COLUMNS])
        count += 1
    text.flush()
    text.detach()  # the atomic file closes the stream
    return count


def _csv_cell(value: Any, kind: str, french: bool) -> str:
    if value is None:
        return ""
    if kind == "datetime":
        return _local(value).strftime("%d/%m/%Y %H:%M:%S") if french else _utc_iso(value)
    if kind == "bool":
        return ("oui" if value else "non") if french else ("true" if value else "false")
    if kind == "int":
        return str(value)
    if kind == "phone" and french:
        value = phone.display_stored(str(value))
    return neutralise(str(value))


# ------------------------------------------------------------------------------ XLSX


def _xlsx(
    engine: Engine, where: ContactFilter, out: BinaryIO, progress: Callable[[int], None] | None
) -> int:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook(write_only=True)
    sheet = book.create_sheet("Contacts")
    sheet.freeze_panes = "A2"
    widths = {"datetime": 18, "int": 9, "bool": 8}
    for index, (name, _header, kind) in enumerate(COLUMNS, start=1):
        wide = 40 if name in ("notes", "subject") else 24
        sheet.column_dimensions[get_column_letter(index)].width = widths.get(kind, wide)
    bold = Font(bold=True)
    header = []
    for _name, title, _kind in COLUMNS:
        cell = WriteOnlyCell(sheet, value=title)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    count = 0
    for values in rows(engine, where, progress):
        sheet.append([_xlsx_value(values[name], kind) for name, _h, kind in COLUMNS])
        count += 1
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}{count + 1}"
    book.save(out)
    return count


def _xlsx_value(value: Any, kind: str) -> Any:
    if value is None:
        return None
    if kind == "datetime":  # Excel has no time zones: the seat's local time, typed as a date
        return _local(value)
    if kind in ("int", "bool"):
        return value
    if kind == "phone":
        value = phone.display_stored(str(value))
    return neutralise(_NOT_IN_XLSX.sub("\ufffd", str(value)))


# ------------------------------------------------------------------------------ JSON Lines


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
    }
    out.write(json.dumps(header, ensure_ascii=False, sort_keys=True).encode() + b"\n")
    ids = where.apply(select(ContactRow.id)).subquery()
    query = (
        select(
            ContactRevisionRow.contact_id,
            ContactRevisionRow.saved_at,
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
    with engine.connect() as conn:
        for row in conn.execution_options(yield_per=BATCH).execute(query):
            line = (
                '{"contact":'
                + row.data
                + ',"kind":"revision","saved_at":'
                + json.dumps(_utc_iso(row.saved_at))
                + ',"saved_by":'
                + json.dumps(row.saved_by, ensure_ascii=False)
                + "}\n"
            ).encode()
            digest.update(line)
            out.write(line)
            records += 1
            if row.contact_id != previous:  # the revisions of a contact are consecutive
                contacts, previous = contacts + 1, row.contact_id
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
    rows have five dates each)."""
    return value.astimezone(UTC).replace(tzinfo=None) + _offset(int(value.timestamp()) // 3600)


@lru_cache(maxsize=4096)
def _offset(hour: int) -> timedelta:
    return datetime.fromtimestamp(hour * 3600, UTC).astimezone().utcoffset() or timedelta(0)
