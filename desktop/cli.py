"""The ``repli`` command: parses arguments, calls the core, prints.

    repli [--data-dir DIR] [--lang fr|en]          start the agent window
    repli lookup DIGITS [--json]                   which dialled numbers end with DIGITS
    repli tables import PATH [--skip-invalid-rows] validate then activate a table pack
    repli tables status [--json]                   the active pack, and what its source says
    repli tables keygen | sign PACK --key F | publish PACK DEST   the primary's side
    repli tables pull | rollback | reset           check the source now; the previous pack; start afresh
    repli pop --called N [--caller N] [--call-id ID]  hand a call to the running window
    repli telephony info [--json]                  what to give the telephony (URL, token)
    repli sync [--once] | --status [--json]        deliver the outbox to the sync targets
    repli telephony site-proxy --listen A:P --seat N=SIP[,URL,TOKEN]… [--mode M] --out F   the site's Kamailio
    repli mode [MODE] [--site] [--json]            the seat's mode (and the site's), shown or set
    repli doctor [--json]                          is this seat ready to take calls?
    repli site config --node A --node B --etcd-only C --out DIR   the site store's etcd and Patroni
    repli site seats [--json]                      every seat of the site at once
    repli wallboard [--seats-only]                 the site's wall screen, full screen
    repli provision --site S --seat ID [--tables PACK] [--system] [settings…]  set up this seat

Exit codes: 0 done, 1 refused (e.g. a rejected pack), 2 bad usage or input.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from desktop import __version__
from desktop.exits import EXIT_OK, EXIT_REFUSED, EXIT_USAGE
from desktop.paths import DATA_DIR_ENV

if TYPE_CHECKING:
    from desktop.lookup import LookupIndex


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--data-dir",
        metavar="DIR",
        default=argparse.SUPPRESS,
        help=f"the seat's data directory (also ${DATA_DIR_ENV}; default: the user data dir)",
    )
    common.add_argument(
        "--client",
        metavar="ID",
        default=argparse.SUPPRESS,
        help="the client company whose data, tables and targets to use (repli clients)",
    )
    parser = argparse.ArgumentParser(
        prog="repli", description="Agent desktop of a backup call-center seat.", parents=[common]
    )
    parser.add_argument("--version", action="version", version=f"repli {__version__}")
    parser.add_argument("--lang", choices=("fr", "en"), help="interface language")
    parser.add_argument("--self-test", action="store_true", help="start offscreen, check, exit")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    lookup = commands.add_parser("lookup", parents=[common], help="find the dialled number")
    lookup.add_argument("digits", help="last digits or the full dialled number")
    lookup.add_argument("--json", action="store_true", help="print JSON")
    lookup.add_argument("--limit", type=int, default=50, help="candidates to print at most")

    tables = commands.add_parser("tables", parents=[common], help="lookup table packs")
    table_commands = tables.add_subparsers(dest="tables_command", metavar="ACTION", required=True)
    do_import = table_commands.add_parser("import", parents=[common], help="import a pack")
    do_import.add_argument("path", type=Path, help="pack folder or .zip")
    do_import.add_argument(
        "--skip-invalid-rows", action="store_true", help="import the valid rows, list the others"
    )
    do_import.add_argument(
        "--site", action="store_true", help="publish the signed pack for every seat of the site"
    )
    status = table_commands.add_parser("status", parents=[common], help="the active pack")
    status.add_argument("--json", action="store_true", help="print JSON")
    from desktop.tables import commands as table_actions

    table_actions.add_parsers(table_commands, common)

    pop = commands.add_parser(
        "pop", parents=[common], help="hand a call to the running window (or start it with it)"
    )
    pop.add_argument("--called", default="", metavar="NUMBER", help="the number the caller dialled")
    pop.add_argument("--caller", default="", metavar="NUMBER", help="the caller's number")
    pop.add_argument("--call-id", default="", metavar="ID", help="the telephony's id of the call")
    pop.add_argument(
        "--event",
        default="ringing",
        choices=("ringing", "answered", "ended"),
        help="default: ringing",
    )
    sync = commands.add_parser("sync", parents=[common], help="deliver contacts to the CRM")
    sync.add_argument("--once", action="store_true", help="one run, then exit")
    sync.add_argument("--status", action="store_true", help="counts per target and state")
    sync.add_argument("--json", action="store_true", help="with --status: print JSON")
    sync.add_argument("--interval", type=float, default=5.0, help="seconds between runs")
    provision = commands.add_parser("provision", parents=[common], help="set up this seat")
    provision.add_argument("--site", required=True, help="site name")
    provision.add_argument("--seat", required=True, help="seat identifier")
    provision.add_argument(
        "--tables", type=_path_or_none, help="table pack (folder or .zip) to import"
    )
    provision.add_argument(
        "--system", action="store_true", help="write the PC-wide config (installers)"
    )
    provision.add_argument("--mode", help="disaster, overflow or exercise")
    provision.add_argument("--region", help="default phone region, e.g. FR")
    provision.add_argument("--language", choices=("fr", "en"))
    provision.add_argument("--pop-port", type=int, help="screen-pop port on 127.0.0.1")
    provision.add_argument("--sync-url", help="HTTP CRM URL (target 'crm')")
    provision.add_argument("--sync-token", default="", help="its bearer token")
    provision.add_argument("--sync-folder", help="file-drop folder (target 'share')")
    provision.add_argument("--sync-database", help="site PostgreSQL URL (target 'site')")
    provision.add_argument(
        "--client-name", help="with --client: the client company's name (the window's top band)"
    )
    provision.add_argument("--client-colour", help="with --client: its colour, #rrggbb")
    provision.add_argument(
        "--supervisor-pin-file",
        type=_path_or_none,
        metavar="F",
        help="file whose first line is the PIN",
    )
    from desktop.failback import commands as failback_commands
    from desktop.site import commands as site_commands
    from desktop.supervisor import commands as supervisor_commands

    supervisor_commands.add_parsers(commands, common)
    failback_commands.add_parsers(commands, common)
    site_commands.add_parsers(commands, common)
    mode = commands.add_parser("mode", parents=[common], help="the seat's (and site's) mode")
    mode.add_argument("mode", nargs="?", help="disaster, overflow or exercise (none: show it)")
    mode.add_argument(
        "--site", action="store_true", help="the whole site too (the seat's site database)"
    )
    mode.add_argument("--json", action="store_true", help="print JSON")
    clients = commands.add_parser(
        "clients", parents=[common], help="the client companies of this seat, and their state"
    )
    clients.add_argument("--json", action="store_true", help="print JSON")
    client_commands = clients.add_subparsers(dest="clients_command", metavar="ACTION")
    remove = client_commands.add_parser(
        "remove", parents=[common], help="erase a client's data from this seat"
    )
    remove.add_argument("id", help="the client's id")
    remove.add_argument(
        "--force", action="store_true", help="even with revisions not delivered (lost)"
    )
    adopt = client_commands.add_parser(
        "adopt", parents=[common], help="the seat's own data becomes this client's, in place"
    )
    adopt.add_argument("id", help="the client's id (provisioned first)")
    from desktop.failback import retire_command

    retire_command.add_parser(client_commands, common)
    doctor = commands.add_parser("doctor", parents=[common], help="is this seat ready?")
    doctor.add_argument("--json", action="store_true", help="print JSON")
    telephony = commands.add_parser("telephony", parents=[common], help="screen-pop settings")
    telephony_commands = telephony.add_subparsers(
        dest="telephony_command", metavar="ACTION", required=True
    )
    info = telephony_commands.add_parser("info", parents=[common], help="URL, token, command")
    info.add_argument("--json", action="store_true", help="print JSON")
    proxy = telephony_commands.add_parser(
        "site-proxy", parents=[common], help="write the site's Kamailio configuration"
    )
    proxy.add_argument(
        "--listen", required=True, metavar="ADDRESS:PORT", help="the proxy's SIP side"
    )
    proxy.add_argument(
        "--seat", action="append", required=True, metavar="NUMBER=SIP-URI[,NOTIFY-URL,TOKEN]",
        help="a line's number, its seat's SIP address, that seat's Repli and token (repeat)",
    )  # fmt: skip
    proxy.add_argument(
        "--mode", choices=("notify", "request-uri"), default="notify",
        help="notify: tell each seat's Repli; request-uri: put the number dialled in the "
        "request URI for seats that listen to their softphone only",
    )  # fmt: skip
    proxy.add_argument(
        "--numbers", type=Path, metavar="FILE",
        help="request-uri mode: the softphones' account numbers, one a line",
    )  # fmt: skip
    proxy.add_argument(
        "--seat-down-for", type=int, default=10, metavar="SECONDS",
        help="a seat's Repli that did not answer is left out this long (default 10)",
    )  # fmt: skip
    proxy.add_argument("--out", type=Path, required=True, help="the kamailio.cfg to write")
    return parser


def _path_or_none(text: str) -> Path | None:
    """A path option an installer may pass empty: empty means not given."""
    return Path(text) if text.strip() else None


def main(argv: Sequence[str] | None = None) -> int:
    if os.name != "nt":
        # every file Repli makes is its account's alone unless it says otherwise (the
        # PC-wide config and pack are written 0644 on purpose, exports 0600)
        os.umask(0o077)
    args = build_parser().parse_args(argv)
    data_dir = getattr(args, "data_dir", None)
    client = getattr(args, "client", "")
    if client:  # a client's data directory: SEAT/clients/ID (desktop.paths)
        from desktop.paths import BadClient, DataPaths

        try:
            paths = DataPaths.resolve(data_dir, client)
        except BadClient as exc:
            print(f"repli: {exc}", file=sys.stderr)
            return EXIT_USAGE
        if args.command != "provision" and client not in paths.clients():
            known = ", ".join(paths.clients()) or "none"
            print(f"repli: this seat has no client {client!r} (its clients: {known})",
                  file=sys.stderr)  # fmt: skip
            return EXIT_USAGE
        data_dir = str(paths.root)
    if args.self_test:
        from desktop.app import self_test  # noqa: TID251 - the entry point's own

        return self_test()
    if args.command is None:
        from desktop.app import main as gui_main  # noqa: TID251 - the entry point's own

        gui_args = ["repli"] + (["--data-dir", data_dir] if data_dir else [])
        gui_args += ["--lang", args.lang] if args.lang else []
        return gui_main(gui_args)
    from desktop.config import ConfigError
    from desktop.store.cipher import StoreLocked

    try:
        return handlers()[args.command](data_dir, args)
    except StoreLocked as exc:  # the seat's store cannot be opened: said, never a traceback
        print(f"repli: {exc}", file=sys.stderr)
        return EXIT_REFUSED
    except ConfigError as exc:  # a configuration unreadable or wrong, wherever it is met
        print(f"repli: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except Exception as exc:
        # a database that failed under any command (the site store away, frozen, refusing
        # us): said in one line, never a traceback; anything else is a defect and shows one
        from desktop.store.site_calls import in_words, is_database_error

        if not is_database_error(exc):
            raise
        print(f"repli {args.command}: {in_words(exc)}", file=sys.stderr)
        return EXIT_REFUSED


Handler = Callable[[str | None, argparse.Namespace], int]


def handlers() -> dict[str, Handler]:
    """Every command, by name: the command line's one dispatch table."""
    from desktop.failback import commands as failback_commands
    from desktop.site import commands as site_commands
    from desktop.supervisor import commands as supervisor_commands

    return {
        "lookup": lambda data_dir, args: _lookup(data_dir, args.digits, args.json, args.limit),
        "tables": _tables,
        "pop": _pop,
        "telephony": lambda data_dir, args: (
            _site_proxy(data_dir, args)
            if args.telephony_command == "site-proxy"
            else _telephony_info(data_dir, args.json)
        ),
        "sync": _sync,
        "doctor": lambda data_dir, args: _doctor(data_dir, args.json),
        "clients": _clients,
        "mode": lambda data_dir, args: _mode(data_dir, args.mode, args.site, args.json),
        "provision": _provision,
        **supervisor_commands.handlers(_branch_sheets),
        **site_commands.handlers(_wallboard),
        **failback_commands.handlers(_render_failback),
    }


