"""The supervisor's commands: ``repli export``, ``repli merge``, ``repli purge``,
``repli erase``, ``repli drill`` and ``repli supervisor set-pin``."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

import desktop.cli.window as window
from desktop.cli.registry import arg, command, group
from desktop.exits import EXIT_OK, EXIT_REFUSED, EXIT_USAGE


def when(text: str) -> datetime:
    """A date or a date and time (ISO 8601); without a zone, the seat's local time."""
    try:
        value = datetime.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a date: write 2026-11-22 or 2026-11-22T14:00"
        ) from None
    return value.astimezone() if value.tzinfo is None else value


FILTERS = (
    arg("--since", type=when, metavar="T", help="created at or after T"),
    arg("--until", type=when, metavar="T", help="created before T"),
    arg("--branch", default="", metavar="ID", help="branch id"),
    arg("--call-type", default="", metavar="C"),
    arg("--outcome", default=""),
    arg("--agent", default=""),
    arg("--seat", default=""),
    arg("--text", default="", help="words in names, numbers, subject, notes"),
    arg("--include-exercise", action="store_true", help="with the exercise-mode contacts"),
)


def contact_filter(args: argparse.Namespace) -> Any:
    from desktop.store.history import ContactFilter

    return ContactFilter(
        since=args.since,
        until=args.until,
        branch=args.branch,
        call_type=args.call_type,
        outcome=args.outcome,
        agent=args.agent,
        seat=args.seat,
        text=args.text,
        exercise="include" if args.include_exercise else "exclude",
    )


@contextmanager
def _store(data_dir: str | None, site: bool = False) -> Iterator[tuple[Any, Any]]:
    """The engine to read or write (this seat's, or the site database's) and the seat;
    both closed at the end."""
    from desktop.context import SeatContext

    seat = SeatContext.open(data_dir)
    engine = seat.engine
    try:
        if site:
            if not seat.settings.site_database_url:
                raise SystemExit("no site database is configured (a sync target of kind 'site')")
            from desktop.store.schema import open_migrated

            engine = open_migrated(seat.settings.site_database_url)
        yield engine, seat
    finally:
        if engine is not seat.engine:
            engine.dispose()
        seat.close()


@command(
    "export",
    "export contacts (csv, xlsx, jsonl, branch sheets)",
    arg("--format", choices=("csv", "xlsx", "jsonl"), default="csv"),
    arg("--dialect", choices=("rfc4180", "excel-fr"), default="rfc4180",
        help="CSV: RFC 4180 UTF-8, or Excel (France): semicolons, BOM, French dates"),
    arg("-o", "--output", type=Path, help="the file to write"),
    arg("--branch-sheets", type=Path, metavar="DIR", help="one printable PDF per branch in DIR"),
    *FILTERS,
    arg("--from-site", action="store_true", help="the site database's contacts, not this seat's"),
)  # fmt: skip
def export_contacts(data_dir: str | None, args: argparse.Namespace) -> int:
    from desktop.files import is_standard_stream
    from desktop.supervisor.export import ExportError, export, export_source

    if args.output is None and args.branch_sheets is None:
        print("repli export: say where: -o FILE, or --branch-sheets DIR", file=sys.stderr)
        return EXIT_USAGE
    with _store(data_dir, args.from_site) as (engine, seat):
        where = contact_filter(args)
        try:
            if args.output is not None:
                source = export_source(seat.settings)
                report = export(engine, args.output, args.format, where, args.dialect, source)
                print(
                    f"{report.path}: {report.contacts} contacts"
                    + (f", {report.records} revisions" if report.format == "jsonl" else ""),
                    # beside the data when the data went to standard output
                    file=sys.stderr if is_standard_stream(args.output) else sys.stdout,
                )
            if args.branch_sheets is not None:
                language = seat.settings.language
                client = seat.settings.client_name or seat.settings.client_id
                written = window.branch_sheets(engine, args.branch_sheets, where, language, client)
                print(f"{args.branch_sheets}: {len(written)} branch sheets")
        except ExportError as exc:
            print(f"repli export: {exc}", file=sys.stderr)
            return EXIT_REFUSED
        except OSError as exc:  # a branch sheet's place: a device, a FIFO, a full disk
            print(
                f"repli export: {exc.filename or ''} {exc.strerror or exc}".strip(), file=sys.stderr
            )
            return EXIT_REFUSED
    return EXIT_OK


