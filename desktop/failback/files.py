"""The signed report files, for the command line and the supervision alike: a failback
report (desktop.failback.report) or the site's drill report (desktop.failback.drill_report)
built from the client's stores, written as JSON (the source) and, beside it, the PDF or XLSX
asked for, each with its minisign signature made with the site's key."""

from __future__ import annotations

import getpass
import json
import socket
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

# the PDF and XLSX renderings: Qt writes them, so the caller hands the writer in
Render = Callable[[dict[str, Any], Path, str], None]
KEY_NAME = "repli-site"


@dataclass
class Written:
    document: dict[str, Any]
    paths: list[Path]
    here: int = 0  # revisions put back in this seat's outbox (--resend)
    asked: dict[str, int] = field(default_factory=dict)  # seat: revisions asked of it


class NoDrill(ValueError):
    """The site was never in exercise mode, and no start was given."""


def who() -> str:
    return f"{getpass.getuser()}@{socket.gethostname()}"


def failback_files(
    settings: Any,
    local: Any,
    since: datetime,
    until: datetime,
    *,
    exercise: bool,
    key: Any,
    out: Path,
    language: str,
    render: Render,
    resend: bool = False,
) -> Written:
    """The failback report of the client ``settings`` configure, from the store ``local``
    (None: no seat of it here); with ``resend``, what a target lacks queued again."""
    from desktop.failback.resend import resend as queue_again

    report, site = build_report(settings, local, since, until, exercise)
    try:
        document = report.as_json()
        done = Written(document, write_all(document, outputs(out), key, language, render))
        if resend:
            done.here, done.asked = queue_again(
                report.differences,
                local=local,
                local_seat=settings.seat_id,
                site=site,
                asked_by=document["generated_by"],
            )
    finally:
        if site is not None:
            site.dispose()
    return done


def drill_files(
    settings: Any,
    local: Any,
    since: datetime | None,
    until: datetime | None,
    *,
    key: Any,
    out: Path,
    language: str,
    render: Render,
) -> Written:
    """The site's drill report: from ``since`` (default: when the site's mode was set to
    exercise) to ``until`` (default: now)."""
    from desktop.failback import drill_report
    from desktop.store.engine import make_engine
    from desktop.store.schema import ensure_site_schema

    url = settings.site_database_url
    site = make_engine(url)
    try:
        ensure_site_schema(site)
        started = since or drill_report.drill_start(site)
        if started is None:
            raise NoDrill("the site was never in exercise mode: give the drill's start")
        now = datetime.now(UTC)
        failback, other = build_report(settings, local, started, until or now, True, url)
        if other is not None:
            other.dispose()
        about = {"site": settings.site, "client_id": settings.client_id,
                 "client_name": settings.client_name, "generated_by": who()}  # fmt: skip
        drill = drill_report.build(
            site, failback, started=started, until=until or now, about=about, now=now
        )
    finally:
        site.dispose()
    document = drill.as_json()
    return Written(
        document, write_all(document, outputs(out), key, language, render, drill_comment)
    )


def outputs(out: Path) -> list[Path]:
    """The JSON (the source) always; beside it the rendering asked for."""
    if out.suffix.lower() in (".pdf", ".xlsx"):
        return [out.with_suffix(".json"), out]
    return [out]


def signing_key(given: Path | None, configured: str, root: Path, ask: bool = True) -> Any:
    """The site's secret key: ``given``, else ``configured``, else ``root/repli-site.key``.
    A key with a password asks for it on the terminal (``ask``), else is refused."""
    from desktop.tables.signing import SignatureError, secret_key

    path = given or (Path(configured) if configured else root / f"{KEY_NAME}.key")
    if not path.is_file():
        raise SignatureError(
            f"no signing key at {path}: make the site's with `repli report keygen --out FOLDER`"
            " and set report_signing_key (or pass --key)"
        )
    return secret_key(
        path.read_text(encoding="ascii", errors="replace"), _password if ask else None
    )


def _password() -> str:
    return getpass.getpass("the signing key's password: ")


