"""Retention and erasure: only delivered contacts are purged, with an audit line free of
personal data; an erasure blanks the caller everywhere, down to the bytes of the database
files, and is queued to the sync targets."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from desktop.contacts import ContactData, utc_now
from desktop.context import SeatContext
from desktop.store import contacts as store
from desktop.supervisor.export import export
from desktop.supervisor.merge import merge_files
from desktop.supervisor.retention import erase, purge

pytestmark = pytest.mark.dates  # retention cut-offs: run on other dates too (dev.py)


def save(seat: SeatContext, name: str, number: str = "+33612345678") -> ContactData:
    contact = ContactData(
        seat_id="S1",
        agent="Alice",
        caller_name=name,
        caller_number=number,
        subject=f"Sujet de {name}",
        notes=f"Notes sur {name}",
        outcome="message",
    )
    return store.save_contact(seat.engine, contact, "Alice").contact


def scalar(seat: SeatContext, sql: str) -> object:
    with seat.engine.connect() as conn:
        return conn.execute(text(sql)).scalar()


def test_purge_removes_only_old_delivered_contacts_and_audits_without_personal_data(
    seat: SeatContext,
) -> None:
    old_done, old_waiting, recent = (
        save(seat, "Ancien"),
        save(seat, "Attente"),
        save(seat, "Récent"),
    )
    with seat.engine.begin() as conn:
        conn.execute(
            text("UPDATE contacts SET created_at = :t WHERE id IN (:a, :b)"),
            {"t": utc_now() - timedelta(days=40), "a": old_done.id, "b": old_waiting.id},
        )
        for contact, state in (
            (old_done, "delivered"),
            (old_waiting, "pending"),
            (recent, "delivered"),
        ):
            conn.execute(
                text(
                    "INSERT INTO deliveries (target, contact_id, revision, state, outcome, reason,"
                    " attempts, next_attempt_at, lease_holder, lease_until) VALUES ('crm', :id, 1,"
                    " :state, '', '', 0, :t, '', :t)"
                ),
                {"id": contact.id, "state": state, "t": utc_now()},
            )
    report = purge(seat.engine, 30, "test")
    assert report.contacts == 1
    assert store.get_contact(seat.engine, old_done.id) is None
    assert (
        scalar(seat, f"SELECT count(*) FROM contact_revisions WHERE contact_id = '{old_done.id}'")
        == 0
    )
    assert store.get_contact(seat.engine, old_waiting.id) is not None  # never undelivered
    assert store.get_contact(seat.engine, recent.id) is not None
    detail = scalar(seat, "SELECT detail FROM audit WHERE action = 'purge'")
    assert isinstance(detail, str) and detail.startswith("1 delivered contacts created before")
    assert "Ancien" not in detail


def test_erasure_blanks_the_caller_everywhere_and_is_queued(
    seat: SeatContext, tmp_path: Path
) -> None:
    target = save(seat, "Mme Secret", "+33699887766")
    store.save_contact(seat.engine, target.with_changes(notes="Mme Secret rappelle"), "Alice")
    kept = save(seat, "M. Autre")
    store.save_draft(
        seat.engine, ContactData(caller_name="Mme Secret", caller_number="06 99 88 77 66")
    )
    before = tmp_path / "before.jsonl"
    export(seat.engine, before, "jsonl")

    done = erase(seat.engine, "supervisor", number="06 99 88 77 66")
    assert (done.contacts, done.revisions_removed, done.drafts_removed) == (1, 2, 1)
    erased = store.get_contact(seat.engine, target.id)
    assert erased is not None and erased.revision == 3 and erased.erased_at is not None
    assert (erased.caller_name, erased.caller_number, erased.notes, erased.subject) == (
        "",
        "",
        "",
        "",
    )
    assert [c.revision for c, _who in store.revisions(seat.engine, target.id)] == [3]
    assert (
        scalar(
            seat, f"SELECT count(*) FROM outbox WHERE contact_id = '{target.id}' AND revision = 3"
        )
        == 1
    )
    assert store.get_contact(seat.engine, kept.id) == kept
    assert store.load_draft(seat.engine) is None
    # nothing of the caller is left in the database files on disk
    seat.engine.dispose()
    for path in seat.paths.root.glob("repli.sqlite3*"):
        raw = path.read_bytes()
        assert b"Mme Secret" not in raw and b"+33699887766" not in raw, path.name
    # an older export merged again does not bring the caller back
    report = merge_files(seat.engine, [before])
    assert report.as_dict()["erased"] == 2 and report.as_dict()["new"] == 0
    assert [c.revision for c, _who in store.revisions(seat.engine, target.id)] == [3]
    assert scalar(seat, "SELECT detail FROM audit WHERE action = 'erase'") == (
        "1 contacts erased on request"  # no personal data in the audit
    )


def test_erasure_by_name_any_case(seat: SeatContext) -> None:
    save(seat, "Jean Dupont", "+33611111111")
    save(seat, "JEAN DUPONT", "+33622222222")
    save(seat, "Jean Dupontel", "+33633333333")
    assert erase(seat.engine, "supervisor", name="jean dupont").contacts == 2
    assert scalar(seat, "SELECT count(*) FROM contacts WHERE erased_at IS NULL") == 1


def test_an_interrupted_erasure_is_finished_by_the_next_one(seat: SeatContext) -> None:
    first = save(seat, "Mme Coupée", "+33611111111")
    # a crash after the blank revision was saved, before the older ones were removed
    blank = first.with_changes(caller_name="", caller_number="", subject="", notes="")
    store.save_contact(seat.engine, blank.with_changes(erased_at=utc_now()), "supervisor")
    assert len(store.revisions(seat.engine, first.id)) == 2
    save(seat, "M. Suivant", "+33622222222")
    done = erase(seat.engine, "supervisor", name="M. Suivant")
    assert done.contacts == 1
    assert [c.revision for c, _who in store.revisions(seat.engine, first.id)] == [2]


def test_erasure_reaches_drafts_written_another_way(seat: SeatContext) -> None:
    """The caller's number or name in a half-typed contact, however the agent typed it."""
    variants: list[dict[str, Any]] = [
        {"caller_number": "06.11.22.33.44"},
        {"caller_number": "+33 6 11 22 33 44"},
        {"caller_name": "HÉLÈNE  MARTIN"},
        {"notes": "rappeler Hélène Martin au 06 11 22 33 44"},
    ]
    for i, fields in enumerate(variants):
        draft = ContactData(seat_id="S1", agent="Alice", outcome="message", **fields)
        store.save_draft(seat.engine, draft, slot=f"slot-{i}")
    store.save_draft(seat.engine, ContactData(seat_id="S1", agent="Alice"), slot="other")
    save(seat, "Hélène Martin", "+33611223344")
    save(seat, "hélène   martin", "+33699999999")
    report = erase(seat.engine, "supervisor", number="0611223344", name="Hélène Martin")
    assert report.contacts == 2 and report.drafts_removed == 4
    assert scalar(seat, "SELECT count(*) FROM drafts") == 1  # the unrelated draft is kept


