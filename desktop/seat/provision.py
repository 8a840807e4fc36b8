"""``repli provision``: make this PC a seat in one command (the installer can call it).

Writes the seat configuration (the user's, or the PC-wide one with ``system``), imports the
table pack unless that very pack is already active, and can be run again to change either:
settings given are replaced, the others kept; a sync target given again replaces the one of
the same name.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from desktop import config
from desktop.files import make_shared_folders, safe_name, write_replacing
from desktop.paths import DataPaths, system_client_file, system_config_file
from desktop.tables import shared

if TYPE_CHECKING:
    from desktop.tables.validate import PackReading


@dataclass
class Request:
    site: str
    seat_id: str
    tables: Path | None = None
    settings: dict[str, Any] = field(default_factory=dict)  # mode, region, language, pop_port…
    targets: list[dict[str, Any]] = field(default_factory=list)
    system: bool = False


@dataclass
class Result:
    config_file: Path
    tables: str  # imported …, already active, or not given
    warnings: list[str] = field(default_factory=list)


def provision(paths: DataPaths, request: Request) -> Result:
    values = {"site": request.site, "seat_id": request.seat_id, **request.settings}
    pack, reading, region = request.tables, None, ""
    if pack is not None:  # read once: it refuses a bad pack before anything is written
        from desktop.tables.validate import read_pack

        region = str(values.get("region") or config.load_seat(paths)[0].region)
        reading = read_pack(pack, region)
        if request.system:  # every agent account of the PC imports it at its next start
            info = reading.pack.info
            name = safe_name(f"{info.name}-{info.version}", keep="-._", fallback="pack")
            shared.publish(pack, name)  # what it ignores, read_pack has warned of already
            pack = shared.system_tables_dir() / name
            values["tables_pack"] = str(pack)
    target, warnings = update_config(paths, values, request.targets, request.system)
    exposed = shared_config_warning(target) if request.system else None
    warnings += [exposed] if exposed else []
    result = Result(
        target, _tables(paths, reading, region), [*reading_warnings(reading), *warnings]
    )
    if pack is not None and request.system:
        shared.record_import(paths, pack)
    return result


def update_config(
    paths: DataPaths,
    values: dict[str, Any],
    targets: list[dict[str, Any]] | None = None,
    system: bool = False,
) -> tuple[Path, list[str]]:
    """Set ``values`` (and replace the sync ``targets`` of the same names) in the seat's
    config file, or the PC-wide one with ``system``, keeping every other key."""
    if system:  # a client's PC-wide settings are its own file beside the PC-wide config
        target = system_client_file(paths.client) if paths.client else system_config_file()
    else:
        target = paths.config_file
    raw = config.read_toml(target) if target.exists() else {}
    raw.update(values)
    if targets:
        given = {t["name"] for t in targets}
        raw["sync_targets"] = [t for t in raw.get("sync_targets", []) if t.get("name") not in given]
        raw["sync_targets"] += targets
    settings, warnings = config.from_mapping(raw, source=str(target))  # refuses bad values
    _write(target, config.to_toml(settings, only=set(raw)), shared=system)
    return target, warnings


AGENTS_GROUP = "repli"  # the .deb makes it; IT adds the agents' accounts to it


def _write(path: Path, text: str, shared: bool) -> None:
    """Atomically; the seat's file is the owner's only (it holds tokens). The PC-wide one
    must be readable by the agents' accounts: by the group ``repli`` alone (0640) when the
    PC has it, else by every account (0644), which ``shared_config_warning`` then says."""
    if shared:  # made 0700 under Repli's umask, the agents then saw no client and no setting
        make_shared_folders(path.parent)
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
    if not shared:
        write_replacing(path, text.encode("utf-8"), mode=0o600)
        return
    group = _agents_group()
    write_replacing(path, text.encode("utf-8"), mode=0o640 if group is not None else 0o644)
    if group is not None:
        os.chown(path, -1, group)


def _agents_group() -> int | None:
    if os.name == "nt":
        return None
    import grp

    try:
        return grp.getgrnam(AGENTS_GROUP).gr_gid
    except KeyError:
        return None


def shared_config_warning(path: Path) -> str | None:
    """What to do when the PC-wide config holds a secret that every account can read."""
    if os.name == "nt" or not path.exists() or not path.stat().st_mode & 0o004:
        return None
    raw = config.read_toml(path)
    secrets = [
        t.get("name", "?")
        for t in raw.get("sync_targets", [])
        if isinstance(t, dict) and (t.get("token") or "@" in str(t.get("database_url", "")))
    ]
    if not secrets:
        return None
    return (
        f"{path} holds the secrets of sync target(s) {', '.join(secrets)} and every account "
        f"of this PC can read it: create the group {AGENTS_GROUP!r} (addgroup --system "
        f"{AGENTS_GROUP}), add the agents' accounts to it, and provision again"
    )


def reading_warnings(reading: PackReading | None) -> list[str]:
    return list(reading.warnings) if reading is not None else []


def _tables(paths: DataPaths, reading: PackReading | None, region: str) -> str:
    """Activate the pack read, unless that very pack is already active."""
    if reading is None:
        return "not given"
    from desktop.context import SeatContext
    from desktop.store.tables import import_pack

    info = reading.pack.info
    seat = SeatContext.open(str(paths.root))
    try:
        active = seat.tables_status()
        if active is not None and (
            active.info.name,
            active.info.version,
            active.info.generated_at,
            active.counts,
        ) == (info.name, info.version, info.generated_at, reading.pack.counts()):
            return f"{info.name} {info.version} already active"
        import_pack(seat.engine, reading.pack, region, skipped_rows=len(reading.skipped))
        return f"imported {info.name} {info.version}"
    finally:
        seat.close()
