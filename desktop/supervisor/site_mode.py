"""The site's mode, set by a supervisor in the site database and followed by every seat that
delivers to it: a failover exercise switches the whole site at once, and back."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.dialects import postgresql, sqlite

from desktop.config import Mode
from desktop.contacts import utc_now
from desktop.store.models import SiteSettingRow

KEY = "mode"


def set_site_mode(engine: Engine, mode: str, actor: str) -> None:
    Mode(mode)  # refuses an unknown mode
    with engine.begin() as conn:
        conn.execute(put_setting(engine.dialect.name, KEY, mode, actor))


def put_setting(dialect: str, key: str, value: str, actor: str, at: datetime | None = None) -> Any:
    """The statement that sets one of the site's settings (``site_settings``), replacing it."""
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    values = {"key": key, "value": value, "updated_at": at or utc_now(), "updated_by": actor[:120]}
    statement = insert(SiteSettingRow).values(values)
    return statement.on_conflict_do_update(
        index_elements=[SiteSettingRow.key],
        set_={k: statement.excluded[k] for k in ("value", "updated_at", "updated_by")},
    )


def site_mode(engine: Engine) -> str | None:
    """The mode the site's supervisor set, or None (each seat keeps its own)."""
    with engine.connect() as conn:
        value = conn.execute(
            select(SiteSettingRow.value).where(SiteSettingRow.key == KEY)
        ).scalar_one_or_none()
    return value if value in {m.value for m in Mode} else None
