"""What the windows change, each named once and free of Qt, returning its value with what it
changed (desktop.changes), as Anki's collection operations do. A window submits one through
its ops (desktop.ui.ops), which hand the value to its ``done`` and tell every window what
changed: no window says what an operation changes, the operation does.

The store's modules are imported inside each operation: the window's first frame imports
this module and must not pay for SQLAlchemy (tests/unit/test_architecture.py).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from desktop.changes import CONTACTS, DRAFTS, MODE, NOTHING, TABLES, Changed

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from desktop.config import Settings
    from desktop.contacts import ContactData
    from desktop.lookup import LookupIndex
    from desktop.paths import DataPaths
    from desktop.store.contacts import Saved
    from desktop.store.quickstart import PackStatus
    from desktop.supervisor.retention import ErasureReport, PurgeReport


def save_contact(engine: Engine, contact: ContactData, actor: str) -> Changed[Saved]:
    """A contact saved (a new one, or a correction): its draft goes in the same commit."""
    from desktop.store import contacts

    return Changed(contacts.save_contact(engine, contact, actor), CONTACTS | DRAFTS)


def save_draft(engine: Engine, contact: ContactData) -> Changed[datetime]:
    """The half-typed contact kept; when it was written."""
    from desktop.store import contacts

    return Changed(contacts.save_draft(engine, contact), DRAFTS)


def discard_draft(engine: Engine) -> Changed[None]:
    from desktop.store import contacts

    contacts.discard_draft(engine)
    return Changed(None, DRAFTS)


def mark_callback_done(engine: Engine, contact_id: str, actor: str) -> Changed[Saved | None]:
    """A callback's latest revision marked done (another tab may have saved one meanwhile);
    nothing when it is gone or already done."""
    from desktop.contacts import utc_now
    from desktop.store import contacts

    latest = contacts.get_contact(engine, contact_id)
    if latest is None or latest.callback_done_at is not None:
        return Changed(None, NOTHING)
    done = latest.with_changes(callback_done_at=utc_now())
    return Changed(contacts.save_contact(engine, done, actor), CONTACTS)


def record_call_end(engine: Engine, contact_id: str, at: datetime) -> Changed[Saved | None]:
    """The end of a call already saved: one new revision, or nothing when it was known."""
    from desktop.store import contacts

    return contacts.record_call_end(engine, contact_id, at)


def switch_mode(
    paths: DataPaths, mode: str, actor: str, site_engine: Engine | None = None
) -> Changed[str]:
    """The seat's mode (and the site's, on ``site_engine``) switched from its window, which
    shows it itself (not told through its socket, as ``repli mode`` tells it)."""
    from desktop.seat.mode import switch_mode as switch

    done = switch(paths, mode, actor=actor, tell_window=False, site_engine=site_engine)
    return Changed(done.mode, MODE)


def activate_tables(
    paths: DataPaths, engine: Engine, region: str
) -> Changed[tuple[LookupIndex | None, PackStatus | None]]:
    """The pack staged by the follower made the seat's (between two calls); the index and
    status of the pack active afterwards (the one before when activation failed, logged)."""
    import logging

    from desktop.store.tables import active_status, load_active_index
    from desktop.tables.follow import FollowError, activate_staged

    try:
        activate_staged(paths, engine)
    except FollowError as exc:
        logging.getLogger("repli.tables").error("the staged tables were not activated: %s", exc)
    return Changed((load_active_index(engine, region), active_status(engine)), TABLES)


def purge(engine: Engine, settings: Settings) -> Changed[PurgeReport | None]:
    """The retention applied (this seat's store, and the site store when it has one)."""
    from desktop.store.engine import make_site_engine
    from desktop.supervisor.retention import scheduled_purge

    url = settings.site_database_url
    site = make_site_engine(url) if url else None
    done = scheduled_purge(
        engine, settings.retention_days, settings.seat_id,
        settings.exercise_retention_days, site,
    )  # fmt: skip
    return Changed(done, CONTACTS if done is not None and done.contacts else NOTHING)


def erase_caller(engine: Engine, actor: str, number: str, name: str) -> Changed[ErasureReport]:
    """A caller's contacts erased on their request (sent to the CRM like any change)."""
    from desktop.supervisor.retention import erase

    return Changed(erase(engine, actor, number, name), CONTACTS)


def merge_files(engine: Engine, files: list[Path], client: str) -> Changed[dict[str, Any]]:
    """Other seats' exports or stores merged; the report as a dictionary."""
    from desktop.supervisor.merge import merge_files as merge

    return Changed(merge(engine, files, client).as_dict(), CONTACTS)


def publish_tables(engine: Engine, folder: Path, actor: str) -> Changed[int]:
    """A signed pack published for every seat of the site; its serial."""
    from desktop.tables.site_packs import publish_to_site

    return Changed(publish_to_site(engine, folder, actor), TABLES)
