"""``repli site``: the backup site's store configuration (``config``) and its seats seen at
once (``seats``); ``repli wallboard``, its wall screen."""

from __future__ import annotations

import argparse
import glob
import json
import sys
from pathlib import Path

import desktop.cli.window as window
from desktop.cli.registry import arg, command, group
from desktop.exits import EXIT_OK, EXIT_REFUSED, EXIT_USAGE

group("site", "the backup site as one system")


@command(
    "site config",
    "write the site store's etcd and Patroni configuration",
    arg("--node", action="append", required=True, metavar="ADDRESS",
        help="a server running etcd and PostgreSQL under Patroni (repeat: two at least)"),
    arg("--etcd-only", action="append", default=[], metavar="ADDRESS",
        help="a server running only an etcd member (the third vote of a two-node site)"),
    arg("--seats", type=int, default=330, help="seats to size for (330)"),
    arg("--seats-network", action="append", metavar="CIDR",
        help="where the seats connect from (repeat; default: the private ranges)"),
    arg("--data-root", default="/var/lib/repli-site", metavar="DIR"),
    arg("--bin-dir", default="", metavar="DIR", help="PostgreSQL's programs"),
    arg("--postgres-port", type=int, default=5432),
    arg("--rest-port", type=int, default=8008, help="Patroni's REST API"),
    arg("--etcd-port", type=int, default=2379, help="its peers' is the next"),
    arg("--pgbouncer-port", type=int, default=6432),
    arg("--pgbouncer", action=argparse.BooleanOptionalAction, default=False,
        help="a PgBouncer in transaction mode on each node, following Patroni (docs/site.md)"),
    arg("--out", type=Path, required=True, metavar="DIR", help="a new folder"),
)  # fmt: skip
def config(_data_dir: str | None, args: argparse.Namespace) -> int:
    from desktop.site.store_config import Ports, SiteConfigError, SitePlan, write_site

    found = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(p.split("/")[4]))
    plan = SitePlan(
        nodes=args.node,
        etcd_only=args.etcd_only,
        seats=args.seats,
        data_root=args.data_root,
        bin_dir=args.bin_dir or (found[-1] if found else "/usr/lib/postgresql/15/bin"),
        ports=Ports(args.postgres_port, args.rest_port, args.etcd_port, args.pgbouncer_port),
        pgbouncer=args.pgbouncer,
    )
    if args.seats_network:
        plan.seats_network = tuple(args.seats_network)
    try:
        written = write_site(plan, args.out)
    except SiteConfigError as exc:
        print(f"repli site config: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except OSError as exc:
        print(f"repli site config: {exc}", file=sys.stderr)
        return EXIT_REFUSED
    print(f"wrote {len(written.files)} files in {written.folder} (secrets 0600): see README.txt")
    print(f"the seats' URL is in {written.seat_url_file} (not printed: it holds a password)")
    print(
        f"sized for {plan.seats} seats: max_connections {plan.max_connections}"
        + (", PgBouncer in transaction mode" if plan.pgbouncer else "")
    )
    return EXIT_OK


@command(
    "site seats",
    "every seat of the site: up, signed in, tables, backlog",
    arg("--json", action="store_true", help="print JSON"),
)
def seats(data_dir: str | None, args: argparse.Namespace) -> int:
    as_json = args.json
    from desktop.context import SeatContext
    from desktop.site.roster import RosterLine, read_roster
    from desktop.store.engine import make_engine
    from desktop.store.schema import ensure_site_schema
    from desktop.store.site_calls import READ_BOUND_S, within

    seat = SeatContext.open(data_dir)
    url = seat.settings.site_database_url
    seat.close()
    if not url:
        print("repli site seats: this seat has no site database", file=sys.stderr)
        return EXIT_REFUSED
    engine = make_engine(url)

    def read() -> list[RosterLine]:
        ensure_site_schema(engine)
        return read_roster(engine)

    try:
        lines = within(engine, read, READ_BOUND_S)()
    finally:
        engine.dispose()
    if as_json:
        print(json.dumps([line.as_dict() for line in lines], ensure_ascii=False, indent=1))
        return EXIT_OK
    if not lines:
        print("no seat has written to the site's roster yet")
        return EXIT_OK
    for line in lines:
        s = line.state
        mark = "STALE" if line.stale else ("warn " if line.problems else "ok   ")
        who = s.agent or "(nobody signed in)"
        words = "; ".join(p.text() for p in line.problems) or "ok"
        print(
            f"[{mark}] {s.seat_id} ({s.pc_name}, {s.version}) {who} · tables "
            f"{s.pack_serial or '-'} · {s.mode} · {words}"
        )
    stale = sum(1 for line in lines if line.stale)
    print(
        f"{len(lines)} seat(s), {stale} stale, {sum(1 for x in lines if x.problems)} with problems"
    )
    return EXIT_OK


@command(
    "wallboard",
    "the site's wall screen, full screen (site store only)",
    arg("--seats-only", action="store_true",
        help="the seats' health only, no client's figures (the screen in the hall); on a PC"
        " provisioned for several clients, every client's, one line each"),
)  # fmt: skip
def wallboard(data_dir: str | None, args: argparse.Namespace) -> int:
    return window.wallboard(data_dir, args.lang or "", args.seats_only)
