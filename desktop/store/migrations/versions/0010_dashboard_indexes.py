"""indexes for the supervisor's dashboard on a million contacts

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01

Each of the dashboard's figures reads one index in its own order, so that no figure sorts
or reads the whole table (benchmarks/supervisor.py): the call type, the branch, the seat and
agent, the UTC hour a contact was created in (an expression: desktop.supervisor.dashboard
writes the same one), and the call's start and end (the handling time, computed from a
narrow scan: SQLite before 3.41 reads a row for an indexed expression in a result). ``mode``
and ``created_at`` end each, for the dashboard's usual filters (a period, exercises left
out), so that a filtered figure reads its index alone too. The callbacks' index gains the
columns its counts read. ANALYZE gives the planner the statistics to choose.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# desktop.supervisor.dashboard.hour_key, as DDL
HOUR = {
    "sqlite": "substr(created_at, 1, 13)",
    "postgresql": "date_trunc('hour', timezone('UTC', created_at))",
}


def upgrade() -> None:
    period = ["mode", "created_at"]
    op.create_index("ix_contacts_call_type", "contacts", ["call_type", *period])
    op.create_index("ix_contacts_branch_id", "contacts", ["branch_id", *period])  # its filter
    op.create_index("ix_contacts_branch_name", "contacts", ["branch_name", *period])
    op.create_index("ix_contacts_seat_agent", "contacts", ["seat_id", "agent", *period])
    op.drop_index("ix_contacts_outcome_callback_at", "contacts")
    op.create_index(
        "ix_contacts_outcome_callback_at",
        "contacts",
        ["outcome", "callback_at", "callback_done_at", *period],
    )
    op.create_index(
        "ix_contacts_handling", "contacts", ["call_started_at", "call_ended_at", *period]
    )
    hour = HOUR[op.get_bind().dialect.name]
    op.execute(f"CREATE INDEX ix_contacts_hour ON contacts ({hour}, mode, created_at)")
    op.execute("ANALYZE contacts")


def downgrade() -> None:
    for name in ("ix_contacts_handling", "ix_contacts_hour"):
        op.drop_index(name, "contacts")
    op.drop_index("ix_contacts_outcome_callback_at", "contacts")
    op.create_index("ix_contacts_outcome_callback_at", "contacts", ["outcome", "callback_at"])
    for name in ("ix_contacts_seat_agent", "ix_contacts_branch_name", "ix_contacts_branch_id",
                 "ix_contacts_call_type"):  # fmt: skip
        op.drop_index(name, "contacts")
