"""A seat's store file opened the way Repli opens it: with its key when it is encrypted."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from desktop.seat.store_key import find
from desktop.store.cipher import connect_store


def open_store(path: Path, **kwargs: Any) -> Any:
    """A DB-API connection to the seat store at ``path`` (its key from this account)."""
    found = find(path)
    return connect_store(path, found.key if found else None, **kwargs)
