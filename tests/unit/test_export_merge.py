"""Exports read back with real readers (csv in both dialects, openpyxl, json), compared field
by field with the store; merge of two seats' real exports and database files."""

from __future__ import annotations

import csv
import io
import json
import shutil
import stat
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import text

from desktop.contacts import ContactData, Outcome
from desktop.context import SeatContext
from desktop.store import contacts as store
from desktop.store.history import ContactFilter
from desktop.supervisor.export import COLUMNS, ExportError, export, neutralise
from desktop.supervisor.merge import MergeError, merge_files
from tests.helpers.exports import copies_of_first_revision, write_export
from tests.helpers.query_plans import query_plans

pytestmark = (
    pytest.mark.dates
)  # exported dates and the day's contacts: run on other dates too (dev.py)

T0 = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)


def save(seat: SeatContext, **fields: object) -> ContactData:
    contact = ContactData(
        site="Lyon",
        seat_id=str(fields.pop("seat_id", "S1")),
        agent="Alice",
        caller_number="+33612345678",
        caller_number_valid=True,
        caller_name="M. Dupont",
        subject="Décès",
        outcome=Outcome.MESSAGE.value,
        branch_id="AG00001",
        branch_name="Paris Centre",
        call_type="OBS",
        call_started_at=T0,
        call_ended_at=T0 + timedelta(seconds=95),
    ).with_changes(**fields)
    return store.save_contact(seat.engine, contact, "Alice").contact


@pytest.fixture
def filled(seat: SeatContext) -> SeatContext:
    save(seat, notes='=HYPERLINK("http://evil","clic")', caller_name="@Durand", urgent=True)
    second = save(
        seat,
        caller_name="-Martin",
        subject="+33 rappel",
        outcome="callback",
        callback_at=T0 + timedelta(hours=2),
    )
    store.save_contact(
        seat.engine, second.with_changes(notes='corrigé ; "guillemets"\nligne 2'), "Sup"
    )
    save(seat, mode="exercise", caller_name="Exercice")
    return seat


def stored(seat: SeatContext) -> dict[str, ContactData]:
    with seat.engine.connect() as conn:
        ids = [r[0] for r in conn.execute(text("SELECT id FROM contacts"))]
    return {i: c for i in ids if (c := store.get_contact(seat.engine, i)) is not None}


def test_csv_rfc4180_round_trips_every_field(filled: SeatContext, tmp_path: Path) -> None:
    out = tmp_path / "contacts.csv"
    report = export(filled.engine, out, "csv", ContactFilter(exercise="exclude"))
    assert report.contacts == 2
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    raw = out.read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw
    records = list(csv.DictReader(io.StringIO(raw.decode("utf-8"), newline="")))
    assert list(records[0]) == [name for name, _h, _k in COLUMNS] + ["client"]
    assert {r["client"] for r in records} == {""}  # a seat of one client
    contacts = stored(filled)
    for record in records:
        contact = contacts[record["id"]]
        assert int(record["revision"]) == contact.revision
        assert record["notes"] == neutralise(contact.notes)
        assert record["caller_name"] == neutralise(contact.caller_name)
        assert datetime.fromisoformat(record["created_at"]) == contact.created_at
        assert record["handling_seconds"] == "95"
        assert record["urgent"] == ("true" if contact.urgent else "false")
        assert record["mode"] != "exercise"
    by_name = {r["caller_name"]: r for r in records}
    assert by_name["'@Durand"]["notes"].startswith("'=HYPERLINK")  # neutralised
    assert by_name["'-Martin"]["subject"] == "'+33 rappel"
    assert by_name["'-Martin"]["notes"] == 'corrigé ; "guillemets"\nligne 2'
    assert by_name["'-Martin"]["caller_number"] == "+33612345678"  # a number, not a formula


