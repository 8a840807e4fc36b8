"""Branch sheets: one printable PDF per branch, listing the messages and callback requests
taken for it, for the branch manager when the branch reopens (Qt writes the PDF itself)."""

from __future__ import annotations

import html
import os
import tempfile
from collections import defaultdict
from datetime import datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QMarginsF, QSizeF
from PySide6.QtGui import QGuiApplication, QPageLayout, QPageSize, QPdfWriter, QTextDocument
from sqlalchemy import Engine

from desktop import phone
from desktop.files import check_output, safe_name, write_output
from desktop.store.history import ContactFilter
from desktop.supervisor.export import rows
from desktop.ui.texts import outcome_label

WANTED = ("message", "callback")
HEADERS = (
    str(QT_TRANSLATE_NOOP("BranchSheet", "Received")),
    str(QT_TRANSLATE_NOOP("BranchSheet", "Caller")),
    str(QT_TRANSLATE_NOOP("BranchSheet", "Outcome")),
    str(QT_TRANSLATE_NOOP("BranchSheet", "Subject and notes")),
    str(QT_TRANSLATE_NOOP("BranchSheet", "Agent")),
)


def tr(text: str) -> str:
    return QCoreApplication.translate("BranchSheet", text)


def write_branch_sheets(
    engine: Engine, folder: Path, where: ContactFilter, language: str = "fr", client: str = ""
) -> list[Path]:
    """One PDF per branch with messages or callback requests among the contacts ``where``
    selects; returns the files written (each readable by its owner only). From the command
    line (no application yet), in ``language``; in the window, in the window's."""
    if QGuiApplication.instance() is None:  # the command line: no screen needed
        from desktop.ui import i18n

        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        i18n.install(QGuiApplication([]), language)
    if folder.exists() and not folder.is_dir():
        raise NotADirectoryError(f"{folder}: not a folder: nothing written")
    folder.mkdir(parents=True, exist_ok=True)
    by_branch: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for contact in rows(engine, where):
        if contact["outcome"] in WANTED and contact["branch_id"]:
            by_branch[contact["branch_id"]].append(contact)
    written = []
    for branch_id, contacts in sorted(by_branch.items()):
        path = folder / f"{safe_name(branch_id, fallback='branch')}.pdf"
        write_pdf(path, _html(branch_id, contacts, where, client))
        written.append(path)
    return written


def write_pdf(path: Path, body: str) -> None:
    """``body`` (HTML) as an A4 PDF at ``path``, owner-only, with :func:`write_output` (a
    FIFO or device there is written through or refused, never replaced)."""
    check_output(path)
    handle, name = tempfile.mkstemp(prefix=f".{path.name[:40]}.", suffix=".tmp", dir=path.parent)
    os.close(handle)
    temporary = Path(name)
    try:
        data = _pdf(temporary, body)
    finally:
        temporary.unlink(missing_ok=True)
    write_output(path, data, mode=0o600)


def _pdf(temporary: Path, body: str) -> bytes:
    writer = QPdfWriter(str(temporary))
    writer.setPageLayout(
        QPageLayout(
            QPageSize(QPageSize.PageSizeId.A4),
            QPageLayout.Orientation.Portrait,
            QMarginsF(15, 15, 15, 15),
            QPageLayout.Unit.Millimeter,
        )
    )
    writer.setResolution(150)
    writer.setTitle(QCoreApplication.translate("BranchSheet", "Branch sheet"))
    writer.setCreator("Repli")
    document = QTextDocument()
    document.setHtml(body)
    document.setPageSize(QSizeF(writer.width(), writer.height()))
    document.print_(writer)
    del writer  # finishes the file
    return temporary.read_bytes()


def _html(
    branch_id: str, contacts: list[dict[str, Any]], where: ContactFilter, client: str = ""
) -> str:
    name = contacts[-1]["branch_name"] or branch_id
    since = where.since.astimezone().strftime("%d/%m/%Y %H:%M") if where.since else ""
    callbacks = sum(1 for c in contacts if c["outcome"] == "callback")
    title = QCoreApplication.translate("BranchSheet", "Branch %1").replace("%1", branch_id)
    taken = QCoreApplication.translate("BranchSheet", "contacts taken by the backup site: %1")
    taken = taken.replace("%1", str(len(contacts)))
    since_text = QCoreApplication.translate("BranchSheet", "since %1").replace("%1", since)
    requested = QCoreApplication.translate("BranchSheet", "callbacks requested: %1")
    whose = QCoreApplication.translate("BranchSheet", "Client: %1").replace("%1", client)
    head = (
        (f"<p><b>{html.escape(whose)}</b></p>" if client else "") + f"<h1>{html.escape(name)}</h1>"
        f"<p>{html.escape(title)} — {html.escape(taken)}"
        f"{' ' + html.escape(since_text) if since else ''}; "
        f"{html.escape(requested.replace('%1', str(callbacks)))}</p>"
    )
    urgent = QCoreApplication.translate("BranchSheet", "urgent")
    call_back = QCoreApplication.translate("BranchSheet", "call back %1")
    cells = "".join(
        "<tr>"
        f"<td>{_when(c['created_at'])}</td>"
        f"<td>{html.escape(c['caller_name'])}<br/>{html.escape(phone.display_stored(c['caller_number']))}</td>"
        f"<td>{html.escape(outcome_label(c['outcome']))}"
        f"{'<br/><b>' + html.escape(urgent) + '</b>' if c['urgent'] else ''}"
        f"{'<br/>' + html.escape(call_back.replace('%1', _when(c['callback_at']))) if c['callback_at'] else ''}</td>"
        f"<td><b>{html.escape(c['subject'])}</b><br/>{html.escape(c['notes'])}</td>"
        f"<td>{html.escape(c['agent'])}</td>"
        "</tr>"
        for c in contacts
    )
    header = "".join(f"<th>{html.escape(tr(h))}</th>" for h in HEADERS)
    printed = datetime.now().astimezone().strftime("%d/%m/%Y %H:%M")
    printed_on = QCoreApplication.translate("BranchSheet", "Printed by Repli on %1")
    return (
        "<html><body style='font-family: sans-serif; font-size: 9pt'>"
        + head
        + "<table border='1' cellspacing='0' cellpadding='4' width='100%'>"
        + f"<thead><tr>{header}</tr></thead>{cells}</table>"
        + f"<p style='color: #555'>{html.escape(printed_on.replace('%1', printed))}</p>"
        + "</body></html>"
    )


def _when(value: datetime | None) -> str:
    return value.astimezone().strftime("%d/%m/%Y %H:%M") if value else ""
