"""Writing table packs in the forms the primary site sends them."""

from __future__ import annotations

import csv
import hashlib
import io
import json
from pathlib import Path

CALL_TYPES = [
    {
        "code": "FAM",
        "label": "Familles endeuillées",
        "hotkey": "F5",
        "procedure": "Condoléances\nIdentifier le défunt",
        "priority": "1",
    },
    {
        "code": "RAP",
        "label": "Rapatriement",
        "hotkey": "F6",
        "procedure": "Prestataire | Dossier",
        "priority": "2",
    },
]
BRANCHES = [
    {
        "branch_id": "B1",
        "name": "Agence Élysée",
        "city": "Paris",
        "opening_hours": "Mo-Fr 08:00-12:00,14:00-17:00",
    },
    {"branch_id": "B2", "name": "Agence Fourvière", "city": "Lyon", "opening_hours": ""},
]
NUMBERS = [
    {"number": "01 44 55 66 77", "branch_id": "B1", "call_type": "", "label": "Ligne agence"},
    {"number": "+33 4 72 00 12 34", "branch_id": "B2", "call_type": "FAM", "label": ""},
    {"number": "0800 10 20 30", "branch_id": "", "call_type": "FAM", "label": "Ligne familles"},
]
PARTNERS = [{"number": "06 12 34 56 78", "name": "Transports Martin", "kind": "transport"}]


def csv_text(
    rows: list[dict[str, str]], separator: str = ",", headers: list[str] | None = None
) -> str:
    out = io.StringIO()
    fields = list(rows[0]) if rows else (headers or [])
    writer = csv.writer(out, delimiter=separator, lineterminator="\r\n")
    writer.writerow(headers or fields)
    for row in rows:
        writer.writerow([row.get(f, "") for f in fields])
    return out.getvalue()


def write_pack(
    folder: Path,
    *,
    branches: list[dict[str, str]] = BRANCHES,
    numbers: list[dict[str, str]] = NUMBERS,
    call_types: list[dict[str, str]] = CALL_TYPES,
    partners: list[dict[str, str]] | None = PARTNERS,
    excel_french: bool = False,
    manifest: bool = True,
) -> Path:
    """Clean UTF-8 commas, or what French Excel saves: ``;``, Windows-1252, messy headers."""
    folder.mkdir(parents=True, exist_ok=True)
    files = {"branches.csv": branches, "numbers.csv": numbers, "call_types.csv": call_types}
    if partners is not None:
        files["partners.csv"] = partners
    digests = {}
    for name, rows in files.items():
        if excel_french:
            headers = [f"  {h.upper()} " if i % 2 else h.title() for i, h in enumerate(rows[0])]
            data = csv_text(rows, ";", headers).encode("cp1252")
        else:
            data = csv_text(rows).encode("utf-8")
        (folder / name).write_bytes(data)
        digests[name] = hashlib.sha256(data).hexdigest()
    if manifest:
        (folder / "manifest.json").write_text(
            json.dumps(
                {
                    "name": "Test pack",
                    "version": "7",
                    "generated_at": "2026-11-20T06:00:00Z",
                    "sha256": digests,
                }
            )
        )
    return folder
