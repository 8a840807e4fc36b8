"""the failback report's ledgers: what each seat took and each target acknowledged, day by
day; the resends a report asked of a seat; each seat's word at a drill's start

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-05

``site_ledger``: one row a seat, UTC day, target ('' for what the seat took) and kind of
contact (exercise or not): how many revisions, and the sha256 of their sorted
``id:revision`` lines (desktop.failback.ledger). Written by the seat after it reconciled
with the site store; no personal data.

``site_resend``: a revision a failback report found missing at a target, to be put back in
the outbox of the seat that took it at its next sync (desktop.failback.resend).

``site_drill_seats``: a seat's first roster word once the site is in exercise mode (its
readiness, version and tables at the drill's start), kept for the site's drill report
(desktop.failback.drill_report).

A seat's own store has these tables, empty.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from desktop.store.models import UtcDateTime

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "site_ledger",
        sa.Column("seat_id", sa.String(length=64), primary_key=True),
        sa.Column("day", sa.String(length=10), primary_key=True),
        sa.Column("target", sa.String(length=64), primary_key=True),
        sa.Column("exercise", sa.Boolean(), primary_key=True),
        sa.Column("revisions", sa.Integer(), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
    )
    op.create_table(
        "site_resend",
        sa.Column("seat_id", sa.String(length=64), primary_key=True),
        sa.Column("target", sa.String(length=64), primary_key=True),
        sa.Column("contact_id", sa.String(length=36), primary_key=True),
        sa.Column("revision", sa.Integer(), primary_key=True),
        sa.Column("asked_at", UtcDateTime(), nullable=False),
        sa.Column("asked_by", sa.String(length=120), nullable=False),
    )

    op.create_table(
        "site_drill_seats",
        sa.Column("drill_started_at", UtcDateTime(), primary_key=True),
        sa.Column("seat_id", sa.String(length=64), primary_key=True),
        sa.Column("ready", sa.Boolean(), nullable=False),
        sa.Column("readiness", sa.Text(), nullable=False),
        sa.Column("version", sa.String(length=40), nullable=False),
        sa.Column("pack_serial", sa.BigInteger(), nullable=True),
        sa.Column("pack_name", sa.String(length=200), nullable=False),
        sa.Column("seat_started_at", UtcDateTime(), nullable=False),
        sa.Column("recorded_at", UtcDateTime(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("site_drill_seats")
    op.drop_table("site_resend")
    op.drop_table("site_ledger")