def _render_failback(document: dict[str, Any], path: Path, language: str) -> None:
    """A failback report's PDF or XLSX, written by the Qt layer (its translations)."""
    from desktop.app import render_failback  # noqa: TID251 - the entry point's own

    render_failback(document, path, language)


def _branch_sheets(engine: Any, folder: Path, where: Any, language: str, client: str) -> list[Path]:
    """The branch sheets' PDFs, written by Qt: the command line reaches ``desktop.app`` for
    the domain packages, which may not."""
    from desktop.app import write_branch_sheets  # noqa: TID251 - the entry point's own

    return write_branch_sheets(engine, folder, where, language, client)


def _wallboard(data_dir: str | None, language: str, seats_only: bool) -> int:
    from desktop.app import wallboard  # noqa: TID251 - the entry point's own

    return wallboard(data_dir, language, seats_only)


def _site_proxy(_data_dir: str | None, args: argparse.Namespace) -> int:
    from desktop.telephony.site_proxy import ProxyConfigError, SeatRoute, read_numbers, write

    try:
        seats = [SeatRoute.parse(text) for text in args.seat]
        numbers = read_numbers(args.numbers) if args.numbers else None
        written = write(args.out, args.listen, seats, args.mode, numbers, args.seat_down_for)
    except (ProxyConfigError, OSError) as exc:
        print(f"repli telephony site-proxy: {exc}", file=sys.stderr)
        return EXIT_REFUSED
    accounts = f", {len(numbers)} account number(s)" if numbers else ""
    print(f"wrote {written} ({args.mode}, {len(seats)} seat(s){accounts}): kamailio -f {written}")
    return EXIT_OK


