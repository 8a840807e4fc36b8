"""Table packs in the database: import and activate atomically, load the active one.

The whole pack is written and switched active in one transaction, so a failure at any point
leaves the previous pack active and untouched. The previous pack is kept for rollback. With
the rows the pack stores its counts and a snapshot of the lookup index, so that start-up
reads one row instead of sorting a hundred thousand numbers.
"""

from __future__ import annotations

import itertools
from contextlib import AbstractContextManager, nullcontext
from dataclasses import fields
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Engine, delete, insert, select, text, update

from desktop.gc_paused import gc_paused
from desktop.lookup import LookupIndex, PackColumns, snapshot_of
from desktop.store.models import (
    BranchRow,
    CallTypeRow,
    DialledNumberRow,
    PartnerRow,
    TablePackRow,
)
from desktop.store.quickstart import STATUS_COLUMNS, PackStatus, status_from_row
from desktop.table_pack import Branch, CallType, DialledNumber, PackInfo, Partner, TablePack

if TYPE_CHECKING:
    from desktop.workers import Workers

KEEP_PACKS = 3  # a pack staged for the next call, the active one and the previous one
# numbers written a chunk at a time: a 1.6-million-number pack's rows as tuples, all at once,
# held 200 MB more than the pack itself
_NUMBERS_AT_ONCE = 50_000
# from this many numbers a pack's lookup index is built in a worker process, beside the rows'
# writing; below it, building it here takes less than starting a worker (~0.15 s)
INDEX_BESIDE_FROM = 20_000
_BRANCH_FIELDS = [f.name for f in fields(Branch)]

__all__ = [
    "KEEP_PACKS",
    "PackStatus",
    "activate_pack",
    "active_status",
    "import_pack",
    "load_active",
    "previous_pack",
]


@gc_paused()  # a pack makes objects by the hundred thousand
def import_pack(
    engine: Engine,
    pack: TablePack,
    region: str = "FR",
    skipped_rows: int = 0,
    activate: bool = True,
) -> int:
    """Write ``pack`` and make it the active one, in one transaction. Returns its id.
    ``activate=False`` stages it: written, not in use until ``activate_pack`` (between two
    calls: desktop.tables.follow)."""
    counts = pack.counts()
    columns = PackColumns.of(pack.numbers, pack.branches, pack.call_types, pack.partners, region)
    with _index_beside(counts["numbers"]) as workers, engine.begin() as conn:
        snapshots = workers.in_order([columns], snapshot_of) if workers else None
        inserted = conn.execute(
            insert(TablePackRow).values(
                name=pack.info.name,
                version=pack.info.version,
                generated_at=pack.info.generated_at,
                imported_at=datetime.now(UTC),
                source=pack.info.source,
                active=False,
                skipped_rows=skipped_rows,
                branch_count=counts["branches"],
                number_count=counts["numbers"],
                call_type_count=counts["call_types"],
                partner_count=counts["partners"],
                serial=pack.info.serial,
                signed_by=pack.info.signed_by,
            )
        ).inserted_primary_key
        assert inserted is not None
        pack_id = int(inserted[0])
        _insert_rows(conn, pack_id, pack)
        conn.execute(
            update(TablePackRow)
            .where(TablePackRow.id == pack_id)
            .values(index_snapshot=next(snapshots) if snapshots else snapshot_of(columns))
        )
        if activate:
            conn.execute(update(TablePackRow).values(active=TablePackRow.id == pack_id))
        old = conn.scalars(
            select(TablePackRow.id)
            .where(~TablePackRow.active)
            .order_by(TablePackRow.id.desc())
            .offset(KEEP_PACKS - 1)
        ).all()
        if old:
            _delete_packs(conn, list(old))
    return int(pack_id)


def _index_beside(numbers: int) -> AbstractContextManager[Workers | None]:
    """A worker process for a large pack's lookup index (it then builds it while this process
    writes the rows); it dies or cannot start: the index is built here, as for a small pack."""
    if numbers < INDEX_BESIDE_FROM:
        return nullcontext()
    from desktop.workers import Workers  # a large pack's only

    return Workers(1, beside=True)


def activate_pack(engine: Engine, pack_id: int) -> PackStatus:
    """Make the pack ``pack_id`` (staged, or kept from before) the active one; one UPDATE."""
    with engine.begin() as conn:
        found = conn.scalar(select(TablePackRow.id).where(TablePackRow.id == pack_id))
        if found is None:
            raise LookupError(f"no table pack {pack_id} on this seat")
        conn.execute(update(TablePackRow).values(active=TablePackRow.id == pack_id))
    status = active_status(engine)
    assert status is not None
    return status


