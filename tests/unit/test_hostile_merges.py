"""``repli merge`` of files an attacker or a broken PC made: each is refused with where and
what, in bounded time, and the store is left as it was; merged revisions are held to the
form's own rules."""

from __future__ import annotations

import hashlib
import json
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from desktop.contacts import ContactData, Outcome, to_plain
from desktop.context import SeatContext
from desktop.supervisor import merge
from desktop.supervisor.export import EXPORT_SCHEMA
from desktop.supervisor.merge import MergeError, merge_files
from tests.helpers.store_file import open_store

YESTERDAY = (datetime.now(UTC) - timedelta(days=1)).replace(microsecond=0)  # any date works


def a_contact(**changes: Any) -> dict[str, Any]:
    contact = ContactData(
        id="7d6a3c1e-0000-4000-8000-000000000001",
        revision=1,
        created_at=YESTERDAY,
        updated_at=YESTERDAY,
        seat_id="S2",
        agent="Alice",
        outcome=Outcome.MESSAGE.value,
        caller_name="Mme Durand",
    )
    return {**to_plain(contact), **changes}


def export_of(tmp_path: Path, contact: object, **record: Any) -> Path:
    line = (
        json.dumps(
            {
                "kind": "revision",
                "contact": contact,
                "saved_at": YESTERDAY.isoformat(),
                "saved_by": "Alice",
                **record,
            }
        ).encode()
        + b"\n"
    )
    header = {"kind": "header", "schema": EXPORT_SCHEMA}
    end = {"kind": "end", "records": 1, "sha256": hashlib.sha256(line).hexdigest()}
    path = tmp_path / "export.jsonl"
    path.write_bytes(json.dumps(header).encode() + b"\n" + line + json.dumps(end).encode() + b"\n")
    return path


@pytest.fixture
def seat(data_dir: Path) -> Any:
    context = SeatContext.open(str(data_dir))
    yield context
    context.close()


def contacts_in(seat: SeatContext) -> int:
    with seat.engine.connect() as conn:
        return int(conn.execute(text("SELECT count(*) FROM contact_revisions")).scalar_one())


def test_a_clean_revision_merges(seat: SeatContext, tmp_path: Path) -> None:
    assert merge_files(seat.engine, [export_of(tmp_path, a_contact())]).as_dict()["new"] == 1


@pytest.mark.parametrize(
    ("contact", "record", "expected"),
    [
        ([1, 2], {}, "the contact is a list, not an object"),
        ({k: v for k, v in a_contact().items() if k != "created_at"}, {}, "created_at: missing"),
        (a_contact(notes={"a": 1}), {}, "notes: dict where str was expected"),
        (a_contact(urgent="yes"), {}, "urgent: str where bool was expected"),
        (a_contact(created_at="2099-01-01T00:00:00+00:00"), {}, "created_at: 2099-01-01T00:00:00"),
        (a_contact(created_at="9999-12-31T23:59:59-23:59"), {}, "created_at: a time outside"),
        (a_contact(revision=1.5), {}, "revision: float where int was expected"),
        (a_contact(id=12345), {}, "id: int where str was expected"),
        (a_contact(outcome="hacked"), {}, "outcome: unknown outcome 'hacked'"),
        (a_contact(agent=""), {}, "agent: no agent"),
        (a_contact(caller_name="x" * 1_000_000), {}, "caller_name: 1000000 characters, over 200"),
        (a_contact(subject="a\x00b"), {}, "subject: a control character"),
        (a_contact(), {"saved_at": "hier"}, "saved_at: 'hier' is not an ISO 8601 time"),
        (a_contact(), {"saved_at": None}, "saved_at: NoneType is not a time"),
        (a_contact(), {"saved_by": ""}, "saved_by: who saved it is missing"),
    ],
)
def test_malformed_revisions_are_refused_and_nothing_changes(
    seat: SeatContext, tmp_path: Path, contact: object, record: dict[str, Any], expected: str
) -> None:
    path = export_of(tmp_path, contact, **record)
    with pytest.raises(MergeError) as caught:
        merge_files(seat.engine, [path])
    assert str(caught.value).startswith(f"{path}:2: not a valid revision (")
    assert expected in str(caught.value)
    assert contacts_in(seat) == 0


def test_deep_nesting_and_huge_lines_are_refused(seat: SeatContext, tmp_path: Path) -> None:
    path = export_of(tmp_path, a_contact())
    lines = path.read_bytes().split(b"\n")
    path.write_bytes(lines[0] + b"\n" + b"[" * 200_000 + b"]" * 200_000 + b"\n")
    with pytest.raises(MergeError, match=":2: not JSON"):
        merge_files(seat.engine, [path])
    path.write_bytes(lines[0] + b"\n" + b'"' + b"x" * (merge.MAX_LINE_BYTES + 10) + b'"\n')
    with pytest.raises(MergeError, match=":2: a line over 4 MiB"):
        merge_files(seat.engine, [path])


