"""A large merge checks its revisions in worker processes (desktop.workers): the store gets
the same rows, and a file the same refusal, as when they are checked in the merge's own
process; a worker killed, or one that cannot start, leaves its work to that process."""

from __future__ import annotations

import json
import logging
import multiprocessing
import os
import random
import signal
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Column, Integer, MetaData, Table, create_engine, text

from desktop.contacts import ContactData, Outcome, to_plain
from desktop.context import SeatContext
from desktop.store import contacts as store
from desktop.store.history import ContactFilter
from desktop.store.models import UtcDateTime
from desktop.store.stored import stored_iso, stored_time
from desktop.supervisor import merge, revision_check, staging
from desktop.supervisor.export import export
from desktop.supervisor.merge import MergeError, merge_files
from desktop.workers import Workers
from tests.helpers.exports import write_export

SAVED = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)  # any past date works
COUNT = 3_000  # six checked batches, more than the workers have in hand at once


@pytest.fixture
def lines(tmp_path: Path) -> tuple[bytes, list[bytes]]:
    """An export's header and COUNT revision lines: each contact its own, their times with
    and without microseconds, in UTC and at other offsets."""
    seat = SeatContext.open(str(tmp_path / "source"))
    try:
        contact = ContactData(seat_id="S1", agent="Alice", outcome=Outcome.MESSAGE.value,
                              caller_name="Mme Durand", call_started_at=SAVED)  # fmt: skip
        store.save_contact(seat.engine, contact, "Alice")
        export(seat.engine, tmp_path / "one.jsonl", "jsonl", ContactFilter(exercise="include"))
    finally:
        seat.close()
    header, first = (tmp_path / "one.jsonl").read_bytes().splitlines(keepends=True)[:2]
    record = json.loads(first)
    rng = random.Random(5)
    paris = ZoneInfo("Europe/Paris")
    found = []
    for number in range(COUNT):
        when = SAVED + timedelta(seconds=rng.randrange(10**6), microseconds=rng.choice([0, 7]))
        plain = {**record["contact"], "id": f"c{number:05d}", "caller_name": f"Nom {number}",
                 "created_at": when.isoformat(), "updated_at": when.isoformat(),
                 "call_started_at": when.astimezone(paris).isoformat(),
                 "urgent": number % 2 == 0}  # fmt: skip
        line = {**record, "contact": plain, "saved_at": when.isoformat()}
        found.append(json.dumps(line, ensure_ascii=False).encode() + b"\n")
    return header, found


@pytest.fixture
def workers(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[object]]:
    """Every file checked by two workers; yields the batches handed to them."""
    monkeypatch.setattr(merge, "WORKERS", 2)
    monkeypatch.setattr(merge, "WORKERS_FROM_BYTES", 0)
    handed: list[object] = []
    hand = Workers._hand

    def counted(self: Workers, work: Any, task: Any) -> Any:
        worker = hand(self, work, task)
        if worker is not None:
            handed.append(task)
        return worker

    monkeypatch.setattr(Workers, "_hand", counted)
    yield handed


def checked_here(paths: list[Path]) -> list[tuple[Path, list[Any]]]:
    with pytest.MonkeyPatch.context() as here:
        here.setattr(merge, "WORKERS_FROM_BYTES", 2**62)
        return list(merge._chunks(paths, "", staging.CONTACT_COLUMNS))


def rows_of(seat: SeatContext) -> list[list[tuple[object, ...]]]:
    with seat.engine.connect() as conn:
        return [
            [tuple(row) for row in conn.execute(text(f"SELECT * FROM {table} ORDER BY 1, 2"))]
            for table in ("contacts", "contact_revisions", "outbox")
        ]


def test_stored_times_are_what_sqlalchemy_stores() -> None:
    """The workers write the staging table's times themselves: as SQLAlchemy writes a
    UtcDateTime to SQLite, from a time or from the text to_plain made of it."""
    rng = random.Random(3)
    zones = [
        UTC,
        ZoneInfo("Europe/Paris"),
        ZoneInfo("America/St_Johns"),
        ZoneInfo("Pacific/Noumea"),
    ]
    values = [
        (datetime(2000, 1, 1, tzinfo=UTC) + timedelta(seconds=rng.randrange(3 * 10**9),
         microseconds=rng.choice([0, 1, 999_999, 500_000]))).astimezone(rng.choice(zones))
        for _ in range(2_000)
    ]  # fmt: skip
    table = Table(
        "t", MetaData(), Column("n", Integer, primary_key=True), Column("at", UtcDateTime)
    )
    engine = create_engine("sqlite://")
    table.create(engine)
    with engine.begin() as conn:
        conn.execute(table.insert(), [{"n": n, "at": value} for n, value in enumerate(values)])
        stored = [row[0] for row in conn.exec_driver_sql("SELECT at FROM t ORDER BY n")]
    assert all(isinstance(text, str) for text in stored)
    for value, text_stored in zip(values, stored, strict=True):
        assert stored_time(value) == text_stored, value
        iso = value.astimezone(UTC).isoformat()
        assert stored_iso(iso) == text_stored, iso


