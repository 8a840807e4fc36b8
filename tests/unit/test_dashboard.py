"""The dashboard's figures on SQLite and on PostgreSQL, and on SQLite the proof that each
query reads an index in its own order (no table scan, no sort): what keeps a refresh over a
million contacts under a second (benchmarks/supervisor.py measures it)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, event, func, select

from desktop.contacts import ContactData
from desktop.store import contacts as store
from desktop.store.engine import make_engine
from desktop.store.history import ContactFilter
from desktop.store.models import ContactRow
from desktop.store.schema import ensure_schema
from desktop.supervisor.dashboard import figures
from tests.helpers.query_plans import query_plans

T0 = datetime(2026, 11, 20, 9, 5, tzinfo=UTC)
NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
# seconds of handling: the buckets' edges, each side (the first contact is an exercise)
DURATIONS = [0, 29, 30, 59.6, 60, 119, 120, 299, 300, 599, 600, 3600, 29.5, 29.4]


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request: pytest.FixtureRequest, tmp_path: object) -> Iterator[Engine]:
    if request.param == "postgresql":
        url = request.getfixturevalue("site_url")
    else:
        url = f"sqlite:///{request.getfixturevalue('tmp_path') / 'db.sqlite3'}"
    engine = make_engine(url)
    ensure_schema(engine)
    for number, seconds in enumerate(DURATIONS):
        created = T0 + timedelta(minutes=40 * number)  # over several UTC hours
        contact = ContactData(
            site="Lyon", seat_id=f"S{number % 2}", agent=f"Agent {number % 3}",
            mode="exercise" if number == 0 else "disaster",
            branch_id=f"AG{number % 4}", branch_name=f"Agence {number % 4}",
            call_type=["OBS", "PREV", None][number % 3], caller_number="+33612345678",
            outcome="callback" if number % 5 == 0 else "message",
            callback_at=(NOW - timedelta(hours=1)) if number % 10 == 0 else NOW + timedelta(hours=1),
            created_at=created, updated_at=created,
            call_started_at=created, call_ended_at=created + timedelta(seconds=seconds),
        )  # fmt: skip
        store.save_contact(engine, contact, "Alice")
    yield engine
    engine.dispose()


def test_every_figure_counts_what_it_says(engine: Engine) -> None:
    found = figures(engine, ContactFilter(exercise="exclude"), now=NOW)
    assert found.total == len(DURATIONS) - 1
    assert [n for _label, n in found.handling] == [2, 2, 3, 2, 2, 2]  # 59.6 s is 60, 29.5 s 30
    assert sum(n for _hour, n in found.per_hour) == found.total
    hours = [hour for hour, _n in found.per_hour]
    assert hours == sorted(hours) and all(h.tzinfo is not None and h.minute == 0 for h in hours)
    assert hours[0] == datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
    assert dict(found.per_call_type) == {"OBS": 4, "PREV": 5, "—": 4}
    assert dict(found.outcomes) == {"callback": 2, "message": 11}
    assert found.per_seat_agent[0][1] >= found.per_seat_agent[-1][1]
    assert sum(n for _k, n in found.per_seat_agent) == found.total
    assert (found.callbacks_pending, found.callbacks_overdue) == (2, 1)
    assert dict(found.top_branches)["Agence 1"] == 4


def test_each_query_reads_an_index_in_its_order(tmp_path: object) -> None:
    from pathlib import Path

    engine = make_engine(f"sqlite:///{Path(str(tmp_path)) / 'db.sqlite3'}")
    ensure_schema(engine)
    with query_plans(engine, naming="contacts") as plans:
        figures(engine, ContactFilter(exercise="exclude"), now=NOW, way="indexes")  # long period
    engine.dispose()
    assert len(plans) >= 7, plans
    for plan in plans:
        assert "FOR GROUP BY" not in plan, plan  # ordering the groups themselves is cheap
        assert "SCAN contacts" not in plan or "INDEX" in plan, plan


@pytest.mark.parametrize(
    "where",
    [
        ContactFilter(outcome="callback"),
        ContactFilter(outcome="message", exercise="exclude"),
        ContactFilter(branch="AG1"),
        ContactFilter(agent="Agent 2", since=T0 + timedelta(hours=1)),
        ContactFilter(text="Alice"),  # the words of no contact: every figure empty
        ContactFilter(call_type="PREV", callback="pending"),
    ],
    ids=["outcome", "outcome-no-exercise", "branch", "agent-since", "words", "type-callback"],
)
def test_a_narrowed_refresh_counts_what_the_index_path_counts(
    engine: Engine, where: ContactFilter
) -> None:
    """A filter beyond the period is counted from a copy of its rows: the same figures as
    each figure's own query over the table."""
    direct = figures(engine, where, now=NOW, way="indexes")
    ways = ("copy", "sets") if engine.dialect.name == "postgresql" else ("copy",)
    for way in ways:
        assert figures(engine, where, now=NOW, way=way) == direct, way
    assert direct.total > 0 or where.text


