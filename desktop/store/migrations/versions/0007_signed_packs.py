"""the serial and signer of a signed table pack

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01

A pack signed at the primary carries a serial that only increases (desktop.tables.signed);
the seat keeps it with the pack, with the id of the key that signed it, so that an older or
replayed pack is refused and ``repli tables status`` says who vouched for the active one.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("table_packs", sa.Column("serial", sa.BigInteger(), nullable=True))
    op.add_column(
        "table_packs",
        sa.Column("signed_by", sa.String(length=16), nullable=False, server_default=""),
    )


def downgrade() -> None:
    op.drop_column("table_packs", "signed_by")
    op.drop_column("table_packs", "serial")
