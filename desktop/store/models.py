"""The ORM models. The Alembic migrations under ``migrations/`` create exactly this schema."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    TypeDecorator,
    text,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UtcDateTime(TypeDecorator[datetime]):
    """Stored in UTC; always read back timezone-aware (SQLite forgets the zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if not isinstance(value, datetime):
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class TablePackRow(Base):
    __tablename__ = "table_packs"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    version: Mapped[str] = mapped_column(String(100), default="")
    generated_at: Mapped[str] = mapped_column(String(40), default="")
    imported_at: Mapped[datetime] = mapped_column(UtcDateTime)
    source: Mapped[str] = mapped_column(Text, default="")
    active: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    skipped_rows: Mapped[int] = mapped_column(Integer, default=0)
    branch_count: Mapped[int] = mapped_column(Integer, default=0)
    number_count: Mapped[int] = mapped_column(Integer, default=0)
    call_type_count: Mapped[int] = mapped_column(Integer, default=0)
    partner_count: Mapped[int] = mapped_column(Integer, default=0)
    serial: Mapped[int | None] = mapped_column(BigInteger, nullable=True)  # signed packs only
    signed_by: Mapped[str] = mapped_column(String(16), default="")  # the key's id
    # The lookup index, ready to load without sorting (see desktop.lookup.LookupIndex.snapshot)
    index_snapshot: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)


