"""Table packs published once for a whole backup site, through the site database.

A supervisor publishes a signed pack (``repli tables import PACK --site``, or the
supervision's action); every seat whose ``tables_source`` is ``site`` reads the highest
serial there every few seconds (a one-row query), downloads that pack when it is newer than
its own, and verifies and stages it exactly as a pack from the primary's share
(desktop.tables.follow). A seat that was off catches up when it comes back.
"""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, delete, func, insert, select

from desktop.contacts import utc_now
from desktop.files import write_atomically
from desktop.store.models import SitePackRow
from desktop.tables.packfiles import MAX_ZIP_BYTES, read_pack_files

KEEP = 5


class SitePackError(ValueError):
    pass


def publish_to_site(engine: Engine, pack: Path, actor: str) -> int:
    """The signed pack ``pack`` in the site database; returns its serial."""
    from desktop.tables.signed import SIGNATURE_FILE

    files = read_pack_files(pack).files
    if SIGNATURE_FILE not in files:
        raise SitePackError(f"{pack}: not signed by the primary (repli tables sign)")
    manifest = json.loads(files["manifest.json"].decode("utf-8-sig"))
    serial = manifest.get("serial") if isinstance(manifest, dict) else None
    if not isinstance(serial, int) or isinstance(serial, bool) or serial <= 0:
        raise SitePackError(f"{pack}: its manifest has no serial")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in sorted(files.items()):
            archive.writestr(name, data)
    blob = buffer.getvalue()
    if len(blob) > MAX_ZIP_BYTES:
        raise SitePackError(f"{pack}: over {MAX_ZIP_BYTES // 2**20} MiB")
    with engine.begin() as conn:
        latest = conn.scalar(select(func.max(SitePackRow.serial)))
        if latest is not None and serial <= latest:
            raise SitePackError(f"serial {serial} is not above the site's {latest}")
        conn.execute(
            insert(SitePackRow).values(
                serial=serial,
                name=str(manifest.get("name", ""))[:200],
                version=str(manifest.get("version", ""))[:100],
                published_at=utc_now(),
                published_by=actor[:120],
                files=blob,
            )
        )
        kept = conn.scalars(
            select(SitePackRow.serial).order_by(SitePackRow.serial.desc()).offset(KEEP)
        ).all()
        if kept:
            conn.execute(delete(SitePackRow).where(SitePackRow.serial.in_(list(kept))))
    return serial


def site_pointer(engine: Engine) -> dict[str, Any] | None:
    """The newest published pack, as a share's current.json names it (no files read)."""
    with engine.connect() as conn:
        row = conn.execute(
            select(SitePackRow.serial, SitePackRow.name, SitePackRow.version)
            .order_by(SitePackRow.serial.desc())
            .limit(1)
        ).first()
    if row is None:
        return None
    serial = int(row[0])
    return {
        "serial": serial,
        "name": row[1],
        "version": row[2],
        "path": f"packs/{serial}/",
        "files": [],
    }


def download(engine: Engine, serial: int, staging: Path) -> Path:
    """The pack ``serial`` as a .zip in ``staging`` (read then as any pack)."""

    with engine.connect() as conn:
        # its size first: a blob over the bound (a hand-made row) is refused unread, where
        # a 300 MB one was read whole at every check before its refusal
        size = conn.scalar(
            select(func.length(SitePackRow.files)).where(SitePackRow.serial == serial)
        )
        if size is not None and size > MAX_ZIP_BYTES:
            raise SitePackError(
                f"the site's pack {serial}: {size // 2**20} MiB, over {MAX_ZIP_BYTES // 2**20} MiB"
            )
        blob = conn.scalar(select(SitePackRow.files).where(SitePackRow.serial == serial))
    if blob is None:
        raise SitePackError(f"the site's pack {serial} is gone")
    staging.mkdir(parents=True, exist_ok=True, mode=0o700)
    target = staging / f"{serial}.zip"
    write_atomically(target, bytes(blob), mode=0o600)
    return target
