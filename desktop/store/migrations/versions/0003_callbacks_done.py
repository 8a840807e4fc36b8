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
    # The lists' order, covering the mode: paging past exercise contacts stays in the index
    with op.batch_alter_table("contacts") as batch:
        batch.drop_index("ix_contacts_created_at")
        batch.create_index("ix_contacts_created_at", ["created_at", "id", "mode"])
    if op.get_bind().dialect.name == "sqlite":
        _text_index()


# Free-text search over a million contacts (desktop.store.search): a trigram index. A save
# only notes the contact's rowid in search_pending (a trigger, ~0.01 ms); the index catches
# up before a search reads it, so indexing costs the saves nothing.
FTS_COLUMNS = "caller_name, caller_number, subject, notes, branch_name, digits_typed"


def _text_index() -> None:
    op.execute(f"CREATE VIRTUAL TABLE contacts_fts USING fts5({FTS_COLUMNS}, tokenize='trigram')")
    op.execute("CREATE TABLE search_pending (contact_rowid INTEGER PRIMARY KEY)")
    for event, row in (("INSERT", "new"), ("UPDATE", "new"), ("DELETE", "old")):
        op.execute(
            f"CREATE TRIGGER search_pending_{event.lower()} AFTER {event} ON contacts BEGIN"
            f" INSERT OR IGNORE INTO search_pending VALUES ({row}.rowid); END"
        )
    op.execute(
        f"INSERT INTO contacts_fts(rowid, {FTS_COLUMNS}) SELECT rowid, {FTS_COLUMNS} FROM contacts"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for trigger in ("insert", "delete", "update"):
            op.execute(f"DROP TRIGGER IF EXISTS search_pending_{trigger}")
        op.execute("DROP TABLE IF EXISTS search_pending")
        op.execute("DROP TABLE IF EXISTS contacts_fts")
    with op.batch_alter_table("contacts") as batch:
        batch.drop_index("ix_contacts_created_at")
        batch.create_index("ix_contacts_created_at", ["created_at", "id"])
    op.drop_index("ix_contacts_outcome_callback_at", table_name="contacts")
    with op.batch_alter_table("contacts") as batch:
        batch.drop_column("erased_at")
        batch.drop_column("candidates")
        batch.drop_column("app_started_at")
        batch.drop_column("callback_done_at")
