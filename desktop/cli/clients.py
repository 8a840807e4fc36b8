"""``repli clients``: the client companies of this seat and their state; ``remove``,
``adopt`` and ``retire`` (a client's end of contract, desktop.failback.retire_command)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from desktop.cli.registry import arg, command, group
from desktop.exits import EXIT_OK, EXIT_REFUSED, EXIT_USAGE


def states(data_dir: str | None, args: argparse.Namespace) -> int:
    """The seat's clients and their state (``repli clients`` with no action)."""
    from desktop.paths import DataPaths
    from desktop.seat import clients

    found = clients.states(DataPaths.resolve(data_dir))
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


group(
    "clients",
    "the client companies of this seat, and their state",
    arg("--json", action="store_true", help="print JSON"),
    run=states,
)


@command(
    "clients remove",
    "erase a client's data from this seat",
    arg("id", help="the client's id"),
    arg("--force", action="store_true", help="even with revisions not delivered (lost)"),
)
def remove(data_dir: str | None, args: argparse.Namespace) -> int:
    from desktop.paths import DataPaths
    from desktop.seat import clients

    paths = DataPaths.resolve(data_dir)
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


@command(
    "clients adopt",
    "the seat's own data becomes this client's, in place",
    arg("id", help="the client's id (provisioned first)"),
)
def adopt(data_dir: str | None, args: argparse.Namespace) -> int:
    from desktop.paths import DataPaths
    from desktop.seat import clients
    from desktop.store.cipher import StoreLocked

    try:
        took = clients.adopt(DataPaths.resolve(data_dir), args.id)
    except (clients.AdoptRefused, StoreLocked, ValueError, OSError) as exc:
        print(f"repli clients adopt: {exc}", file=sys.stderr)
        return EXIT_REFUSED
    print(f"the seat's own data is now client {took.id}'s ({took.name}): "
          f"{took.contacts} contact(s), {'encrypted' if took.encrypted else 'NOT encrypted'}"
          + (f" ({took.problem})" if took.problem else ""))  # fmt: skip
    return EXIT_OK


@command(
    "clients retire",
    "end of contract: the client's data deleted from the site store and every seat, "
    "with a signed deletion certificate",
    arg("id", help="the client's id"),
    arg("--force", action="store_true", help="even with contacts undelivered or unreconciled"),
    arg("--reason", default="", help="why, when forced (written in the certificate)"),
    arg("--site-url", default="", help="the client's site store, if not configured here"),
    arg("--key", type=Path, help="the site's minisign secret key"),
    arg("-o", "--out", type=Path, help="the certificate (JSON, signed beside it)"),
)
def retire(data_dir: str | None, args: argparse.Namespace) -> int:
    from desktop import config
    from desktop.failback.files import signing_key
    from desktop.failback.retire_command import NotThatClient, retire_client
    from desktop.paths import DataPaths
    from desktop.tables.signing import SignatureError

    if args.force and not args.reason.strip():
        print("repli clients retire: --force needs --reason \"…\" (it goes in the certificate)",
              file=sys.stderr)  # fmt: skip
        return EXIT_USAGE
    seat = DataPaths.resolve(data_dir)
    here = args.id in seat.clients()
    paths = DataPaths.resolve(seat.seat_root, args.id) if here else None
    settings, _ = config.load_seat(paths) if paths is not None else (config.Settings(), [])
    seat_settings, _ = config.load_seat(seat)
    url = args.site_url or settings.site_database_url
    if not url:
        print(f"repli clients retire: no site store for {args.id!r} on this PC: --site-url URL",
              file=sys.stderr)  # fmt: skip
        return EXIT_REFUSED
    try:
        key = signing_key(
            args.key, settings.report_signing_key or seat_settings.report_signing_key, seat.root
        )
        out = args.out or Path(f"repli-deletion-certificate-{args.id}.json")
        done = retire_client(args.id, settings.client_name, paths, settings, url, key, out,
                             args.force, args.reason)  # fmt: skip
    except (SignatureError, OSError, NotThatClient) as exc:
        print(f"repli clients retire: {exc}", file=sys.stderr)
        return EXIT_REFUSED
    if done.mark is None:
        print(f"repli clients retire: {args.id} is not retired: " + "; ".join(p.text() for p in done.problems)
              + ". Deliver and reconcile first (repli report failback says what),"
                " or --force --reason \"…\"", file=sys.stderr)  # fmt: skip
        return EXIT_REFUSED
    if done.problems:
        print(
            "repli clients retire: forced over: " + "; ".join(p.text() for p in done.problems),
            file=sys.stderr,
        )
    made = done.certificate or {}
    seats = made["seats"]
    waiting = [s["seat_id"] for s in seats if not s["confirmed"]]
    print(f"{args.id} retired on {done.mark['at']}: the site store's"
          f" {made['site_store']['contacts']} contact(s) and {made['site_store']['revisions']}"
          " revision(s) deleted")  # fmt: skip
    print(f"seats that erased it: {len(seats) - len(waiting)} of {len(seats)}"
          + (f"; waiting for {', '.join(waiting)} (each erases at its next sync or start;"
             " run this again for the certificate with their confirmations)" if waiting else ""))  # fmt: skip
    if here:
        print("this PC's own copy is erased at its next sync or start, as every seat's")
    for path in done.written:
        print(f"wrote {path}")
    return EXIT_OK
