"""branches' time zone and holiday calendar; overseas numbers renumbered

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01

Numbers of France's overseas territories written the French way were refused, or read as
metropolitan (``0596 60 12 34`` was +33 596 60 12 34; it is +596 596 60 12 34). The numbers
of the stored packs and the callers' numbers of saved contacts that France's plan now reads
otherwise are rewritten; a contact gets a new revision (queued to the CRM like any
correction, the old value kept in the revision before it), saved by ``repli@renumbering``.

This migration works on the columns and the revision JSON as they are at 0005, not through
today's ContactData, so that it still runs on an old database after later migrations.
"""

import json
from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ACTOR = "repli@renumbering"


def _at(now: datetime) -> sa.BindParameter[datetime]:
    from desktop.store.models import UtcDateTime

    return sa.bindparam("at", now, type_=UtcDateTime())


def upgrade() -> None:
    op.add_column(
        "branches", sa.Column("timezone", sa.String(length=64), nullable=False, server_default="")
    )
    op.add_column(
        "branches", sa.Column("country", sa.String(length=16), nullable=False, server_default="")
    )
    conn = op.get_bind()
    for table in ("dialled_numbers", "partners"):
        _renumber_pack_rows(conn, table)
    conn.execute(sa.text("UPDATE table_packs SET index_snapshot = NULL"))
    _renumber_callers(conn)


def _overseas(text: str) -> str | None:
    """The new E.164 of a number France's plan reads as an overseas one, else None."""
    from desktop import phone

    read = phone.normalise(text, "FR")
    return read.e164 if read.valid and read.territory in phone.OVERSEAS else None


def _renumber_pack_rows(conn: sa.Connection, table: str) -> None:
    rows = conn.execute(sa.text(f"SELECT pack_id, e164 FROM {table} WHERE e164 LIKE '+33%'"))
    for pack_id, old in list(rows):
        new = _overseas("0" + old[3:])
        if new is None or new == old:
            continue
        key = {"p": pack_id, "old": old, "new": new}
        taken = conn.execute(
            sa.text(f"SELECT 1 FROM {table} WHERE pack_id = :p AND e164 = :new"), key
        ).first()
        if taken:  # the pack also listed it in international form: one row is enough
            conn.execute(sa.text(f"DELETE FROM {table} WHERE pack_id = :p AND e164 = :old"), key)
        else:
            conn.execute(
                sa.text(f"UPDATE {table} SET e164 = :new WHERE pack_id = :p AND e164 = :old"), key
            )


def _renumber_callers(conn: sa.Connection) -> None:
    rows = conn.execute(
        sa.text(
            "SELECT id, revision, caller_number, caller_number_valid FROM contacts "
            "WHERE caller_number <> '' AND erased_at IS NULL "
            "AND (caller_number_valid = :no OR caller_number LIKE '+33%')"
        ),
        {"no": False},
    )
    now = datetime.now(UTC)
    for contact_id, current, number, valid in list(rows):
        text = "0" + number[3:] if valid else number
        new = _overseas(text)
        if new is None or (valid and new == number):
            continue
        latest = conn.execute(
            sa.text("SELECT data FROM contact_revisions WHERE contact_id = :c AND revision = :r"),
            {"c": contact_id, "r": current},
        ).scalar()
        if latest is None:
            continue
        data = json.loads(latest)
        data.update(
            revision=current + 1,
            updated_at=now.isoformat(),
            caller_number=new,
            caller_number_valid=True,
        )
        values = {"c": contact_id, "r": current, "n": new, "yes": True}
        done = conn.execute(
            sa.text(
                "UPDATE contacts SET caller_number = :n, caller_number_valid = :yes, "
                "revision = :r + 1, updated_at = :at WHERE id = :c AND revision = :r"
            ).bindparams(_at(now)),
            values,
        )
        if done.rowcount != 1:
            continue
        conn.execute(
            sa.text(
                "INSERT INTO contact_revisions (contact_id, revision, saved_at, saved_by, data) "
                "VALUES (:c, :r, :at, :by, :data)"
            ).bindparams(_at(now)),
            {
                "c": contact_id,
                "r": current + 1,
                "by": ACTOR,
                "data": json.dumps(data, ensure_ascii=False, sort_keys=True),
            },
        )
        conn.execute(
            sa.text(
                "INSERT INTO audit (at, actor, action, contact_id, detail) "
                "VALUES (:at, :by, 'correct', :c, 'caller_number,caller_number_valid')"
            ).bindparams(_at(now)),
            {"by": ACTOR, "c": contact_id},
        )


def downgrade() -> None:
    with op.batch_alter_table("branches") as batch:
        batch.drop_column("country")
        batch.drop_column("timezone")