def test_the_staging_rows_follow_the_staging_tables_columns() -> None:
    assert list(revision_check.REVISION_COLUMNS) == staging._REVISION_COLUMNS
    assert set(staging.CONTACT_COLUMNS) <= set(to_plain(ContactData()))  # read from it


@pytest.mark.parametrize("source", ["export", "seat database"])
def test_workers_store_what_this_process_stores(
    tmp_path: Path, lines: tuple[bytes, list[bytes]], workers: list[object], source: str
) -> None:
    path = write_export(tmp_path / "many.jsonl", *lines)
    if source == "seat database":
        seat = SeatContext.open(str(tmp_path / "other"))
        merge_files(seat.engine, [path])
        seat.close()
        path = tmp_path / "other" / "repli.sqlite3"
    expected = checked_here([path])
    handed_before = len(workers)
    assert list(merge._chunks([path], "", staging.CONTACT_COLUMNS)) == expected
    assert len(workers) - handed_before == COUNT // merge.CHUNK  # each batch went to a worker
    merged = {}
    for name, large_from in (("here", 2**62), ("workers", 0)):
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(merge, "WORKERS_FROM_BYTES", large_from)
            seat = SeatContext.open(str(tmp_path / name))
            try:
                assert merge_files(seat.engine, [path]).total("new") == COUNT
                merged[name] = rows_of(seat)
            finally:
                seat.close()
    assert merged["workers"] == merged["here"]
    assert len(merged["here"][0]) == COUNT


@pytest.mark.parametrize(
    ("damage", "expected"),
    [
        (
            lambda ls: ls.__setitem__(1_234, ls[1_234].replace(b'"Alice"', b'""')),
            "many.jsonl:1236: not a valid revision (agent: no agent)",
        ),
        (lambda ls: ls.__setitem__(2_600, b"{not json\n"), "many.jsonl:2602: not JSON"),
        (
            lambda ls: ls.__setitem__(700, b'{"kind": "end"}\n'),
            "many.jsonl:703: lines after the end of the export",
        ),
        # the first fault in the file is the one reported, whichever process found it
        (
            lambda ls: (ls.__setitem__(600, b"[]\n"), ls.__setitem__(2_000, b"x" * 10)),
            "many.jsonl:602: unknown record kind None",
        ),
        (
            lambda ls: ls.__setitem__(1_500, b"x" * (merge.MAX_LINE_BYTES + 1) + b"\n"),
            "many.jsonl:1502: a line over 4 MiB",
        ),
    ],
)
def test_a_worker_refuses_a_file_as_this_process_does(
    tmp_path: Path,
    lines: tuple[bytes, list[bytes]],
    workers: list[object],
    damage: Any,
    expected: str,
) -> None:
    header, body = lines
    damage(body)
    path = write_export(tmp_path / "many.jsonl", header, body)
    refusals = []
    for large_from in (2**62, 0):
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(merge, "WORKERS_FROM_BYTES", large_from)
            seat = SeatContext.open(str(tmp_path / f"seat{large_from}"))
            try:
                with pytest.raises(MergeError) as refused:
                    merge_files(seat.engine, [path])
                assert rows_of(seat) == [[], [], []]
            finally:
                seat.close()
            refusals.append(str(refused.value))
    assert refusals[0] == refusals[1]
    assert expected in refusals[0]
    assert workers  # the second time, the batches before the fault were checked by workers


def test_a_killed_worker_leaves_its_batches_to_this_process(
    tmp_path: Path,
    lines: tuple[bytes, list[bytes]],
    workers: list[object],
    caplog: pytest.LogCaptureFixture,
) -> None:
    """The out-of-memory killer, or a user, ends the workers midway: the batches they held
    and those after are checked here, with the same answers."""
    path = write_export(tmp_path / "many.jsonl", *lines)
    expected = checked_here([path])
    chunks = merge._chunks([path], "", staging.CONTACT_COLUMNS)
    answers = [next(chunks)]
    children = multiprocessing.active_children()
    assert children
    for child in children:
        assert child.pid is not None
        os.kill(child.pid, signal.SIGKILL)
    with caplog.at_level(logging.WARNING, logger="desktop.workers"):
        answers += list(chunks)
    assert answers == expected
    assert "the worker processes stopped" in caplog.text


@pytest.mark.parametrize("executable", ["/bin/false", "missing-python"])
def test_a_worker_that_cannot_start_leaves_the_merge_to_this_process(
    tmp_path: Path,
    lines: tuple[bytes, list[bytes]],
    workers: list[object],
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
    executable: str,
) -> None:
    """A Python that exits at once, or none where it is looked for."""
    import multiprocessing.spawn
    from multiprocessing import resource_tracker

    resource_tracker.ensure_running()  # with the real Python: it is shared by every pool
    path = write_export(tmp_path / "many.jsonl", *lines)
    where = tmp_path / executable if executable == "missing-python" else Path(executable)
    monkeypatch.setattr(multiprocessing.spawn, "_python_exe", os.fsencode(where))
    seat = SeatContext.open(str(tmp_path / "seat"))
    try:
        with caplog.at_level(logging.WARNING, logger="desktop.workers"):
            assert merge_files(seat.engine, [path]).total("new") == COUNT
        assert len(rows_of(seat)[1]) == COUNT
    finally:
        seat.close()
    assert "the worker processes stopped" in caplog.text
