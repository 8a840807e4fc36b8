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
    {"number": "01 99 00 66 77", "branch_id": "B1", "call_type": "", "label": "Ligne agence"},
    {"number": "+33 4 72 00 12 34", "branch_id": "B2", "call_type": "FAM", "label": ""},
    {"number": "0800 10 20 30", "branch_id": "", "call_type": "FAM", "label": "Ligne familles"},
]
PARTNERS = [{"number": "06 12 34 56 78", "name": "Transports Martin", "kind": "transport"}]

# A network with branches overseas, written as a primary site writes them: French national
# numbers, postcodes, and the time zone given for one branch only.
HOURS = "Mo-Fr 08:00-12:00,14:00-17:00; PH off"
OVERSEAS_BRANCHES = [
    {"branch_id": "PAR", "name": "Agence Paris", "city": "Paris", "postcode": "75011",
     "phone": "01 99 00 66 77", "opening_hours": HOURS, "timezone": "", "country": ""},
    {"branch_id": "RUN", "name": "Agence Saint-Denis", "city": "Saint-Denis", "postcode": "97400",
     "phone": "0262 21 34 56", "opening_hours": HOURS, "timezone": "", "country": ""},
    {"branch_id": "CAY", "name": "Agence Cayenne", "city": "Cayenne", "postcode": "",
     "phone": "0594 30 12 34", "opening_hours": HOURS, "timezone": "", "country": ""},
    {"branch_id": "FDF", "name": "Agence Fort-de-France", "city": "Fort-de-France",
     "postcode": "97200", "phone": "0596 60 12 34", "opening_hours": HOURS,
     "timezone": "America/Martinique", "country": "MQ"},
]  # fmt: skip
OVERSEAS_NUMBERS = [
    {"number": "01 99 00 66 77", "branch_id": "PAR", "call_type": "", "label": ""},
    {"number": "0262 21 34 56", "branch_id": "RUN", "call_type": "", "label": ""},
    {"number": "0594 30 12 34", "branch_id": "CAY", "call_type": "", "label": ""},
    {"number": "0596 60 12 34", "branch_id": "FDF", "call_type": "", "label": ""},
    {"number": "0596 21 34 56", "branch_id": "FDF", "call_type": "", "label": "Débordement"},
]
# Call types on F1–F4, a common choice that collides with Repli's own F1–F4.
F1_TO_F4 = [
    {"code": code, "label": label, "hotkey": f"F{i + 1}", "procedure": "", "priority": ""}
    for i, (code, label) in enumerate(
        [("FAM", "Familles"), ("RAP", "Rapatriement"), ("TRA", "Transport"), ("ASS", "Assurés")]
    )
]


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
    manifest_extra: dict[str, object] | None = None,
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
                    **(manifest_extra or {}),
                }
            )
        )
    return folder
