"""Upgrading to schema 0005 renumbers what France's plan now reads as overseas: the stored
packs' numbers, and the callers' numbers of saved contacts as a new revision (queued to the
CRM, the old value kept in the revision before it). Metropolitan numbers are not touched."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, text

from desktop.contacts import ContactData, Outcome
from desktop.store import contacts as store
from desktop.store.engine import make_engine
from desktop.store.quickstart import HEAD_REVISION
from desktop.store.schema import current_revision, upgrade
from desktop.store.tables import load_active, load_active_index


def an_old_store(path: Path) -> Engine:
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine, "0004")
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO table_packs (id, name, version, generated_at, imported_at, source, "
                "active, skipped_rows, branch_count, number_count, call_type_count, "
                "partner_count) VALUES (1, 'old', '1', '', '2026-11-01 08:00:00', '', 1, 0, "
                "1, 3, 0, 0)"
            )
        )
        conn.execute(
            text(
                "INSERT INTO branches (pack_id, branch_id, name, city, postcode, address, phone, "
                "opening_hours, region, notes) VALUES (1, 'FDF', 'Agence Fort-de-France', "
                "'Fort-de-France', '97200', '', '0596 60 12 34', 'Mo-Fr 08:00-17:00', '', '')"
            )
        )
        for e164, dialling in (
            ("+33596601234", "0596601234"),  # read as metropolitan by the old Repli
            ("+596596211234", "0596211234"),  # already right (written +596 in the pack)
            ("+33596211234", "0596211234"),  # …and the same number written 0596: one row left
            ("+33199006677", "0199006677"),
        ):
            conn.execute(
                text(
                    "INSERT INTO dialled_numbers (pack_id, e164, dialling, branch_id, call_type, "
                    "label) VALUES (1, :e, :d, 'FDF', NULL, '')"
                ),
                {"e": e164, "d": dialling},
            )
    return engine


LATER_COLUMNS = ("called_via", "reached_on")  # added by 0009: not in a store at 0004


def saved(engine: Engine, number: str, valid: bool) -> ContactData:
    """A contact saved as the Repli of schema 0004 saved it (its columns only)."""
    import pytest
    import sqlalchemy as sa

    from desktop.store.models import ContactRow

    columns = [c for c in ContactRow.__table__.c if c.name not in LATER_COLUMNS]
    old_table = sa.Table(
        "contacts",
        sa.MetaData(),
        *(sa.Column(c.name, c.type, primary_key=c.primary_key) for c in columns),
    )
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(store, "_COLUMNS", [c.name for c in columns])
        patch.setattr(store, "_INSERT_CONTACT", sa.insert(old_table))
        patch.setattr(store, "_CONTACT_SQL", store.contact_sql([c.name for c in columns]))
        return _save(engine, number, valid)


def _save(engine: Engine, number: str, valid: bool) -> ContactData:
    contact = ContactData(
        seat_id="S1",
        agent="Alice",
        outcome=Outcome.MESSAGE.value,
        caller_number=number,
        caller_number_valid=valid,
    )
    return store.save_contact(engine, contact, "Alice").contact


def test_overseas_numbers_are_renumbered_and_the_rest_kept(tmp_path: Path) -> None:
    engine = an_old_store(tmp_path / "repli.sqlite3")
    martinique = saved(engine, "+33596601234", True)
    reunion = saved(engine, "0262 21 34 56", False)  # refused as invalid by the old Repli
    paris = saved(engine, "+33199006677", True)
    absurd = saved(engine, "12345", False)

    upgrade(engine)

    assert current_revision(engine) == HEAD_REVISION
    pack = load_active(engine)
    assert pack is not None
    assert sorted(n.e164 for n in pack.numbers) == sorted(
        ["+596596601234", "+596596211234", "+33199006677"]
    )
    index = load_active_index(engine, "FR")  # the snapshot is rebuilt from the new rows
    assert index is not None
    found = index.search("0596 60 12 34").unique
    assert found is not None and found.number.e164 == "+596596601234"
    assert found.branch is not None and found.branch.place().country == "MQ"

    for before, e164 in ((martinique, "+596596601234"), (reunion, "+262262213456")):
        after = store.get_contact(engine, before.id)
        assert after is not None
        assert (after.revision, after.caller_number, after.caller_number_valid) == (2, e164, True)
        history = store.revisions(engine, before.id)
        assert [(c.caller_number, who) for c, who in history] == [
            (before.caller_number, "Alice"),
            (e164, "repli@renumbering"),
        ]
    for untouched in (paris, absurd):
        assert store.get_contact(engine, untouched.id) == untouched
    with engine.connect() as conn:
        queued = conn.execute(
            text("SELECT contact_id, revision FROM outbox WHERE revision = 2")
        ).all()
        audit = conn.execute(
            text("SELECT count(*) FROM audit WHERE actor = :a"), {"a": "repli@renumbering"}
        )
        assert sorted(queued) == sorted([(martinique.id, 2), (reunion.id, 2)])
        assert audit.scalar_one() == 2
