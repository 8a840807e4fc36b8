"""Generate the fictional demo pack (and larger synthetic packs for the benchmarks).

    python lookup_tables/generate.py                 # rewrites lookup_tables/demo/
    python lookup_tables/generate.py --branches 10000 --numbers 100000 OUT_DIR

Deterministic: the same arguments give the same files, byte for byte.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import json
import random
from pathlib import Path

BRAND = "Obsèques Démo"
# (city, postcode, region, dialling prefixes): real towns, fictional branches and numbers.
CITIES = [
    ("Paris", "75011", "Île-de-France", ["0142", "0143", "0144", "0145"]),
    ("Boulogne-Billancourt", "92100", "Île-de-France", ["0146"]),
    ("Versailles", "78000", "Île-de-France", ["0139"]),
    ("Saint-Denis", "93200", "Île-de-France", ["0148"]),
    ("Créteil", "94000", "Île-de-France", ["0143"]),
    ("Nanterre", "92000", "Île-de-France", ["0147"]),
    ("Cergy", "95000", "Île-de-France", ["0134"]),
    ("Évry-Courcouronnes", "91000", "Île-de-France", ["0160"]),
    ("Meaux", "77100", "Île-de-France", ["0164"]),
    ("Nantes", "44000", "Pays de la Loire", ["0240"]),
    ("Angers", "49000", "Pays de la Loire", ["0241"]),
    ("Le Mans", "72000", "Pays de la Loire", ["0243"]),
    ("Rennes", "35000", "Bretagne", ["0299"]),
    ("Brest", "29200", "Bretagne", ["0298"]),
    ("Vannes", "56000", "Bretagne", ["0297"]),
    ("Saint-Brieuc", "22000", "Bretagne", ["0296"]),
    ("Caen", "14000", "Normandie", ["0231"]),
    ("Rouen", "76000", "Normandie", ["0235"]),
    ("Cherbourg-en-Cotentin", "50100", "Normandie", ["0233"]),
    ("Tours", "37000", "Centre-Val de Loire", ["0247"]),
    ("Orléans", "45000", "Centre-Val de Loire", ["0238"]),
    ("Lille", "59000", "Hauts-de-France", ["0320"]),
    ("Valenciennes", "59300", "Hauts-de-France", ["0327"]),
    ("Amiens", "80000", "Hauts-de-France", ["0322"]),
    ("Arras", "62000", "Hauts-de-France", ["0321"]),
    ("Reims", "51100", "Grand Est", ["0326"]),
    ("Metz", "57000", "Grand Est", ["0387"]),
    ("Nancy", "54000", "Grand Est", ["0383"]),
    ("Strasbourg", "67000", "Grand Est", ["0388"]),
    ("Mulhouse", "68100", "Grand Est", ["0389"]),
    ("Troyes", "10000", "Grand Est", ["0325"]),
    ("Dijon", "21000", "Bourgogne-Franche-Comté", ["0380"]),
    ("Besançon", "25000", "Bourgogne-Franche-Comté", ["0381"]),
    ("Lyon", "69003", "Auvergne-Rhône-Alpes", ["0472", "0478"]),
    ("Grenoble", "38000", "Auvergne-Rhône-Alpes", ["0476"]),
    ("Saint-Étienne", "42000", "Auvergne-Rhône-Alpes", ["0477"]),
    ("Clermont-Ferrand", "63000", "Auvergne-Rhône-Alpes", ["0473"]),
    ("Annecy", "74000", "Auvergne-Rhône-Alpes", ["0450"]),
    ("Chambéry", "73000", "Auvergne-Rhône-Alpes", ["0479"]),
    ("Valence", "26000", "Auvergne-Rhône-Alpes", ["0475"]),
    ("Marseille", "13005", "Provence-Alpes-Côte d'Azur", ["0491"]),
    ("Aix-en-Provence", "13100", "Provence-Alpes-Côte d'Azur", ["0442"]),
    ("Nice", "06000", "Provence-Alpes-Côte d'Azur", ["0493"]),
    ("Toulon", "83000", "Provence-Alpes-Côte d'Azur", ["0494"]),
    ("Avignon", "84000", "Provence-Alpes-Côte d'Azur", ["0490"]),
    ("Montpellier", "34000", "Occitanie", ["0467"]),
    ("Nîmes", "30000", "Occitanie", ["0466"]),
    ("Perpignan", "66000", "Occitanie", ["0468"]),
    ("Toulouse", "31000", "Occitanie", ["0561", "0562"]),
    ("Montauban", "82000", "Occitanie", ["0563"]),
    ("Ajaccio", "20000", "Corse", ["0495"]),
    ("Bordeaux", "33000", "Nouvelle-Aquitaine", ["0556", "0557"]),
    ("Limoges", "87000", "Nouvelle-Aquitaine", ["0555"]),
    ("Poitiers", "86000", "Nouvelle-Aquitaine", ["0549"]),
    ("La Rochelle", "17000", "Nouvelle-Aquitaine", ["0546"]),
    ("Pau", "64000", "Nouvelle-Aquitaine", ["0559"]),
    ("Bayonne", "64100", "Nouvelle-Aquitaine", ["0559"]),
    ("Agen", "47000", "Nouvelle-Aquitaine", ["0553"]),
    ("Angoulême", "16000", "Nouvelle-Aquitaine", ["0545"]),
]
QUARTERS = [
    "Centre",
    "Gare",
    "Nord",
    "Sud",
    "Est",
    "Ouest",
    "Cathédrale",
    "Hôtel de Ville",
    "Les Halles",
    "Saint-Jean",
    "Saint-Pierre",
    "Jardin des Plantes",
    "Faubourg",
    "République",
    "Libération",
    "Victor-Hugo",
    "Jean-Jaurès",
    "Pasteur",
    "Les Tilleuls",
    "Le Port",
    "La Source",
]
# Overseas branches (real towns, fictional numbers): their own time zones and public holidays.
# The time zone and calendar come from the postcode; the first one names them in the row.
OVERSEAS = [
    ("Saint-Denis", "97400", "La Réunion", "0262 21", "Indian/Reunion", "RE"),
    ("Saint-Pierre", "97410", "La Réunion", "0262 25", "", ""),
    ("Pointe-à-Pitre", "97110", "Guadeloupe", "0590 82", "", ""),
    ("Fort-de-France", "97200", "Martinique", "0596 60", "", ""),
    ("Cayenne", "97300", "Guyane", "0594 30", "", ""),
    ("Mamoudzou", "97600", "Mayotte", "0269 61", "", ""),
]
OVERSEAS_HOURS = "Mo-Fr 07:30-12:00,14:00-17:00; Sa 08:00-12:00; PH off"
STREETS = [
    "rue de la Paix",
    "avenue Jean-Jaurès",
    "boulevard Pasteur",
    "rue Victor-Hugo",
    "place de la République",
    "rue du Cimetière",
    "avenue de la Gare",
    "rue Nationale",
]
HOURS = [
    "Mo-Fr 08:00-12:00,14:00-17:00",
    "Mo-Fr 08:00-12:00,14:00-17:00; Sa 09:00-12:00",
    "Mo-Sa 08:30-12:00,14:00-18:00",
    "Mo-Fr 08:00-12:00,14:00-17:00; PH off",
]
CALL_TYPES = [
    (
        "FAM",
        "Familles endeuillées",
        "F5",
        1,
        [
            "Présenter ses condoléances et se présenter (site de secours)",
            "Identifier le défunt et le lieu du décès",
            "Noter les coordonnées de la famille et l'agence concernée",
            "Proposer un rappel par l'agence dès sa réouverture",
        ],
    ),
    (
        "RAP",
        "Rapatriement",
        "F6",
        2,
        [
            "Identifier le prestataire et le numéro de dossier",
            "Noter pays et ville de départ, date d'arrivée prévue",
            "Vérifier les documents : certificat de décès, autorisation de transport",
            "Message urgent à l'agence de destination",
        ],
    ),
    (
        "TRA",
        "Transport de corps",
        "F7",
        2,
        [
            "Noter l'adresse d'enlèvement et le lieu de destination",
            "Demander l'heure souhaitée et le nom du contact sur place",
            "Marquer urgent si l'enlèvement est dans les 4 heures",
        ],
    ),
    (
        "ASS",
        "Assurance obsèques",
        "F8",
        3,
        [
            "Demander le numéro de contrat et le nom de l'assuré",
            "Ne jamais confirmer une prise en charge au téléphone",
            "Message à l'agence ou au service contrats",
        ],
    ),
]
NATIONAL_LINES = [
    ("0800 10 20 30", "FAM", "Ligne familles (gratuite)"),
    ("0800 10 20 31", "FAM", "Ligne familles nuit (gratuite)"),
    ("0805 40 50 60", "RAP", "Rapatriement international (gratuit)"),
    ("0810 22 33 44", "TRA", "Transport de corps (coût partagé)"),
    ("0820 70 80 90", "ASS", "Assurance obsèques (coût partagé)"),
    ("0821 60 70 80", "ASS", "Contrats obsèques (coût partagé)"),
]
PARTNERS = [
    ("01 48 10 20 30", "Rapatriement Sans Frontières", "rapatriement"),
    ("04 91 20 30 40", "Méditerranée Rapatriement", "rapatriement"),
    ("05 56 30 40 50", "Atlantique Assistance", "rapatriement"),
    ("06 12 34 56 78", "Transports Funéraires Martin", "transport"),
    ("06 23 45 67 89", "Ambulances et Convois Durand", "transport"),
    ("07 81 22 33 44", "Convoi Express Est", "transport"),
    ("03 88 11 22 33", "Alsace Transports Funéraires", "transport"),
    ("01 55 66 77 88", "Prévoyance Obsèques Mutuelle", "assurance"),
    ("04 72 99 88 77", "Assur'Avenir Obsèques", "assurance"),
    ("02 40 12 12 12", "Ouest Assistance Voyage", "rapatriement"),
]


def generate(branch_count: int, number_count: int | None, seed: int = 20261122) -> dict[str, str]:
    """The CSV texts of a pack: ``number_count`` None gives one or two lines per branch."""
    rng = random.Random(seed)
    branches, numbers, used = [], [], set()
    per_city: dict[str, int] = {}
    for i in range(branch_count):
        city, postcode, region, prefixes = CITIES[i % len(CITIES)]
        n = per_city[city] = per_city.get(city, 0) + 1
        quarter = QUARTERS[(n - 1) % len(QUARTERS)]
        suffix = "" if n <= len(QUARTERS) else f" {(n - 1) // len(QUARTERS) + 1}"
        branch_id = f"AG{i + 1:05d}"
        line = _new_number(rng, prefixes, used)
        branches.append(
            {
                "branch_id": branch_id,
                "name": f"{BRAND} {city} {quarter}{suffix}",
                "city": city,
                "postcode": postcode,
                "address": f"{rng.randint(1, 180)} {rng.choice(STREETS)}",
                "phone": line,
                "opening_hours": HOURS[rng.randrange(len(HOURS))],
                "region": region,
                "notes": "Chambre funéraire sur place" if rng.random() < 0.3 else "",
                "timezone": "",
                "country": "",
            }
        )
        numbers.append(_number_row(line, branch_id, "", "Ligne agence"))
    extra = (number_count - branch_count) if number_count else branch_count // 5
    for _ in range(max(0, extra)):
        b = branches[rng.randrange(len(branches))]
        city = next(c for c in CITIES if c[0] == b["city"])
        call_type = "FAM" if rng.random() < 0.5 else ""
        numbers.append(
            _number_row(
                _new_number(rng, city[3], used), b["branch_id"], call_type, "Débordement agence"
            )
        )
    partners = [{"number": n, "name": nm, "kind": k} for n, nm, k in PARTNERS]
    if number_count is None:
        _share_suffixes(rng, numbers, used)
        _overseas(branches, numbers)
        # The number of the docs' examples and of the softphone end-to-end tests.
        numbers.append(_number_row("01 44 55 66 77", "AG00001", "", "Ligne principale"))
        for rows, column in ((branches, "phone"), (numbers, "number"), (partners, "number")):
            for row in rows:
                row[column] = fictional(row[column])
    for text, call_type, label in NATIONAL_LINES:
        numbers.append(_number_row(text, "", call_type, label))
    return {
        "branches.csv": _csv(branches),
        "numbers.csv": _csv(numbers),
        "call_types.csv": _csv(
            [
                {
                    "code": c,
                    "label": lbl,
                    "hotkey": k,
                    "priority": str(p),
                    "procedure": "\n".join(s),
                }
                for c, lbl, k, p, s in CALL_TYPES
            ]
        ),
        "partners.csv": _csv(partners),
    }


# ARCEP's blocks reserved for fiction (films, books, demonstrations): no one's line. The demo
# pack's geographic numbers are moved into them, keeping their last four digits (what the
# agents type and the tests use); overseas and mobile numbers have no such block, and the
# overseas branches say they are illustrative.
FICTION_BLOCKS = {"01": "019900", "02": "026191", "03": "035301", "04": "046571", "05": "053649"}
_OVERSEAS_PREFIXES = ("0262", "0263", "0269", "0590", "0594", "0596")


def fictional(number: str) -> str:
    """``number`` in its zone's fiction block, its last four digits kept."""
    digits = number.replace(" ", "")
    block = FICTION_BLOCKS.get(digits[:2])
    if block is None or len(digits) != 10 or digits.startswith(_OVERSEAS_PREFIXES):
        return number
    moved = block + digits[-4:]
    return " ".join(moved[i : i + 2] for i in range(0, 10, 2))


