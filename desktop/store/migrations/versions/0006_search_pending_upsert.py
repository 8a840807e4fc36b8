"""search_pending triggers that an upsert cannot break

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01

The triggers noted a changed contact with ``INSERT OR IGNORE``; inside an UPSERT (``repli
merge``, the site target) SQLite applies the outer statement's conflict handling instead,
and a second change of a contact already noted failed with "UNIQUE constraint failed:
search_pending.contact_rowid". They now insert only a rowid not noted yet.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return  # the free-text index is SQLite's (FTS5); PostgreSQL has no such triggers
    for event, row in (("INSERT", "new"), ("UPDATE", "new"), ("DELETE", "old")):
        op.execute(f"DROP TRIGGER IF EXISTS search_pending_{event.lower()}")
        op.execute(
            f"CREATE TRIGGER search_pending_{event.lower()} AFTER {event} ON contacts BEGIN"
            f" INSERT INTO search_pending SELECT {row}.rowid WHERE NOT EXISTS"
            f" (SELECT 1 FROM search_pending WHERE contact_rowid = {row}.rowid); END"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for event, row in (("INSERT", "new"), ("UPDATE", "new"), ("DELETE", "old")):
        op.execute(f"DROP TRIGGER IF EXISTS search_pending_{event.lower()}")
        op.execute(
            f"CREATE TRIGGER search_pending_{event.lower()} AFTER {event} ON contacts BEGIN"
            f" INSERT OR IGNORE INTO search_pending VALUES ({row}.rowid); END"
        )
