"""A seat that saves contacts in a loop, for the kill test.

For each contact it writes the draft, prints ``draft ID``, saves, prints ``saved ID``, each
line flushed after the commit returned. A SIGKILL can land anywhere in between.
"""

from __future__ import annotations

import sys

from desktop.contacts import ContactData, Outcome
from desktop.context import SeatContext
from desktop.store import contacts as store


def main(data_dir: str) -> None:
    seat = SeatContext.open(data_dir)
    n = 0
    while True:
        n += 1
        contact = ContactData(
            agent="kill-test",
            seat_id="K",
            caller_name=f"Appelant {n}",
            notes="x" * (n % 500),
            outcome=Outcome.MESSAGE.value,
        )
        store.save_draft(seat.engine, contact)
        print(f"draft {contact.id}", flush=True)
        store.save_contact(seat.engine, contact, "kill-test")
        print(f"saved {contact.id}", flush=True)


if __name__ == "__main__":
    main(sys.argv[1])