def aged(seat: SeatContext, contact: ContactData, days: int) -> None:
    with seat.engine.begin() as conn:
        conn.execute(
            text("UPDATE contacts SET created_at = :t WHERE id = :id"),
            {"t": utc_now() - timedelta(days=days), "id": contact.id},
        )


def deliver(seat: SeatContext, contact: ContactData, state: str, target: str = "crm") -> None:
    with seat.engine.begin() as conn:
        conn.execute(
            text("INSERT INTO deliveries (target, contact_id, revision, state, outcome, reason,"
                 " attempts, next_attempt_at) VALUES (:target, :id, 1, :state, '', '', 0, :t)"),
            {"target": target, "id": contact.id, "state": state, "t": utc_now()},
        )  # fmt: skip


def test_exercise_contacts_go_after_their_own_period_and_never_while_one_waits(
    seat: SeatContext,
) -> None:
    drill = [save(seat, f"Exercice {i}").with_changes() for i in range(3)]
    real = save(seat, "Réel")
    with seat.engine.begin() as conn:
        conn.execute(
            text("UPDATE contacts SET mode = 'exercise' WHERE caller_name LIKE 'Exercice%'")
        )
    for contact in (*drill, real):
        aged(seat, contact, 40)
    deliver(seat, drill[1], "delivered", "exercice")  # an exercise target had it
    deliver(seat, drill[2], "pending", "exercice")  # still on its way: kept
    deliver(seat, real, "delivered")
    report = purge(seat.engine, 1095, "test", exercise_days=30)
    assert (report.contacts, report.exercise) == (0, 2)
    assert store.get_contact(seat.engine, drill[0].id) is None  # no exercise target: gone
    assert store.get_contact(seat.engine, drill[1].id) is None
    assert store.get_contact(seat.engine, drill[2].id) is not None
    assert store.get_contact(seat.engine, real.id) is not None  # 40 days < 3 years
    details = {
        r[0]
        for r in seat.engine.connect().execute(
            text("SELECT detail FROM audit WHERE action = 'purge'")
        )
    }
    assert any(d.startswith("2 exercise contacts created before") for d in details)
    assert not any("Exercice" in d for d in details)


