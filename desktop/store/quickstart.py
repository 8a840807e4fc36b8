"""What the first frame needs, read with the standard library only (no SQLAlchemy import).

The agent window must be ready for the first digit fast; SQLAlchemy and Alembic cost hundreds
of milliseconds at import. When the seat's SQLite database is at the expected schema and has
an active pack with an index snapshot, this module reads them in a few milliseconds; the
full store is attached right after the window is shown. Anything unusual returns None and
start-up takes the full path.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from desktop.table_pack import PackInfo

HEAD_REVISION = "0013"


@dataclass(frozen=True)
class PackStatus:
    pack_id: int
    info: PackInfo
    imported_at: datetime
    skipped_rows: int
    counts: dict[str, int]

    def age_days(self, now: datetime | None = None) -> float:
        reference = self.generated_or_imported()
        return ((now or datetime.now(UTC)) - reference).total_seconds() / 86400

    def is_stale(self, max_age_days: int, now: datetime | None = None) -> bool:
        return self.age_days(now) > max_age_days

    def generated_or_imported(self) -> datetime:
        return pack_date(self.info.generated_at, self.imported_at)


@dataclass(frozen=True)
class QuickStart:
    tables: PackStatus
    snapshot: bytes


STATUS_COLUMNS = (
    "id, name, version, generated_at, imported_at, source, skipped_rows, "
    "branch_count, number_count, call_type_count, partner_count, serial, signed_by"
)


def status_from_row(row: tuple[object, ...]) -> PackStatus:
    imported = row[4]
    if not isinstance(imported, datetime):
        imported = datetime.fromisoformat(str(imported))
    imported = imported if imported.tzinfo else imported.replace(tzinfo=UTC)
    serial = row[11]
    info = PackInfo(
        str(row[1]),
        str(row[2]),
        str(row[3]),
        imported.isoformat(timespec="seconds"),
        str(row[5]),
        serial=int(str(serial)) if serial is not None else None,
        signed_by=str(row[12] or ""),
    )
    names = ("branches", "numbers", "call_types", "partners")
    counts = {name: int(str(value)) for name, value in zip(names, row[7:11], strict=True)}
    return PackStatus(int(str(row[0])), info, imported, int(str(row[6])), counts)


def read(database: Path, key: str | None = None) -> QuickStart | None:
    """``key``: the store's, when it is encrypted (desktop.store.cipher)."""
    if not database.exists():
        return None
    from desktop.store import cipher

    errors = (sqlite3.Error, cipher.dbapi().Error) if key else (sqlite3.Error,)
    try:
        conn = cipher.connect_store(database, key, timeout=5)
    except (*errors, cipher.StoreLocked):
        return None
    try:
        version = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        if version is None or version[0] != HEAD_REVISION:
            return None
        row = conn.execute(
            f"SELECT {STATUS_COLUMNS}, index_snapshot FROM table_packs WHERE active"
        ).fetchone()
    except errors:
        return None
    finally:
        conn.close()
    if row is None or row[-1] is None:
        return None
    return QuickStart(status_from_row(row[:-1]), bytes(row[-1]))


def pack_date(generated_at: str, imported_at: datetime) -> datetime:
    """A pack's age counts from when the primary site generated it, if it says; else from
    its import."""
    try:
        generated = datetime.fromisoformat(generated_at)
    except ValueError:
        return imported_at
    return generated if generated.tzinfo else generated.replace(tzinfo=UTC)