class BranchRow(Base):
    __tablename__ = "branches"
    pack_id: Mapped[int] = mapped_column(
        ForeignKey("table_packs.id", ondelete="CASCADE"), primary_key=True
    )
    branch_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    city: Mapped[str] = mapped_column(String(120), default="")
    postcode: Mapped[str] = mapped_column(String(20), default="")
    address: Mapped[str] = mapped_column(Text, default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    opening_hours: Mapped[str] = mapped_column(Text, default="")
    region: Mapped[str] = mapped_column(String(120), default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    timezone: Mapped[str] = mapped_column(String(64), default="", server_default="")
    country: Mapped[str] = mapped_column(String(16), default="", server_default="")


class CallTypeRow(Base):
    __tablename__ = "call_types"
    pack_id: Mapped[int] = mapped_column(
        ForeignKey("table_packs.id", ondelete="CASCADE"), primary_key=True
    )
    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    label: Mapped[str] = mapped_column(String(200))
    hotkey: Mapped[str] = mapped_column(String(32), default="")
    procedure: Mapped[str] = mapped_column(Text, default="")
    priority: Mapped[int | None] = mapped_column(Integer, nullable=True)


class DialledNumberRow(Base):
    __tablename__ = "dialled_numbers"
    pack_id: Mapped[int] = mapped_column(
        ForeignKey("table_packs.id", ondelete="CASCADE"), primary_key=True
    )
    e164: Mapped[str] = mapped_column(String(20), primary_key=True)
    dialling: Mapped[str] = mapped_column(String(20))
    branch_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    call_type: Mapped[str | None] = mapped_column(String(32), nullable=True)
    label: Mapped[str] = mapped_column(String(200), default="")


class PartnerRow(Base):
    __tablename__ = "partners"
    pack_id: Mapped[int] = mapped_column(
        ForeignKey("table_packs.id", ondelete="CASCADE"), primary_key=True
    )
    e164: Mapped[str] = mapped_column(String(20), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(60), default="")


class ContactRow(Base):
    """The current state of each contact (its latest revision)."""

    __tablename__ = "contacts"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    revision: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
    site: Mapped[str] = mapped_column(String(120), default="")
    seat_id: Mapped[str] = mapped_column(String(64))
    agent: Mapped[str] = mapped_column(String(120))
    mode: Mapped[str] = mapped_column(String(16))
    digits_typed: Mapped[str] = mapped_column(String(40), default="")
    matched_number: Mapped[str | None] = mapped_column(String(20), nullable=True)
    branch_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    branch_name: Mapped[str] = mapped_column(String(200), default="")
    call_type: Mapped[str | None] = mapped_column(String(32), nullable=True)
    caller_number: Mapped[str] = mapped_column(String(40), default="")
    caller_number_valid: Mapped[bool] = mapped_column(Boolean, default=False)
    caller_name: Mapped[str] = mapped_column(String(200), default="")
    subject: Mapped[str] = mapped_column(String(300), default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    outcome: Mapped[str] = mapped_column(String(32))
    callback_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    urgent: Mapped[bool] = mapped_column(Boolean, default=False)
    call_started_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    call_ended_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    found_by: Mapped[str] = mapped_column(String(16), default="typed")
    tables_version: Mapped[str] = mapped_column(String(100), default="")
    call_id: Mapped[str | None] = mapped_column(String(200), nullable=True)
    callback_done_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    # For the exercise report: when the seat's app started, and how many candidates the
    # lookup showed when the branch was chosen
    app_started_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    candidates: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    # Set by an erasure on request: the personal fields are blank from this revision on
    erased_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    called_via: Mapped[str] = mapped_column(String(32), default="")
    reached_on: Mapped[str] = mapped_column(String(40), default="")

    __table_args__ = (
        Index("ix_contacts_created_at", "created_at", "id", "mode"),  # the lists' order
        Index("ix_contacts_caller_number", "caller_number"),
        # the callbacks list, and the dashboard's callback counts
        Index(
            "ix_contacts_outcome_callback_at",
            *("outcome", "callback_at", "callback_done_at", "mode", "created_at"),
        ),
        # the dashboard's figures, each read in its index's order (migration 0010, which
        # also makes the expression index of the UTC hour)
        Index("ix_contacts_call_type", "call_type", "mode", "created_at"),
        Index("ix_contacts_branch_id", "branch_id", "mode", "created_at"),  # a branch's figures
        Index("ix_contacts_branch_name", "branch_name", "mode", "created_at"),
        Index("ix_contacts_seat_agent", "seat_id", "agent", "mode", "created_at"),
        Index("ix_contacts_handling", "call_started_at", "call_ended_at", "mode", "created_at"),
    )


class ContactRevisionRow(Base):
    """Every revision of every contact, as saved: a correction never overwrites one."""

    __tablename__ = "contact_revisions"
    contact_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    revision: Mapped[int] = mapped_column(Integer, primary_key=True)
    saved_at: Mapped[datetime] = mapped_column(UtcDateTime)
    saved_by: Mapped[str] = mapped_column(String(120))
    data: Mapped[str] = mapped_column(Text)


class OutboxRow(Base):
    """One revision waiting to be delivered to the primary CRM (delivered by the sync issue)."""

    __tablename__ = "outbox"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    contact_id: Mapped[str] = mapped_column(String(36))
    revision: Mapped[int] = mapped_column(Integer)
    queued_at: Mapped[datetime] = mapped_column(UtcDateTime)
    state: Mapped[str] = mapped_column(String(16), default="pending", index=True)

    __table_args__ = (Index("ix_outbox_contact_revision", "contact_id", "revision", unique=True),)


class AuditRow(Base):
    __tablename__ = "audit"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime)
    actor: Mapped[str] = mapped_column(String(120))
    action: Mapped[str] = mapped_column(String(40))
    contact_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    detail: Mapped[str] = mapped_column(Text, default="")


class DraftRow(Base):
    """The contact being typed, kept on every change so that a crash loses nothing."""

    __tablename__ = "drafts"
    slot: Mapped[str] = mapped_column(String(64), primary_key=True)
    contact_id: Mapped[str] = mapped_column(String(36))
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
    data: Mapped[str] = mapped_column(Text)


class DeliveryRow(Base):
    """One revision on its way to one sync target: the per-target outbox.

    ``state`` is pending, delivered or rejected. A pending row is leased by the worker that
    sends it (``lease_holder`` until ``lease_until``), so that two workers never send the same
    batch; a worker killed mid-send leaves a lease that expires, and the batch is sent again
    (the receiver deduplicates by (id, revision))."""

    __tablename__ = "deliveries"
    target: Mapped[str] = mapped_column(String(64), primary_key=True)
    contact_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    revision: Mapped[int] = mapped_column(Integer, primary_key=True)
    state: Mapped[str] = mapped_column(String(16), default="pending")
    outcome: Mapped[str] = mapped_column(String(16), default="")
    reason: Mapped[str] = mapped_column(Text, default="")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UtcDateTime)
    lease_holder: Mapped[str | None] = mapped_column(String(64), nullable=True)
    lease_until: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    delivered_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)

    __table_args__ = (
        Index("ix_deliveries_due", "target", "state", "next_attempt_at"),
        Index("ix_deliveries_contact", "contact_id", "revision"),  # the history's sync column
        Index("ix_deliveries_lease", "target", "lease_holder"),  # a worker's leases
    )