def _tables(data_dir: str | None, args: argparse.Namespace) -> int:
    from desktop.tables import commands as table_actions

    if args.tables_command == "import" and args.site:
        return _tables_publish_to_site(data_dir, args.path)
    if args.tables_command == "import":
        return _tables_import(data_dir, args.path, args.skip_invalid_rows)
    if args.tables_command == "status":
        return _tables_status(data_dir, args.json)
    return table_actions.handlers()[args.tables_command](data_dir, args)


def _mode(data_dir: str | None, wanted: str | None, site: bool, as_json: bool) -> int:
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


def _open(data_dir: str | None):  # type: ignore[no-untyped-def]
    from desktop.context import SeatContext

    return SeatContext.open(data_dir)


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
        seat = _open(data_dir)
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


def _tables_import(data_dir: str | None, path: Path, skip_invalid: bool) -> int:
    from desktop.tables.importer import import_tables
    from desktop.tables.validate import PackError

    seat = _open(data_dir)
    settings = seat.settings
    try:  # with keys set, a pack by hand must be signed too (unless tables_accept_unsigned)
        report = import_tables(
            seat.engine,
            path,
            settings.region,
            skip_invalid,
            public_keys=settings.tables_public_keys,
            require_signed=bool(settings.tables_public_keys)
            and not settings.tables_accept_unsigned,
        )
    except PackError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        print(
            f"pack rejected: {len(exc.problems)} problem(s); the active pack is unchanged",
            file=sys.stderr,
        )
        return EXIT_REFUSED
    for warning in report.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    for problem in report.skipped:
        print(f"skipped: {problem}", file=sys.stderr)
    counts = ", ".join(f"{v} {k}" for k, v in report.pack.counts().items())
    info = report.pack.info
    print(f"activated {info.name} {info.version}: {counts}; {len(report.skipped)} row(s) skipped")
    return EXIT_OK


