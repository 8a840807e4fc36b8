"""Free-text search: the trigram index answers exactly what LIKE would, and follows saves,
corrections and deletions (noted by the saves, indexed before a search)."""

from __future__ import annotations

import random
from typing import Any

from sqlalchemy import delete, select

from desktop.contacts import ContactData
from desktop.context import SeatContext
from desktop.store import contacts as store
from desktop.store.history import ContactFilter, count, page
from desktop.store.models import ContactRow
from desktop.store.search import catch_up, contains_words

WORDS = [
    "Durand",
    "durANd",
    "Martin",
    "obsèques",
    "rappel",
    "06 12",
    "Lyon",
    "a",
    "zz",
    '"x"',
    "Mme",
]


def save(seat: SeatContext, **fields: Any) -> ContactData:
    contact = ContactData(seat_id="S1", agent="Alice", outcome="message", **fields)
    return store.save_contact(seat.engine, contact, "Alice").contact


def like_ids(seat: SeatContext, text: str) -> set[str]:
    words = contains_words(text)
    assert words is not None
    with seat.engine.connect() as conn:
        return {r[0] for r in conn.execute(select(ContactRow.id).where(words.as_like()))}


def fts_ids(seat: SeatContext, text: str) -> set[str]:
    catch_up(seat.engine)  # what every search does first
    words = contains_words(text)
    assert words is not None
    with seat.engine.connect() as conn:
        return {r[0] for r in conn.execute(select(ContactRow.id).where(words))}


def test_the_index_answers_what_like_answers(seat: SeatContext) -> None:
    rng = random.Random(11)
    names = ["Mme Durand", "M. Martin", "Mme DURAND-Petit", "Martine", 'Dit "x"', "Zoé"]
    notes = ["Rappel demain", "obsèques à Lyon", "", "rappeler le 06 12 34", "aa zz"]
    for _ in range(200):
        save(
            seat,
            caller_name=rng.choice(names),
            notes=rng.choice(notes),
            subject=rng.choice(["Décès", "Devis Lyon", ""]),
            branch_name=rng.choice(["Paris", "Lyon"]),
        )
    for _ in range(60):
        text = " ".join(rng.sample(WORDS, rng.randint(1, 3)))
        assert fts_ids(seat, text) == like_ids(seat, text), text
    assert count(seat.engine, ContactFilter(text="durand")) == len(like_ids(seat, "durand")) > 0


def test_the_index_follows_corrections_and_deletions(seat: SeatContext) -> None:
    first = save(seat, caller_name="Mme Lenoir", notes="premier appel")
    assert fts_ids(seat, "Lenoir") == {first.id}
    store.save_contact(seat.engine, first.with_changes(caller_name="Mme Leblanc"), "Alice")
    assert fts_ids(seat, "Lenoir") == set() and fts_ids(seat, "Leblanc") == {first.id}
    with seat.engine.begin() as conn:
        conn.execute(delete(ContactRow).where(ContactRow.id == first.id))
    assert fts_ids(seat, "Leblanc") == set()


def test_a_searched_percent_or_underscore_is_a_letter_not_a_wildcard(
    seat: SeatContext,
) -> None:
    plain = save(seat, caller_name="Mme Durand")
    odd = save(seat, caller_name="Dossier 50%_B", subject="a\\b")
    for text in ("%", "_", "0%", "%_", "\\"):
        where = ContactFilter(text=text)
        where.ready(seat.engine)
        found = {r.id for r in page(seat.engine, where, 0, 10)}
        assert found == {odd.id}, (text, found)
    assert plain.id != odd.id
