"""The seat context: paths, settings, database and tables, as the CLI and the window use them.

Nothing global: ``SeatContext.open`` builds it and callers pass it down.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from desktop import config
from desktop.paths import DataPaths, demo_pack_dir

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from desktop.lookup import LookupIndex
    from desktop.seat.store_key import StoreKey
    from desktop.store.quickstart import PackStatus

log = logging.getLogger("repli.seat")


@dataclass
class SeatContext:
    paths: DataPaths
    settings: config.Settings
    engine: Engine
    config_warnings: list[str] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    key: str | None = None  # the SQLite store's key (desktop.seat.store_key); None: plain
    key_storage: str = ""  # where that key is kept: "keyring" or "file"

    @classmethod
    def open(
        cls, data_dir: str | None = None, settings: config.Settings | None = None
    ) -> SeatContext:
        from desktop.store.schema import open_migrated

        paths = DataPaths.resolve(data_dir).ensure()
        if not paths.client and not paths.database.exists() and settings is None:
            clients = paths.clients()
            if clients:  # the seat's own store would be made, with the demo pack, first in sign-in
                raise config.ConfigError(
                    f"this seat has clients ({', '.join(clients)}): give --client ID"
                )
        warnings: list[str] = []
        if settings is None:
            settings, warnings = config.load_seat(paths)
        for warning in warnings:
            log.warning(warning)
        found = None if settings.database_url else store_key(paths, settings)
        key = found.key if found else None
        engine = open_migrated(settings.database_url or paths.database_url, key)
        if paths.client and not settings.database_url:
            from desktop.store.owner import stamp_owner

            stamp_owner(engine, paths.client)
        storage = found.storage if found else ""
        return cls(paths, settings, engine, warnings, key=key, key_storage=storage)

    def ensure_tables(self) -> None:
        """Import the PC's table pack when it changed (provisioned with ``--system``); on a
        first start with no active pack and none for the PC, the demo pack, saying so."""
        from desktop.store.tables import active_status
        from desktop.tables import shared
        from desktop.tables.importer import import_tables
        from desktop.tables.validate import PackError

        if shared.needs_import(self.paths, self.settings.tables_pack):
            pack = Path(self.settings.tables_pack)
            try:
                import_tables(self.engine, pack, self.settings.region)
                shared.record_import(self.paths, pack)
                self.notices.append("pc-pack-imported")
                log.info("the PC's table pack was imported: %s", pack)
            except PackError as exc:  # the active pack stays; the window and repli doctor say so
                self.notices.append("pc-pack-refused")
                log.error("the PC's table pack %s cannot be imported: %s", pack, exc)
        if active_status(self.engine) is not None:
            return
        import_tables(self.engine, demo_pack_dir(), self.settings.region)
        self.notices.append("demo-pack-imported")
        log.warning("no active table pack: the demo pack was imported")

    def load_index(self) -> LookupIndex | None:
        from desktop.store.tables import load_active_index

        return load_active_index(self.engine, self.settings.region)

    def tables_status(self) -> PackStatus | None:
        from desktop.store.tables import active_status

        return active_status(self.engine)

    def tables_too_old(self, status: PackStatus, now: datetime | None = None) -> bool:
        return status.is_stale(self.settings.tables_max_age_days, now)

    def close(self) -> None:
        self.engine.dispose()


def store_key(paths: DataPaths, settings: config.Settings) -> StoreKey | None:
    """The key of the seat's SQLite store (None: a plain one), a plain store encrypted first
    when the settings want it (desktop.seat.store_key)."""
    from desktop.seat.store_key import for_seat

    return for_seat(
        paths.database,
        settings.store_encryption,
        settings.store_key_storage,
        settings.store_key_dir,
    )