def test_csv_excel_france(filled: SeatContext, tmp_path: Path) -> None:
    out = tmp_path / "contacts-excel.csv"
    export(filled.engine, out, "csv", ContactFilter(exercise="include"), dialect="excel-fr")
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # the BOM French Excel needs for UTF-8
    records = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline=""), delimiter=";"))
    assert len(records) == 3
    assert list(records[0])[:3] == ["Identifiant", "Révision", "Créée le"]
    first = records[0]
    created = datetime.strptime(first["Créée le"], "%d/%m/%Y %H:%M:%S")
    saved_at = stored(filled)[first["Identifiant"]].created_at
    assert saved_at is not None
    assert abs(created - saved_at.astimezone().replace(tzinfo=None)) < timedelta(seconds=1)
    assert first["Numéro de l'appelant"] == "06 12 34 56 78"  # French display, no "+"
    assert {r["Urgent"] for r in records} == {"oui", "non"}


def test_xlsx_is_a_typed_workbook_with_frozen_header_and_filter(
    filled: SeatContext, tmp_path: Path
) -> None:
    out = tmp_path / "contacts.xlsx"
    export(filled.engine, out, "xlsx", ContactFilter(exercise="exclude"))
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    book = openpyxl.load_workbook(out)
    sheet = book["Contacts"]
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:{openpyxl.utils.get_column_letter(len(COLUMNS) + 1)}3"
    header = [c.value for c in sheet[1]]
    assert header[:3] == ["Identifiant", "Révision", "Créée le"]
    contacts = stored(filled)
    for row in sheet.iter_rows(min_row=2, values_only=True):
        values = dict(zip([n for n, _h, _k in COLUMNS] + ["client"], row, strict=True))
        contact = contacts[values["id"]]
        # a number (Excel's are all doubles: the writer gives 1.0, shown as 1)
        assert isinstance(values["revision"], int | float)
        assert values["revision"] == contact.revision
        assert isinstance(values["created_at"], datetime)
        assert contact.created_at is not None
        # to the second, at the seat's time (the JSON Lines export keeps the microseconds)
        assert abs(
            values["created_at"] - contact.created_at.astimezone().replace(tzinfo=None)
        ) < timedelta(seconds=1)
        assert values["urgent"] is contact.urgent
        assert values["handling_seconds"] == 95
        for name in ("caller_name", "notes", "subject"):
            cell = values[name]
            assert cell is None or not str(cell).startswith(("=", "+", "-", "@"))
    # no cell of the workbook is a formula
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)


def test_jsonl_carries_every_revision_and_merges_into_another_seat(
    filled: SeatContext, tmp_path: Path
) -> None:
    out = tmp_path / "seat1.jsonl"
    report = export(
        filled.engine,
        out,
        "jsonl",
        ContactFilter(exercise="include"),
        source={"site": "Lyon", "seat_id": "S1"},
    )
    assert (report.contacts, report.records) == (3, 4)
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert lines[0]["kind"] == "header" and lines[0]["schema"] == "repli.export/1"
    assert lines[-1] == {"kind": "end", "records": 4, "sha256": lines[-1]["sha256"]}

    other = SeatContext.open(str(tmp_path / "seat2"))
    try:
        own = save(other, seat_id="S2", caller_name="Seat two's own")
        first = merge_files(other.engine, [out])
        assert first.as_dict()["new"] == 4 and first.as_dict()["present"] == 0
        assert stored(other).keys() == stored(filled).keys() | {own.id}
        for contact_id, contact in stored(filled).items():
            assert stored(other)[contact_id] == contact  # latest revision, every field
            assert [c for c, _a in store.revisions(other.engine, contact_id)] == [
                c for c, _a in store.revisions(filled.engine, contact_id)
            ]
        again = merge_files(other.engine, [out])  # the same file twice changes nothing
        assert again.as_dict()["new"] == 0 and again.as_dict()["present"] == 4
        with other.engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM contact_revisions")).scalar() == 5
    finally:
        other.close()


