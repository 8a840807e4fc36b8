"""A seat's first frame, or its ``repli lookup``, from its store as it is: the store's key
found (desktop.seat.store_key), then the tables read with the standard library
(desktop.store.quickstart). Beside the store's modules, not among them: it needs the key's
module, which needs the schema's, which needs the quick start's revision."""

from __future__ import annotations

from typing import TYPE_CHECKING

from desktop.seat import store_key
from desktop.store import cipher, quickstart

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
