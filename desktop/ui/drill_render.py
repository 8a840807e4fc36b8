"""The site's drill report's renderings, PDF and XLSX, made from its JSON (the signed
source, desktop.failback.drill_report), in the window's or the command's language."""

from __future__ import annotations

import html
from datetime import datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication


def verdict_text(verdict: str) -> str:
    if verdict == "passed":
        return QCoreApplication.translate(
            "DrillReport", "PASSED: every seat was ready, on the published tables, took its"
            " calls, and everything was delivered and reconciled",
        )  # fmt: skip
    return QCoreApplication.translate("DrillReport", "TO REVIEW: see each seat's problems")


def problem_text(problem: str) -> str:
    return {
        "no_word_at_start": QCoreApplication.translate(
            "DrillReport", "no word from the seat at the drill's start"
        ),
        "not_ready_at_start": QCoreApplication.translate(
            "DrillReport", "not ready at the drill's start"
        ),
        "other_tables": QCoreApplication.translate(
            "DrillReport", "on other tables than the published ones"
        ),
        "no_contact": QCoreApplication.translate("DrillReport", "no contact taken"),
        "not_all_delivered": QCoreApplication.translate("DrillReport", "not everything delivered"),
        "not_reconciled": QCoreApplication.translate(
            "DrillReport", "the site store and the seat disagree"
        ),
        "no_seat": QCoreApplication.translate("DrillReport", "no seat took part"),
    }.get(problem, problem)


def yes_no(value: bool | None) -> str:
    if value is None:
        return "—"
    if value:
        return QCoreApplication.translate("DrillReport", "yes")
    return QCoreApplication.translate("DrillReport", "no")


def readiness(text: str) -> str:
    """The seat's doctor summary as it wrote it; its "ready" said in the report's language."""
    if text == "ready":
        return QCoreApplication.translate("DrillReport", "ready")
    return text or "—"


def duration(seconds: float | None) -> str:
    if seconds is None:
        return "—"
    whole = round(seconds)
    return f"{whole // 60} min {whole % 60:02d} s"


def when(text: str | None) -> str:
    if not text:
        return "—"
    return datetime.fromisoformat(text).strftime("%d/%m/%Y %H:%M UTC")


def seat_rows(document: dict[str, Any]) -> tuple[list[str], list[list[str]]]:
    headers = [
        QCoreApplication.translate("DrillReport", "Seat"), QCoreApplication.translate("DrillReport", "Ready at the start"),
        QCoreApplication.translate("DrillReport", "Readiness"), QCoreApplication.translate("DrillReport", "Repli version"),
        QCoreApplication.translate("DrillReport", "Tables"), QCoreApplication.translate("DrillReport", "Start to first contact"),
        QCoreApplication.translate("DrillReport", "Contacts"), QCoreApplication.translate("DrillReport", "Delivered"),
        QCoreApplication.translate("DrillReport", "Reconciled"), QCoreApplication.translate("DrillReport", "Screen pops"),
        QCoreApplication.translate("DrillReport", "Problems"),
    ]  # fmt: skip
    published = document["published_serial"]
    rows = []
    for seat in document["seats"]:
        serial = seat["pack_serial"]
        tables = "—" if serial is None else f"{seat['pack_name']} n° {serial}"
        if seat["on_published_tables"] is False:
            tables += " " + QCoreApplication.translate("DrillReport", "(published: n° %1)").replace(
                "%1", str(published)
            )
        delivered = ", ".join(
            f"{name}: {'—' if n is None else n}/{seat['revisions'] if seat['revisions'] is not None else '—'}"
            for name, n in sorted(seat["delivered"].items())
        ) or "—"  # fmt: skip
        rows.append([
            seat["seat_id"], yes_no(seat["ready_at_start"]), readiness(seat["readiness"]),
            seat["version"] or "—", tables, duration(seat["seconds_to_first_contact"]),
            str(seat["contacts"]), delivered, yes_no(seat["reconciled"]), str(seat["pops"]),
            "; ".join(problem_text(p) for p in seat["problems"]) or QCoreApplication.translate("DrillReport", "none"),
        ])  # fmt: skip
    return headers, rows


def summary_rows(document: dict[str, Any]) -> list[list[str]]:
    client = document["client"]
    reasons = "; ".join(problem_text(r) for r in document["reasons"]) or QCoreApplication.translate(
        "DrillReport", "none"
    )
    return [
        [QCoreApplication.translate("DrillReport", "Client"), f"{client['name']} ({client['id']})" if client["id"] else client["name"]],
        [QCoreApplication.translate("DrillReport", "Site"), document["site"]],
        [QCoreApplication.translate("DrillReport", "Drill started"), when(document["drill_started_at"])],
        [QCoreApplication.translate("DrillReport", "Until"), when(document["until"])],
        [QCoreApplication.translate("DrillReport", "Tables published"), "—" if document["published_serial"] is None
         else f"n° {document['published_serial']}"],
        [QCoreApplication.translate("DrillReport", "Verdict"), verdict_text(document["verdict"])],
        [QCoreApplication.translate("DrillReport", "Problems"), reasons],
        [QCoreApplication.translate("DrillReport", "Generated"), f"{when(document['generated_at'])} — {document['generated_by']}"],
        [QCoreApplication.translate("DrillReport", "Repli version"), document["repli_version"]],
    ]  # fmt: skip


def page(document: dict[str, Any]) -> str:
    title = QCoreApplication.translate("DrillReport", "Drill report of the backup site")
    seats = QCoreApplication.translate("DrillReport", "Seat by seat")
    check = QCoreApplication.translate(
        "DrillReport",
        "The JSON file is the report's source, signed with the site's key: check it with"
        " minisign -V -p repli-site.pub -m FILE.json. This PDF is a rendering of it.",
    )
    from desktop.ui.report_tables import html_table as _table

    summary = "".join(
        f"<tr><th align='left'>{html.escape(k)}</th><td>{html.escape(v)}</td></tr>"
        for k, v in summary_rows(document)
    )
    return (
        "<body style='font-size: 9pt'>"
        f"<h1>{html.escape(title)}</h1><table cellpadding='2'>{summary}</table>"
        f"<h2>{html.escape(seats)}</h2>{_table(*seat_rows(document))}"
        f"<p><i>{html.escape(check)}</i></p></body>"
    )


def write_xlsx(document: dict[str, Any], path: Path) -> None:
    from desktop.ui.report_tables import write_sheets

    summary = (
        QCoreApplication.translate("DrillReport", "Summary"),
        [QCoreApplication.translate("DrillReport", "Item"),
         QCoreApplication.translate("DrillReport", "Value")],
        summary_rows(document),
    )  # fmt: skip
    write_sheets(
        path, [summary, (QCoreApplication.translate("DrillReport", "Seats"), *seat_rows(document))]
    )
