"""What both reports' renderings use: an HTML table for the PDF, a workbook of sheets."""

from __future__ import annotations

import html
from pathlib import Path

from desktop.files import output_file


def html_table(headers: list[str], rows: list[list[str]]) -> str:
    head = "".join(f"<th>{html.escape(h)}</th>" for h in headers)
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(str(c))}</td>" for c in row) + "</tr>" for row in rows
    )
    return f'<table border="1" cellspacing="0" cellpadding="3"><tr>{head}</tr>{body}</table>'


def write_sheets(path: Path, sheets: list[tuple[str, list[str], list[list[str]]]]) -> None:
    """A workbook of ``(title, headers, rows)`` sheets, each row's cells as text (a formula's
    first character neutralised) or as a number when all digits, owner-only."""
    from openpyxl import Workbook

    from desktop.supervisor.export import neutralise

    book = Workbook(write_only=True)
    for title, headers, rows in sheets:
        sheet = book.create_sheet(title[:31])
        sheet.freeze_panes = "A2"
        sheet.append(headers)
        for row in rows:
            sheet.append([int(c) if str(c).isdigit() else neutralise(str(c)) for c in row])
    with output_file(path, mode=0o600) as out:
        book.save(out)
