"""The number a rerouted caller dialled, from real header chains, by the documented rule."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlencode

import pytest

from desktop.telephony.dialled import (
    CALLED_PARTY,
    DIVERSION,
    HISTORY_INFO,
    REQUEST_URI,
    TO,
    number_of,
    original_dialled,
    split_entries,
)
from tests.helpers.dialled_cases import CASES, Case, as_pairs

SEAT = "sip:seat1@backup.example"


def test_history_info_gives_where_the_call_began_whatever_the_order() -> None:
    headers = [
        ("History-Info", "<sip:seat1@backup.example>;index=1.1.1"),
        (
            "History-Info",
            '"Agence" <sip:+33199006881@carrier.example;user=phone?Reason=SIP%3Bcause%3D302>;index=1,'
            " <sip:0987654321@pabx.example;cause=302>;index=1.1",
        ),
        ("Diversion", "<sip:0987654321@pabx.example>;reason=unconditional"),
        ("To", "<sip:seat1@backup.example>"),
    ]
    found = original_dialled(headers, SEAT)
    assert found is not None and found.header == HISTORY_INFO and found.number == "+33199006881"


def test_the_bottom_most_diversion_is_the_original_not_the_last_hop() -> None:
    headers = [  # two hops: the branch's line forwarded to the PABX, the PABX to the site
        ("Diversion", "<sip:0156781234@pabx.example>;reason=no-answer;counter=1"),
        ("Diversion", "<tel:+33-1-99-00-68-81>;reason=unconditional;counter=1"),
        ("To", "<sip:seat1@backup.example>"),
    ]
    found = original_dialled(headers, SEAT)
    assert found is not None and (found.header, found.number) == (DIVERSION, "+33199006881")
    one_line = [("Diversion", "<sip:0156781234@a>;reason=no-answer, <sip:0199006881@b>")]
    found = original_dialled(one_line, SEAT)
    assert found is not None and found.number == "0199006881"


@pytest.mark.parametrize(
    ("headers", "request_uri", "header", "number"),
    [
        (
            [("P-Called-Party-ID", "<sip:0033199006881@ims.example>")],
            SEAT,
            CALLED_PARTY,
            "+33199006881",
        ),
        ([("To", '"Obsèques" <sip:01.99.00.68.81@site.example>;tag=1')], SEAT, TO, "0199006881"),
        ([("t", "<tel:0199006881>")], SEAT, TO, "0199006881"),  # the compact form of To
        (
            [("To", "<sip:seat1@backup.example>")],
            "sip:%2B33199006881@site",
            REQUEST_URI,
            "+33199006881",
        ),
        ([("To", "sip:+33199006881@site.example;tag=9")], SEAT, TO, "+33199006881"),
    ],
)
def test_each_fallback_in_turn(
    headers: list[tuple[str, str]], request_uri: str, header: str, number: str
) -> None:
    found = original_dialled(headers, request_uri)
    assert found is not None and (found.header, found.number) == (header, number)


def test_an_account_name_is_no_number_and_nothing_is_no_answer() -> None:
    assert original_dialled([("To", "<sip:seat1@backup.example>")], SEAT) is None
    assert original_dialled([("From", "<sip:anonymous@anonymous.invalid>")], "") is None
    assert number_of("sip:anonymous@anonymous.invalid") is None
    assert number_of("mailto:x@y") is None and number_of("sip:12@x") is None
    huge = [("Diversion", "<sip:0199006881@x>," * 2000)]  # an INVITE built to be slow
    assert original_dialled(huge, "") is None


def test_commas_inside_names_and_uris_do_not_split() -> None:
    value = '"Dupont, Jean" <sip:0199006881@a;x=1,2>;index=1, <sip:seat@b>;index=1.1'
    assert split_entries(value) == [
        '"Dupont, Jean" <sip:0199006881@a;x=1,2>;index=1',
        "<sip:seat@b>;index=1.1",
    ]


def test_the_proxy_notification_carries_the_raw_headers_and_the_seat_applies_the_rule() -> None:
    from desktop.telephony.calls import CallBook
    from desktop.telephony.events import EventError, EventKind, from_fields

    sip = {
        "diversion": [
            "<sip:0156781234@pabx.example>;reason=no-answer",
            "<sip:+33199006881@carrier.example>;reason=unconditional",
        ],
        "to": "<sip:+33187654321@backup.example>",
        "request_uri": "sip:+33187654321@10.0.0.21:5060",
    }
    event = from_fields(
        {"event": "ringing", "call_id": "k1", "caller": "0612345678", "sip": sip}, "lan"
    )
    assert (event.called, event.called_via, event.reached_on) == (
        "+33199006881",
        "Diversion",
        "+33187654321",
    )
    # the softphone saw the call first, on the number the seat was reached on: one call,
    # and the dialled number the proxy found replaces it
    book = CallBook()
    softphone = from_fields(
        {"event": "ringing", "call_id": "k1", "called": "+33187654321"}, "baresip"
    )
    first = book.apply(softphone).call
    assert first.called == "+33187654321" and not first.called_via
    merged = book.apply(event).call
    assert (merged.called, merged.called_via, merged.reached_on, merged.events) == (
        "+33199006881",
        "Diversion",
        "+33187654321",
        2,
    )
    assert from_fields({"event": EventKind.ENDED.value, "call_id": "k1"}, "x").called_via == ""
    with pytest.raises(EventError, match=r"sip\.diversion"):
        from_fields(
            {"event": "ringing", "call_id": "k2", "sip": {"diversion": ["x" * 5000]}}, "lan"
        )
    with pytest.raises(EventError, match="called_via must be one of"):
        from_fields({"event": "ringing", "call_id": "k3", "called": "1", "called_via": "X"}, "lan")


def test_the_site_proxy_configuration_refuses_what_would_misroute_a_call() -> None:
    from desktop.telephony.site_proxy import ProxyConfigError, SeatRoute, render

    seat = SeatRoute.parse(
        "0187654321=sip:seat1@10.0.0.21:5060,http://10.0.0.21:47811/v1/call-events,tok-123456"
    )
    text = render("10.0.0.5:5060", [seat])
    assert (
        "listen=udp:10.0.0.5:5060" in text
        and '$sht(seat=>0187654321) = "sip:seat1@10.0.0.21:5060";' in text
    )
    for bad in (
        "0187654321=sip:seat1@10.0.0.21,http://10.0.0.21:47811/v1/call-events",  # no token
        'x"; exit; #=sip:seat1@h,http://h:1/v1/call-events,tok-123456',  # not a number
        "0187654321=sip:se at@h,http://h:1/v1/call-events,tok-123456",
        "0187654321=sip:seat@h,https://h:1/other,tok-123456",
        '0187654321=sip:seat@h,http://h:1/v1/call-events,tok"; exit;',
    ):
        with pytest.raises(ProxyConfigError):
            SeatRoute.parse(bad)
    with pytest.raises(ProxyConfigError, match="same number"):
        render("10.0.0.5:5060", [seat, seat])
    with pytest.raises(ProxyConfigError, match="ADDRESS:PORT"):
        render("proxy.lan:5060", [seat])


def test_request_uri_mode_keys_every_spelling_of_an_account_number() -> None:
    """The script reads a number as ``proxy_key`` does; the table holds every reading of each
    account's number (E.164, 00…, national, and for an overseas one its +33 form too)."""
    from desktop.telephony.site_proxy import ProxyConfigError, accounts_table, proxy_key

    table = accounts_table(["0199006881", "0590823691"])
    for spelling in ("+33199006881", "0033199006881", "01.99.00.68.81", "33199006881",
                     "+33-1-99-00-68-81", "0199006881"):  # fmt: skip
        assert table[proxy_key(spelling) or ""] == "0199006881", spelling
    for spelling in ("+590590823691", "00590590823691", "0590 82 36 91"):
        assert table[proxy_key(spelling) or ""] == "0590823691", spelling
    assert proxy_key("seat1") is None and proxy_key("12") is None
    with pytest.raises(ProxyConfigError, match="two accounts"):
        accounts_table(["0199006881", "+33199006881"])
    with pytest.raises(ProxyConfigError, match="softphone account"):
        accounts_table(['0143"; exit; #'])


