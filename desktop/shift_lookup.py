"""The lookup of a shift that takes several client companies' calls at once (one in
disaster, one in overflow: desktop.ui.client_shift): the digits are searched in every
client's pack, each match says whose it is, and a screen pop's dialled number names the
clients whose pack knows it.

Each client's window keeps its own index for what is its own (its call types and their keys,
its partners, its region); only the search reaches the other clients' packs."""

from __future__ import annotations

from dataclasses import replace

from desktop.lookup import ClientTag, LookupIndex, LookupResult, NotDigits

DECIDING_DIGITS = 4  # as the window's lookup: four digits, or a full number, decide


class SharedLookup(LookupIndex):
    """``own``'s index whose ``search`` also returns the other clients' matches, own first,
    every match tagged with its client."""

    def __init__(self, packs: list[tuple[ClientTag, LookupIndex]]) -> None:
        own, index = packs[0]
        super().__init__(index._c, index.call_types, index.partners, index.region)
        self.own = own
        self.packs = packs

    def search(self, text: str, limit: int = 50) -> LookupResult:
        results = [(tag, index.search(text, limit)) for tag, index in self.packs]
        exact = [(tag, r) for tag, r in results if r.exact]
        if exact:  # a full number one pack holds outright: its near misses elsewhere go
            results = exact
        matches = tuple(replace(m, client=tag) for tag, r in results for m in r.matches)
        knowing = [r for _tag, r in results if r.count]
        return LookupResult(
            results[0][1].digits,
            sum(r.count for _tag, r in results),
            matches[:limit],
            exact=bool(exact),
            more_digits_needed=knowing[0].more_digits_needed if len(knowing) == 1 else None,
        )

    def knowing(self, called: str) -> list[ClientTag]:
        """The clients whose pack knows a dialled number: the full number itself, or the one
        number that ends with the digits the telephony gave."""
        found = []
        for tag, index in self.packs:
            try:
                result = index.search(called, limit=2)
            except NotDigits:
                return []
            if result.count == 1 and (result.exact or len(result.digits) >= DECIDING_DIGITS):
                found.append(tag)
        return found

    def with_pack(self, client: str, index: LookupIndex) -> SharedLookup:
        """The same shift with ``client``'s new tables (they followed the primary)."""
        return SharedLookup([(t, index if t.id == client else i) for t, i in self.packs])

    def own_first(self, client: str) -> SharedLookup:
        """The lookup of ``client``'s window: its own pack first."""
        ordered = sorted(self.packs, key=lambda p: p[0].id != client)
        return SharedLookup(ordered)
