"""JSON Lines exports of many revisions, made from one real export's first revision: a
merge's large or altered inputs without saving thousands of contacts first."""

from __future__ import annotations

import hashlib
import json
import uuid
from pathlib import Path


def copies_of_first_revision(export: Path, count: int) -> tuple[bytes, list[bytes]]:
    """The header of ``export`` and ``count`` lines of its first revision, each one a
    contact of its own (ids 1 to ``count``)."""
    header, first = export.read_bytes().splitlines(keepends=True)[:2]
    record = json.loads(first)
    lines = []
    for number in range(count):
        record["contact"]["id"] = str(uuid.UUID(int=number + 1))
        lines.append(json.dumps(record, ensure_ascii=False).encode() + b"\n")
    return header, lines


def write_export(path: Path, header: bytes, lines: list[bytes], sha256: str = "") -> Path:
    """``lines`` between ``header`` and their end record; ``sha256``: a checksum to write
    in the end record instead of theirs (an altered file)."""
    digest = sha256 or hashlib.sha256(b"".join(lines)).hexdigest()
    end = {"kind": "end", "records": len(lines), "sha256": digest}
    path.write_bytes(header + b"".join(lines) + json.dumps(end).encode() + b"\n")
    return path