def _tables_publish_to_site(data_dir: str | None, path: Path) -> int:
    from sqlalchemy.exc import SQLAlchemyError

    from desktop.store.schema import open_migrated
    from desktop.store.site_calls import in_words
    from desktop.tables.packfiles import PackFilesError
    from desktop.tables.site_packs import SitePackError, publish_to_site

    seat = _open(data_dir)
    url = seat.settings.site_database_url
    seat.close()
    if not url:
        print("repli tables import --site: this seat has no site database", file=sys.stderr)
        return EXIT_REFUSED
    try:
        engine = open_migrated(url)
        try:
            serial = publish_to_site(engine, path, f"repli@{seat.settings.seat_id}")
        finally:
            engine.dispose()
    except (SitePackError, PackFilesError, ValueError) as exc:
        print(f"repli tables import --site: {exc}", file=sys.stderr)
        return EXIT_REFUSED
    except SQLAlchemyError as exc:
        print(
            f"repli tables import --site: the site database did not answer: {in_words(exc)}",
            file=sys.stderr,
        )
        return EXIT_REFUSED
    print(f"published serial {serial} for the site: its seats follow it within seconds")
    return EXIT_OK


def _tables_status(data_dir: str | None, as_json: bool) -> int:
    seat = _open(data_dir)
    status = seat.tables_status()
    if status is None:
        print("no active table pack" if not as_json else "null")
        return EXIT_REFUSED
    now = datetime.now(UTC)
    info = status.info
    data = {
        "name": info.name,
        "version": info.version,
        "generated_at": info.generated_at,
        "imported_at": status.imported_at.isoformat(timespec="seconds"),
        "source": info.source,
        "age_days": round(status.age_days(now), 1),
        "too_old": seat.tables_too_old(status, now),
        "skipped_rows": status.skipped_rows,
        "counts": status.counts,
        "serial": info.serial,
        "signed_by": info.signed_by,
        **_follow_status(seat),
    }
    if as_json:
        print(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        for key, value in data.items():
            print(f"{key:>13}: {value}")
    return EXIT_OK


def _follow_status(seat: Any) -> dict[str, object]:
    """What the seat's source said: last check, success, failure and why (tables-follow)."""
    from desktop.tables.follow import FollowState

    if not seat.settings.tables_source:
        return {"tables_source": None}
    state = FollowState.load(seat.paths)
    return {
        "tables_source": seat.settings.tables_source,
        "last_check": state.last_check or None,
        "last_success": state.last_success or None,
        "last_failure": state.last_failure or None,
        "failure": state.failure or None,
        "unreachable_since": state.unreachable_since or None,
        "offered_serial": state.offered_serial or None,
        "staged_serial": state.staged_serial or None,
    }


def _pop(data_dir: str | None, args: argparse.Namespace) -> int:
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
    from desktop.app import main as gui_main  # noqa: TID251 - the entry point's own

    return gui_main(["repli", "--data-dir", str(root)], initial_events=[event])


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


def _telephony_info(data_dir: str | None, as_json: bool) -> int:
    from desktop import config
    from desktop.paths import DataPaths
    from desktop.telephony.http_listener import HOST
    from desktop.telephony.secrets import pop_token

    paths = DataPaths.resolve(data_dir).ensure()
    settings, _warnings = config.load_seat(paths)
    token = pop_token(paths.root, settings.pop_token)
    base = f"http://{HOST}:{settings.pop_port}"
    info = {
        "enabled": settings.pop_enabled,
        "events_url": f"{base}/v1/call-events",
        "pop_url": f"{base}/v1/pop?token={token}&called=CALLED&caller=CALLER&call_id=CALL_ID",
        "token": token,
        "command": f"repli --data-dir {paths.root} pop --called CALLED --caller CALLER --call-id CALL_ID",
    }
    if as_json:
        print(json.dumps(info, indent=2))
        return EXIT_OK
    print(f"screen pop {'enabled' if settings.pop_enabled else 'DISABLED'} on {base}")
    print(f"  URL for a softphone that opens a URL on ring:\n    {info['pop_url']}")
    print(f"  command line for a softphone that runs a program:\n    {info['command']}")
    print(f"  JSON events: POST {info['events_url']} with 'Authorization: Bearer {token}'")
    print(
        f"  example:\n    curl -s -H 'Authorization: Bearer {token}' -H 'Content-Type: application/json' \\"
    )
    print(
        '      -d \'{"event":"ringing","call_id":"42","called":"0199006677","caller":"0612345678"}\' \\'
    )
    print(f"      {info['events_url']}")
    return EXIT_OK


def _sync(data_dir: str | None, args: argparse.Namespace) -> int:
    from desktop.sync.status import sync_status
    from desktop.sync.worker import RunReport, SyncWorker

    seat = _open(data_dir)
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


def _clients(data_dir: str | None, args: argparse.Namespace) -> int:
    from desktop.paths import DataPaths
    from desktop.seat import clients

    paths = DataPaths.resolve(data_dir)
    if args.clients_command == "retire":
        from desktop.failback import retire_command

        return retire_command.retire(data_dir, args)
    if args.clients_command == "adopt":
        from desktop.store.cipher import StoreLocked

        try:
            took = clients.adopt(paths, args.id)
        except (clients.AdoptRefused, StoreLocked, ValueError, OSError) as exc:
            print(f"repli clients adopt: {exc}", file=sys.stderr)
            return EXIT_REFUSED
        print(f"the seat's own data is now client {took.id}'s ({took.name}): "
              f"{took.contacts} contact(s), {'encrypted' if took.encrypted else 'NOT encrypted'}"
              + (f" ({took.problem})" if took.problem else ""))  # fmt: skip
        return EXIT_OK
    if args.clients_command == "remove":
        try:
            gone = clients.removable(paths, args.id, args.force)
        except (clients.RemoveRefused, ValueError) as exc:
            print(f"repli clients remove: {exc}", file=sys.stderr)
            return EXIT_REFUSED
        if gone.undelivered or gone.problem:  # --force: what is lost, said before it goes
            print(f"repli clients remove: --force: {gone.undelivered} revision(s) of "
                  f"{gone.contacts} contact(s) of {args.id} not delivered are erased"
                  + (f" ({gone.problem})" if gone.problem else ""), file=sys.stderr)  # fmt: skip
        try:
            clients.erase(paths, args.id)
        except clients.RemoveRefused as exc:  # its window or a command has its store open
            print(f"repli clients remove: {exc}", file=sys.stderr)
            return EXIT_REFUSED
        print(f"client {gone.id} ({gone.name}) erased from this seat: {gone.contacts} contact(s)")
        return EXIT_OK
    found = clients.states(paths)
    if args.json:
        print(json.dumps([c.as_dict() for c in found], ensure_ascii=False, indent=2))
        return EXIT_OK
    if not found:
        print("no client provisioned: the seat's own data directory serves one client")
    for c in found:
        state = c.problem or (
            f"{c.contacts} contact(s), {c.undelivered} not delivered, tables {c.tables or 'none'}"
            f", {'encrypted' if c.encrypted else 'NOT encrypted'}"
        )
        print(f"{c.id:<16} {c.name:<28} {c.colour or '-':<8} {state}")
    return EXIT_OK


def _doctor(data_dir: str | None, as_json: bool) -> int:
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


def _provision(data_dir: str | None, args: argparse.Namespace) -> int:
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
