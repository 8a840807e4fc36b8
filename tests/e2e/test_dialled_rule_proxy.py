"""The site proxy's script reads the number dialled by the same rule as the seat: each case
of the shared table (tests/helpers/dialled_cases.py) sent by the carrier (SIPp) through the
real Kamailio in request-uri mode, the number and header read from its log line. The seat's
side: tests/unit/test_dialled_number.py."""

from __future__ import annotations

import re
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop.telephony.site_proxy import SeatRoute, proxy_key, render
from tests.helpers.dialled_cases import CASES, Case
from tests.helpers.site_proxy import PROXY, carrier, finished, free_udp, program, start_kamailio

LINE, PHONE = "0187654321", "127.0.0.4"
_DIALLED = re.compile(r"dialled (\S+) \(([A-Za-z-]+)\)")


@pytest.fixture(scope="module")
def proxy(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[int, Path]]:
    folder = tmp_path_factory.mktemp("proxy")
    phone_port, port = free_udp(PHONE), free_udp(PROXY)
    seat = SeatRoute(LINE, f"sip:seat@{PHONE}:{phone_port}")
    config = folder / "kamailio.cfg"
    config.write_text(render(f"{PROXY}:{port}", [seat], "request-uri", ["0199006881"]))
    kamailio = start_kamailio(config, folder, port)
    phone = subprocess.Popen(
        [program("sipp"), "-sn", "uas", "-i", PHONE, "-p", str(phone_port), "-nostdin"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=folder,
    )  # fmt: skip
    try:
        yield port, folder
    finally:
        for process in (kamailio, phone):
            process.terminate()
            process.wait(10)


def dialled_lines(folder: Path) -> list[tuple[str, str]]:
    return _DIALLED.findall((folder / "kamailio.log").read_text(errors="replace"))


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_the_proxy_reads_each_shared_case_as_the_seat_does(
    proxy: tuple[int, Path], tmp_path: Path, case: Case
) -> None:
    port, folder = proxy
    before = len(dialled_lines(folder))
    finished(carrier(port, LINE, *case.headers, folder=tmp_path), tmp_path)
    deadline = time.monotonic() + 5
    while len(dialled_lines(folder)) == before and time.monotonic() < deadline:
        time.sleep(0.02)
    (number, via), *_ = dialled_lines(folder)[before:]
    assert (proxy_key(number), via) == (proxy_key(case.number or LINE), case.via)