def test_the_site_store_is_purged_by_age_once_per_period(seat: SeatContext, tmp_path: Path) -> None:
    from sqlalchemy import select

    from desktop.store.models import ContactRevisionRow
    from desktop.store.schema import open_migrated
    from desktop.store.upsert import raise_contacts, store_revisions
    from desktop.supervisor.retention import (
        PURGE_EVERY,
        purge_site,
        scheduled_purge,
        site_purge_due,
    )

    site = open_migrated(f"sqlite:///{tmp_path / 'site.db'}")
    try:
        old, recent = save(seat, "Vieux"), save(seat, "Récent")
        aged(seat, old, 1100)
        with seat.engine.connect() as conn:
            rows = [dict(r) for r in conn.execute(select(ContactRevisionRow.__table__)).mappings()]
        contacts = [store.get_contact(seat.engine, c.id) for c in (old, recent)]
        with site.begin() as conn:
            store_revisions(conn, rows)
            raise_contacts(conn, [c for c in contacts if c is not None])
        assert site_purge_due(site)
        done = scheduled_purge(seat.engine, 1095, "S1", 30, site)  # old is not delivered here
        assert done is not None and (done.contacts, done.site) == (0, 1)
        assert (
            store.get_contact(seat.engine, old.id) is not None
        )  # the seat keeps it until delivered
        with site.connect() as conn:
            assert conn.execute(text("SELECT caller_name FROM contacts")).scalars().all() == [
                "Récent"
            ]
            assert conn.execute(text("SELECT count(*) FROM contact_revisions WHERE contact_id = :i"),
                                {"i": old.id}).scalar() == 0  # fmt: skip
            detail = (
                conn.execute(text("SELECT detail FROM audit WHERE action = 'purge'"))
                .scalars()
                .all()
            )
        assert any(d.startswith("1 contacts created before") for d in detail)
        assert not any("Vieux" in d for d in detail)
        assert not site_purge_due(site)  # one seat purges the site store per period
        assert site_purge_due(site, utc_now() + PURGE_EVERY)
        assert purge_site(site, 1095, 30, "again").contacts == 0
    finally:
        site.dispose()


def test_retention_is_the_administrators_setting(data_dir: Path) -> None:
    from desktop import config
    from desktop.paths import DataPaths

    with (data_dir / "config.toml").open("a", encoding="utf-8") as f:
        f.write("retention_days = 0\nexercise_retention_days = 1\n")
    settings, notes = config.load_seat(DataPaths.resolve(data_dir))
    assert (settings.retention_days, settings.exercise_retention_days) == (1095, 30)
    assert any("retention_days ignored" in n for n in notes)
