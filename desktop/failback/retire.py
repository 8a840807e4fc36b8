"""A client's end of contract (GDPR art. 28(3)(g)): ``repli clients retire ID``.

1. Refused while anything is undelivered or unreconciled (the failback report over all
   time says what), unless forced with a written reason.
2. The site store: every row of the client deleted (the site database is the client's own),
   the tables rewritten (``VACUUM FULL`` on PostgreSQL: no dead row left in their files), and
   a retirement mark written in ``site_settings`` (when, by whom, why, the counts per seat).
3. Every seat that delivers to it sees the mark at its next check (its next sync, its next
   start) and erases the client: every file of the client's folder overwritten then removed,
   its store's key destroyed (keyring entry or key file); it writes its confirmation (counts,
   when, which PC) beside the mark. A seat that was off erases when it next starts.
4. The deletion certificate: client, period covered, counts per seat and of the site store,
   when each seat confirmed and by whom, the reason if forced; JSON signed with the site's
   key (minisign's format), re-made with the confirmations so far by running the command again.

The mark and the confirmations hold no personal data: ids of seats, counts, times, names of
PCs and of the administrator.
"""

from __future__ import annotations

import json
import logging
import platform
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, delete, func, select, text

from desktop import __version__, config
from desktop.contacts import utc_now
from desktop.failback.files import who
from desktop.paths import DataPaths
from desktop.store.models import Base, ContactRevisionRow, ContactRow, SiteSeatRow, SiteSettingRow

log = logging.getLogger("repli.retire")
MARK = "retired"
CONFIRMED = "retired:"  # + the seat's id
CERTIFICATE = "repli.deletion-certificate/1"


class RetireRefused(RuntimeError):
    """Something is not delivered or not reconciled, and the retirement was not forced."""


class ClientRetired(Exception):
    """The site says this client was retired: the seat must erase it."""

    def __init__(self, mark: dict[str, Any]) -> None:
        super().__init__(f"the client {mark.get('client', '')!r} was retired on {mark.get('at')}")
        self.mark = mark


@dataclass(frozen=True)
class Erased:
    """What a seat erased of a retired client."""

    contacts: int
    revisions: int
    files: int
    key: str  # where its key was: keyring, file, or none (a plain store)


def mark(site: Engine) -> dict[str, Any] | None:
    with site.connect() as conn:
        value = conn.execute(
            select(SiteSettingRow.value).where(SiteSettingRow.key == MARK)
        ).scalar_one_or_none()
    return _plain(value) if value else None


def confirmations(site: Engine) -> dict[str, dict[str, Any]]:
    with site.connect() as conn:
        rows = conn.execute(
            select(SiteSettingRow.key, SiteSettingRow.value).where(
                SiteSettingRow.key.startswith(CONFIRMED)
            )
        ).all()
    return {key.removeprefix(CONFIRMED): _plain(value) for key, value in rows}


def _plain(value: str) -> dict[str, Any]:
    try:
        found = json.loads(value)
    except ValueError:
        return {"unreadable": value[:200]}
    return found if isinstance(found, dict) else {"unreadable": value[:200]}


def _put(site: Engine, key: str, value: dict[str, Any], by: str) -> None:
    from desktop.supervisor.site_mode import put_setting

    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    with site.begin() as conn:
        conn.execute(put_setting(site.dialect.name, key, text, by))


def site_counts(site: Engine) -> tuple[dict[str, dict[str, int]], str | None, str | None]:
    """Per seat: contacts and revisions the site store holds; the first and last day."""
    c, r = ContactRow, ContactRevisionRow
    with site.connect() as conn:
        contacts = conn.execute(select(c.seat_id, func.count()).group_by(c.seat_id)).all()
        revisions = conn.execute(
            select(c.seat_id, func.count())
            .select_from(r)
            .join(c, c.id == r.contact_id)
            .group_by(c.seat_id)
        ).all()
        first, last = conn.execute(select(func.min(c.created_at), func.max(c.created_at))).one()
        seats = [s for (s,) in conn.execute(select(SiteSeatRow.seat_id))]
    counts: dict[str, dict[str, int]] = {s: {"contacts": 0, "revisions": 0} for s in seats}
    for seat, n in contacts:
        counts.setdefault(seat, {"contacts": 0, "revisions": 0})["contacts"] = int(n)
    for seat, n in revisions:
        counts.setdefault(seat, {"contacts": 0, "revisions": 0})["revisions"] = int(n)

    def day(value: datetime | None) -> str | None:
        return value.date().isoformat() if value else None

    return counts, day(first), day(last)


