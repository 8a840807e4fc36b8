"""For a benchmark that reads or fills a seat's store with the bare ``sqlite3`` (its
reference, or a fill of a million rows): this process's seats get plain stores, through the
PC-wide setting that alone may turn encryption off (``store_encryption``, admin-only). What
encryption costs is ``benchmarks/encrypted_store.py``'s figure."""

from __future__ import annotations

import os
from pathlib import Path


def use_plain_stores(folder: Path) -> Path:
    """A PC-wide config in ``folder`` that leaves new stores plain, for this process and the
    ones it starts; its key files (none are made) kept in ``folder`` too."""
    folder.mkdir(parents=True, exist_ok=True)
    system = folder / "system-config.toml"
    system.write_text("store_encryption = false\n", encoding="utf-8")
    os.environ["REPLI_SYSTEM_CONFIG"] = str(system)
    os.environ.setdefault("REPLI_KEY_DIR", str(folder / "keys"))
    return system
