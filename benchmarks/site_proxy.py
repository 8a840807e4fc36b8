"""A rerouted call through the site proxy: INVITE sent by the carrier → the seat's Repli told
the number dialled, beside INVITE → the seat's softphone ringing (180 back at the carrier),
in the same run, over 200 calls.

    .venv/bin/python benchmarks/site_proxy.py [--calls 200] [--rate 20]

Real processes on loopback addresses: Kamailio running the configuration ``repli telephony
site-proxy`` writes, SIPp as the carrier (a two-hop Diversion chain) and as the softphone,
the seat's Repli listener (the real PopServer) on 127.0.0.2. Kamailio and SIPp come from
Debian (dev.py installs them).
"""

from __future__ import annotations

import argparse
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from desktop.telephony.events import CallEvent, EventKind  # noqa: E402
from desktop.telephony.http_listener import PopServer  # noqa: E402
from desktop.telephony.site_proxy import SeatRoute, write  # noqa: E402

SCENARIO = ROOT / "tests" / "helpers" / "sipp" / "rerouted.xml"
TOKEN = "bench-seat-token"


def free_udp(host: str) -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.bind((host, 0))
        return int(probe.getsockname()[1])


def p99(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]


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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=200)
    parser.add_argument("--rate", type=int, default=20, help="calls a second")
    args = parser.parse_args(argv)
    for program in ("kamailio", "sipp"):
        if shutil.which(program) is None:
            print(f"{program} is missing (dev.py test installs it)", file=sys.stderr)
            return 1
    folder = Path(tempfile.mkdtemp(prefix="repli-proxy-"))
    told: dict[str, float] = {}

    def heard(event: CallEvent) -> None:
        if event.kind is EventKind.RINGING:
            told.setdefault(event.call_id, time.time())

    pop = PopServer(0, TOKEN, heard, rate=1000, burst=1000, lan_address="127.0.0.2",
                    lan_allow=("127.0.0.1",))  # fmt: skip
    pop.start()
    phone_port, proxy_port = free_udp("127.0.0.4"), free_udp("127.0.0.3")
    config = folder / "kamailio.cfg"
    write(config, f"127.0.0.3:{proxy_port}", [SeatRoute(
        "0187654321", f"sip:seat@127.0.0.4:{phone_port}",
        f"http://127.0.0.2:{pop.state.port}/v1/call-events", TOKEN,
    )])  # fmt: skip
    kamailio = subprocess.Popen(
        ["kamailio", "-DD", "-E", "-f", str(config), "-P", str(folder / "k.pid"), "-Y", str(folder)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    phone = subprocess.Popen(
        ["sipp", "-sn", "uas", "-i", "127.0.0.4", "-p", str(phone_port), "-nostdin"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=folder,
    )  # fmt: skip
    time.sleep(1.0)
    trace = folder / "carrier.log"
    try:
        subprocess.run(
            ["sipp", "-sf", str(SCENARIO), "-s", "0187654321", "-i", "127.0.0.5", "-p",
             str(free_udp("127.0.0.5")), "-m", str(args.calls), "-r", str(args.rate),
             "-nostdin", "-timeout", "120", "-key", "caller", "0612345678",
             "-key", "hdr1", "Diversion: <sip:0156781234@pabx>;reason=no-answer",
             "-key", "hdr2", "Diversion: <tel:+33-1-43-65-68-81>;reason=unconditional",
             "-trace_msg", "-message_file", str(trace), f"127.0.0.3:{proxy_port}"],
            capture_output=True, text=True, timeout=300, cwd=folder,
        )  # fmt: skip
        time.sleep(1.0)
    finally:
        for process in (kamailio, phone):
            process.terminate()
            process.wait(10)
        pop.stop()
    sent, ringing = trace_times(trace)
    notified = [told[c] - sent[c] for c in sent if c in told]
    rang = [ringing[c] - sent[c] for c in sent if c in ringing]
    shutil.rmtree(folder, ignore_errors=True)
    if not notified or not rang:
        print(f"no figures: {len(sent)} INVITEs, {len(told)} told, {len(ringing)} rang")
        return 1
    print(f"{len(sent)} calls at {args.rate}/s; the seat's Repli told {len(notified)}, "
          f"the softphone rang {len(rang)}")  # fmt: skip
    print(f"INVITE → Repli told the number dialled: median {statistics.median(notified) * 1000:.1f} ms,"
          f" p99 {p99(notified) * 1000:.1f} ms")  # fmt: skip
    print(f"INVITE → the softphone ringing (180 back, reference): median "
          f"{statistics.median(rang) * 1000:.1f} ms, p99 {p99(rang) * 1000:.1f} ms")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
