"""a trigram index for the free-text search on the site PostgreSQL

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01

On PostgreSQL each word of a search is one ILIKE on the searched columns joined by spaces
(desktop.store.search writes the same expression; no word holds a space, so none matches
across two columns), and pg_trgm's GIN index answers it without reading every contact
(benchmarks/site_dashboard.py). pg_trgm is a trusted extension since PostgreSQL 13: the
database's owner may create it. Where it cannot be created (an older server, no contrib,
a role without the CREATE privilege), the migration goes on without the index and the
search reads every row, as before: docs/sync-protocol.md tells the DBA. SQLite has its own
trigram index (0003): nothing changes there.
"""

from collections.abc import Sequence

from alembic import op
from sqlalchemy.exc import DBAPIError

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

WORDS = (
    "caller_name || ' ' || caller_number || ' ' || subject || ' ' || notes || ' ' || "
    "branch_name || ' ' || digits_typed"
)


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    attempt = bind.begin_nested()
    try:
        bind.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except DBAPIError:
        attempt.rollback()  # the search stays a scan of every row
        return
    attempt.commit()
    words = f"({WORDS}) gin_trgm_ops"
    op.execute(f"CREATE INDEX IF NOT EXISTS ix_contacts_words ON contacts USING gin ({words})")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_contacts_words")