def _overseas(branches: list[dict[str, str]], numbers: list[dict[str, str]]) -> None:
    """The overseas branches, after the others (their own generator: the metropolitan rows
    stay as they were)."""
    rng = random.Random(974)
    for i, (city, postcode, region, prefix, zone, country) in enumerate(OVERSEAS):
        branch_id = f"OM{i + 1:04d}"
        line = f"{prefix} {rng.randrange(100):02d} {rng.randrange(100):02d}"
        branches.append(
            {
                "branch_id": branch_id,
                "name": f"{BRAND} {city}",
                "city": city,
                "postcode": postcode,
                "address": f"{rng.randint(1, 90)} {rng.choice(STREETS)}",
                "phone": line,
                "opening_hours": OVERSEAS_HOURS,
                "region": region,
                "notes": "Numéro illustratif (démonstration)",
                "timezone": zone,
                "country": country,
            }
        )
        numbers.append(_number_row(line, branch_id, "", "Ligne agence"))


def _new_number(rng: random.Random, prefixes: list[str], used: set[str]) -> str:
    while True:
        digits = rng.choice(prefixes) + f"{rng.randrange(1_000_000):06d}"
        if digits not in used:
            used.add(digits)
            return " ".join(digits[i : i + 2] for i in range(0, 10, 2))


