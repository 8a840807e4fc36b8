"""The XLSX writers that exist, on the same rows, in the same run: what the export's choice
rests on (docs/performance.md). Each writer runs in its own process, for its own peak memory.

    .venv/bin/python benchmarks/xlsx_writers.py [--rows 100000]

Rows shaped like the contacts export: 22 columns, texts (one formula-looking), numbers,
dates, booleans, empty cells. Writers: csv.writer (the floor), rustpy-xlsxwriter (the
export's), XlsxWriter in constant-memory mode (the export's before), PyExcelerate; the last
two only when installed (``pip install XlsxWriter PyExcelerate``).
No test asserts any of this: machines are noisy, read the ratios.
"""

from __future__ import annotations

import argparse
import csv
import importlib.util
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

COLUMNS = [f"text_{i}" for i in range(12)] + [
    "revision",
    "handling_seconds",
    "created_at",
    "updated_at",
    "callback_at",
    "urgent",
    "formula_like",
    "empty",
    "notes",
    "client",
]
WRITERS = {"csv": None, "rustpy": "rustpy_xlsxwriter", "xlsxwriter": "xlsxwriter"}
WRITERS["pyexcelerate"] = "pyexcelerate"


def rows(count: int) -> Iterator[tuple[object, ...]]:
    start = datetime(2026, 12, 1, 8, 0)
    for i in range(count):
        at = start + timedelta(seconds=7 * i)
        yield (
            *(f"value {i} of column {c}" for c in range(12)),
            1 + i % 3,
            60 + i % 600,
            at,
            at + timedelta(minutes=2),
            at + timedelta(hours=4) if i % 5 == 0 else None,
            i % 7 == 0,
            '=HYPERLINK("x")' if i % 11 == 0 else "Mme Durand",
            None,
            "Souhaite être rappelée demain matin, avant l'ouverture de l'agence.",
            "pompes-sud",
        )


def write(writer: str, count: int, path: Path) -> None:
    if writer == "csv":
        with path.open("w", newline="", encoding="utf-8") as f:
            out = csv.writer(f)
            out.writerow(COLUMNS)
            out.writerows(rows(count))
    elif writer == "rustpy":
        from rustpy_xlsxwriter import FastExcel

        records = (dict(zip(COLUMNS, row, strict=True)) for row in rows(count))
        book = FastExcel(str(path)).format(datetime_format="dd/mm/yyyy hh:mm:ss")
        book.freeze(row=1).sheet("Contacts", records, autofilter=True).save()
    elif writer == "xlsxwriter":
        import xlsxwriter

        book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
        sheet = book.add_worksheet("Contacts")
        date = book.add_format({"num_format": "dd/mm/yyyy hh:mm:ss"})
        sheet.write_row(0, 0, COLUMNS)
        for r, row in enumerate(rows(count), 1):
            for c, value in enumerate(row):
                if isinstance(value, datetime):
                    sheet.write_datetime(r, c, value, date)
                elif isinstance(value, bool):
                    sheet.write_boolean(r, c, value)
                elif isinstance(value, int):
                    sheet.write_number(r, c, value)
                elif value is not None:
                    sheet.write_string(r, c, str(value))
        book.close()
    else:
        from pyexcelerate import Workbook

        book = Workbook()
        book.new_sheet("Contacts", data=[COLUMNS, *rows(count)])
        book.save(str(path))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--writer", help=argparse.SUPPRESS)  # one writer, in this process
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.writer:
        start = time.perf_counter()
        write(args.writer, args.rows, args.out)
        took = time.perf_counter() - start
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
        print(f"{took} {peak} {args.out.stat().st_size}")
        return
    with tempfile.TemporaryDirectory(prefix="repli-xlsx-") as tmp:
        results: dict[str, tuple[float, int, int]] = {}
        for writer, module in WRITERS.items():
            if module is not None and importlib.util.find_spec(module) is None:
                print(f"{writer}: not installed, left out")
                continue
            out = Path(tmp) / f"{writer}.{'csv' if writer == 'csv' else 'xlsx'}"
            done = subprocess.run(
                [
                    sys.executable,
                    __file__,
                    "--rows",
                    str(args.rows),
                    "--writer",
                    writer,
                    "--out",
                    str(out),
                ],
                capture_output=True,
                text=True,
                check=True,
            )
            seconds, megabytes, length = done.stdout.split()
            results[writer] = (float(seconds), int(megabytes), int(length))
        floor = results["csv"][0]
        print(f"{args.rows:,} rows of {len(COLUMNS)} columns")
        for writer, (took, peak, size) in results.items():
            print(
                f"{writer:<13} {took:7.2f} s  {took / floor:5.1f}x csv.writer   "
                f"peak RSS {peak:4d} MB   file {size / 2**20:6.1f} MiB"
            )


if __name__ == "__main__":
    main()
