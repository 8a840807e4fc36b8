"""the table packs a supervisor publishes for the whole site

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01

``repli tables import PACK --site`` (and the supervision) puts a signed pack in the site
database once; every seat whose ``tables_source`` is ``site`` follows it, verifying it as it
would a pack from the primary's share (desktop.tables.site_packs). A seat's own store has
the table, empty.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from desktop.store.models import UtcDateTime

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "site_packs",
        sa.Column("serial", sa.BigInteger(), primary_key=True, autoincrement=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("version", sa.String(length=100), nullable=False),
        sa.Column("published_at", UtcDateTime(), nullable=False),
        sa.Column("published_by", sa.String(length=120), nullable=False),
        sa.Column("files", sa.LargeBinary(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("site_packs")
