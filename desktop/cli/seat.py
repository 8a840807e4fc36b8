"""The seat's own commands: ``repli lookup``, ``pop``, ``sync``, ``mode``, ``doctor`` and
``provision``."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import desktop.cli.window as window
from desktop.cli.registry import arg, command
from desktop.exits import EXIT_OK, EXIT_REFUSED, EXIT_USAGE

if TYPE_CHECKING:
    from desktop.lookup import LookupIndex

JSON = arg("--json", action="store_true", help="print JSON")


def path_or_none(text: str) -> Path | None:
    """A path option an installer may pass empty: empty means not given."""
    return Path(text) if text.strip() else None


def open_seat(data_dir: str | None):  # type: ignore[no-untyped-def]
    from desktop.context import SeatContext

    return SeatContext.open(data_dir)


@command(
    "lookup",
    "find the dialled number",
    arg("digits", help="last digits or the full dialled number"),
    JSON,
    arg("--limit", type=int, default=50, help="candidates to print at most"),
)
def lookup(data_dir: str | None, args: argparse.Namespace) -> int:
    return _lookup(data_dir, args.digits, args.json, args.limit)


def _quick_index(data_dir: str | None) -> tuple[LookupIndex, str] | None:
    """The active pack's index read with the standard library, as the window's first frame
    reads it (desktop.store.quickstart): SQLAlchemy's import alone was half of a 0.7 s
    ``repli lookup``. None whenever the full path has something to do or to say."""
    from desktop import config
    from desktop.paths import DataPaths
    from desktop.seat import first_frame

    try:
        paths = DataPaths.resolve(data_dir)
        if not paths.database.exists():
            return None
        settings, warnings = config.load_seat(paths)
        if warnings:
            return None  # the full path says them
        quick = first_frame.lookup_tables(paths, settings)
    except (config.ConfigError, OSError):
        return None  # the full path says it
    return (quick[0], settings.region) if quick is not None else None


def _lookup(data_dir: str | None, text: str, as_json: bool, limit: int) -> int:
    from desktop.lookup import NotDigits, digits_of

    try:
        if not digits_of(text):
            raise NotDigits("no digits given: type the last digits or the whole number")
    except NotDigits as exc:
        print(f"repli lookup: {exc}", file=sys.stderr)
        return EXIT_USAGE
    quick = _quick_index(data_dir)
    if quick is not None:
        index, region = quick
    else:  # a store to create, migrate or fill, a site database, a warning to say
        seat = open_seat(data_dir)
        seat.ensure_tables()
        index, region = seat.load_index(), seat.settings.region
    result = index.search(text, limit=limit) if index else None
    matches = result.matches if result else ()
    if as_json:
        from desktop.lookup import matches_as_dicts

        now = datetime.now(UTC)
        print(json.dumps(matches_as_dicts(matches, now, region), ensure_ascii=False, indent=2))
        return EXIT_OK
    if not matches or result is None:
        print(f"no dialled number ends with {text}")
        return EXIT_OK
    for m in matches:
        where = f"{m.branch.name} ({m.branch.city})" if m.branch else m.number.label
        kind = f"  [{m.call_type.label}]" if m.call_type else ""
        print(f"{m.national:<16} {where}{kind}")
    if result.count > len(matches):
        print(f"... {result.count - len(matches)} more")
    if result.more_digits_needed:
        print(
            f"{result.count} candidates: {result.more_digits_needed} more digit(s) make it unique"
        )
    return EXIT_OK


@command(
    "pop",
    "hand a call to the running window (or start it with it)",
    arg("--called", default="", metavar="NUMBER", help="the number the caller dialled"),
    arg("--caller", default="", metavar="NUMBER", help="the caller's number"),
    arg("--call-id", default="", metavar="ID", help="the telephony's id of the call"),
    arg("--event", default="ringing", choices=("ringing", "answered", "ended"),
        help="default: ringing"),
)  # fmt: skip
def pop(data_dir: str | None, args: argparse.Namespace) -> int:
    from desktop.paths import DataPaths
    from desktop.telephony.events import EventError, from_fields

    fields = {
        "event": args.event,
        "called": args.called,
        "caller": args.caller,
        "call_id": args.call_id,
    }
    try:
        event = from_fields(fields, source="cli")
    except EventError as exc:
        print(f"repli pop: {exc}", file=sys.stderr)
        return EXIT_USAGE
    paths = DataPaths.resolve(data_dir).ensure()
    root = paths.root
    # a seat with clients: the window of any of them (a shift routes the call by its number)
    clients = [] if paths.client else paths.clients()
    roots = [root] + [DataPaths.resolve(root, client).root for client in clients]
    for where in roots:
        reply = _hand_over(where, {"kind": "pop", "event": event.to_plain()})
        if reply is None:
            continue
        if reply.get("ok"):
            print(f"handed to the running Repli: call {event.call_id}")
            return EXIT_OK
        print(f"repli pop: the running Repli did not take the call ({reply.get('error')}): "
              "try again", file=sys.stderr)  # fmt: skip
        return EXIT_REFUSED
    return window.start(str(root), None, [event])


def _hand_over(root: Path, message: dict[str, Any]) -> dict[str, Any] | None:
    """``instance.send``, tried again a few times while the running Repli says it is busy."""
    import time

    from desktop.telephony import instance

    for _ in range(5):
        reply = instance.send(root, message)
        if reply is None or reply.get("error") != "busy":
            return reply
        time.sleep(0.2)
    return reply


@command(
    "sync",
    "deliver contacts to the CRM",
    arg("--once", action="store_true", help="one run, then exit"),
    arg("--status", action="store_true", help="counts per target and state"),
    arg("--json", action="store_true", help="with --status: print JSON"),
    arg("--interval", type=float, default=5.0, help="seconds between runs"),
)
def sync(data_dir: str | None, args: argparse.Namespace) -> int:
    from desktop.sync.status import sync_status
    from desktop.sync.worker import RunReport, SyncWorker

    seat = open_seat(data_dir)
    if args.status:
        status = sync_status(seat.engine, seat.settings)
        if args.json:
            print(json.dumps(status, indent=2, ensure_ascii=False))
        else:
            for name, target in status["targets"].items():
                counts = (
                    ", ".join(f"{n} {state}" for state, n in target["counts"].items()) or "nothing"
                )
                print(
                    f"{name}: {target['state']} — {counts}"
                    + (f" ({target['reason']})" if target["reason"] else "")
                )
                for refused in target["rejected"]:
                    print(
                        f"  rejected {refused['id']} revision {refused['revision']}: {refused['reason']}"
                    )
        return EXIT_OK
    if not seat.settings.sync_targets:
        print("no sync target in the config (see docs/sync-protocol.md)", file=sys.stderr)
        return EXIT_REFUSED

    def say(report: RunReport) -> None:
        for target in report.targets:
            print(
                f"{target.name}: {target.delivered} delivered, {target.duplicates} already there, "
                f"{target.rejected} rejected, {target.retried} to retry"
                + (f" — {target.state}: {target.error}" if target.error else ""),
                flush=True,
            )

    worker = SyncWorker(seat.engine, seat.settings, args.interval, say)  # the app's own loop
    report = worker.loop(once=args.once)
    if report is None:  # the run itself broke (logged)
        return EXIT_REFUSED
    if report.retired is not None:  # the site says the client's contract ended
        return _erase_retired(seat, report.retired)
    return EXIT_REFUSED if any(t.state == "misconfigured" for t in report.targets) else EXIT_OK


def _erase_retired(seat: Any, mark: dict[str, Any]) -> int:
    """The retired client erased from this seat and the erasure confirmed to the site."""
    from desktop.failback.retire import erase_and_confirm
    from desktop.store.engine import make_engine

    url, paths, seat_id = seat.settings.site_database_url, seat.paths, seat.settings.seat_id
    seat.close()
    site = make_engine(url)
    try:
        erased = erase_and_confirm(paths, site, seat_id)
    finally:
        site.dispose()
    print(f"the client {mark.get('client') or paths.client!r} was retired on {mark.get('at')}:"
          f" erased from this seat ({erased.contacts} contact(s), {erased.revisions}"
          f" revision(s), {erased.files} file(s); its key, {erased.key}, destroyed)")  # fmt: skip
    return EXIT_OK


@command(
    "mode",
    "the seat's (and site's) mode",
    arg("mode", nargs="?", help="disaster, overflow or exercise (none: show it)"),
    arg("--site", action="store_true", help="the whole site too (the seat's site database)"),
    JSON,
)
def mode(data_dir: str | None, args: argparse.Namespace) -> int:
    wanted, site, as_json = args.mode, args.site, args.json
    from sqlalchemy.exc import SQLAlchemyError

    from desktop import config
    from desktop.config import ConfigError
    from desktop.paths import DataPaths
    from desktop.seat.mode import ModeError, switch_mode
    from desktop.store.site_calls import in_words

    paths = DataPaths.resolve(data_dir).ensure()
    try:
        settings, _warnings = config.load_seat(paths)
        if wanted is None:
            shown = {"mode": settings.mode.value, "site_database": bool(settings.site_database_url)}
            print(json.dumps(shown) if as_json else settings.mode.value)
            return EXIT_OK
        if site and not settings.site_database_url:
            raise ModeError("--site needs a site database (a sync target of kind site)")
        change = switch_mode(
            paths, wanted, settings.site_database_url if site else "", f"cli@{settings.seat_id}"
        )
    except (ModeError, ConfigError) as exc:
        print(f"repli mode: {exc}", file=sys.stderr)
        return EXIT_USAGE if isinstance(exc, ModeError) else EXIT_REFUSED
    except (OSError, SQLAlchemyError) as exc:  # the site database unreachable: said, no traceback
        print(f"repli mode: the site database did not answer: {in_words(exc)}", file=sys.stderr)
        return EXIT_REFUSED
    if as_json:
        print(json.dumps(vars(change) | {"config_file": str(change.config_file)}))
    else:
        where = " and the site" if change.site else ""
        told = "; the running window shows it" if change.window_told else ""
        print(f"mode {change.mode} for this seat{where} ({change.config_file}){told}")
    return EXIT_OK


@command("doctor", "is this seat ready?", JSON)
def doctor_command(data_dir: str | None, args: argparse.Namespace) -> int:
    as_json = args.json
    from desktop.paths import DataPaths
    from desktop.seat import doctor

    paths = DataPaths.resolve(data_dir)
    if not paths.client and paths.clients():  # every client of the seat, in one run
        reports = doctor.run_clients(paths)
        ready = all(r.ready for _e, r in reports)
        if as_json:
            by_id = {entry.id: report.as_dict() for entry, report in reports}
            print(json.dumps({"ready": ready, "clients": by_id}, indent=2, ensure_ascii=False))
        else:
            for entry, report in reports:
                where = f"--client {entry.id}" if entry.id else "this seat's own data"
                print(f"== {entry.name} ({where})")
                _print_checks(report)
            unready = [e.id or "this seat's own data" for e, r in reports if not r.ready]
            print(f"the seat is READY for its {len(reports)} clients" if ready
                  else f"the seat is NOT READY: {', '.join(unready)}")  # fmt: skip
        return EXIT_OK if ready else EXIT_REFUSED
    report = doctor.run(paths.ensure())
    if as_json:
        print(json.dumps(report.as_dict(), indent=2, ensure_ascii=False))
    else:
        _print_checks(report)
        print("the seat is READY" if report.ready else "the seat is NOT READY")
    return EXIT_OK if report.ready else EXIT_REFUSED


def _print_checks(report: Any) -> None:
    marks = {"ok": "ok  ", "warn": "WARN", "fail": "FAIL"}
    for check in report.checks:
        print(f"[{marks[check.status]}] {check.name}: {check.detail}")
        if check.fix and check.status != "ok":
            print(f"       -> {check.fix}")


@command(
    "provision",
    "set up this seat",
    arg("--site", required=True, help="site name"),
    arg("--seat", required=True, help="seat identifier"),
    arg("--tables", type=path_or_none, help="table pack (folder or .zip) to import"),
    arg("--system", action="store_true", help="write the PC-wide config (installers)"),
    arg("--mode", help="disaster, overflow or exercise"),
    arg("--region", help="default phone region, e.g. FR"),
    arg("--language", choices=("fr", "en")),
    arg("--pop-port", type=int, help="screen-pop port on 127.0.0.1"),
    arg("--sync-url", help="HTTP CRM URL (target 'crm')"),
    arg("--sync-token", default="", help="its bearer token"),
    arg("--sync-folder", help="file-drop folder (target 'share')"),
    arg("--sync-database", help="site PostgreSQL URL (target 'site')"),
    arg("--client-name", help="with --client: the client company's name (the window's top band)"),
    arg("--client-colour", help="with --client: its colour, #rrggbb"),
    arg("--supervisor-pin-file", type=path_or_none, metavar="F",
        help="file whose first line is the PIN"),
)  # fmt: skip
def provision_command(data_dir: str | None, args: argparse.Namespace) -> int:
    from desktop.config import ConfigError
    from desktop.paths import DataPaths
    from desktop.seat.provision import Request, provision
    from desktop.supervisor import pin
    from desktop.tables.validate import PackError

    settings = {
        key: value
        for key, value in (
            ("mode", args.mode),
            ("region", args.region),
            ("language", args.language),
            ("pop_port", args.pop_port),
            ("client_name", args.client_name),
            ("client_colour", args.client_colour),
        )
        if value not in (None, "")  # an installer passes every option, empty when not set
    }
    if (args.client_name or args.client_colour) and not getattr(args, "client", ""):
        print("repli provision: --client-name and --client-colour go with --client ID",
              file=sys.stderr)  # fmt: skip
        return EXIT_USAGE
    targets = []
    if args.sync_url:
        targets.append(
            {"name": "crm", "kind": "http", "url": args.sync_url, "token": args.sync_token}
        )
    if args.sync_folder:
        targets.append({"name": "share", "kind": "file", "folder": args.sync_folder})
    if args.sync_database:
        targets.append({"name": "site", "kind": "site", "database_url": args.sync_database})
    fresh = not DataPaths.resolve(data_dir).root.exists()
    paths = DataPaths.resolve(data_dir).ensure()
    try:
        if args.supervisor_pin_file is not None:
            if not args.system:
                raise ConfigError(
                    "the supervisor PIN is PC-wide: give --supervisor-pin-file with --system, "
                    "as the administrator (a seat's own config cannot hold it)"
                )
            settings["supervisor_pin_hash"] = pin.hash_pin(
                pin.read_pin_file(args.supervisor_pin_file)
            )
        request = Request(args.site, args.seat, args.tables, settings, targets, args.system)
        result = provision(paths, request)
    except (ConfigError, PackError, PermissionError, pin.PinError) as exc:
        print(f"repli provision: {exc}", file=sys.stderr)
        if fresh:  # refused before anything was written: no half-made client is left
            import shutil

            shutil.rmtree(paths.root, ignore_errors=True)
        return EXIT_REFUSED
    print(f"config written: {result.config_file}")
    print(f"tables: {result.tables}")
    for warning in result.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    print("check the seat with: repli doctor")
    return EXIT_OK