def build_report(
    settings: Any, local: Any, since: datetime, until: datetime, exercise: bool, site_url: str = ""
) -> tuple[Any, Any]:
    """The report of the client ``settings`` configure, from the store ``local`` (None: no
    seat of the client here) and its site store (``site_url`` when the settings have none);
    (the report, the site engine, which the caller disposes of)."""
    from desktop.failback.report import Sources, build
    from desktop.site.roster import read_roster
    from desktop.store.engine import make_engine
    from desktop.store.schema import ensure_site_schema
    from desktop.store.site_calls import READ_BOUND_S, within

    targets = [t for t in settings.sync_targets if t.exercise == exercise]
    sources = Sources([(t.name, t.kind) for t in targets], local, settings.seat_id)
    site_target = next((t for t in targets if t.kind == "site"), None)
    if site_target is None and site_url:
        sources.targets.append(("site", "site"))
    url = site_target.database_url if site_target is not None else site_url
    site = None
    if url:
        site = make_engine(url)
        sources.site = site
        sources.site_target = site_target.name if site_target is not None else "site"
        within(site, lambda: ensure_site_schema(site), READ_BOUND_S)()
        sources.roster = within(site, lambda: read_roster(site), READ_BOUND_S)()
    about = {"seat_id": settings.seat_id, "site": settings.site, "client": settings.client_id,
             "client_name": settings.client_name}  # fmt: skip
    senders: list[Any] = []
    for target in targets:
        if target.kind == "http":
            sources.holds[target.name] = holds_of(target, about, senders)
    now = datetime.now(UTC)
    try:
        report = build(
            sources,
            since=since,
            until=until,
            exercise=exercise,
            about={
                "client_id": settings.client_id,
                "client_name": settings.client_name,
                "site": settings.site,
                "generated_by": who(),
            },
            now=now,
        )
    finally:
        for sender in senders:
            sender.close()
    return report, site


def holds_of(target: Any, about: dict[str, str], senders: list[Any]) -> Any:
    from desktop.failback.report import NotAnswered
    from desktop.sync.http_target import HttpTarget, Misconfigured, NoReconciliation, Retryable

    sender = HttpTarget(target, {k: v for k, v in about.items() if v})
    senders.append(sender)

    def holds(keys: list[Any]) -> set[Any]:
        try:
            return sender.holds(keys)
        except NoReconciliation as exc:
            raise NotAnswered(f"no answer to the reconciliation request ({exc})") from None
        except (Retryable, Misconfigured) as exc:
            raise NotAnswered(f"not reachable: {exc}") from None

    return holds


def drill_comment(document: dict[str, Any]) -> str:
    return (
        f"repli drill report client={document['client']['id'] or '-'}"
        f" started={document['drill_started_at']} verdict={document['verdict']}"
    )


def failback_comment(document: dict[str, Any]) -> str:
    return (
        f"repli failback report client={document['client']['id'] or '-'}"
        f" since={document['period']['since']} until={document['period']['until']}"
        f" verdict={document['verdict']}"
    )


def write_all(
    document: dict[str, Any],
    outputs: list[Path],
    key: Any,
    language: str = "fr",
    render: Render | None = None,
    comment_of: Callable[[dict[str, Any]], str] = failback_comment,
) -> list[Path]:
    """Each of ``outputs`` written (the JSON itself, or its PDF or XLSX by ``render``) with
    its minisign signature beside it. A signed file is a file: ``-``, a FIFO or a device is
    refused before anything is written (its signature could not lie beside it)."""
    from desktop.files import write_output
    from desktop.tables.signing import sign

    for path in outputs:
        if str(path) == "-" or (path.exists() and not path.is_file()):
            raise OSError(f"{path}: a signed report is written to a file, its signature beside it")
    comment = comment_of(document)
    written = []
    for path in outputs:
        if path.suffix.lower() in (".pdf", ".xlsx"):
            if render is None:
                raise ValueError(f"{path}: no renderer for a {path.suffix} here")
            render(document, path, language)
            data = path.read_bytes()
        else:
            data = json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8") + b"\n"
            write_output(path, data, mode=0o600)
        signature = sign(data, key, comment, "signature from the Repli site's key")
        write_output(path.with_name(path.name + ".minisig"), signature.encode(), mode=0o644)
        written += [path, path.with_name(path.name + ".minisig")]
    return written
