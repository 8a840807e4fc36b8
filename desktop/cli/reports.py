"""``repli report``: the signed failback report of a client, from the seat's store, the
site store and the CRM (desktop.failback.report); the site's drill report; the site's
signing key pair."""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import desktop.cli.window as window
from desktop.cli.registry import arg, command, group
from desktop.exits import EXIT_OK, EXIT_REFUSED, EXIT_USAGE
from desktop.failback.files import KEY_NAME

group("report", "signed reports: failback, the site's drill")


def _moment(text: str) -> tuple[datetime, bool]:
    """(the moment, whether it was a day alone)"""
    try:
        if len(text) == 10:
            return datetime.fromisoformat(text).replace(tzinfo=UTC), True
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r}: a day (2026-12-01) or a time") from None
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(UTC), False


@command(
    "report failback",
    "what the site took and what reached the client's CRM, seat by seat, day by day",
    arg("--since", required=True, type=_moment, help="first day (UTC) or time"),
    arg("--until", required=True, type=_moment, help="last day (UTC) or time"),
    arg("-o", "--out", type=Path, help="FILE.json (the signed source), FILE.pdf or FILE.xlsx"),
    arg("--lang", choices=("fr", "en"), default="fr", help="PDF/XLSX language"),
    arg("--exercise", action="store_true", help="the exercise contacts"),
    arg("--resend", action="store_true", help="queue what a target lacks on the seat that took it"),
    arg("--key", type=Path, help="the site's minisign secret key"),
)
def failback(data_dir: str | None, args: argparse.Namespace) -> int:
    from desktop.context import SeatContext
    from desktop.failback.files import failback_files, signing_key
    from desktop.tables.signing import SignatureError

    since, _day = args.since
    until, whole_day = args.until
    until = until + timedelta(days=1) if whole_day else until
    if until <= since:
        print("repli report failback: --until is before --since", file=sys.stderr)
        return EXIT_USAGE
    seat = SeatContext.open(data_dir)
    try:
        key = signing_key(args.key, seat.settings.report_signing_key, seat.paths.root)
        out = args.out or Path(f"repli-failback-{seat.paths.client or 'seat'}.json")
        done = failback_files(
            seat.settings,
            seat.engine,
            since,
            until,
            exercise=args.exercise,
            key=key,
            out=out,
            language=args.lang,
            render=window.render_failback,
            resend=args.resend,
        )
    except (OSError, SignatureError) as exc:
        print(f"repli report failback: {exc}", file=sys.stderr)
        return EXIT_REFUSED
    finally:
        seat.close()
    document = done.document
    totals = document["totals"]
    print(
        f"{document['verdict']}: {totals['taken'] or 0} revision(s) taken, "
        f"{totals['differences']} difference(s), {totals['to_resend']} to send again"
    )
    for target in document["targets"]:
        if target["answers"] is False:
            print(f"  {target['name']} did not say what it holds: {target['note']}")
    for line in document["seats"]:
        if line["reachable"] is False:
            print(f"  seat {line['seat_id']} silent since {line['last_word']}")
    if args.resend:
        print(f"sent again from this seat: {done.here}")
        for seat_id, count in sorted(done.asked.items()):
            print(f"asked of seat {seat_id}: {count} (taken at its next sync)")
    for path in done.paths:
        print(f"wrote {path}")
    return EXIT_OK


@command(
    "report drill",
    "the site's drill report: every seat, one verdict",
    arg("--since", type=_moment, help="the drill's start (default: when the site's mode was set)"),
    arg("--until", type=_moment, help="its end (default: now)"),
    arg("-o", "--out", type=Path, help="FILE.json, FILE.pdf or FILE.xlsx"),
    arg("--lang", choices=("fr", "en"), default="fr", help="PDF/XLSX language"),
    arg("--key", type=Path, help="the site's minisign secret key"),
)
def drill(data_dir: str | None, args: argparse.Namespace) -> int:
    from desktop.context import SeatContext
    from desktop.failback.files import NoDrill, drill_files, signing_key
    from desktop.tables.signing import SignatureError

    seat = SeatContext.open(data_dir)
    try:
        if not seat.settings.site_database_url:
            print("repli report drill: this PC has no site store", file=sys.stderr)
            return EXIT_REFUSED
        key = signing_key(args.key, seat.settings.report_signing_key, seat.paths.root)
        out = args.out or Path(f"repli-drill-{seat.paths.client or 'site'}.json")
        done = drill_files(
            seat.settings,
            seat.engine,
            args.since[0] if args.since else None,
            args.until[0] if args.until else None,
            key=key,
            out=out,
            language=args.lang,
            render=window.render_failback,
        )
    except (OSError, SignatureError, NoDrill) as exc:
        print(f"repli report drill: {exc}", file=sys.stderr)
        return EXIT_REFUSED
    finally:
        seat.close()
    document = done.document
    print(f"{document['verdict']}: {len(document['seats'])} seat(s)"
          + (f" ({', '.join(document['reasons'])})" if document["reasons"] else ""))  # fmt: skip
    for path in done.paths:
        print(f"wrote {path}")
    return EXIT_OK


@command(
    "report keygen",
    "the site's signing key pair",
    arg("--out", type=Path, required=True, help="folder for repli-site.key/.pub"),
)
def keygen(_data_dir: str | None, args: argparse.Namespace) -> int:
    from desktop.tables.signing import SignatureError, write_key_pair

    try:
        secret, public = write_key_pair(args.out, KEY_NAME)
    except (SignatureError, OSError) as exc:
        print(f"repli report keygen: {exc}", file=sys.stderr)
        return EXIT_REFUSED
    print(f"secret key: {secret} (its owner only; set report_signing_key to it)")
    print(f"public key: {public} (give it to the clients: minisign -V -p {public.name} …)")
    return EXIT_OK
