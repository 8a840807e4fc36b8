"""The failback report's renderings, PDF and XLSX, made from its JSON (the signed source,
desktop.failback.report): French by default, English on request, through Qt's translations."""

from __future__ import annotations

import html
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication

PDF_DIFFERENCES_AT_MOST = 2000  # the PDF lists this many; the XLSX and the JSON list them all


def verdict_text(verdict: str) -> str:
    return {
        "clean": QCoreApplication.translate(
            "FailbackReport", "CLEAN: every revision taken is in the site store and at the CRM"
        ),
        "differences": QCoreApplication.translate(
            "FailbackReport", "DIFFERENCES: see the list, and what to do for each"
        ),
        "incomplete": QCoreApplication.translate(
            "FailbackReport",
            "INCOMPLETE: a seat was silent or a target could not say what it holds",
        ),
    }.get(verdict, verdict)


def action_text(action: str) -> str:
    return {
        "resend": QCoreApplication.translate("FailbackReport", "send again"),
        "check_crm": QCoreApplication.translate("FailbackReport", "check at the CRM"),
        "check_seat": QCoreApplication.translate("FailbackReport", "check on the seat"),
    }.get(action, action)


def problem_text(problem: str) -> str:
    return {
        "missing": QCoreApplication.translate("FailbackReport", "missing"),
        "rejected": QCoreApplication.translate("FailbackReport", "rejected"),
    }.get(problem, problem)


def yes_no(value: bool | None) -> str:
    return {
        True: QCoreApplication.translate("FailbackReport", "yes"),
        False: QCoreApplication.translate("FailbackReport", "no"),
        None: "—",
    }[value]


def seat_state(seat: dict[str, Any]) -> str:
    if seat["reachable"] is None:
        return QCoreApplication.translate("FailbackReport", "never wrote to the site's roster")
    if seat["reachable"]:
        return QCoreApplication.translate("FailbackReport", "reachable")
    return QCoreApplication.translate("FailbackReport", "silent since %1").replace(
        "%1", str(seat["last_word"] or "?")[:19]
    )


def period_text(period: dict[str, str]) -> str:
    """From the first day to the last (the end is excluded: midnight is the day before)."""

    since, until = (datetime.fromisoformat(period[k]) for k in ("since", "until"))
    whole = since.time() == until.time() == datetime.min.time()
    if whole:
        first, last = since.strftime("%d/%m/%Y"), (until - timedelta(days=1)).strftime("%d/%m/%Y")
    else:
        first, last = since.strftime("%d/%m/%Y %H:%M"), until.strftime("%d/%m/%Y %H:%M")
    return (
        QCoreApplication.translate("FailbackReport", "from %1 to %2")
        .replace("%1", first)
        .replace("%2", last)
    )


def figure(value: Any) -> str:
    return "—" if value is None else str(value)


def day_rows(document: dict[str, Any]) -> tuple[list[str], list[list[str]]]:
    targets = [t["name"] for t in document["targets"]]
    headers = [
        QCoreApplication.translate("FailbackReport", "Seat"),
        QCoreApplication.translate("FailbackReport", "Day (UTC)"),
        QCoreApplication.translate("FailbackReport", "Taken"),
        QCoreApplication.translate("FailbackReport", "Site store"),
    ]
    for name in targets:
        headers += [
            QCoreApplication.translate("FailbackReport", "%1 acknowledged").replace("%1", name),
            QCoreApplication.translate("FailbackReport", "%1 holds").replace("%1", name),
        ]
    headers.append(QCoreApplication.translate("FailbackReport", "Digests agree"))
    rows = []
    for day in document["days"]:
        row = [day["seat_id"], day["day"], figure(day["taken"]), figure(day["site"])]
        for name in targets:
            target = day["targets"].get(name, {})
            row += [figure(target.get("acked")), figure(target.get("holds"))]
        agree = yes_no(day["agree"])
        if "check_seat" in day["notes"]:
            agree += " — " + QCoreApplication.translate(
                "FailbackReport", "the seat took other revisions than the site store holds"
            )
        rows.append([*row, agree])
    return headers, rows


def difference_rows(document: dict[str, Any]) -> tuple[list[str], list[list[str]]]:
    headers = [QCoreApplication.translate("FailbackReport", "Seat"), QCoreApplication.translate("FailbackReport", "Day (UTC)"), QCoreApplication.translate("FailbackReport", "Target"), QCoreApplication.translate("FailbackReport", "Contact"), QCoreApplication.translate("FailbackReport", "Revision"),
               QCoreApplication.translate("FailbackReport", "Problem"), QCoreApplication.translate("FailbackReport", "Acknowledged before"), QCoreApplication.translate("FailbackReport", "What to do"), QCoreApplication.translate("FailbackReport", "Reason")]  # fmt: skip
    rows = [
        [
            d["seat_id"],
            d["day"],
            d["target"],
            d["contact_id"],
            str(d["revision"]),
            problem_text(d["problem"]),
            yes_no(d["acknowledged"]),
            action_text(d["action"]),
            d["reason"],
        ]
        for d in document["differences"]
    ]
    return headers, rows


