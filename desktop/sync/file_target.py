"""The file-drop sync target: for a CRM that imports files from a folder (often a share).

Each batch is written as JSON Lines and as CSV, each atomically (a temporary name, flush,
fsync, rename), then a manifest that the importer checks: schema, batch id, contact count,
and the size and sha256 of each file. The manifest is written last, the same way: a batch
whose manifest is there is complete. The batch is delivered once the manifest's rename
succeeded. File names come from the batch's idempotency key, so a batch sent again after a
crash is recognised (``duplicate``) instead of being written twice.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
from pathlib import Path
from typing import Any

from desktop.config import TargetConfig
from desktop.contacts import ContactData
from desktop.files import safe_name, write_atomically
from desktop.sync.http_target import SCHEMA, Result, Retryable, idempotency_key
from desktop.sync.outbox import Key

# The CRM's importer reads the drop folder: the folder's group may read a batch, nobody else.
FILE_MODE = 0o640

CSV_COLUMNS = [f for f in ContactData.__dataclass_fields__] + [
    "revision_saved_by",
    "revision_saved_at",
    "client",  # the client company whose contact it is ("" on a seat of one client)
]


class FileDropTarget:
    def __init__(self, config: TargetConfig, seat: dict[str, str]) -> None:
        self.config = config
        self.seat = seat
        self.folder = Path(config.folder)

    def close(self) -> None:
        pass

    def send(self, contacts: list[dict[str, Any]]) -> dict[Key, Result]:
        keys = [(c["id"], int(c["revision"])) for c in contacts]
        batch_id = idempotency_key(keys)
        stem = f"repli-{safe_name(self.seat.get('seat_id', 'seat'), limit=40)}-{batch_id[:20]}"
        manifest = self.folder / f"{stem}.manifest.json"
        if manifest.exists():
            return {key: Result("duplicate") for key in keys}
        client = self.seat.get("client", "")
        named = [{**c, "client": client} for c in contacts] if client else contacts
        files = {
            f"{stem}.jsonl": "".join(
                json.dumps(c, ensure_ascii=False, sort_keys=True) + "\n" for c in named
            ).encode(),
            f"{stem}.csv": _csv(named),
        }
        written: list[Path] = []
        try:
            for name, data in files.items():
                written.append(write_atomically(self.folder / name, data, mode=FILE_MODE))
            listing = {
                name: {"bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}
                for name, data in files.items()
            }
            body = {
                "schema": SCHEMA,
                "batch_id": batch_id,
                **self.seat,
                "count": len(contacts),
                "files": listing,
            }
            write_atomically(manifest, (json.dumps(body, indent=2) + "\n").encode(), mode=FILE_MODE)
            _sync_folder(self.folder)
        except OSError as exc:
            for path in written:  # no half batch left behind for the importer
                path.unlink(missing_ok=True)
            raise Retryable(f"cannot write to {self.folder}: {exc.strerror or exc}") from None
        return {key: Result("accepted") for key in keys}


def _sync_folder(folder: Path) -> None:
    if os.name == "posix":
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _csv(contacts: list[dict[str, Any]]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(
        out, fieldnames=CSV_COLUMNS, extrasaction="ignore", lineterminator="\r\n"
    )
    writer.writeheader()
    writer.writerows(contacts)
    return out.getvalue().encode("utf-8")