def test_merged_rows_are_stored_as_the_seat_stores_its_own(
    filled: SeatContext, tmp_path: Path
) -> None:
    """Each value a merge writes, a time above all, is the text a save writes: ordering and
    periods compare that text."""
    out = export(filled.engine, tmp_path / "s.jsonl", "jsonl", ContactFilter(exercise="include"))
    assert out.records == 4
    other = SeatContext.open(str(tmp_path / "seat2"))
    try:
        merge_files(other.engine, [tmp_path / "s.jsonl"])

        def raw(seat: SeatContext, sql: str) -> list[tuple[object, ...]]:
            with seat.engine.connect() as conn:  # the stored values, no type converting them
                return [tuple(r) for r in conn.exec_driver_sql(sql)]

        for sql in (
            "SELECT * FROM contacts ORDER BY id",
            "SELECT * FROM contact_revisions ORDER BY contact_id, revision",
        ):
            assert raw(other, sql) == raw(filled, sql)
    finally:
        other.close()


def test_merge_of_a_seat_database_file_and_conflicts(filled: SeatContext, tmp_path: Path) -> None:
    other = SeatContext.open(str(tmp_path / "seat2"))
    try:
        merge_files(other.engine, [filled.paths.database])
        assert stored(other) == stored(filled)
        # a revision that says otherwise for the same (id, revision) is reported, ours kept
        contact_id = next(iter(stored(filled)))
        with filled.engine.begin() as conn:
            conn.execute(
                text(
                    "UPDATE contact_revisions SET data = json_set(data, '$.notes', 'tampered') "
                    "WHERE contact_id = :id AND revision = 1"
                ),
                {"id": contact_id},
            )
        report = merge_files(other.engine, [filled.paths.database])
        assert report.conflicts == [(contact_id, 1)]
        assert report.as_dict()["conflicting"] == 1 and report.as_dict()["new"] == 0
        assert store.revisions(other.engine, contact_id)[0][0].notes != "tampered"
    finally:
        other.close()


def test_a_truncated_or_foreign_file_is_refused_and_changes_nothing(
    filled: SeatContext, tmp_path: Path
) -> None:
    good = tmp_path / "good.jsonl"
    export(filled.engine, good, "jsonl", ContactFilter(exercise="include"))
    lines = good.read_bytes().splitlines(keepends=True)
    cut = tmp_path / "cut.jsonl"
    cut.write_bytes(b"".join(lines[:-1]))  # no end record
    half = tmp_path / "half.jsonl"
    half.write_bytes(b"".join(lines[:2]) + lines[2][:20])
    altered = tmp_path / "altered.jsonl"
    altered.write_bytes(b"".join(lines[:2] + lines[3:]))  # a revision removed
    foreign = tmp_path / "foreign.csv"
    foreign.write_text("a,b\n1,2\n")
    other = SeatContext.open(str(tmp_path / "seat2"))
    try:
        for bad, reason in (
            (cut, "no end record"),
            (half, "line is cut"),
            (altered, "altered"),
            (foreign, "not a Repli export"),
        ):
            with pytest.raises(MergeError, match=reason):
                merge_files(other.engine, [good, bad])  # the good one is not merged either
            assert stored(other) == {}
    finally:
        other.close()
    not_ours = tmp_path / "other.sqlite3"
    import sqlite3

    with sqlite3.connect(not_ours) as conn:
        conn.execute("CREATE TABLE t (x)")
    conn.close()
    with pytest.raises(MergeError, match="not a Repli seat database"):
        merge_files(filled.engine, [not_ours])


def test_export_refuses_a_missing_folder_and_keeps_the_old_file(
    filled: SeatContext, tmp_path: Path
) -> None:
    with pytest.raises(ExportError, match="no such folder"):
        export(filled.engine, tmp_path / "missing" / "x.csv", "csv")
    out = tmp_path / "x.csv"
    out.write_text("previous export")
    with pytest.raises(ExportError, match="unknown CSV dialect"):
        export(filled.engine, out, "csv", dialect="excel-us")
    assert out.read_text() == "previous export"
    shutil.rmtree(tmp_path / "seat2", ignore_errors=True)


