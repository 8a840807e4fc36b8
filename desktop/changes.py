"""What an operation changed, so that each window refreshes what it shows and nothing else
(Anki's ``OpChanges``): the window's operations (desktop.ui.ops) broadcast it once the work
is done.

The core's operations (desktop.operations) say what they changed by returning
``Changed(value, changes)`` (a call end already recorded changes nothing); the window that
submits one says nothing of it.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Generic, TypeVar

V = TypeVar("V")


@dataclass(frozen=True)
class Changes:
    contacts: bool = False  # a contact saved, corrected, erased, merged, purged
    drafts: bool = False  # the half-typed contact written or discarded
    mode: bool = False  # the seat's or the site's mode
    tables: bool = False  # the lookup tables
    targets: bool = False  # the delivery to the CRM targets

    def __or__(self, other: Changes) -> Changes:
        return Changes(
            **{f.name: getattr(self, f.name) or getattr(other, f.name) for f in fields(self)}
        )

    def __bool__(self) -> bool:
        return any(getattr(self, f.name) for f in fields(self))


NOTHING = Changes()
CONTACTS = Changes(contacts=True)
DRAFTS = Changes(drafts=True)
MODE = Changes(mode=True)
TARGETS = Changes(targets=True)
TABLES = Changes(tables=True)


@dataclass(frozen=True)
class Changed(Generic[V]):
    """A work's result with what it actually changed (instead of what its op expected): the
    op hands ``value`` to its ``done``, typed (desktop.ui.ops)."""

    value: V
    changes: Changes
