"""``repli tables``: a seat imports a pack and says which is active (``import``, ``status``);
the primary signs and publishes its packs (``keygen``, ``sign``, ``publish``), the seat follows
them (``pull``, ``rollback``, ``reset``; desktop.tables.signed, desktop.tables.follow)."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from desktop.cli.registry import arg, command, group
from desktop.cli.seat import open_seat
from desktop.exits import EXIT_OK, EXIT_REFUSED

group("tables", "lookup table packs")


@command(
    "tables import",
    "validate then activate a table pack",
    arg("path", type=Path, help="pack folder or .zip"),
    arg("--skip-invalid-rows", action="store_true", help="import the valid rows, list the others"),
    arg("--site", action="store_true", help="publish the signed pack for every seat of the site"),
)
def import_pack(data_dir: str | None, args: argparse.Namespace) -> int:
    if args.site:
        return _publish_to_site(data_dir, args.path)
    return _import(data_dir, args.path, args.skip_invalid_rows)


def _import(data_dir: str | None, path: Path, skip_invalid: bool) -> int:
    from desktop.tables.importer import import_tables
    from desktop.tables.validate import PackError

    seat = open_seat(data_dir)
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


def _publish_to_site(data_dir: str | None, path: Path) -> int:
    from sqlalchemy.exc import SQLAlchemyError

    from desktop.store.schema import open_migrated
    from desktop.store.site_calls import in_words
    from desktop.tables.packfiles import PackFilesError
    from desktop.tables.site_packs import SitePackError, publish_to_site

    seat = open_seat(data_dir)
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


@command("tables status", "the active pack", arg("--json", action="store_true", help="print JSON"))
def status(data_dir: str | None, args: argparse.Namespace) -> int:
    as_json = args.json
    seat = open_seat(data_dir)
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


@command(
    "tables keygen",
    "make the primary's signing key pair (minisign format)",
    arg("--out", type=Path, default=Path("."), help="folder for the two files"),
    arg("--name", default="repli-tables", help="file name without suffix"),
)
def keygen(_data_dir: str | None, args: argparse.Namespace) -> int:
    from desktop.tables.signing import SignatureError, write_key_pair

    try:
        secret, public = write_key_pair(args.out, args.name)
    except (SignatureError, OSError) as exc:
        print(f"repli tables keygen: {exc}", file=sys.stderr)
        return EXIT_REFUSED
    line = public.read_text(encoding="ascii").splitlines()[-1]
    print(f"secret key: {secret} (keep it on the primary, readable by you only)")
    print(f"public key: {public}")
    print(f'for the seats: tables_public_keys = ["{line}"]')
    return EXIT_OK


@command(
    "tables sign",
    "sign a pack folder (primary)",
    arg("path", type=Path, help="pack folder"),
    arg("--key", type=Path, required=True, help="the secret key file"),
    arg("--serial", type=int, help="above the last one (default: UTC time)"),
    arg("--version", dest="pack_version", help="the version the agents read"),
    arg("--password-file", type=Path,
        help="for a key made by minisign -G with a password: a file holding it (else it is"
        " asked for on the terminal, or read from the first line of standard input)"),
)  # fmt: skip
def sign(_data_dir: str | None, args: argparse.Namespace) -> int:
    import json

    from desktop.tables.signed import sign_pack
    from desktop.tables.signing import SignatureError

    if not args.path.is_dir():
        print(f"repli tables sign: {args.path}: a pack folder is signed", file=sys.stderr)
        return EXIT_REFUSED
    try:
        signed = sign_pack(
            args.path, args.key, args.serial, args.pack_version, lambda: _password(args)
        )
    except (SignatureError, OSError, json.JSONDecodeError) as exc:
        print(f"repli tables sign: {exc}", file=sys.stderr)
        return EXIT_REFUSED
    print(f"signed {args.path}: serial {signed.serial}, key {signed.key_id}")
    return EXIT_OK


def _password(args: argparse.Namespace) -> str:
    """The secret key's password, asked for only when the key has one: from
    ``--password-file`` (its first line), else the terminal (not echoed), else the first
    line of standard input (as minisign reads it)."""
    import getpass

    from desktop.tables.signing import SignatureError

    if args.password_file is not None:
        with args.password_file.open(encoding="utf-8") as f:
            line: str = f.readline(4096)
    elif sys.stdin is not None and sys.stdin.isatty():
        line = getpass.getpass(f"password of {args.key}: ")
    else:
        line = sys.stdin.readline(4096) if sys.stdin is not None else ""
    password = line.rstrip("\r\n")
    if not password:
        raise SignatureError(f"{args.key} is protected by a password, and none was given")
    return password


@command(
    "tables publish",
    "publish a signed pack where seats fetch it",
    arg("path", type=Path, help="signed pack folder"),
    arg("dest", type=Path, help="a folder (a share, or one HTTP serves)"),
    arg("--keep", type=int, default=5, help="versions kept there"),
)
def publish(_data_dir: str | None, args: argparse.Namespace) -> int:
    from desktop.tables.follow import FollowError, publish
    from desktop.tables.packfiles import PackFilesError

    try:
        done = publish(args.path, args.dest, max(1, args.keep))
    except (FollowError, PackFilesError, OSError, ValueError) as exc:
        print(f"repli tables publish: {exc}", file=sys.stderr)
        return EXIT_REFUSED
    removed = f"; removed {', '.join(map(str, done.removed))}" if done.removed else ""
    print(f"published serial {done.serial} in {done.folder}{removed}")
    return EXIT_OK


@command("tables pull", "check tables_source now, activate")
def pull(data_dir: str | None, _args: argparse.Namespace) -> int:
    from desktop.context import SeatContext
    from desktop.tables.follow import FollowError, check

    seat = SeatContext.open(data_dir)
    try:
        outcome = check(seat.paths, seat.settings, seat.engine, activate=True)
    except FollowError as exc:
        print(
            f"repli tables pull: {exc.kind}: {exc}; the active pack is unchanged", file=sys.stderr
        )
        return EXIT_REFUSED
    finally:
        seat.close()
    if outcome.changed:
        print(f"activated serial {outcome.serial} ({outcome.version})")
    else:
        print(f"nothing new ({outcome.note or 'up to date'})")
    return EXIT_OK


@command("tables rollback", "back to the previous pack")
def rollback(data_dir: str | None, _args: argparse.Namespace) -> int:
    from desktop.context import SeatContext
    from desktop.tables.follow import FollowError, rollback

    seat = SeatContext.open(data_dir)
    try:
        status = rollback(seat.paths, seat.engine)
        _audit(seat, f"tables rolled back to {status.info.name} {status.info.version}")
    except FollowError as exc:
        print(f"repli tables rollback: {exc}", file=sys.stderr)
        return EXIT_REFUSED
    finally:
        seat.close()
    print(f"active again: {status.info.name} {status.info.version}")
    return EXIT_OK


@command(
    "tables reset",
    "the follower starts afresh: the next pack offered is taken even if its serial is"
    " below the active one (audited)",
)
def reset(data_dir: str | None, _args: argparse.Namespace) -> int:
    from desktop.context import SeatContext
    from desktop.tables.follow import reset

    seat = SeatContext.open(data_dir)
    try:
        said = reset(seat.paths, seat.engine)
        _audit(seat, said, "tables-follow-reset")
    finally:
        seat.close()
    print(f"{said}; the next pack the source offers is taken (repli tables pull)")
    return EXIT_OK


def _audit(seat: object, detail: str, action: str = "tables-rollback") -> None:
    from sqlalchemy import insert

    from desktop.contacts import utc_now
    from desktop.store.models import AuditRow

    engine = seat.engine  # type: ignore[attr-defined]
    with engine.begin() as conn:
        conn.execute(
            insert(AuditRow).values(
                at=utc_now(), actor="repli tables", action=action, detail=detail
            )
        )
