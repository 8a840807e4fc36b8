"""``repli tables import``: validate a whole pack, then activate it atomically."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine

from desktop.store.tables import active_status, import_pack
from desktop.table_pack import TablePack
from desktop.tables.csvfile import Problem
from desktop.tables.validate import PackError, read_pack


@dataclass
class ImportReport:
    pack_id: int
    pack: TablePack
    warnings: list[str] = field(default_factory=list)
    skipped: list[Problem] = field(default_factory=list)


def import_tables(
    engine: Engine,
    path: Path,
    region: str = "FR",
    skip_invalid_rows: bool = False,
    public_keys: tuple[str, ...] = (),
    require_signed: bool = False,
) -> ImportReport:
    """Raises PackError (with every problem) before anything in the database changes. A
    signed pack (verified against ``public_keys``) must be newer than the active one: an
    older or replayed pack is refused."""
    reading = read_pack(path, region, skip_invalid_rows, public_keys, require_signed)
    serial = reading.pack.info.serial
    if serial is not None:
        active = active_status(engine)
        current = active.info.serial if active is not None else None
        if current is not None and serial <= current:
            reason = f"serial {serial} is not newer than the active pack's ({current}): refused"
            raise PackError([Problem("manifest.json", 1, reason)])
    pack_id = import_pack(engine, reading.pack, region, skipped_rows=len(reading.skipped))
    return ImportReport(pack_id, reading.pack, reading.warnings, reading.skipped)
