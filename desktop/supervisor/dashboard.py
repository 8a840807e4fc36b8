"""The dashboard's figures, computed by the database (GROUP BY), for the contacts a filter
selects: per hour, per call type, the busiest branches, outcomes, handling times, per seat
and agent, callbacks pending and overdue, and the sync backlog.

Over a period (exercises left out or not), each figure is one query that reads one index in
its own order (migration 0010): grouping needs no sort, and no query reads the table's rows,
so a refresh over a million contacts stays under a second (benchmarks/supervisor.py). The
hour is an expression an index holds: ``hour_key`` writes it as the migration does,
constants inline (a bound parameter would not match the index).

Any other filter (an outcome, words, an agent, a branch) selects rows that no figure's index
holds the columns of: each figure would read those rows from the table again. Instead the
rows are read once, their figure columns copied to a temporary table of the connection,
and every figure groups that copy. A short period (today) takes that way too: each index
is in its own order, so a figure reads it whole to find a period's rows."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    Column,
    Engine,
    MetaData,
    Table,
    and_,
    case,
    func,
    literal_column,
    or_,
    select,
    text,
    tuple_,
    union_all,
)

from desktop.contacts import utc_now
from desktop.store.history import ContactFilter
from desktop.store.models import ContactRow, DeliveryRow

# handling time buckets, in seconds: (upper bound, label)
HANDLING_BUCKETS = (
    (30, "<30 s"),
    (60, "<1 min"),
    (120, "1-2 min"),
    (300, "2-5 min"),
    (600, "5-10 min"),
    (None, ">10 min"),
)
TOP_BRANCHES = 10
TOP_SEATS = 10  # the busiest seats and agents (more bars leave no room for their names)


@dataclass
class Figures:
    total: int = 0
    per_hour: list[tuple[datetime, int]] = field(default_factory=list)  # UTC hour starts
    per_call_type: list[tuple[str, int]] = field(default_factory=list)
    top_branches: list[tuple[str, int]] = field(default_factory=list)
    outcomes: list[tuple[str, int]] = field(default_factory=list)
    handling: list[tuple[str, int]] = field(default_factory=list)
    per_seat_agent: list[tuple[str, int]] = field(default_factory=list)
    callbacks_pending: int = 0
    callbacks_overdue: int = 0
    sync_backlog: dict[str, int] = field(default_factory=dict)  # state -> revisions


# what the figures read of a contact (a narrowed refresh copies these of the rows it selects)
FIGURE_COLUMNS = (
    "created_at", "call_type", "branch_name", "outcome", "seat_id", "agent",
    "call_started_at", "call_ended_at", "callback_at", "callback_done_at",
)  # fmt: skip
SNAPSHOT = "dashboard_rows"
# a period of up to this many contacts is counted from its copy too: copying costs ~3 µs a
# row, the per-figure path ~1 s whatever the period (each index read whole for its order)
COPY_AT_MOST = 250_000
# the per-index figures of a long period, read on this many connections at once (each
# connection of an in-memory database is a database of its own: one there)
FIGURE_THREADS = 2
# PostgreSQL: all contacts (or all but the exercises) are counted as two halves of the table,
# by the rows' physical place (a TID range), that it aggregates on two cores at once (a
# parallel append) and adds up; a table under this many pages is counted whole
SPLIT_AT_PAGES = 2_000
# PostgreSQL: the memory each grouping of the one pass may take, for its transaction only.
# With the server's default (4 MB) the planner sorts the rows for two of the sets, on disk
# (47 MB a half of a million contacts); with this it hashes every set. A hash table holds a
# group a key (some thousands: hours, branches, seats), a few MB whatever this says.
SETS_WORK_MEM = "64MB"


def narrowed(where: ContactFilter) -> bool:
    """A filter beyond the period and the exercises: the figures' indexes do not hold its
    columns, so each figure would read the table's rows for it, once a figure."""
    period = ContactFilter(
        since=where.since, until=where.until, exercise=where.exercise, now=where.now,
        order=where.order,
    )  # fmt: skip
    return where != period


WAYS = ("indexes", "copy", "sets")


