"""``repli tables import``: validate a whole pack, then activate it atomically."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine

from desktop.store.tables import import_pack
from desktop.tables.csvfile import Problem
from desktop.tables.model import TablePack
from desktop.tables.validate import read_pack


@dataclass
class ImportReport:
    pack_id: int
    pack: TablePack
    warnings: list[str] = field(default_factory=list)
    skipped: list[Problem] = field(default_factory=list)


def import_tables(
    engine: Engine, path: Path, region: str = "FR", skip_invalid_rows: bool = False
) -> ImportReport:
    """Raises PackError (with every problem) before anything in the database changes."""
    reading = read_pack(path, region, skip_invalid_rows)
    pack_id = import_pack(engine, reading.pack, region, skipped_rows=len(reading.skipped))
    return ImportReport(pack_id, reading.pack, reading.warnings, reading.skipped)
