"""``repli tables keygen | sign | publish | pull | rollback | reset``: the primary signs and publishes
its packs, the seat follows them (desktop.tables.signed, desktop.tables.follow)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from desktop.exits import EXIT_OK, EXIT_REFUSED

Handler = Callable[[str | None, argparse.Namespace], int]


def add_parsers(actions: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:  # type: ignore[type-arg]
    keygen = actions.add_parser(
        "keygen", parents=[common], help="make the primary's signing key pair (minisign format)"
    )
    keygen.add_argument("--out", type=Path, default=Path("."), help="folder for the two files")
    keygen.add_argument("--name", default="repli-tables", help="file name without suffix")
    sign = actions.add_parser("sign", parents=[common], help="sign a pack folder (primary)")
    sign.add_argument("path", type=Path, help="pack folder")
    sign.add_argument("--key", type=Path, required=True, help="the secret key file")
    sign.add_argument("--serial", type=int, help="above the last one (default: UTC time)")
    sign.add_argument("--version", dest="pack_version", help="the version the agents read")
    sign.add_argument(
        "--password-file",
        type=Path,
        help="for a key made by minisign -G with a password: a file holding it (else it is"
        " asked for on the terminal, or read from the first line of standard input)",
    )
    publish = actions.add_parser(
        "publish", parents=[common], help="publish a signed pack where seats fetch it"
    )
    publish.add_argument("path", type=Path, help="signed pack folder")
    publish.add_argument("dest", type=Path, help="a folder (a share, or one HTTP serves)")
    publish.add_argument("--keep", type=int, default=5, help="versions kept there")
    actions.add_parser("pull", parents=[common], help="check tables_source now, activate")
    actions.add_parser("rollback", parents=[common], help="back to the previous pack")
    actions.add_parser(
        "reset",
        parents=[common],
        help="the follower starts afresh: the next pack offered is taken even if its serial is"
        " below the active one (audited)",
    )


def handlers() -> dict[str, Handler]:
    return {
        "keygen": _keygen,
        "sign": _sign,
        "publish": _publish,
        "pull": _pull,
        "rollback": _rollback,
        "reset": _reset,
    }


def _keygen(_data_dir: str | None, args: argparse.Namespace) -> int:
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


def _sign(_data_dir: str | None, args: argparse.Namespace) -> int:
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


def _publish(_data_dir: str | None, args: argparse.Namespace) -> int:
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


def _pull(data_dir: str | None, _args: argparse.Namespace) -> int:
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


def _rollback(data_dir: str | None, _args: argparse.Namespace) -> int:
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


def _reset(data_dir: str | None, _args: argparse.Namespace) -> int:
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
