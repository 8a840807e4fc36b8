"""callbacks marked done, exercise figures, erasure

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("contacts") as batch:
        batch.add_column(sa.Column("callback_done_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("app_started_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(
            sa.Column("candidates", sa.Integer(), nullable=False, server_default=sa.text("0"))
        )
        batch.add_column(sa.Column("erased_at", sa.DateTime(timezone=True), nullable=True))
    op.create_index("ix_contacts_outcome_callback_at", "contacts", ["outcome", "callback_at"])


def downgrade() -> None:
    op.drop_index("ix_contacts_outcome_callback_at", table_name="contacts")
    with op.batch_alter_table("contacts") as batch:
        batch.drop_column("erased_at")
        batch.drop_column("candidates")
        batch.drop_column("app_started_at")
        batch.drop_column("callback_done_at")