def figures(
    engine: Engine,
    where: ContactFilter,
    now: datetime | None = None,
    way: str | None = None,
) -> Figures:
    """The figures of the contacts ``where`` selects, the fastest way for the database:

    - PostgreSQL: ``sets``, one pass over the selected rows computing every figure at once
      (GROUPING SETS); over the whole table, a pass per half of it on two cores
      (``_halves``);
    - SQLite (no grouping sets): ``copy`` for a filter beyond the period (an outcome,
      words, an agent…) or a period of at most COPY_AT_MOST contacts: the rows it selects
      read once, into a temporary table, that every figure groups; ``indexes`` for a
      longer period: each figure reads its own index alone.

    ``way`` forces one (the tests check that they agree)."""
    now = now or utc_now()
    where.ready(engine)
    with engine.connect() as conn:
        if way is None and engine.dialect.name == "postgresql":
            way = "sets"
        elif way is None:
            way = "copy" if narrowed(where) or _count(conn, where) <= COPY_AT_MOST else "indexes"
        if way == "sets":
            return _one_pass(conn, engine, where, now)
        if way == "copy":
            rows = _snapshot(conn, where)
            try:
                return _figures(conn, engine, rows.c, rows, lambda query: query, now)
            finally:
                rows.drop(conn)
        table = ContactRow.__table__
        threads = FIGURE_THREADS if engine.url.database not in (None, "", ":memory:") else 1
        return _figures(conn, engine, ContactRow, table, where.apply, now, threads)


def _one_pass(conn: Any, engine: Engine, where: ContactFilter, now: datetime) -> Figures:
    """Every figure in one pass over the selected rows (PostgreSQL's GROUPING SETS): a set
    per figure, the empty one for the total and the callbacks; PostgreSQL orders the groups
    (its collation, as the per-figure queries do), and each figure takes its own."""
    c = ContactRow
    limits = ",".join(str(limit) for limit, _label in HANDLING_BUCKETS if limit)
    bucket = case(  # the bucket's index: how many limits the seconds reach (computed once)
        (or_(c.call_started_at.is_(None), c.call_ended_at.is_(None)), None),
        else_=func.width_bucket(
            handling_seconds(engine), literal_column(f"ARRAY[{limits}]::float8[]")
        ),
    )
    hour = hour_key(engine)
    keys = (hour, c.call_type, c.branch_name, c.outcome, c.seat_id, c.agent, bucket)
    grouped = func.grouping(*keys).label("g")
    count = func.count()
    pending = and_(c.outcome == "callback", c.callback_done_at.is_(None))
    sets = func.grouping_sets(
        *(tuple_(key) for key in keys[:4]), tuple_(c.seat_id, c.agent), tuple_(bucket), tuple_()
    )
    counted = (
        grouped,
        count.label("n"),
        count.filter(pending).label("p"),
        count.filter(and_(pending, c.callback_at < now)).label("o"),
        *(key.label(f"k{i}") for i, key in enumerate(keys)),
    )
    halves = _halves(conn, where)
    conn.execute(text(f"SET LOCAL work_mem = '{SETS_WORK_MEM}'"))  # until the refresh ends
    g: Any
    n: Any
    out_keys: tuple[Any, ...]
    if halves is None:
        query = where.apply(select(*counted)).group_by(sets)
        g, n, out_keys = grouped, count, keys
    else:  # each half grouped on its own core, then the halves' groups added up
        parts = union_all(
            *(where.apply(select(*counted)).where(half).group_by(sets) for half in halves)
        ).subquery()
        g, n = parts.c.g, func.sum(parts.c.n)
        out_keys = tuple(parts.c[f"k{i}"] for i in range(len(keys)))
        query = select(g, n, func.sum(parts.c.p), func.sum(parts.c.o), *out_keys).group_by(
            g, *out_keys
        )
    by_count = or_(g == _only(2), g == _only(4, 5))  # the busiest first
    query = query.order_by(
        g, case((by_count, -n), else_=0), *(k.asc().nulls_last() for k in out_keys)
    )
    result = Figures()
    handling = [0] * len(HANDLING_BUCKETS)
    sets_seen: dict[int, list[Any]] = {}
    for row in conn.execute(query):
        sets_seen.setdefault(int(row[0]), []).append(row)
    for row in sets_seen.get(_only(), []):
        result.total, result.callbacks_pending, result.callbacks_overdue = (
            int(row[1]), int(row[2]), int(row[3]))  # fmt: skip
    result.per_hour = [(_hour(r[4]), int(r[1])) for r in sets_seen.get(_only(0), []) if r[4]]
    result.per_call_type = [(r[5] or "—", int(r[1])) for r in sets_seen.get(_only(1), [])]
    branches = sets_seen.get(_only(2), [])[:TOP_BRANCHES]
    result.top_branches = [(r[6] or "—", int(r[1])) for r in branches]
    result.outcomes = [(r[7], int(r[1])) for r in sets_seen.get(_only(3), [])]
    seats = sets_seen.get(_only(4, 5), [])[:TOP_SEATS]
    result.per_seat_agent = [(f"{r[8]} · {r[9]}", int(r[1])) for r in seats]
    for r in sets_seen.get(_only(6), []):
        if r[10] is not None:
            handling[int(r[10])] = int(r[1])
    result.handling = [(label, handling[i]) for i, (_l, label) in enumerate(HANDLING_BUCKETS)]
    result.sync_backlog = _sync_backlog(conn)
    return result


