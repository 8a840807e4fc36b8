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
from tests.helpers.postgres import Postgres

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


def test_the_site_postgresql_answers_what_like_answers_from_its_trigram_index(
    site_url: str,
) -> None:
    """On PostgreSQL the words are read from pg_trgm's index (migration 0011), with the
    same answers as the LIKE on each column, a word's own % and _ included."""
    from sqlalchemy import text

    from desktop.store.engine import make_engine
    from desktop.store.schema import ensure_schema

    engine = make_engine(site_url)
    ensure_schema(engine)
    rng = random.Random(12)
    names = ["Mme Durand", "M. Martin", "Zoé 100%", "Dit_x", "Martine"]
    try:
        for _ in range(120):
            contact = ContactData(
                seat_id="S1", agent="Alice", outcome="message",
                caller_name=rng.choice(names), notes=rng.choice(["Rappel demain", "obsèques", ""]),
                subject=rng.choice(["Décès", "Devis Lyon", ""]), branch_name="Lyon",
            )  # fmt: skip
            store.save_contact(engine, contact, "Alice")
        for words_typed in ["durand", "Martin Lyon", "100%", "t_x", "%", "zoé", "rappel mme"]:
            words = contains_words(words_typed)
            assert words is not None
            with engine.connect() as conn:
                found = {r[0] for r in conn.execute(select(ContactRow.id).where(words))}
                liked = {r[0] for r in conn.execute(select(ContactRow.id).where(words.as_like()))}
            assert found == liked, words_typed
        assert len(found) > 0
        with engine.connect() as conn:
            conn.exec_driver_sql("SET enable_seqscan = off")  # a table this small is read whole
            durand = contains_words("Durand")
            assert durand is not None
            query = select(ContactRow.id).where(durand)
            compiled = query.compile(engine, compile_kwargs={"literal_binds": True})
            plan = "\n".join(r[0] for r in conn.execute(text(f"EXPLAIN {compiled}")))
        assert "ix_contacts_words" in plan, plan
    finally:
        engine.dispose()


def test_a_site_whose_role_may_not_create_pg_trgm_is_migrated_without_the_index(
    postgres: Postgres,
) -> None:
    """A role without the database's CREATE privilege cannot create the extension: the
    migration goes on, the search reads every row and answers the same."""
    import psycopg
    from sqlalchemy import text

    from desktop.store.engine import make_engine
    from desktop.store.quickstart import HEAD_REVISION
    from desktop.store.schema import ensure_schema

    url = postgres.create_database("limited_site")
    admin = f"host={postgres.host} port={postgres.port} user=repli"
    with psycopg.connect(f"{admin} dbname=limited_site", autocommit=True) as conn:
        conn.execute("CREATE ROLE limited_seat LOGIN")
        conn.execute("REVOKE CREATE ON DATABASE limited_site FROM PUBLIC")
        conn.execute("GRANT ALL ON SCHEMA public TO limited_seat")
    engine = make_engine(url.replace("//repli@", "//limited_seat@"))
    try:
        ensure_schema(engine)
        contact = ContactData(seat_id="S1", agent="Alice", caller_name="Mme Durand")
        store.save_contact(engine, contact, "Alice")
        with engine.connect() as conn:
            assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == (
                HEAD_REVISION
            )
            indexes = conn.execute(text("SELECT indexname FROM pg_indexes")).scalars().all()
            assert "ix_contacts_words" not in indexes and "ix_contacts_hour" in indexes
            extensions = conn.execute(text("SELECT extname FROM pg_extension")).scalars().all()
            assert "pg_trgm" not in extensions
        assert count(engine, ContactFilter(text="durand")) == 1
        assert count(engine, ContactFilter(text="martin")) == 0
    finally:
        engine.dispose()