def test_a_narrowed_refresh_reads_the_contacts_once(tmp_path: object) -> None:
    from pathlib import Path

    engine = make_engine(f"sqlite:///{Path(str(tmp_path)) / 'db.sqlite3'}")
    ensure_schema(engine)
    reads: list[str] = []

    @event.listens_for(engine, "before_cursor_execute")
    def record(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
        if "FROM contacts" in statement:
            reads.append(statement.split()[0].upper())

    found = figures(engine, ContactFilter(outcome="callback"), now=NOW)
    figures(engine, ContactFilter(outcome="message"), now=NOW)  # its copy made again, anew
    assert found.total == 0
    assert reads == ["INSERT", "INSERT"], reads  # each refresh's one read, the copy
    reads.clear()
    figures(engine, ContactFilter(since=NOW - timedelta(hours=8)), now=NOW)  # a short period
    engine.dispose()
    assert reads == ["SELECT", "INSERT"], reads  # counted (how long?), then copied


@pytest.mark.parametrize("engine", ["sqlite"], indirect=True)  # PostgreSQL: one pass
def test_a_long_period_reads_its_indexes_on_two_connections_at_once(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The per-index figures run on two threads, each with a connection of its own (SQLite
    reads an index without the GIL), and count what one connection counts."""
    import threading

    from desktop.supervisor import dashboard

    where = ContactFilter(exercise="exclude")
    threads: set[str] = set()

    @event.listens_for(engine, "before_cursor_execute")
    def note(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
        if "FROM contacts" in statement:
            threads.add(threading.current_thread().name)

    both = figures(engine, where, now=NOW, way="indexes")
    event.remove(engine, "before_cursor_execute", note)
    assert len(threads) == 2 and all(name.startswith("dashboard") for name in threads), threads
    monkeypatch.setattr(dashboard, "FIGURE_THREADS", 1)
    assert figures(engine, where, now=NOW, way="indexes") == both


def test_the_whole_site_table_is_counted_in_two_halves_that_add_up(
    site_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On PostgreSQL all contacts (or all but the exercises) are counted as two halves of
    the table, on two cores: the same figures as the table counted whole."""
    from desktop.supervisor import dashboard

    engine = make_engine(site_url)
    ensure_schema(engine)
    default = dashboard.SPLIT_AT_PAGES
    for number in range(400):  # some twenty pages: both halves hold contacts
        created = T0 + timedelta(minutes=7 * number)
        store.save_contact(
            engine,
            ContactData(
                site="Lyon",
                seat_id=f"S{number % 3}",
                agent=f"Agent {number % 5}",
                branch_id=f"AG{number % 13}",
                caller_number="+33612345678",
                mode="exercise" if number % 9 == 0 else "disaster",
                branch_name=f"Agence {number % 13}",
                call_type=["OBS", "PREV", None][number % 3],
                outcome="callback" if number % 4 == 0 else "message",
                callback_at=NOW + timedelta(hours=number % 3 - 1),
                created_at=created,
                updated_at=created,
                call_started_at=created,
                call_ended_at=created + timedelta(seconds=DURATIONS[number % len(DURATIONS)]),
            ),
            "Alice",
        )
    try:
        for exercise in ("include", "exclude"):
            where = ContactFilter(exercise=exercise)
            whole = figures(engine, where, now=NOW)
            with engine.connect() as conn:
                assert dashboard._halves(conn, where) is None  # under SPLIT_AT_PAGES
            monkeypatch.setattr(dashboard, "SPLIT_AT_PAGES", 2)
            with engine.connect() as conn:
                halves = dashboard._halves(conn, where)
                assert halves is not None
                counts = [
                    conn.execute(
                        select(func.count()).select_from(ContactRow.__table__).where(half)
                    ).scalar_one()
                    for half in halves
                ]
            assert min(counts) > 0 and sum(counts) == 400
            assert figures(engine, where, now=NOW) == whole
            assert figures(engine, where, now=NOW, way="indexes") == whole
            monkeypatch.setattr(dashboard, "SPLIT_AT_PAGES", default)
            with engine.connect() as conn:  # a narrower filter is never split
                assert dashboard._halves(conn, ContactFilter(branch="x", exercise=exercise)) is None
    finally:
        engine.dispose()
