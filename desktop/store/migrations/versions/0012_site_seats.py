"""the site's roster: every seat's state, written by the seat every 15 s

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-05

One row a seat (desktop.site.roster): who is signed in, which tables, which mode, what waits
to be delivered and since when, its readiness. ``updated_at`` is the site server's clock, so
that a seat whose clock is wrong is not shown stale, nor a stale one fresh. A seat's own store
has the table, empty.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from desktop.store.models import UtcDateTime

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "site_seats",
        sa.Column("seat_id", sa.String(length=64), primary_key=True),
        sa.Column("pc_name", sa.String(length=120), nullable=False),
        sa.Column("version", sa.String(length=40), nullable=False),
        sa.Column("client", sa.String(length=64), nullable=False),
        sa.Column("agent", sa.String(length=120), nullable=True),
        sa.Column("pack_serial", sa.BigInteger(), nullable=True),
        sa.Column("pack_name", sa.String(length=200), nullable=False),
        sa.Column("mode", sa.String(length=16), nullable=False),
        sa.Column("backlog", sa.Text(), nullable=False),
        sa.Column("last_saved_at", UtcDateTime(), nullable=True),
        sa.Column("ready", sa.Boolean(), nullable=False),
        sa.Column("readiness", sa.Text(), nullable=False),
        sa.Column("started_at", UtcDateTime(), nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("site_seats")