def test_filters_select_what_they_say(filled: SeatContext, tmp_path: Path) -> None:
    from desktop.store.history import count

    engine = filled.engine
    assert count(engine, ContactFilter()) == 3
    assert count(engine, ContactFilter(exercise="exclude")) == 2
    assert count(engine, ContactFilter(exercise="only")) == 1
    assert count(engine, ContactFilter(urgent=True)) == 1
    assert count(engine, ContactFilter(callback="pending")) == 1
    later = T0 + timedelta(days=1)
    assert count(engine, ContactFilter(callback="overdue", now=later)) == 1
    assert count(engine, ContactFilter(callback="overdue", now=T0)) == 0
    assert count(engine, ContactFilter(text="Martin guillemets")) == 1
    assert count(engine, ContactFilter(branch="AG00001", call_type="OBS")) == 3
    assert count(engine, ContactFilter(branch="AG99999")) == 0
    assert count(engine, ContactFilter(sync="none")) == 3  # no sync target: not queued
    assert count(engine, ContactFilter(sync="pending")) == 0


def test_a_corrected_contact_merges_again(filled: SeatContext, tmp_path: Path) -> None:
    """A second export after a correction, and the seat's database, merge without error."""
    first = tmp_path / "first.jsonl"
    export(filled.engine, first, "jsonl", ContactFilter(exercise="include"))
    other = SeatContext.open(str(tmp_path / "seat2"))
    try:
        assert merge_files(other.engine, [first]).as_dict()["new"] == 4
        contact = next(iter(stored(filled).values()))
        store.save_contact(filled.engine, contact.with_changes(notes="corrigé"), "Bob")
        second = tmp_path / "second.jsonl"
        export(filled.engine, second, "jsonl", ContactFilter(exercise="include"))
        assert merge_files(other.engine, [second]).as_dict()["new"] == 1
        assert stored(other)[contact.id].notes == "corrigé"
        store.save_contact(
            filled.engine, stored(filled)[contact.id].with_changes(notes="encore"), "Bob"
        )
        assert merge_files(other.engine, [filled.paths.database]).as_dict()["new"] == 1
        assert stored(other)[contact.id].notes == "encore"
        found = ContactFilter(text="encore")
        from desktop.store.history import count

        assert count(other.engine, found) == 1  # and the search index follows
    finally:
        other.close()


def test_a_control_character_in_a_note_does_not_fail_the_xlsx(
    seat: SeatContext, tmp_path: Path
) -> None:
    """Stored before the form refused them (or merged from an older seat)."""
    contact = save(seat, notes="ok")
    with seat.engine.begin() as conn:
        conn.execute(
            text("UPDATE contacts SET notes = :n WHERE id = :i"),
            {"n": "collé\x07depuis un mail\x1b", "i": contact.id},
        )
    out = tmp_path / "contacts.xlsx"
    assert export(seat.engine, out, "xlsx").contacts == 1
    sheet = openpyxl.load_workbook(out).active
    assert sheet is not None
    values = [c.value for row in sheet.iter_rows(min_row=2) for c in row]
    assert "collé\ufffddepuis un mail\ufffd" in values


def test_a_note_longer_than_an_excel_cell_is_cut_in_the_xlsx_only(
    seat: SeatContext, tmp_path: Path
) -> None:
    save(seat, notes="n" * 40_000)
    out = tmp_path / "contacts.xlsx"
    assert export(seat.engine, out, "xlsx").contacts == 1
    sheet = openpyxl.load_workbook(out).active
    assert sheet is not None
    notes = [c.value for c in sheet[2] if isinstance(c.value, str) and c.value.startswith("nnn")]
    assert [len(n) for n in notes] == [32_767]  # Excel's limit
    export(seat.engine, tmp_path / "contacts.csv", "csv")
    assert "n" * 40_000 in (tmp_path / "contacts.csv").read_text()


def test_e164_numbers_are_not_taken_for_formulas(filled: SeatContext, tmp_path: Path) -> None:
    out = tmp_path / "contacts.csv"
    export(filled.engine, out, "csv")
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert {r["caller_number"] for r in rows} == {"+33612345678"}
    assert {r["subject"] for r in rows} >= {"'+33 rappel"}  # text starting with + still is