@command(
    "merge",
    "merge other seats' exports or database files",
    arg("files", nargs="+", type=Path, metavar="FILE"),
    arg("--json", action="store_true", help="print the report as JSON"),
    arg("--into-site", action="store_true", help="into the site database, not this seat's store"),
)
def merge(data_dir: str | None, args: argparse.Namespace) -> int:
    import json

    from desktop.supervisor.merge import MergeError, merge_files

    with _store(data_dir, args.into_site) as (engine, seat):
        try:
            report = merge_files(engine, args.files, seat.settings.client_id)
        except MergeError as exc:
            print(f"repli merge: {exc} (nothing was changed)", file=sys.stderr)
            return EXIT_REFUSED
    if args.json:
        print(json.dumps(report.as_dict(), indent=2, ensure_ascii=False))
    else:
        for name, counts in report.per_file.items():
            print(
                f"{name}: {counts['new']} new, {counts['present']} already present, "
                f"{counts['conflicting']} conflicting"
            )
        for conflict in report.conflicts[:20]:
            print(f"  conflict: contact {conflict[0]} revision {conflict[1]} differs; ours kept")
    return EXIT_OK


@command(
    "drill",
    "play a scripted exercise as screen pops",
    arg("--script", type=Path, required=True, metavar="FILE", help="TOML script"),
    arg("--pace", type=float, metavar="S", help="seconds between calls"),
    arg("--check", action="store_true", help="check the script, play nothing"),
)
def drill(data_dir: str | None, args: argparse.Namespace) -> int:
    from desktop.paths import DataPaths
    from desktop.supervisor.drill import DrillError, play, read_script
    from desktop.telephony import instance

    try:
        drill = read_script(args.script, args.pace)
    except DrillError as exc:
        print(f"repli drill: {exc}", file=sys.stderr)
        return EXIT_REFUSED
    total = sum(c.after for c in drill.calls)
    print(f"{drill.title}: {len(drill.calls)} calls over {total:.0f} s")
    if args.check:
        return EXIT_OK
    root = DataPaths.resolve(data_dir).ensure().root

    def send(event: Any) -> bool:
        return instance.send(root, {"kind": "pop", "event": event.to_plain()}) is not None

    if instance.send(root, {"kind": "ping"}) is None:
        print("repli drill: Repli is not running for this seat: start it first", file=sys.stderr)
        return EXIT_REFUSED
    try:
        played = play(drill, send)
    except DrillError as exc:
        print(f"repli drill: {exc}", file=sys.stderr)
        return EXIT_REFUSED
    except KeyboardInterrupt:
        print("repli drill: stopped", file=sys.stderr)
        return EXIT_REFUSED
    print(f"{played} calls played")
    return EXIT_OK


@command(
    "purge",
    "delete contacts past the retention (delivered ones; exercise ones)",
    arg("--days", type=int, help="default: the retention_days setting"),
    arg("--exercise-days", type=int, help="default: the exercise_retention_days setting"),
    arg("--site", action="store_true", help="the site store too"),
)
def purge(data_dir: str | None, args: argparse.Namespace) -> int:
    from desktop.supervisor.retention import purge, purge_site

    with _store(data_dir) as (engine, seat):
        settings = seat.settings
        days = args.days if args.days is not None else settings.retention_days
        exercise = (
            args.exercise_days if args.exercise_days is not None
            else settings.exercise_retention_days
        )  # fmt: skip
        if days <= 0 and exercise <= 0:
            print(
                "repli purge: no retention period: give --days N or set retention_days",
                file=sys.stderr,
            )
            return EXIT_USAGE
        actor = f"purge@{settings.seat_id}"
        done = purge(engine, days, actor, exercise_days=exercise)
        site_done = None
        if args.site:
            if not settings.site_database_url:
                print("repli purge: --site: this seat has no site store", file=sys.stderr)
                return EXIT_REFUSED
            from desktop.store.engine import make_engine

            site = make_engine(settings.site_database_url)
            try:
                site_done = purge_site(site, days, exercise, actor)
            finally:
                site.dispose()
    print(
        f"{done.contacts} delivered contacts created before {done.cutoff:%Y-%m-%d %H:%M} UTC purged"
        + (
            f", {done.exercise} exercise contacts older than {exercise} days"
            if exercise > 0
            else ""
        )
    )
    if site_done is not None:
        print(f"site store: {site_done.contacts} contacts and {site_done.exercise} exercise"
              " contacts purged")  # fmt: skip
    return EXIT_OK