def _halves(conn: Any, where: ContactFilter) -> list[Any] | None:
    """The two halves of the contacts table by the rows' place (PostgreSQL's TID range), for
    a refresh over the whole table (all contacts, or the exercises left out), which
    PostgreSQL cannot otherwise spread over two cores (no parallel GROUPING SETS); None for
    a narrower filter (its index finds its rows: a half would read the table) or a small
    table. The halves split the table's pages as they are now: a row written meanwhile, at
    either end, falls in one half or the other, never in both or neither."""
    if narrowed(where) or where.since is not None or where.until is not None:
        return None
    pages = int(
        conn.execute(
            text("SELECT pg_relation_size('contacts') / current_setting('block_size')::int")
        ).scalar_one()
    )
    if pages < SPLIT_AT_PAGES:
        return None
    half = pages // 2
    return [
        text(f"contacts.ctid < '({half},0)'::tid"),
        text(f"contacts.ctid >= '({half},0)'::tid"),
    ]


def _sync_backlog(conn: Any) -> dict[str, int]:
    """Revisions by delivery state, whatever the filter (the outbox is the seat's)."""
    backlog = select(DeliveryRow.state, func.count()).group_by(DeliveryRow.state)
    return {state: int(n) for state, n in conn.execute(backlog)}


def _only(*grouped: int) -> int:
    """GROUPING()'s value for a set of the seven keys (by position): a bit for each key
    left out, the first key the highest bit."""
    return sum(1 << (6 - i) for i in range(7) if i not in grouped)


def _count(conn: Any, where: ContactFilter) -> int:
    query = where.apply(select(func.count()).select_from(ContactRow.__table__))
    return int(conn.execute(query).scalar_one())


def _snapshot(conn: Any, where: ContactFilter) -> Table:
    """The selected contacts' figure columns, in a temporary table of this connection."""
    source = ContactRow.__table__
    rows = Table(
        SNAPSHOT,
        MetaData(),
        *(Column(name, source.c[name].type) for name in FIGURE_COLUMNS),
        prefixes=["TEMPORARY"],
    )
    rows.drop(conn, checkfirst=True)  # a pooled connection's, left by a failed refresh
    rows.create(conn)
    chosen = where.apply(select(*(source.c[name] for name in FIGURE_COLUMNS)))
    conn.execute(rows.insert().from_select(list(FIGURE_COLUMNS), chosen))
    return rows