def test_a_file_refused_at_its_end_leaves_no_chunk_written(
    filled: SeatContext, tmp_path: Path
) -> None:
    """The merge writes chunk by chunk in one transaction: a checksum found wrong after
    several chunks were written rolls them all back, outbox included."""
    from desktop.supervisor import merge

    good = tmp_path / "good.jsonl"
    export(filled.engine, good, "jsonl", ContactFilter(exercise="include"))
    header, lines = copies_of_first_revision(good, merge.CHUNK * 3 + 7)
    whole = write_export(tmp_path / "whole.jsonl", header, lines)
    altered = write_export(tmp_path / "altered.jsonl", header, lines, sha256="0" * 64)
    other = SeatContext.open(str(tmp_path / "seat2"))
    try:
        with pytest.raises(MergeError, match="altered"):
            merge_files(other.engine, [altered])
        with other.engine.connect() as conn:
            counts = [conn.execute(text(f"SELECT count(*) FROM {t}")).scalar_one()
                      for t in ("contacts", "contact_revisions", "outbox", "deliveries")]  # fmt: skip
        assert counts == [0, 0, 0, 0]
        assert merge_files(other.engine, [whole]).total("new") == len(lines)
        assert len(stored(other)) == len(lines)
    finally:
        other.close()


def _indexes_and_stats(seat: SeatContext) -> tuple[set[tuple[str, str]], set[tuple[str, ...]]]:
    with seat.engine.connect() as conn:
        indexes = conn.execute(
            text("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL")
        )
        stats = conn.execute(text("SELECT tbl, idx, stat FROM sqlite_stat1"))
        return {(r[0], r[1]) for r in indexes}, {tuple(r) for r in stats}


def _settings(seat: SeatContext) -> list[object]:
    with seat.engine.connect() as conn:
        return [conn.exec_driver_sql(f"PRAGMA {p}").scalar() for p in ("cache_size", "temp_store")]


def _counts(seat: SeatContext) -> list[int]:
    with seat.engine.connect() as conn:
        return [conn.execute(text(f"SELECT count(*) FROM {t}")).scalar_one()
                for t in ("contacts", "contact_revisions", "outbox")]  # fmt: skip