@command(
    "erase",
    "erase a caller's contacts (on their request)",
    arg("--number", default="", help="the caller's number, as written"),
    arg("--name", default="", help="the caller's name (whole, any case)"),
    arg("--yes", action="store_true", help="do it (without: say what it would)"),
)
def erase(data_dir: str | None, args: argparse.Namespace) -> int:
    from desktop.supervisor.retention import count_caller, erase

    if not args.number.strip() and not args.name.strip():
        print("repli erase: give --number or --name", file=sys.stderr)
        return EXIT_USAGE
    with _store(data_dir) as (engine, seat):
        if not args.yes:
            found = count_caller(engine, args.number, args.name, seat.settings.region)
            print(f"{found} contacts would be erased; run again with --yes to erase them")
            return EXIT_OK
        done = erase(
            engine, f"erasure@{seat.settings.seat_id}", args.number, args.name, seat.settings.region
        )
    print(
        f"{done.contacts} contacts erased ({done.revisions_removed} earlier revisions and "
        f"{done.drafts_removed} drafts removed); the erasure is queued to the sync targets"
    )
    return EXIT_OK


group("supervisor", "supervisor access")


@command(
    "supervisor set-pin",
    "set the supervisor PIN (asked twice, or from a file)",
    arg("--pin-file", type=Path, metavar="F", help="file whose first line is the PIN"),
    arg("--system", action="store_true", help="write the PC-wide config"),
)
def set_pin(data_dir: str | None, args: argparse.Namespace) -> int:
    pin_file = args.pin_file
    import getpass

    from desktop.config import ConfigError
    from desktop.paths import DataPaths
    from desktop.seat.provision import update_config
    from desktop.supervisor import pin

    try:
        if pin_file is not None:
            chosen = pin.read_pin_file(pin_file)
        else:
            chosen = pin.check_new_pin(getpass.getpass("new supervisor PIN: "))
            if getpass.getpass("again: ").strip() != chosen:
                raise pin.PinError("the two PINs differ; nothing was changed")
        paths = DataPaths.resolve(data_dir).ensure()
        # always the PC-wide file: a seat's own config cannot hold the PIN (config.ADMIN_ONLY)
        target, _warnings = update_config(
            paths, {"supervisor_pin_hash": pin.hash_pin(chosen)}, system=True
        )
    except PermissionError as exc:
        print(
            f"repli supervisor set-pin: {exc.filename or exc}: the supervisor PIN is kept in the "
            "PC-wide config, which only the administrator may write: run this as root "
            "(sudo) or as an administrator",
            file=sys.stderr,
        )
        return EXIT_REFUSED
    except (pin.PinError, ConfigError, EOFError) as exc:
        print(f"repli supervisor set-pin: {exc}", file=sys.stderr)
        return EXIT_REFUSED
    from desktop.files import not_admin_only

    untrusted = not_admin_only(target)
    if untrusted:
        print(
            f"repli supervisor set-pin: written, but {untrusted}: the seats ignore a PIN that "
            "another account could replace; make the file and its folder root's alone",
            file=sys.stderr,
        )
        return EXIT_REFUSED
    print(f"supervisor PIN set in {target} (stored as a salted hash)")
    return EXIT_OK
