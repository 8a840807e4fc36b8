"""What a merge reads and reports, shared by the merge and its staging
(desktop.supervisor.merge, desktop.supervisor.staging): the report of what each file
brought, and when a merge sets the contacts' indexes aside (a revision read from a file is
desktop.supervisor.revision_check's)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, func, select

from desktop.store.models import ContactRow
from desktop.store.upsert import Key


@dataclass
class MergeReport:
    per_file: dict[str, Counter[str]] = field(default_factory=dict)
    conflicts: list[Key] = field(default_factory=list)

    def total(self, what: str) -> int:
        return sum(c[what] for c in self.per_file.values())

    def as_dict(self) -> dict[str, Any]:
        return {
            "files": {
                name: {k: c[k] for k in ("new", "present", "conflicting", "erased")}
                for name, c in self.per_file.items()
            },
            "new": self.total("new"),
            "present": self.total("present"),
            "conflicting": self.total("conflicting"),
            "erased": self.total("erased"),
            "conflicts": [{"id": k[0], "revision": k[1]} for k in self.conflicts],
        }


def file_counts() -> Counter[str]:
    return Counter(new=0, present=0, conflicting=0, erased=0)


# A merge whose new revisions reach a tenth of the store's contacts (and at least this many)
# writes the rest with the contacts' indexes set aside, built again at the end.
BULK_AT_LEAST = 20_000
BULK_SHARE = 10


def bulk_at(conn: Connection) -> int:
    """How many new revisions make a merge set the contacts' indexes aside: a tenth of the
    store's contacts, and at least BULK_AT_LEAST."""
    stored = int(conn.execute(select(func.count()).select_from(ContactRow)).scalar_one())
    return max(BULK_AT_LEAST, stored // BULK_SHARE)
