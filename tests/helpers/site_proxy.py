"""The site proxy's processes for the tests and the benchmark, on loopback addresses of their
own: Kamailio running a configuration ``repli telephony site-proxy`` wrote, and SIPp as the
carrier sending rerouted calls to it."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from pathlib import Path

SIPP = Path(__file__).resolve().parent / "sipp"
PROXY, CARRIER = "127.0.0.3", "127.0.0.5"
ANSWERED, CANCELLED = SIPP / "rerouted.xml", SIPP / "rerouted_cancelled.xml"


def program(name: str) -> str:
    found = shutil.which(name)
    assert found, f"{name} is missing: dev.py test installs it (Debian: kamailio, sip-tester)"
    return found


def free_udp(host: str) -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.bind((host, 0))
        return int(probe.getsockname()[1])


def start_kamailio(config: Path, folder: Path, port: int) -> subprocess.Popen[bytes]:
    """Kamailio in the foreground on ``config``, its log in ``folder/kamailio.log``, once it
    answers SIP on ``PROXY:port``."""
    log = (folder / "kamailio.log").open("wb")
    process = subprocess.Popen(
        [program("kamailio"), "-DD", "-E", "-f", str(config), "-P", str(folder / "k.pid"),
         "-Y", str(folder)],
        stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    deadline = time.monotonic() + 10
    while not _answers(port):
        assert process.poll() is None, (folder / "kamailio.log").read_text()
        assert time.monotonic() < deadline, "Kamailio did not start"
    return process


def _answers(port: int) -> bool:
    """An OPTIONS gets an answer (the proxy's 405): its SIP workers are up."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.bind((CARRIER, 0))
        probe.settimeout(0.2)
        here = probe.getsockname()[1]
        probe.sendto(
            (
                f"OPTIONS sip:ping@{PROXY}:{port} SIP/2.0\r\n"
                f"Via: SIP/2.0/UDP {CARRIER}:{here};branch=z9hG4bK-ready-{time.monotonic_ns()}\r\n"
                f"From: <sip:test@{CARRIER}>;tag=ready\r\nTo: <sip:ping@{PROXY}>\r\n"
                f"Call-ID: ready-{time.monotonic_ns()}@{CARRIER}\r\nCSeq: 1 OPTIONS\r\n"
                "Max-Forwards: 70\r\nContent-Length: 0\r\n\r\n"
            ).encode(),
            (PROXY, port),
        )
        try:
            return probe.recv(4096).startswith(b"SIP/2.0")
        except OSError:
            return False


def carrier(
    port: int,
    line: str,
    *headers: str,
    folder: Path,
    caller: str = "0612345678",
    scenario: Path = ANSWERED,
) -> subprocess.Popen[str]:
    """One call from the carrier to the proxy for ``line``, with up to two extra header lines."""
    extra = [*headers, "X-Repli-Test: 1", "X-Repli-Test: 2"][:2]
    return subprocess.Popen(
        [program("sipp"), "-sf", str(scenario), "-s", line, "-i", CARRIER, "-p",
         str(free_udp(CARRIER)), "-m", "1", "-nostdin", "-timeout", "20", "-trace_err",
         "-key", "caller", caller, "-key", "hdr1", extra[0], "-key", "hdr2", extra[1],
         f"{PROXY}:{port}"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=folder,
    )  # fmt: skip


def finished(call: subprocess.Popen[str], folder: Path) -> None:
    """The carrier's call went as its scenario says (SIPp's exit code), within a minute."""
    out, _err = call.communicate(timeout=60)
    errors = "".join(log.read_text(errors="replace") for log in folder.glob("*_errors.log"))
    assert call.returncode == 0, (out or "")[-1500:] + errors[-3000:]
