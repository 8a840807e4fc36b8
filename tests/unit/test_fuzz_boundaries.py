"""Generated input at the readers an outsider feeds: the table pack reader, the merge
reader, the screen-pop body parser, the LAN intake with the site's signatures (over real
HTTP) and the site proxy's configuration. Each answers with its own error (a message that
says where and what, or an HTTP status), never another exception."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop.supervisor.export import EXPORT_SCHEMA
from desktop.supervisor.merge import MergeError, read_file
from desktop.tables.validate import PackError, read_pack
from desktop.telephony.events import EventError, from_json_body, from_query
from tests.helpers.packs import BRANCHES, CALL_TYPES, NUMBERS, csv_text

FUZZ = settings(
    max_examples=int(os.environ.get("REPLI_FUZZ_EXAMPLES", "150")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
cells = st.one_of(
    st.text(max_size=30),
    st.sampled_from(["", "01 99 00 66 77", "0262 21 34 56", "F1", "Ctrl+S", "PH off", "²", "-"]),
    st.integers().map(str),
)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=20,
)


def mutated_rows(rows: list[dict[str, str]], data: st.DataObject) -> list[dict[str, str]]:
    out = []
    for row in rows:
        changed = {k: data.draw(cells) if data.draw(st.booleans()) else v for k, v in row.items()}
        out.append(changed)
    return out + data.draw(
        st.lists(st.dictionaries(st.sampled_from(list(rows[0])), cells), max_size=3)
    )


@FUZZ
@given(data=st.data())
def test_the_pack_reader_answers_with_pack_errors_only(tmp_path: Path, data: st.DataObject) -> None:
    folder = Path(tempfile.mkdtemp(dir=tmp_path))
    for name, rows in (
        ("branches.csv", BRANCHES),
        ("numbers.csv", NUMBERS),
        ("call_types.csv", CALL_TYPES),
    ):
        if data.draw(st.integers(0, 9)) == 0:
            (folder / name).write_bytes(data.draw(st.binary(max_size=300)))
        else:
            separator = data.draw(st.sampled_from([",", ";", "\t"]))
            text = csv_text(mutated_rows(rows, data), separator)
            encoding = data.draw(st.sampled_from(["utf-8", "cp1252", "utf-8-sig"]))
            (folder / name).write_bytes(text.encode(encoding, errors="replace"))
    if data.draw(st.booleans()):
        manifest = data.draw(json_values | st.fixed_dictionaries({"sha256": json_values}))
        (folder / "manifest.json").write_text(json.dumps(manifest))
    try:
        read_pack(folder, skip_invalid_rows=data.draw(st.booleans()))
    except PackError as exc:
        assert exc.problems and all(":" in str(p) for p in exc.problems)


def revision_line(contact: Any, saved_at: Any, saved_by: Any) -> bytes:
    record = {"kind": "revision", "contact": contact, "saved_at": saved_at, "saved_by": saved_by}
    return json.dumps(record).encode() + b"\n"


@FUZZ
@given(data=st.data())
def test_the_merge_reader_answers_with_merge_errors_only(
    tmp_path: Path, data: st.DataObject
) -> None:
    import hashlib

    lines = [json.dumps({"kind": "header", "schema": EXPORT_SCHEMA}).encode() + b"\n"]
    body = []
    for _ in range(data.draw(st.integers(0, 3))):
        contact = data.draw(
            json_values
            | st.fixed_dictionaries(
                {"id": json_values, "revision": json_values, "created_at": json_values},
                optional={"agent": json_values, "notes": json_values, "urgent": json_values},
            )
        )
        body.append(revision_line(contact, data.draw(json_values), data.draw(json_values)))
    if data.draw(st.booleans()):
        body.append(data.draw(st.binary(max_size=200)))
    digest = hashlib.sha256(b"".join(body)).hexdigest()
    end = {"kind": "end", "records": len(body), "sha256": digest}
    path = Path(tempfile.mkdtemp(dir=tmp_path)) / "export.jsonl"
    path.write_bytes(b"".join(lines + body) + json.dumps(end).encode() + b"\n")
    try:
        read_file(path)
    except MergeError as exc:
        assert str(exc).startswith(str(path))


@FUZZ
@given(body=st.one_of(st.binary(max_size=400), json_values.map(lambda v: json.dumps(v).encode())))
def test_the_pop_body_parser_answers_with_event_errors_only(body: bytes) -> None:
    try:
        from_json_body(body)
    except EventError as exc:
        assert 400 <= exc.status < 500 and str(exc)


@FUZZ
@given(
    fields=st.dictionaries(
        st.sampled_from(["event", "call_id", "called", "caller", "at", "line", "queue", "x"]),
        json_values,
        max_size=8,
    )
)
def test_the_pop_fields_answer_with_event_errors_only(fields: dict[str, Any]) -> None:
    try:
        from_json_body(json.dumps(fields).encode())
    except EventError as exc:
        assert 400 <= exc.status < 500
    try:
        from_query({k: [str(v)] for k, v in fields.items()})
    except EventError as exc:
        assert 400 <= exc.status < 500


sip_values = st.one_of(
    json_values,
    st.lists(st.one_of(st.text(max_size=60), cells), max_size=25),
    st.sampled_from(["<sip:0199006881@x>;index=1, <tel:+33-1>", "<sip:@>", "<<<", ",,,", "tel:"]),
)


@FUZZ
@given(
    sip=st.one_of(
        json_values,
        st.dictionaries(
            st.sampled_from(
                ["history_info", "diversion", "p_called_party_id", "to", "request_uri", "x"]
            ),
            sip_values,
            max_size=6,
        ),
    ),
    called_via=st.one_of(st.none(), st.text(max_size=40), st.sampled_from(["Diversion", "To"])),
)
def test_the_proxys_sip_headers_answer_with_event_errors_only(
    sip: Any, called_via: str | None
) -> None:
    """The site proxy's raw headers (JSON) and its form body: an event, or a 4xx."""
    fields: dict[str, Any] = {
        "event": "ringing",
        "call_id": "c",
        "caller": "0612345678",
        "sip": sip,
    }
    if called_via is not None:
        fields["called_via"] = called_via
    try:
        from_json_body(json.dumps(fields).encode())
    except EventError as exc:
        assert 400 <= exc.status < 500 and str(exc)


