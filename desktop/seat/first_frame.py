"""A seat's first frame, or its ``repli lookup``, from its store as it is: the store's key
found (desktop.seat.store_key), then the tables read with the standard library
(desktop.store.quickstart). Beside the store's modules, not among them: it needs the key's
module, which needs the schema's, which needs the quick start's revision."""

from __future__ import annotations

from typing import TYPE_CHECKING

from desktop.lookup import LookupIndex
from desktop.seat import store_key
from desktop.store import cipher, quickstart
from desktop.tables import shared

if TYPE_CHECKING:
    from desktop.config import Settings
    from desktop.paths import DataPaths


def for_seat(paths: DataPaths, settings: Settings) -> quickstart.QuickStart | None:
    """The seat's tables from its store as it is; None takes the full path (a site database,
    a store to create, to encrypt, or whose key is missing: SeatContext.open does it, or
    says why)."""
    if settings.database_url:
        return None
    try:
        found = store_key.find(paths.database, settings.store_key_dir)
    except cipher.StoreLocked:
        return None
    if found is None and (settings.store_encryption or not cipher.is_plain(paths.database)):
        return None
    return quickstart.read(paths.database, found.key if found else None)


def lookup_tables(
    paths: DataPaths, settings: Settings
) -> tuple[LookupIndex, quickstart.PackStatus] | None:
    """The active pack's lookup index and status as the first frame (and ``repli lookup``)
    reads them; None when the full path has work to do: the PC's pack changed, a snapshot of
    another format or region, or what ``for_seat`` leaves to it."""
    if shared.needs_import(paths, settings.tables_pack):
        return None
    quick = for_seat(paths, settings)
    index = LookupIndex.from_snapshot(quick.snapshot) if quick is not None else None
    if quick is None or index is None or index.region != settings.region:
        return None
    return index, quick.tables
