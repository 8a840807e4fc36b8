"""The ``repli`` command: parses arguments, calls the core, prints.

Each command lives with its parser in one module of this package, registered one way
(desktop.cli.registry): the seat's own commands (``seat``), the tables (``tables``), the
telephony (``telephony``), the clients of a seat (``clients``), the supervisor's (``supervision``),
the signed reports (``reports``) and the site (``site``). ``repli --help`` lists them all,
with every action; ``repli`` alone starts the agent window (desktop.cli.window).

Exit codes: 0 done, 1 refused (e.g. a rejected pack), 2 bad usage or input.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from desktop import __version__

# the command modules register their commands when imported (desktop.cli.registry)
from desktop.cli import (  # noqa: F401
    clients,
    registry,
    reports,
    seat,
    site,
    supervision,
    tables,
    telephony,
    window,
)
from desktop.exits import EXIT_REFUSED, EXIT_USAGE
from desktop.paths import DATA_DIR_ENV


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
        prog="repli",
        description="Agent desktop of a backup call-center seat. Without a command: the "
        "agent window.",
        epilog="every command and action:\n" + registry.listing(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
        parents=[common],
    )
    parser.add_argument("--version", action="version", version=f"repli {__version__}")
    parser.add_argument("--lang", choices=("fr", "en"), help="interface language")
    parser.add_argument("--self-test", action="store_true", help="start offscreen, check, exit")
    registry.build(parser, common)
    return parser


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
        return window.self_test()
    if args.command is None:
        return window.start(data_dir, args.lang)
    return run(registry.chosen(args), data_dir, args)


def run(command: registry.Command, data_dir: str | None, args: argparse.Namespace) -> int:
    """A command's handler; what any of them may meet is said in one line, never a
    traceback (anything else is a defect and shows one)."""
    from desktop.config import ConfigError
    from desktop.store.cipher import StoreLocked

    assert command.run is not None  # argparse requires the action of a group without one
    try:
        return command.run(data_dir, args)
    except StoreLocked as exc:  # the seat's store cannot be opened
        print(f"repli: {exc}", file=sys.stderr)
        return EXIT_REFUSED
    except ConfigError as exc:  # a configuration unreadable or wrong, wherever it is met
        print(f"repli: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except Exception as exc:
        # a database that failed under any command (the site store away, frozen, refusing us)
        from desktop.store.site_calls import in_words, is_database_error

        if not is_database_error(exc):
            raise
        print(f"repli {command.name}: {in_words(exc)}", file=sys.stderr)
        return EXIT_REFUSED