def test_a_fifo_is_refused_without_waiting(seat: SeatContext, tmp_path: Path) -> None:
    fifo = tmp_path / "export.jsonl"
    os.mkfifo(fifo)
    with pytest.raises(MergeError, match="not a regular file"):
        merge_files(seat.engine, [fifo])


def a_seat_database(tmp_path: Path, seat: SeatContext) -> Path:
    path = tmp_path / "other" / "repli.sqlite3"
    other = SeatContext.open(str(path.parent))
    other.close()
    return path


def test_a_database_whose_revisions_are_an_endless_view_stops(
    seat: SeatContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = a_seat_database(tmp_path, seat)
    with open_store(path) as db:
        db.execute("DROP TABLE contact_revisions")
        db.execute(
            "CREATE VIEW contact_revisions AS WITH RECURSIVE n(i) AS "
            "(SELECT 1 UNION ALL SELECT i + 1 FROM n) "
            "SELECT 'x' AS contact_id, i AS revision, '' AS saved_at, '' AS saved_by, "
            "'' AS data FROM n"
        )
    with pytest.raises(MergeError, match="its tables are not Repli's"):
        merge_files(seat.engine, [path])


def test_a_database_query_that_never_ends_is_interrupted(
    seat: SeatContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = a_seat_database(tmp_path, seat)
    with open_store(path) as db:  # no index: a slow sort of many rows before the first
        db.execute("DROP TABLE contact_revisions")
        db.execute(
            "CREATE TABLE contact_revisions (contact_id, revision, saved_at, saved_by, data)"
        )
        db.executemany(
            "INSERT INTO contact_revisions VALUES (?, ?, '2026-11-30 09:00:00', 'A', '{}')",
            [(f"id-{i}", 1) for i in range(200_000)],
        )
    monkeypatch.setattr(merge, "MAX_DATABASE_SECONDS", 0.0)
    with pytest.raises(MergeError, match="reading it took over 0 s"):
        merge_files(seat.engine, [path])


@pytest.mark.parametrize(
    ("statement", "expected"),
    [
        ("UPDATE alembic_version SET version_num = x'00ff'", "no schema version"),
        ("UPDATE alembic_version SET version_num = 'zzzz'", "written by a newer Repli"),
        ("DELETE FROM alembic_version", "no schema version"),
        (
            "INSERT INTO contact_revisions VALUES ('c', 1, 'jamais', 'A', '{}')",
            "not a valid revision",
        ),
        ("INSERT INTO contact_revisions VALUES ('c', 1, 5, 'A', '[[[]]]')", "not a valid revision"),
    ],
)
def test_odd_seat_databases_are_refused(
    seat: SeatContext, tmp_path: Path, statement: str, expected: str
) -> None:
    path = a_seat_database(tmp_path, seat)
    with open_store(path) as db:
        db.execute(statement)
    with pytest.raises(MergeError, match=expected):
        merge_files(seat.engine, [path])
    assert contacts_in(seat) == 0


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"revision": 2**63 - 1}, "revision: 1 to 1 000 000"),  # then neither corrected nor erased
        ({"revision": 2**63}, "revision: 1 to 1 000 000"),  # once a traceback
        ({"revision": 1_000_001}, "revision: 1 to 1 000 000"),
        ({"id": "   "}, "id: letters, digits"),
        ({"id": "../../x"}, "id: letters, digits"),
        ({"id": "a" * 65}, "id: letters, digits"),
        ({"id": "x\u202eevil"}, "id: letters, digits"),
    ],
)
def test_an_absurd_revision_or_id_is_refused_naming_the_field(
    seat: SeatContext, tmp_path: Path, changes: dict[str, Any], expected: str
) -> None:
    with pytest.raises(MergeError, match=expected):
        merge_files(seat.engine, [export_of(tmp_path, a_contact(**changes))])
    assert contacts_in(seat) == 0


def test_the_highest_revision_allowed_can_still_be_corrected(
    seat: SeatContext, tmp_path: Path
) -> None:
    from desktop.contacts import MAX_REVISION
    from desktop.store import contacts as store

    merge_files(seat.engine, [export_of(tmp_path, a_contact(revision=MAX_REVISION))])
    found = store.get_contact(seat.engine, a_contact()["id"])
    assert found is not None and found.revision == MAX_REVISION
    saved = store.save_contact(seat.engine, found.with_changes(subject="corrigé"), "Alice")
    assert saved is not None
    again = store.get_contact(seat.engine, found.id)
    assert again is not None and again.revision == MAX_REVISION + 1
