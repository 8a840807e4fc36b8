"""A rerouted call through the site proxy, to the agent's window: INVITE sent by the carrier
→ the branch of the number dialled shown in the window, beside INVITE → the seat's softphone
ringing (180 back at the carrier), in the same run, over 200 calls.

    .venv/bin/python benchmarks/site_proxy.py [--calls 200] [--rate 5]

Real processes on loopback addresses: Kamailio running the configuration ``repli telephony
site-proxy`` writes (notify mode), SIPp as the carrier (a two-hop Diversion chain) and as the
softphone, and the real agent window (offscreen) listening for the proxy on 127.0.0.2. Each
branch shown, the benchmark abandons the contact so the next call finds the form idle (the
rate leaves the window time to: a call ringing on a busy form waits for the agent's F9).
Kamailio and SIPp come from Debian (dev.py installs them).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.helpers.percentiles import p99  # noqa: E402
from tests.helpers.site_proxy import free_udp  # noqa: E402

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from desktop.telephony.site_proxy import SeatRoute, write  # noqa: E402

SCENARIO = ROOT / "tests" / "helpers" / "sipp" / "rerouted.xml"


def trace_times(path: Path) -> tuple[dict[str, float], dict[str, float]]:
    """From SIPp's message trace: each call's first INVITE sent, and first 180 received."""
    sent: dict[str, float] = {}
    ringing: dict[str, float] = {}
    blocks = re.split(r"^-{20,} (\S+ \S+)\n", path.read_text(errors="replace"), flags=re.M)
    for stamp, body in zip(blocks[1::2], blocks[2::2], strict=False):
        at = datetime.strptime(stamp, "%Y-%m-%d %H:%M:%S.%f").timestamp()
        call = re.search(r"^Call-ID:\s*(\S+)", body, re.M | re.I)
        if call is None:
            continue
        lines = [line for line in body.strip().splitlines() if line.strip()]
        first = lines[1] if len(lines) > 1 else ""
        if "message sent" in lines[0] and first.startswith("INVITE "):
            sent.setdefault(call.group(1), at)
        elif "message received" in lines[0] and first.startswith("SIP/2.0 180"):
            ringing.setdefault(call.group(1), at)
    return sent, ringing


def open_window(folder: Path):  # type: ignore[no-untyped-def]
    from screen_pop_load import open_window as open_seat  # type: ignore[import-not-found]

    lan = 'pop_port = 0\npop_lan_address = "127.0.0.2"\npop_lan_allow = ["127.0.0.1"]\n'
    return open_seat(folder / "seat", lan)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=200)
    parser.add_argument("--rate", type=int, default=5, help="calls a second")
    args = parser.parse_args(argv)
    for program in ("kamailio", "sipp"):
        if shutil.which(program) is None:
            print(f"{program} is missing (dev.py test installs it)", file=sys.stderr)
            return 1
    from PySide6.QtCore import QTimer

    from desktop.telephony.secrets import pop_token
    from tests.helpers.site_proxy import start_kamailio

    folder = Path(tempfile.mkdtemp(prefix="repli-proxy-"))
    app, window = open_window(folder)
    page = window.page
    shown: dict[str, float] = {}

    def match_changed(match: object) -> None:
        call_id = page.contact.call_id
        if match is not None and call_id and page.contact.found_by == "pop":
            shown.setdefault(call_id, time.time())
            QTimer.singleShot(0, page.abandon)  # the form idle again for the next call

    page.lookup.matchChanged.connect(match_changed)
    phone_port, proxy_port = free_udp("127.0.0.4"), free_udp("127.0.0.3")
    config = folder / "kamailio.cfg"
    token = pop_token(window.paths.root)
    write(config, f"127.0.0.3:{proxy_port}", [SeatRoute(
        "0187654321", f"sip:seat@127.0.0.4:{phone_port}",
        f"http://127.0.0.2:{window.intake.state.port}/v1/call-events", token,
    )])  # fmt: skip
    kamailio = start_kamailio(config, folder, proxy_port)
    phone = subprocess.Popen(
        ["sipp", "-sn", "uas", "-i", "127.0.0.4", "-p", str(phone_port), "-nostdin"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=folder,
    )  # fmt: skip
    trace = folder / "carrier.log"
    try:
        carrier = subprocess.Popen(
            ["sipp", "-sf", str(SCENARIO), "-s", "0187654321", "-i", "127.0.0.5", "-p",
             str(free_udp("127.0.0.5")), "-m", str(args.calls), "-r", str(args.rate),
             "-nostdin", "-timeout", "300", "-key", "caller", "0612345678",
             "-key", "hdr1", "Diversion: <sip:0156781234@pabx>;reason=no-answer",
             "-key", "hdr2", "Diversion: <tel:+33-1-43-65-68-81>;reason=unconditional",
             "-trace_msg", "-message_file", str(trace), f"127.0.0.3:{proxy_port}"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=folder,
        )  # fmt: skip
        while carrier.poll() is None:
            app.processEvents()
            time.sleep(0.0005)
        end = time.monotonic() + 2
        while time.monotonic() < end:
            app.processEvents()
    finally:
        for process in (kamailio, phone):
            process.terminate()
            process.wait(10)
        window.ops.shutdown()
        window.intake.stop()
        if window.seat is not None:
            window.seat.close()
    sent, ringing = trace_times(trace)
    on_screen = [shown[c] - sent[c] for c in sent if c in shown]
    rang = [ringing[c] - sent[c] for c in sent if c in ringing]
    shutil.rmtree(folder, ignore_errors=True)
    if not on_screen or not rang:
        print(f"no figures: {len(sent)} INVITEs, {len(shown)} shown, {len(ringing)} rang")
        return 1
    print(f"{len(sent)} calls at {args.rate}/s; branch shown for {len(on_screen)}, "
          f"the softphone rang for {len(rang)}")  # fmt: skip
    for label, values in (
        ("INVITE → the branch shown in the window", on_screen),
        ("INVITE → the softphone ringing (180 back, reference)", rang),
    ):
        print(f"{label}: median {statistics.median(values) * 1000:.1f} ms, "
              f"p99 {p99(values) * 1000:.1f} ms")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