def previous_pack(engine: Engine) -> int | None:
    """The pack kept from before the active one (``repli tables rollback``)."""
    with engine.connect() as conn:
        active = conn.scalar(select(TablePackRow.id).where(TablePackRow.active))
        query = select(TablePackRow.id).order_by(TablePackRow.id.desc())
        if active is not None:
            query = query.where(TablePackRow.id < active)
        return conn.scalar(query.limit(1))


def _insert_rows(conn: Connection, pack_id: int, pack: TablePack) -> None:
    """Bulk inserts through the driver's executemany: a pack has 100,000 numbers."""
    _many(
        conn,
        "branches",
        ["pack_id", *_BRANCH_FIELDS],
        [(pack_id, *vars(b).values()) for b in pack.branches.values()],
    )
    _many(
        conn,
        "call_types",
        ["pack_id", "code", "label", "hotkey", "procedure", "priority"],
        [
            (pack_id, c.code, c.label, c.hotkey, "\n".join(c.procedure), c.priority)
            for c in pack.call_types.values()
        ],
    )
    numbers = iter(pack.numbers)
    while chunk := [(pack_id, *n) for n in itertools.islice(numbers, _NUMBERS_AT_ONCE)]:
        _many(
            conn,
            "dialled_numbers",
            ["pack_id", "e164", "dialling", "branch_id", "call_type", "label"],
            chunk,
        )
    _many(
        conn,
        "partners",
        ["pack_id", "e164", "name", "kind"],
        [(pack_id, p.e164, p.name, p.kind) for p in pack.partners.values()],
    )


def _many(conn: Connection, table: str, columns: list[str], rows: list[tuple[Any, ...]]) -> None:
    if not rows:
        return
    marker = "?" if conn.dialect.paramstyle == "qmark" else "%s"
    sql = (
        f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join([marker] * len(columns))})"
    )
    conn.exec_driver_sql(sql, rows)


def _delete_packs(conn: Connection, pack_ids: list[int]) -> None:
    for model in (BranchRow, CallTypeRow, DialledNumberRow, PartnerRow):
        conn.execute(delete(model).where(model.pack_id.in_(pack_ids)))
    conn.execute(delete(TablePackRow).where(TablePackRow.id.in_(pack_ids)))


def active_status(engine: Engine) -> PackStatus | None:
    with engine.connect() as conn:
        row = conn.execute(text(f"SELECT {STATUS_COLUMNS} FROM table_packs WHERE active")).first()
    return status_from_row(tuple(row)) if row is not None else None


def load_active_index(engine: Engine, region: str) -> LookupIndex | None:
    with engine.connect() as conn:
        row = conn.execute(text("SELECT index_snapshot FROM table_packs WHERE active")).first()
    index = LookupIndex.from_snapshot(bytes(row[0])) if row is not None and row[0] else None
    if index is not None and index.region == region:
        return index
    pack = load_active(engine)
    if pack is None:
        return None
    # A snapshot of an older format or another region: rebuild it once, keep it for next start.
    index = LookupIndex.from_pack(pack, region)
    with engine.begin() as conn:
        conn.execute(
            update(TablePackRow).where(TablePackRow.active).values(index_snapshot=index.snapshot())
        )
    return index


def load_active(engine: Engine) -> TablePack | None:
    """The active pack's rows, as values."""
    with engine.connect() as conn:
        head = conn.execute(
            text(
                "SELECT id, name, version, generated_at, imported_at, source "
                "FROM table_packs WHERE active"
            )
        ).first()
        if head is None:
            return None
        pack_id = {"p": head[0]}
        pack = TablePack(PackInfo(head[1], head[2], head[3], str(head[4]), head[5]))
        branches = conn.execute(
            text(f"SELECT {', '.join(_BRANCH_FIELDS)} FROM branches WHERE pack_id = :p"), pack_id
        )
        pack.branches = {r[0]: Branch(*r) for r in branches}
        call_types = conn.execute(
            text(
                "SELECT code, label, hotkey, procedure, priority FROM call_types WHERE pack_id = :p"
            ),
            pack_id,
        )
        for r in call_types:
            steps = tuple(s for s in r[3].split("\n") if s)
            pack.call_types[r[0]] = CallType(r[0], r[1], r[2], steps, r[4])
        pack.numbers = [
            DialledNumber(*r)
            for r in conn.execute(
                text(
                    "SELECT e164, dialling, branch_id, call_type, label FROM dialled_numbers "
                    "WHERE pack_id = :p"
                ),
                pack_id,
            )
        ]
        partners = conn.execute(
            text("SELECT e164, name, kind FROM partners WHERE pack_id = :p"), pack_id
        )
        pack.partners = {r[0]: Partner(*r) for r in partners}
        return pack