def _number_row(number: str, branch_id: str, call_type: str, label: str) -> dict[str, str]:
    return {"number": number, "branch_id": branch_id, "call_type": call_type, "label": label}


def _share_suffixes(rng: random.Random, numbers: list[dict[str, str]], used: set[str]) -> None:
    """Real networks have four-digit suffixes shared by several branches: make a few."""
    for group in range(8):
        size = 3 if group % 3 == 0 else 2
        rows = rng.sample(numbers, size)
        tail = rows[0]["number"].replace(" ", "")[-4:]
        for row in rows[1:]:
            digits = row["number"].replace(" ", "")
            fresh = digits[:-4] + tail
            if fresh not in used:
                used.add(fresh)
                row["number"] = " ".join(fresh[i : i + 2] for i in range(0, 10, 2))


def _csv(rows: list[dict[str, str]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def write_pack(out: Path, files: dict[str, str], name: str, version: str) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    digests = {}
    for filename, text in files.items():
        data = text.encode("utf-8")
        (out / filename).write_bytes(data)
        digests[filename] = hashlib.sha256(data).hexdigest()
    manifest = {
        "name": name,
        "version": version,
        "generated_at": "2026-11-22T08:00:00+01:00",
        "sha256": digests,
    }
    (out / "manifest.json").write_text(
        json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out", nargs="?", type=Path, default=Path(__file__).parent / "demo")
    parser.add_argument("--branches", type=int, default=320)
    parser.add_argument("--numbers", type=int, default=None)
    args = parser.parse_args()
    files = generate(args.branches, args.numbers)
    name = "Réseau démo" if args.numbers is None else f"Synthétique {args.branches}"
    write_pack(args.out, files, name, "2026.11-demo")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