def _figures(
    conn: Any,
    engine: Engine,
    c: Any,
    table: Any,
    apply: Any,
    now: datetime,
    threads: int = 1,
) -> Figures:
    """Each figure from ``table`` (columns ``c``) with ``apply``'s conditions. ``threads``:
    the figures' queries run on that many connections at once (SQLite reads an index
    without the GIL); 1 for a connection's temporary table, which only it sees."""

    def grouped(key: Any, limit: int | None = None) -> Any:
        count = func.count().label("n")
        query = apply(select(key.label("k"), count)).group_by(key)
        query = query.order_by(count.desc(), key) if limit else query.order_by(key)
        return query.limit(limit) if limit else query

    count = func.count().label("n")
    by_seat = (
        apply(select(c.seat_id, c.agent, count))
        .group_by(c.seat_id, c.agent)
        .order_by(count.desc(), c.seat_id, c.agent)
        .limit(TOP_SEATS)
    )
    timed_calls = apply(select(handling_seconds(engine, c).label("d"))).where(
        c.call_started_at.is_not(None), c.call_ended_at.is_not(None)
    )
    if engine.dialect.name == "sqlite":
        # a subquery with a LIMIT is not flattened: the seconds are computed once a
        # row, not once for each bucket's count
        timed_calls = timed_calls.limit(-1)
    seconds = timed_calls.subquery().c.d
    bounds = [limit for limit, _label in HANDLING_BUCKETS if limit is not None]
    sums = [
        func.count().filter(and_(seconds >= low, seconds < high) if low else seconds < high)
        for low, high in zip([0, *bounds], [*bounds, None], strict=True)
        if high is not None
    ]
    pending = and_(c.outcome == "callback", c.callback_done_at.is_(None))
    callbacks = apply(
        select(
            func.count().filter(pending),
            func.count().filter(and_(pending, c.callback_at < now)),
        ).select_from(table)
    )
    queries = {  # the longest first, when they share threads
        "per_hour": grouped(hour_key(engine, c)),
        "handling": select(*sums, func.count().filter(seconds >= bounds[-1])),
        "per_seat_agent": by_seat,
        "top_branches": grouped(c.branch_name, TOP_BRANCHES),
        "per_call_type": grouped(c.call_type),
        "outcomes": grouped(c.outcome),
        "callbacks": callbacks,
        "total": apply(select(func.count()).select_from(table)),
    }
    rows = _run(queries, conn, engine, threads)
    result = Figures()
    result.total = int(rows["total"][0][0])
    result.per_hour = [(_hour(k), int(n)) for k, n in rows["per_hour"] if k is not None]
    result.per_call_type = [(k or "—", int(n)) for k, n in rows["per_call_type"]]
    result.top_branches = [(k or "—", int(n)) for k, n in rows["top_branches"]]
    result.outcomes = [(k, int(n)) for k, n in rows["outcomes"]]
    result.per_seat_agent = [(f"{s} · {a}", int(n)) for s, a, n in rows["per_seat_agent"]]
    counts = [int(n) for n in rows["handling"][0]]
    result.handling = [(label, counts[i]) for i, (_limit, label) in enumerate(HANDLING_BUCKETS)]
    result.callbacks_pending, result.callbacks_overdue = (int(n) for n in rows["callbacks"][0])
    result.sync_backlog = _sync_backlog(conn)
    return result


def _run(queries: dict[str, Any], conn: Any, engine: Engine, threads: int) -> dict[str, list[Any]]:
    """Each query's rows: on ``conn``, or on ``threads`` connections of the engine at once."""
    if threads <= 1:
        return {name: list(conn.execute(query)) for name, query in queries.items()}
    from concurrent.futures import ThreadPoolExecutor

    def on_its_own(query: Any) -> list[Any]:
        with engine.connect() as own:
            return list(own.execute(query))

    with ThreadPoolExecutor(threads, thread_name_prefix="dashboard") as pool:
        return dict(zip(queries, pool.map(on_its_own, queries.values()), strict=True))


def hour_key(engine: Engine, c: Any = ContactRow) -> Any:
    """The UTC hour a contact was created in, as migration 0010's ix_contacts_hour."""
    if engine.dialect.name == "postgresql":
        return func.date_trunc(
            literal_column("'hour'"), func.timezone(literal_column("'UTC'"), c.created_at)
        )
    return func.substr(c.created_at, literal_column("1"), literal_column("13"))  # "2026-11-22 14"


def handling_seconds(engine: Engine, c: Any = ContactRow) -> Any:
    """A call's handling time in whole seconds (from ix_contacts_handling's two columns)."""
    if engine.dialect.name == "postgresql":  # in double precision, not numeric (10% of a
        # whole-table refresh), half up, as round() does for a positive time
        epoch = func.date_part("epoch", c.call_ended_at - c.call_started_at)
        return func.floor(epoch + literal_column("0.5"))
    days = func.julianday(c.call_ended_at) - func.julianday(c.call_started_at)
    return func.round(days * literal_column("86400"))


def _hour(value: Any) -> datetime:
    if isinstance(value, datetime):  # PostgreSQL: a UTC time without its zone
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    return datetime.fromisoformat(f"{value}:00").replace(tzinfo=UTC)
