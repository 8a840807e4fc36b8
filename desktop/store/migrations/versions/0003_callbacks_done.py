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


# Free-text search over a million contacts (desktop.store.search): a trigram index, kept by
# triggers, that answers "contains these letters" without reading every row.
FTS_COLUMNS = "caller_name, caller_number, subject, notes, branch_name, digits_typed"


def _text_index() -> None:
    op.execute(
        f"CREATE VIRTUAL TABLE contacts_fts USING fts5({FTS_COLUMNS}, content='contacts',"
        " content_rowid='rowid', tokenize='trigram')"
    )
    new = ", ".join(f"new.{c.strip()}" for c in FTS_COLUMNS.split(","))
    old = ", ".join(f"old.{c.strip()}" for c in FTS_COLUMNS.split(","))
    op.execute(
        "CREATE TRIGGER contacts_fts_insert AFTER INSERT ON contacts BEGIN"
        f" INSERT INTO contacts_fts(rowid, {FTS_COLUMNS}) VALUES (new.rowid, {new}); END"
    )
    op.execute(
        "CREATE TRIGGER contacts_fts_delete AFTER DELETE ON contacts BEGIN"
        f" INSERT INTO contacts_fts(contacts_fts, rowid, {FTS_COLUMNS})"
        f" VALUES ('delete', old.rowid, {old}); END"
    )
    op.execute(
        "CREATE TRIGGER contacts_fts_update AFTER UPDATE ON contacts BEGIN"
        f" INSERT INTO contacts_fts(contacts_fts, rowid, {FTS_COLUMNS})"
        f" VALUES ('delete', old.rowid, {old});"
        f" INSERT INTO contacts_fts(rowid, {FTS_COLUMNS}) VALUES (new.rowid, {new}); END"
    )
    op.execute("INSERT INTO contacts_fts(contacts_fts) VALUES ('rebuild')")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for trigger in ("insert", "delete", "update"):
            op.execute(f"DROP TRIGGER IF EXISTS contacts_fts_{trigger}")
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
