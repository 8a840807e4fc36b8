"""Whose a seat's store is, written in the store itself, encrypted or not: a plain store has
no ``store.json`` to name its client, and one client's contacts must never be merged into
another's store (``repli --client A merge`` took client B's plain store file)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, insert, select

from desktop.store.models import SiteSettingRow

KEY = "store.client"  # in site_settings, which a seat's own store has (otherwise empty)


def stamp_owner(engine: Engine, client: str) -> None:
    """Record ``client`` as the store's owner the first time it is opened as a client's
    (``clients adopt`` gives the seat's own store, never stamped, to a client); never
    changed after: a store copied into another client's folder still says whose it is."""
    with engine.begin() as conn:
        found = conn.execute(select(SiteSettingRow.value).where(SiteSettingRow.key == KEY))
        if found.scalar_one_or_none() is None:
            conn.execute(
                insert(SiteSettingRow).values(
                    key=KEY, value=client, updated_at=datetime.now(UTC), updated_by="repli"
                )
            )


def owner_in(conn: Any) -> str:
    """The client a seat database names (a DB-API connection to it, its ``site_settings``
    table there), "" when it names none."""
    row = conn.execute("SELECT value FROM site_settings WHERE key = ?", (KEY,)).fetchone()
    return row[0] if row and isinstance(row[0], str) else ""
