"""Generated input at the three readers an outsider feeds: the table pack reader, the merge
reader and the screen-pop body parser. Each answers with its own error (a message that says
where and what), never another exception."""

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