@FUZZ
@given(body=st.one_of(st.binary(max_size=400), st.text(max_size=400).map(str.encode)))
def test_the_proxys_form_body_answers_with_event_errors_only(body: bytes) -> None:
    from desktop.telephony.events import from_form_body

    try:
        from_form_body(body)
    except EventError as exc:
        assert 400 <= exc.status < 500 and str(exc)


_LAN_POP: dict[str, Any] = {}


def _header_value(text: str) -> str:
    """``text`` as an HTTP header can carry it (Latin-1, one line)."""
    return text.encode("latin-1", "replace").decode("latin-1").replace("\r", "").replace("\n", "")


def _lan_pop() -> Any:
    """One LAN listener for every example (started once), with the site's secret."""
    from desktop.telephony.http_listener import PopServer

    if not _LAN_POP:
        pop = PopServer(0, "fuzz-token-123", lambda _e: None, rate=10_000, burst=10_000,
                        lan_address="127.0.0.2", lan_allow=("127.0.0.3",),
                        lan_secret="site-secret")  # fmt: skip
        _LAN_POP["port"] = pop.start()
        _LAN_POP["pop"] = pop
    return _LAN_POP


@FUZZ
@given(
    body=st.one_of(st.binary(max_size=300), json_values.map(lambda v: json.dumps(v).encode())),
    stamp=st.one_of(st.text(max_size=14), st.integers(-(2**40), 2**40).map(str)),
    signature=st.one_of(
        st.text(max_size=80), st.binary(max_size=32).map(lambda b: "sha256=" + b.hex())
    ),
    signed=st.booleans(),
)
def test_the_lan_intake_with_signatures_answers_with_a_status_only(
    body: bytes, stamp: str, signature: str, signed: bool
) -> None:
    """What the site's LAN may send: any body, any timestamp, any signature (or the right
    one over a fuzzed stamp); each gets an HTTP status, never a broken connection."""
    import hashlib
    import hmac
    import http.client

    lan = _lan_pop()
    if signed:
        signature = (
            "sha256="
            + hmac.new(
                b"site-secret", stamp.encode("utf-8", "replace") + b"." + body, hashlib.sha256
            ).hexdigest()
        )
    conn = http.client.HTTPConnection("127.0.0.2", lan["port"], timeout=5,
                                      source_address=("127.0.0.3", 0))  # fmt: skip
    try:
        conn.putrequest("POST", "/v1/call-events", skip_host=True)
        conn.putheader("Host", f"127.0.0.2:{lan['port']}")
        conn.putheader("X-Repli-Signature", _header_value(signature))
        conn.putheader("X-Repli-Timestamp", _header_value(stamp))
        conn.putheader("Content-Length", str(len(body)))
        conn.endheaders(body)
        status = conn.getresponse().status
    finally:
        conn.close()
    assert status in (202, 400, 401, 403, 409, 410, 411, 413, 422, 429)


@FUZZ
@given(
    number=st.text(max_size=24),
    uri=st.text(max_size=80),
    url=st.text(max_size=120),
    token=st.text(max_size=40),
    accounts=st.lists(st.text(max_size=24), max_size=4),
)
def test_the_site_proxys_inputs_are_refused_or_written_as_kamailio_strings(
    number: str, uri: str, url: str, token: str, accounts: list[str]
) -> None:
    """Every value ``repli telephony site-proxy`` takes: refused with ProxyConfigError, or
    written between the quotes of a Kamailio string with nothing that could end it."""
    import re

    from desktop.telephony.site_proxy import ProxyConfigError, SeatRoute, render

    seat = SeatRoute(number, uri, url, token)
    try:
        text = render("127.0.0.1:5060", [seat], "request-uri", accounts or ["0199006881"])
    except ProxyConfigError:
        return
    for line in text.splitlines():
        if line.strip().startswith("$sht("):
            assert re.fullmatch(r'\s*\$sht\([a-z]+=>\+?[0-9]+\) = "[ !#-\[\]-~]*";', line), line
