"""The PC's table pack: the one an installer provisions for every agent account of a PC.

``repli provision --system --tables PACK`` copies the pack beside the PC-wide configuration
(``/etc/repli/tables/`` on Linux, ``%ProgramData%\\Repli\\tables\\`` on Windows) and names it
in the ``tables_pack`` setting. Each agent's own store imports it at start when it changed
(a stamp of the pack's file names, sizes and times is kept in the data directory: a start
with an unchanged pack costs a few stat calls).
"""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path
from typing import Any

from desktop.files import make_shared_folders, write_atomically
from desktop.paths import DataPaths, system_config_file

STAMP = "tables-source.json"


def system_tables_dir() -> Path:
    return system_config_file().parent / "tables"


def fingerprint(pack: Path) -> str:
    import hashlib  # OpenSSL's, loaded here: a seat without a PC's pack never needs it

    from desktop.tables.packfiles import PACK_FILES

    files = (
        sorted(p for p in pack.iterdir() if p.name.lower() in PACK_FILES and p.is_file())
        if pack.is_dir()
        else [pack]
    )
    digest = hashlib.sha256()
    for file in files:
        info = file.stat()
        digest.update(
            f"{file.relative_to(pack) if pack.is_dir() else file.name}|{info.st_size}|{info.st_mtime_ns}\n".encode()
        )
    return digest.hexdigest()


def needs_import(paths: DataPaths, pack_setting: str) -> bool:
    """True when the PC's pack exists and is not the one this seat last imported."""
    if not pack_setting:
        return False
    pack = Path(pack_setting)
    if not pack.exists():
        return False  # repli doctor says so; the seat keeps its active pack
    return _stamp(paths) != {"pack": str(pack), "fingerprint": fingerprint(pack)}


def record_import(paths: DataPaths, pack: Path) -> None:
    stamp = {"pack": str(pack), "fingerprint": fingerprint(pack)}
    write_atomically(paths.root / STAMP, json.dumps(stamp).encode(), mode=0o600)


def _stamp(paths: DataPaths) -> dict[str, Any] | None:
    try:
        data = json.loads((paths.root / STAMP).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def publish(pack: Path, name: str) -> list[str]:
    """Copy ``pack`` (folder or .zip) into the PC's tables folder as the folder ``name``: its
    known files only, read as regular files (desktop.tables.packfiles: never a link, a FIFO
    or a file over the bound), each written 0644 from the bytes read; nothing else of the
    source folder is published. The copy is complete before it replaces a previous one of
    that name. Returns the warnings (files ignored)."""
    from desktop.tables.packfiles import read_pack_files

    read = read_pack_files(pack)
    folder = system_tables_dir()
    make_shared_folders(folder)
    folder.chmod(0o755)
    target = folder / name
    staging = Path(tempfile.mkdtemp(prefix=".incoming-", dir=folder))
    try:
        copy = staging / name
        copy.mkdir(mode=0o755)
        for file, data in read.files.items():
            write_atomically(copy / file, data, mode=0o644)
        copy.chmod(0o755)
        old = folder / f"{name}.zip"
        if old.is_file() and not old.is_symlink():  # published by an earlier Repli
            old.unlink()
        if target.is_dir() and not target.is_symlink():
            shutil.rmtree(target)
        elif target.is_symlink() or target.exists():
            target.unlink()
        copy.replace(target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return read.warnings