def test_both_modes_write_a_configuration_kamailio_accepts(tmp_path: Path) -> None:
    import shutil
    import subprocess

    from desktop.telephony.site_proxy import ProxyConfigError, SeatRoute, render, write

    kamailio = shutil.which("kamailio")
    assert kamailio, "kamailio is missing: dev.py test installs it"
    notified = SeatRoute.parse(
        "0187654321=sip:seat1@10.0.0.21:5060,http://10.0.0.21:47811/v1/call-events,tok-123456"
    )
    alone = SeatRoute.parse("0187654322=sip:seat2@10.0.0.22:5060")
    for mode, seats, numbers in (("notify", [notified], None),
                                 ("request-uri", [notified, alone], ["0199006881"])):  # fmt: skip
        config = write(tmp_path / f"{mode}.cfg", "127.0.0.1:5060", seats, mode, numbers)
        checked = subprocess.run([kamailio, "-c", "-f", str(config)], capture_output=True,
                                 text=True, timeout=30)  # fmt: skip
        assert checked.returncode == 0, checked.stderr[-2000:]
        assert ("route(REWRITE);" in config.read_text()) is (mode == "request-uri")
    with pytest.raises(ProxyConfigError, match="every seat needs its Repli"):
        render("127.0.0.1:5060", [alone])
    with pytest.raises(ProxyConfigError, match="account numbers"):
        render("127.0.0.1:5060", [alone], "request-uri")


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_the_seat_reads_each_shared_case_as_the_proxy_does(case: Case) -> None:
    """The same table runs against the proxy's script (tests/e2e/test_dialled_rule_proxy.py)."""
    from desktop.telephony.site_proxy import proxy_key

    line = "0187654321"
    headers = [*as_pairs(case.headers), ("To", f"<sip:{line}@127.0.0.3>")]
    found = original_dialled(headers, f"sip:{line}@127.0.0.3")
    assert found is not None
    assert (proxy_key(found.number), found.header) == (
        proxy_key(case.number or line),
        case.via,
    )


def test_a_long_history_info_chain_still_pops_the_number_dialled() -> None:
    """The proxy joins every History-Info entry in one field: a 15-hop chain was over the
    2,048 characters of a field, and the pop was refused (422)."""
    from desktop.telephony.events import from_form_body

    hops = ", ".join(
        f'"Saut {i}" <sip:01567812{i:02d}@pabx-{i}.example;cause=302>;index=1' + ".1" * i
        for i in range(1, 40)
    )
    chain = f"<sip:+33199006881@carrier.example;user=phone>;index=1, {hops}"
    assert len(chain) > 2048
    body = urlencode(
        {"event": "ringing", "call_id": "long", "sip_history_info": chain, "caller": "0612345678"}
    ).encode()
    event = from_form_body(body)
    assert (event.called, event.called_via) == ("+33199006881", "History-Info")