def retire_site(
    site: Engine, client: str, client_name: str, by: str, reason: str, forced: bool
) -> dict[str, Any]:
    """The client's rows deleted from its site store and the mark written; the mark. A site
    already retired keeps its first mark (running the command again re-makes the certificate)."""
    already = mark(site)
    if already is not None:
        return already
    counts, first, last = site_counts(site)
    found = {
        "client": client,
        "client_name": client_name,
        "at": utc_now().isoformat(),
        "by": by,
        "reason": reason,
        "forced": forced,
        "period": {"first": first, "last": last},
        "seats": counts,
    }
    # the mark first: a seat that reads it from now on erases; then the rows
    _put(site, MARK, found, by)
    keep = {SiteSettingRow.__tablename__}
    with site.begin() as conn:
        for table in reversed(Base.metadata.sorted_tables):
            if table.name not in keep:
                conn.execute(delete(table))
    if site.dialect.name == "postgresql":  # no dead row left in the tables' files
        with site.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            for table in Base.metadata.sorted_tables:
                if table.name not in keep:
                    conn.execute(text(f'VACUUM FULL "{table.name}"'))
    log.warning("client %s retired from the site store by %s", client, by)
    return found


def confirm(site: Engine, seat_id: str, erased: Erased) -> None:
    _put(
        site,
        CONFIRMED + seat_id,
        {
            "at": utc_now().isoformat(),
            "by": who(),
            "pc": platform.node(),
            "contacts": erased.contacts,
            "revisions": erased.revisions,
            "files": erased.files,
            "key": erased.key,
            "repli_version": __version__,
        },
        who(),
    )


def certificate(found: dict[str, Any], confirmed: dict[str, dict[str, Any]]) -> dict[str, Any]:
    seats = sorted(set(found.get("seats", {})) | set(confirmed))
    return {
        "schema": CERTIFICATE,
        "client": {"id": found.get("client", ""), "name": found.get("client_name", "")},
        "retired_at": found.get("at"),
        "retired_by": found.get("by"),
        "forced": bool(found.get("forced")),
        "reason": found.get("reason", ""),
        "period": found.get("period", {}),
        "site_store": {
            "contacts": sum(s["contacts"] for s in found.get("seats", {}).values()),
            "revisions": sum(s["revisions"] for s in found.get("seats", {}).values()),
            "per_seat": found.get("seats", {}),
            "deleted_at": found.get("at"),
        },
        "seats": [
            {"seat_id": seat, "confirmed": seat in confirmed, **confirmed.get(seat, {})}
            for seat in seats
        ],
        "complete": all(seat in confirmed for seat in seats),
        "made_at": utc_now().isoformat(),
        "made_by": who(),
        "repli_version": __version__,
    }


def erase_here(paths: DataPaths) -> Erased:
    """The retired client erased from this seat: counted, then every file of its folder
    overwritten and removed and its key destroyed (desktop.seat.clients.erase). A seat's own
    data directory (a seat of one client, no client folder): its store and key only, its
    configuration kept. The store must be closed by the caller."""
    from desktop.context import SeatContext
    from desktop.seat import clients, store_key
    from desktop.store.cipher import StoreLocked, wipe

    contacts = revisions = 0
    if paths.database.exists():
        try:
            seat = SeatContext.open(str(paths.root))
        except StoreLocked as exc:
            log.warning("%s: not counted before erasure (%s)", paths.database, exc)
        else:
            try:
                with seat.engine.connect() as conn:
                    contacts = int(conn.scalar(select(func.count()).select_from(ContactRow)) or 0)
                    revisions = int(
                        conn.scalar(select(func.count()).select_from(ContactRevisionRow)) or 0
                    )
            finally:
                seat.close()
    settings, _ = config.load_seat(paths)
    try:
        key = store_key.find(paths.database, settings.store_key_dir)
    except StoreLocked:
        key = None
    where = key.storage if key is not None else "none"
    if paths.client:
        files = sum(1 for p in paths.root.rglob("*") if p.is_file() and not p.is_symlink())
        clients.erase(DataPaths.resolve(paths.seat_root), paths.client)
        return Erased(contacts, revisions, files, where)
    store = [
        paths.database.with_name(paths.database.name + suffix) for suffix in ("", "-wal", "-shm")
    ]
    store.append(store_key.store_file(paths.database))
    files = sum(1 for p in store if p.is_file())
    for path in store:
        if path.is_file():
            wipe(path)
    if key is not None:
        store_key.forget(key, settings.store_key_dir)
    return Erased(contacts, revisions, files, where)


def erase_and_confirm(paths: DataPaths, site: Engine, seat_id: str) -> Erased:
    """The seat's part: erased here, then confirmed in the site store (once: a seat that
    erases again, an empty store, does not overwrite its first confirmation)."""
    erased = erase_here(paths)
    if seat_id not in confirmations(site):
        confirm(site, seat_id, erased)
    return erased
