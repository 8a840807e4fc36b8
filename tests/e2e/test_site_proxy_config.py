"""``repli telephony site-proxy`` with hostile values in every field: each refused with where
and what, never pasted into the file; the edge values it accepts make a file the real
Kamailio reads (``kamailio -c``). A notify URL with quotes and newlines once sent another
seat's calls, and its token, wherever the URL said."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from desktop.telephony.site_proxy import ProxyConfigError, SeatRoute, render
from tests.helpers.cli import repli

GOOD_URL = "http://10.0.0.21:47811/v1/call-events"
TOKEN = "tok-123456"

HOSTILE_URLS = [
    'http://10.0.0.21:47811/v1/call-events?x=";\n$sht(notify=>0187654322) = "http://evil/',
    "http://10.0.0.21:47811/v1/call-events#frag",
    "http://10.0.0.21:47811/v1/call-events?token=x",
    'http://ev"il:1/v1/call-events',
    "http://user:pw@10.0.0.21:47811/v1/call-events",
    "http://10.0.0.21:99999/v1/call-events",
    "http://évil.example/v1/call-events",  # non-ASCII: once a UnicodeEncodeError traceback
    "http://10.0.0.21:47811/v1/call-events\\",
    "http://$sht(token=>x):1/v1/call-events",
]
HOSTILE_SIP = [
    'sip:seat@h";exit;"',
    "sip:seat@h\nrequest_route{}",
    "sip:seat@h:70000",
    "sip:se\\at@h",
    "sip:$ru@h",
]
HOSTILE_TOKENS = ['tok"12345', "tok\n12345678", "tok$sht(x)1234", "tök-123456"]


@pytest.mark.parametrize("url", HOSTILE_URLS)
def test_a_hostile_notify_url_is_refused(url: str) -> None:
    with pytest.raises(ProxyConfigError, match="v1/call-events"):
        SeatRoute("0187654321", "sip:seat1@10.0.0.21:5060", url, TOKEN).check()


@pytest.mark.parametrize("uri", HOSTILE_SIP)
def test_a_hostile_sip_uri_is_refused(uri: str) -> None:
    with pytest.raises(ProxyConfigError, match="sip: URI"):
        SeatRoute("0187654321", uri, GOOD_URL, TOKEN).check()


@pytest.mark.parametrize("token", HOSTILE_TOKENS)
def test_a_hostile_token_is_refused(token: str) -> None:
    with pytest.raises(ProxyConfigError, match="token"):
        SeatRoute("0187654321", "sip:seat1@10.0.0.21", GOOD_URL, token).check()


def test_a_route_made_without_parsing_is_checked_before_it_is_written() -> None:
    forged = SeatRoute("0187654321", "sip:seat1@h", 'http://h:1/v1/call-events";\n', TOKEN)
    with pytest.raises(ProxyConfigError):
        render("10.0.0.5:5060", [forged])
    with pytest.raises(ProxyConfigError):
        render("10.0.0.5:5060", [SeatRoute('1234";', "sip:seat1@h", GOOD_URL, TOKEN)])


def test_the_command_refuses_each_with_where_and_what(tmp_path: Path) -> None:
    for route in (
        f"0187654321=sip:seat1@10.0.0.21,{HOSTILE_URLS[0]},{TOKEN}",
        f"0187654321=sip:seat1@10.0.0.21,{HOSTILE_URLS[6]},{TOKEN}",
    ):
        out = tmp_path / "kamailio.cfg"
        done = repli(tmp_path, "telephony", "site-proxy", "--listen", "10.0.0.5:5060",
                     "--seat", route, "--out", str(out))  # fmt: skip
        assert done.returncode != 0 and "v1/call-events" in done.stderr
        assert "Traceback" not in done.stderr and not out.exists()


def test_a_numbers_file_that_is_a_fifo_is_refused_at_once(tmp_path: Path) -> None:
    fifo = tmp_path / "numbers.txt"
    os.mkfifo(fifo)
    done = repli(tmp_path, "telephony", "site-proxy", "--listen", "10.0.0.5:5060",
                 "--mode", "request-uri", "--seat", "0187654321=sip:seat1@10.0.0.21",
                 "--numbers", str(fifo), "--out", str(tmp_path / "k.cfg"))  # fmt: skip
    assert done.returncode != 0 and "not a regular file" in done.stderr


def test_the_edge_values_accepted_make_a_file_kamailio_reads(tmp_path: Path) -> None:
    kamailio = shutil.which("kamailio")
    assert kamailio, "kamailio is missing: dev.py test installs it"
    seats = [
        SeatRoute("+33187654321", "sips:seat_1.a+b-c@[::1]:5061",
                  "http://[::1]:47811/v1/call-events", "A" * 200),
        SeatRoute("0187654322", "sip:s@seat-2.site.example",
                  "http://seat-2.site.example/v1/call-events", "a.b_c~d-e"),
        SeatRoute("0187654323", "sip:s@10.0.0.23:65535",
                  "http://10.0.0.23:65535/v1/call-events", "12345678"),
    ]  # fmt: skip
    for mode, numbers in (("notify", None), ("request-uri", ["+33199006881", "0590823691"])):
        config = tmp_path / f"{mode}.cfg"
        config.write_text(render("127.0.0.1:5060", seats, mode, numbers))
        checked = subprocess.run([kamailio, "-c", "-f", str(config)], capture_output=True,
                                 text=True, timeout=30)  # fmt: skip
        assert checked.returncode == 0, checked.stderr[-2000:]
        text = config.read_text()
        assert '$sht(notify=>+33187654321) = "http://[::1]:47811/v1/call-events";' in text