class SyncTargetRow(Base):
    """What a target's last runs said: ok, failing since when and why, or misconfigured."""

    __tablename__ = "sync_targets"
    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    state: Mapped[str] = mapped_column(String(16), default="ok")
    since: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    reason: Mapped[str] = mapped_column(Text, default="")
    last_run_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    last_delivery_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)


class SitePackRow(Base):
    """A signed table pack a supervisor published for the whole site (its files as a zip);
    the seats that follow the site take the highest serial (desktop.tables.site_packs)."""

    __tablename__ = "site_packs"
    serial: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    name: Mapped[str] = mapped_column(String(200))
    version: Mapped[str] = mapped_column(String(100))
    published_at: Mapped[datetime] = mapped_column(UtcDateTime)
    published_by: Mapped[str] = mapped_column(String(120))
    files: Mapped[bytes] = mapped_column(LargeBinary)


class SiteSeatRow(Base):
    """A seat's state as it last wrote it to the site (desktop.site.roster); ``updated_at``
    is the site server's clock."""

    __tablename__ = "site_seats"
    seat_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    pc_name: Mapped[str] = mapped_column(String(120))
    version: Mapped[str] = mapped_column(String(40))
    client: Mapped[str] = mapped_column(String(64))
    agent: Mapped[str | None] = mapped_column(String(120), nullable=True)
    pack_serial: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    pack_name: Mapped[str] = mapped_column(String(200))
    mode: Mapped[str] = mapped_column(String(16))
    backlog: Mapped[str] = mapped_column(Text)  # JSON: {target: [pending, oldest's age in s]}
    last_saved_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    ready: Mapped[bool] = mapped_column(Boolean)
    readiness: Mapped[str] = mapped_column(Text)
    started_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)


class SiteSettingRow(Base):
    """Settings a supervisor gives the whole site, in the site database (the mode: an
    exercise for every seat). Seats read them; a seat's own store has the table, empty."""

    __tablename__ = "site_settings"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_by: Mapped[str] = mapped_column(String(120))


class SiteLedgerRow(Base):
    """What a seat took (``target`` '') and what each target acknowledged, a UTC day and a
    kind of contact at a time: a count and the digest of the sorted ``id:revision`` lines
    (desktop.failback.ledger). ``updated_at`` is the site server's clock."""

    __tablename__ = "site_ledger"
    seat_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    day: Mapped[str] = mapped_column(String(10), primary_key=True)
    target: Mapped[str] = mapped_column(String(64), primary_key=True)
    exercise: Mapped[bool] = mapped_column(Boolean, primary_key=True)
    revisions: Mapped[int] = mapped_column(Integer)
    digest: Mapped[str] = mapped_column(String(64))
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)


class SiteResendRow(Base):
    """A revision a failback report found missing at a target: the seat that took it puts
    it back in its outbox at its next sync (desktop.failback.resend)."""

    __tablename__ = "site_resend"
    seat_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    target: Mapped[str] = mapped_column(String(64), primary_key=True)
    contact_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    revision: Mapped[int] = mapped_column(Integer, primary_key=True)
    asked_at: Mapped[datetime] = mapped_column(UtcDateTime)
    asked_by: Mapped[str] = mapped_column(String(120))


class SiteDrillSeatRow(Base):
    """A seat's first roster word once the site is in exercise mode: its state at the drill's
    start (``drill_started_at``: when the site's mode was set), for the drill report."""

    __tablename__ = "site_drill_seats"
    drill_started_at: Mapped[datetime] = mapped_column(UtcDateTime, primary_key=True)
    seat_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    ready: Mapped[bool] = mapped_column(Boolean)
    readiness: Mapped[str] = mapped_column(Text)
    version: Mapped[str] = mapped_column(String(40))
    pack_serial: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    pack_name: Mapped[str] = mapped_column(String(200))
    seat_started_at: Mapped[datetime] = mapped_column(UtcDateTime)
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime)