def summary_rows(document: dict[str, Any]) -> list[list[str]]:
    totals = document["totals"]
    client = document["client"]
    rows = [
        [
            QCoreApplication.translate("FailbackReport", "Client"),
            f"{client['name']} ({client['id']})" if client["id"] else client["name"],
        ],
        [QCoreApplication.translate("FailbackReport", "Site"), document["site"]],
        [
            QCoreApplication.translate("FailbackReport", "Period (UTC)"),
            period_text(document["period"]),
        ],
        [
            QCoreApplication.translate("FailbackReport", "Contacts"),
            QCoreApplication.translate("FailbackReport", "exercise")
            if document["contacts"] == "exercise"
            else QCoreApplication.translate("FailbackReport", "production"),
        ],
        [
            QCoreApplication.translate("FailbackReport", "Verdict"),
            verdict_text(document["verdict"]),
        ],
        [QCoreApplication.translate("FailbackReport", "Revisions taken"), figure(totals["taken"])],
        [QCoreApplication.translate("FailbackReport", "In the site store"), figure(totals["site"])],
        [QCoreApplication.translate("FailbackReport", "Differences"), str(totals["differences"])],
        [QCoreApplication.translate("FailbackReport", "To send again"), str(totals["to_resend"])],
        [
            QCoreApplication.translate("FailbackReport", "Generated"),
            f"{document['generated_at'][:19]} — {document['generated_by']}",
        ],
        [QCoreApplication.translate("FailbackReport", "Repli version"), document["repli_version"]],
    ]
    for target in document["targets"]:
        said = target["answers"]
        text = {True: QCoreApplication.translate("FailbackReport", "says what it holds"), False: QCoreApplication.translate("FailbackReport", "could not say what it holds"),
                None: QCoreApplication.translate("FailbackReport", "cannot say what it holds")}[said]  # fmt: skip
        rows.append(
            [
                QCoreApplication.translate("FailbackReport", "Target %1").replace(
                    "%1", target["name"]
                ),
                f"{text} {target['note']}",
            ]
        )
    return rows


def seat_rows(document: dict[str, Any]) -> tuple[list[str], list[list[str]]]:
    headers = [
        QCoreApplication.translate("FailbackReport", "Seat"),
        QCoreApplication.translate("FailbackReport", "State"),
        QCoreApplication.translate("FailbackReport", "Repli version"),
        QCoreApplication.translate("FailbackReport", "Waiting to be delivered"),
    ]
    rows = [
        [
            s["seat_id"],
            seat_state(s),
            s["version"],
            ", ".join(f"{t}: {n}" for t, n in sorted(s["waiting"].items()) if n) or "0",
        ]
        for s in document["seats"]
    ]
    return headers, rows


def page(document: dict[str, Any]) -> str:
    from desktop.ui.report_tables import html_table

    summary = "".join(
        f"<tr><th align='left'>{html.escape(k)}</th><td>{html.escape(v)}</td></tr>"
        for k, v in summary_rows(document)
    )
    differences = difference_rows(document)
    shown = differences[1][:PDF_DIFFERENCES_AT_MOST]
    more = len(differences[1]) - len(shown)
    more_text = QCoreApplication.translate(
        "FailbackReport", "%1 more in the XLSX and the JSON"
    ).replace("%1", str(more))
    check = QCoreApplication.translate(
        "FailbackReport",
        "The JSON file is the report's source, signed with the site's key: check it with"
        " minisign -V -p repli-site.pub -m FILE.json. This PDF is a rendering of it.",
    )
    title, seats, days = (
        QCoreApplication.translate("FailbackReport", "Failback report"),
        QCoreApplication.translate("FailbackReport", "Seats"),
        QCoreApplication.translate("FailbackReport", "Seat by seat, day by day"),
    )
    differences_title, none = (
        QCoreApplication.translate("FailbackReport", "Differences"),
        QCoreApplication.translate("FailbackReport", "None."),
    )
    return (
        "<body style='font-size: 9pt'>"
        f"<h1>{html.escape(title)}</h1>"
        f"<table cellpadding='2'>{summary}</table>"
        f"<h2>{html.escape(seats)}</h2>{html_table(*seat_rows(document))}"
        f"<h2>{html.escape(days)}</h2>{html_table(*day_rows(document))}"
        f"<h2>{html.escape(differences_title)}</h2>"
        + (html_table(differences[0], shown) if shown else f"<p>{html.escape(none)}</p>")
        + (f"<p>{html.escape(more_text)}</p>" if more else "")
        + f"<p><i>{html.escape(check)}</i></p></body>"
    )


def write_xlsx(document: dict[str, Any], path: Path) -> None:
    from desktop.ui.report_tables import write_sheets

    write_sheets(
        path,
        [
            (QCoreApplication.translate("FailbackReport", "Summary"),
             [QCoreApplication.translate("FailbackReport", "Item"),
              QCoreApplication.translate("FailbackReport", "Value")],
             summary_rows(document)),
            (QCoreApplication.translate("FailbackReport", "Days"), *day_rows(document)),
            (QCoreApplication.translate("FailbackReport", "Differences"), *difference_rows(document)),
            (QCoreApplication.translate("FailbackReport", "Seats"), *seat_rows(document)),
        ],
    )  # fmt: skip