def test_a_large_merge_builds_the_indexes_again_and_matches_the_row_by_row_one(
    filled: SeatContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past a tenth of the store, the merge sets the contacts' indexes aside and builds them
    again before it commits: the same schema, the same planner statistics, the same rows,
    outbox and search as a merge that kept them; the connection's settings come back."""
    from desktop.store import bulk
    from desktop.store.history import count
    from desktop.supervisor import merge, revisions

    good = tmp_path / "good.jsonl"
    export(filled.engine, good, "jsonl", ContactFilter(exercise="include"))
    header, lines = copies_of_first_revision(good, merge.CHUNK * 3 + 7)
    source = write_export(tmp_path / "many.jsonl", header, lines)
    caller = json.loads(lines[0])["contact"]["caller_name"].strip("@-")  # a word to search
    dropped: list[int] = []
    drop = bulk.IndexesSetAside.drop

    def counted_drop(self: bulk.IndexesSetAside) -> None:
        drop(self)
        dropped.append(len(self.dropped))

    monkeypatch.setattr(bulk.IndexesSetAside, "drop", counted_drop)
    merged = {}
    for name, at_least in (("row-by-row", 10**9), ("bulk", merge.CHUNK)):
        monkeypatch.setattr(revisions, "BULK_AT_LEAST", at_least)
        seat = SeatContext.open(str(tmp_path / name))
        try:
            own = save(seat, seat_id="S2", caller_name="Seat two's own")
            with seat.engine.begin() as conn:
                conn.execute(text("ANALYZE"))
            before, settings = _indexes_and_stats(seat), _settings(seat)
            assert any((idx or "").startswith("ix_contacts_") for _t, idx, _s in before[1])
            assert merge_files(seat.engine, [source]).total("new") == len(lines)
            assert _indexes_and_stats(seat) == before
            assert _counts(seat) == [len(lines) + 1] * 3  # each revision queued for the sync
            assert count(seat.engine, ContactFilter(text=caller)) == len(lines)
            assert _settings(seat) == settings  # the merge's connection, back in the pool
            merged[name] = {i: c for i, c in stored(seat).items() if i != own.id}
        finally:
            seat.close()
    assert dropped == [9]  # in the bulk merge alone: the contacts table's nine indexes
    assert merged["bulk"] == merged["row-by-row"]


def test_a_large_merge_refused_at_its_end_leaves_the_indexes_as_they_were(
    filled: SeatContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from desktop.supervisor import merge, revisions

    good = tmp_path / "good.jsonl"
    export(filled.engine, good, "jsonl", ContactFilter(exercise="include"))
    header, lines = copies_of_first_revision(good, merge.CHUNK * 2 + 1)
    altered = write_export(tmp_path / "altered.jsonl", header, lines, sha256="0" * 64)
    monkeypatch.setattr(revisions, "BULK_AT_LEAST", merge.CHUNK)
    before = _indexes_and_stats(filled)
    with pytest.raises(MergeError, match="altered"):
        merge_files(filled.engine, [altered])
    assert _indexes_and_stats(filled) == before
    assert _counts(filled) == [3, 4, 4]


def test_a_merge_reads_the_store_by_its_indexes(filled: SeatContext, tmp_path: Path) -> None:
    """Every range of staged revisions is read by its numbers and looked up in the store by
    the primary keys, never by reading a table (that made a merge of a million take
    quadratic time); the store's size is counted once, from an index."""
    out = tmp_path / "seat1.jsonl"
    export(filled.engine, out, "jsonl", ContactFilter(exercise="include"))
    with query_plans(filled.engine, kinds=("SELECT", "INSERT INTO CONTACT")) as plans:
        assert merge_files(filled.engine, [out]).total("present") == 4
    assert len(plans) >= 4, plans
    scans = [plan for plan in plans if "SCAN" in plan]
    assert len(scans) == 1 and "SCAN contacts USING COVERING INDEX" in scans[0], plans  # the count


@pytest.mark.parametrize("encrypted", [True, False], ids=["encrypted", "plain"])
def test_the_seat_saves_while_a_merge_reads_its_files_and_between_its_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, encrypted: bool
) -> None:
    """A merge reads and checks its files into a staging database, then applies them in
    short transactions: the store's write lock is free while the files are read (a save
    goes through then) and between two of its transactions. A lock taken without waiting
    (busy timeout 0) says so; with the merge of one transaction it failed at once. The
    staging file is encrypted when the store is, readable by this account only, and gone
    at the end."""
    from desktop.store.cipher import PLAIN_HEADER
    from desktop.supervisor import staging
    from tests.helpers.plain_stores import use_plain_stores
    from tests.helpers.store_file import open_store

    if not encrypted:
        monkeypatch.delenv("REPLI_KEY_DIR", raising=False)  # both put back after the test
        use_plain_stores(tmp_path / "pc")

    source_seat = SeatContext.open(str(tmp_path / "seat1"))
    other = SeatContext.open(str(tmp_path / "seat2"))
    try:
        save(source_seat)
        good = tmp_path / "good.jsonl"
        export(source_seat.engine, good, "jsonl", ContactFilter(exercise="include"))
        header, lines = copies_of_first_revision(good, 2_000)
        whole = write_export(tmp_path / "whole.jsonl", header, lines)
        database = Path(str(other.engine.url.database))
        free: list[str] = []

        def lock_free(when: str) -> None:
            probe = open_store(database, timeout=0, isolation_level=None)
            try:
                probe.execute("BEGIN IMMEDIATE")  # raises "database is locked" if held
                probe.execute("COMMIT")
                free.append(when)
            finally:
                probe.close()

        from desktop.read_ahead import read_ahead as reading

        def read_then_save(items: Iterable[object]) -> Iterator[object]:
            yield from reading(items)
            lock_free("after reading")
            (staged,) = database.parent.glob(".merge-*.sqlite3")
            assert (staged.read_bytes()[:16] == PLAIN_HEADER) is not encrypted
            assert stat.S_IMODE(staged.stat().st_mode) == 0o600
            assert staging.wipe_leftovers(database.parent) == 0  # this merge holds it
            assert staged.exists()
            save(other, caller_name="Saved during the merge")  # the agent's own save

        applying = staging._apply_range

        def apply_after_a_check(*args: object) -> None:
            lock_free("before a range")
            applying(*args)  # type: ignore[arg-type]

        monkeypatch.setattr(staging, "read_ahead", read_then_save)
        monkeypatch.setattr(staging, "_apply_range", apply_after_a_check)
        monkeypatch.setattr(staging, "APPLY_AT_ONCE", 500)
        report = merge_files(other.engine, [whole])
        assert report.total("new") == len(lines)
        assert free == ["after reading"] + ["before a range"] * 4
        merged = stored(other)
        assert "Saved during the merge" in {c.caller_name for c in merged.values()}
        assert len(merged) == len(lines) + 1
        assert not list(database.parent.glob(".merge-*"))  # the staging file is gone
    finally:
        source_seat.close()
        other.close()


def test_a_killed_merges_staging_file_is_wiped_by_erasure(tmp_path: Path) -> None:
    """A merge killed while it staged left the revisions it read in a staging file (in
    plain text with a plain store) that ``repli erase`` did not reach."""
    from desktop.supervisor.retention import erase

    seat = SeatContext.open(str(tmp_path / "seat"))
    try:
        database = Path(str(seat.engine.url.database))
        leftover = database.parent / ".merge-killed.sqlite3"
        leftover.write_bytes(b"SQLite format 3\x00" + b"Mme Durand 06 12 34 56 78")
        journal = database.parent / ".merge-killed.sqlite3-journal"
        journal.write_bytes(b"Mme Durand")
        erase(seat.engine, "Superviseur", name="Mme Durand")
        assert not leftover.exists() and not journal.exists()
    finally:
        seat.close()


def test_the_next_merge_wipes_a_killed_merges_staging_file_at_once(
    filled: SeatContext, tmp_path: Path
) -> None:
    """The merge deleted leftovers only six hours after their last change, and unwiped: the
    killed merge's file (no merge holds its lock) is wiped by the next one, whatever its age;
    one a merge holds is left (the earlier test)."""
    out = tmp_path / "seat1.jsonl"
    export(filled.engine, out, "jsonl", ContactFilter(exercise="include"), source={"site": "L"})
    other = SeatContext.open(str(tmp_path / "seat2"))
    try:
        folder = Path(str(other.engine.url.database)).parent
        leftover = folder / ".merge-killed.sqlite3"
        leftover.write_bytes(b"SQLite format 3\x00" + b"Mme Durand 06 12 34 56 78")
        assert merge_files(other.engine, [out]).as_dict()["new"] == 4
        assert not leftover.exists() and not list(folder.glob(".merge-*"))
    finally:
        other.close()


def test_csv_and_xlsx_exports_name_their_client(filled: SeatContext, tmp_path: Path) -> None:
    """Only the JSON Lines export named its client: a CSV or a workbook passed on to the
    wrong client company could not be told apart."""
    source = {"site": "Lyon", "seat_id": "B-07", "client": "pompes-sud"}
    where = ContactFilter(exercise="exclude")
    for dialect in ("rfc4180", "excel-fr"):
        out = tmp_path / f"{dialect}.csv"
        export(filled.engine, out, "csv", where, dialect, source)
        text = out.read_text("utf-8-sig")
        rows = list(csv.reader(io.StringIO(text), delimiter=";" if dialect == "excel-fr" else ","))
        assert rows[0][-1] in ("client", "Client")
        assert {row[-1] for row in rows[1:]} == {"pompes-sud"}
    out = tmp_path / "contacts.xlsx"
    export(filled.engine, out, "xlsx", where, source=source)
    book = openpyxl.load_workbook(out)
    sheet = book["Contacts"]
    assert sheet.oddHeader.center.text == "pompes-sud"  # on every printed page
    assert sheet.cell(1, len(COLUMNS) + 1).value == "Client"
    assert {sheet.cell(r, len(COLUMNS) + 1).value for r in range(2, sheet.max_row + 1)} == {
        "pompes-sud"
    }
