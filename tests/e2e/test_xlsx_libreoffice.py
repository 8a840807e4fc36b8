"""The XLSX export read back cell by cell by two readers: openpyxl and LibreOffice itself
(headless, converting it to CSV as it shows each cell). A text that looks like a formula
stays text, dates stay dates at the seat's time, booleans stay booleans, every letter and
line break arrives, and both readers see the same workbook."""

from __future__ import annotations

import csv
import io
import os
import shutil
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path

import openpyxl

from desktop.contacts import ContactData
from desktop.context import SeatContext
from desktop.store import contacts as store
from tests.helpers.cli import repli

T0 = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)
# what a spreadsheet would compute, a number in E.164, letters of every kind, a line break
NAMES = ['=HYPERLINK("http://x")', "+33612345678", "Mme Ünïcødé ✓ 北京", "@SUM(A1)", "-2+3"]
NOTES = ["ligne\nsuivante", "a\tb", "n" * 40_000, "", "« guillemets » ; point-virgule"]


def fill(data_dir: Path) -> None:
    seat = SeatContext.open(str(data_dir))
    try:
        for i, (name, notes) in enumerate(zip(NAMES, NOTES, strict=True)):
            contact = ContactData(
                seat_id="B-07",
                agent="Claire",
                caller_name=name,
                caller_number="+33612345678",
                notes=notes,
                urgent=bool(i % 2),
                outcome="callback" if i % 2 else "information",
                callback_at=T0 + timedelta(hours=i) if i % 2 else None,
                call_started_at=T0 + timedelta(minutes=i),
                call_ended_at=T0 + timedelta(minutes=i, seconds=95),
            )
            store.save_contact(seat.engine, contact, contact.agent)
    finally:
        seat.close()


def shown(value: object) -> str:
    """A cell as LibreOffice shows it with the export's formats."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, datetime):
        return value.strftime("%d/%m/%Y %H:%M:%S")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def libreoffice_rows(workbook: Path, tmp: Path) -> list[list[str]]:
    soffice = shutil.which("soffice")
    assert soffice, "install Debian's libreoffice-calc-nogui (dev.py does)"
    # UTF-8, comma, double quote, as shown (formatted), formulas not exported as formulas
    options = "44,34,76,1,,0,false,true,true,false,false"
    done = subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{tmp / 'profile'}",
            "--headless",
            "--convert-to",
            f"csv:Text - txt - csv (StarCalc):{options}",
            "--outdir",
            str(tmp / "lo"),
            str(workbook),
        ],
        env={**os.environ, "LANG": "C.UTF-8", "HOME": str(tmp)},
        capture_output=True,
        text=True,
        timeout=180,
    )
    converted = tmp / "lo" / (workbook.stem + ".csv")
    assert converted.exists(), done.stderr
    return list(csv.reader(io.StringIO(converted.read_text(encoding="utf-8"))))


def test_libreoffice_and_openpyxl_read_the_same_cells(data_dir: Path, tmp_path: Path) -> None:
    fill(data_dir)
    workbook = tmp_path / "contacts.xlsx"
    done = repli(data_dir, "export", "--format", "xlsx", "-o", str(workbook))
    assert done.returncode == 0, done.stderr
    sheet = openpyxl.load_workbook(workbook)["Contacts"]
    by_openpyxl = [[shown(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    by_libreoffice = libreoffice_rows(workbook, tmp_path)
    assert len(by_openpyxl) == len(NAMES) + 1
    assert by_libreoffice == by_openpyxl  # every cell, the header included
    header = by_libreoffice[0]
    rows = [dict(zip(header, row, strict=True)) for row in by_libreoffice[1:]]
    # nothing computed: what looks like a formula is text, with the apostrophe that says so
    names = [r["Nom de l'appelant"] for r in rows]
    assert names == ["'" + NAMES[0], NAMES[1], NAMES[2], "'" + NAMES[3], "'" + NAMES[4]]
    assert [r["Notes"] for r in rows][:2] == NOTES[:2]  # the line break and the tab arrive
    assert len(rows[2]["Notes"]) == 32_767  # Excel's limit (the whole is in CSV and JSONL)
    local = (T0 + timedelta(minutes=1)).astimezone().strftime("%d/%m/%Y %H:%M:%S")
    assert rows[1]["Début d'appel"] == local  # a date, at the seat's time
    assert [r["Urgent"] for r in rows] == ["FALSE", "TRUE", "FALSE", "TRUE", "FALSE"]
    assert {r["Durée (s)"] for r in rows} == {"95"}
    # the cells openpyxl reads are typed, not texts of dates
    first = next(sheet.iter_rows(min_row=2, max_row=2, values_only=True))
    assert any(isinstance(v, datetime) for v in first) and any(v is False for v in first)
