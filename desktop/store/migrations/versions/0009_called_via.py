"""where a rerouted call's dialled number came from, and the number the seat was reached on

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01

A call rerouted to the backup site keeps the number the caller dialled in History-Info,
Diversion or P-Called-Party-ID (desktop.telephony.dialled); the contact records which header
gave it (``called_via``) and what the seat was reached on (``reached_on``).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("contacts") as batch:
        batch.add_column(
            sa.Column("called_via", sa.String(length=32), nullable=False, server_default="")
        )
        batch.add_column(
            sa.Column("reached_on", sa.String(length=40), nullable=False, server_default="")
        )


def downgrade() -> None:
    with op.batch_alter_table("contacts") as batch:
        batch.drop_column("reached_on")
        batch.drop_column("called_via")
