"""``repli telephony``: what to give the telephony (``info``) and the site's Kamailio
configuration (``site-proxy``)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from desktop.cli.registry import arg, command, group
from desktop.exits import EXIT_OK, EXIT_REFUSED

group("telephony", "screen-pop settings and the site's SIP proxy")


@command(
    "telephony info", "URL, token, command", arg("--json", action="store_true", help="print JSON")
)
def info_command(data_dir: str | None, args: argparse.Namespace) -> int:
    as_json = args.json
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


@command(
    "telephony site-proxy",
    "write the site's Kamailio configuration",
    arg("--listen", required=True, metavar="ADDRESS:PORT", help="the proxy's SIP side"),
    arg("--seat", action="append", required=True, metavar="NUMBER=SIP-URI[,NOTIFY-URL,TOKEN]",
        help="a line's number, its seat's SIP address, that seat's Repli and token (repeat)"),
    arg("--mode", choices=("notify", "request-uri"), default="notify",
        help="notify: tell each seat's Repli; request-uri: put the number dialled in the "
        "request URI for seats that listen to their softphone only"),
    arg("--numbers", type=Path, metavar="FILE",
        help="request-uri mode: the softphones' account numbers, one a line"),
    arg("--seat-down-for", type=int, default=10, metavar="SECONDS",
        help="a seat's Repli that did not answer is left out this long (default 10)"),
    arg("--out", type=Path, required=True, help="the kamailio.cfg to write"),
)  # fmt: skip
def site_proxy(_data_dir: str | None, args: argparse.Namespace) -> int:
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
