"""Table packs in the database: import and activate atomically, load the active one.

The whole pack is written and switched active in one transaction, so a failure at any point
leaves the previous pack active and untouched. The previous pack is kept for rollback.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Engine, delete, insert, select, text, update
from sqlalchemy.orm import Session

from desktop.store.models import (
    BranchRow,
    CallTypeRow,
    DialledNumberRow,
    PartnerRow,
    TablePackRow,
)
from desktop.tables.model import (
    Branch,
    CallType,
    DialledNumber,
    PackInfo,
    Partner,
    TablePack,
)

KEEP_PACKS = 2  # the active one and the previous one


@dataclass(frozen=True)
class PackStatus:
    pack_id: int
    info: PackInfo
    imported_at: datetime
    skipped_rows: int
    counts: dict[str, int]

    def age_days(self, now: datetime | None = None) -> float:
        reference = self.generated_or_imported()
        return ((now or datetime.now(UTC)) - reference).total_seconds() / 86400

    def generated_or_imported(self) -> datetime:
        """The pack's age counts from when the primary site generated it, if it says."""
        try:
            generated = datetime.fromisoformat(self.info.generated_at)
        except ValueError:
            return self.imported_at
        return generated if generated.tzinfo else generated.replace(tzinfo=UTC)


def import_pack(engine: Engine, pack: TablePack, skipped_rows: int = 0) -> int:
    """Write ``pack`` and make it the active one, in one transaction. Returns its id."""
    with Session(engine) as session, session.begin():
        row = TablePackRow(
            name=pack.info.name,
            version=pack.info.version,
            generated_at=pack.info.generated_at,
            imported_at=datetime.now(UTC),
            source=pack.info.source,
            active=False,
            skipped_rows=skipped_rows,
        )
        session.add(row)
        session.flush()
        pack_id = row.id
        _insert_rows(session, pack_id, pack)
        session.execute(update(TablePackRow).values(active=TablePackRow.id == pack_id))
        old = session.scalars(
            select(TablePackRow.id).order_by(TablePackRow.id.desc()).offset(KEEP_PACKS)
        ).all()
        if old:
            _delete_packs(session, list(old))
    return pack_id


def _insert_rows(session: Session, pack_id: int, pack: TablePack) -> None:
    def rows(items: list[dict[str, object]]) -> list[dict[str, object]]:
        return [{"pack_id": pack_id, **item} for item in items]

    session.execute(insert(BranchRow), rows([vars(b) for b in pack.branches.values()]))
    session.execute(
        insert(CallTypeRow),
        rows([
            {"code": c.code, "label": c.label, "hotkey": c.hotkey,
             "procedure": "\n".join(c.procedure), "priority": c.priority}
            for c in pack.call_types.values()
        ]),
    )  # fmt: skip
    session.execute(insert(DialledNumberRow), rows([vars(n) for n in pack.numbers]))
    if pack.partners:
        session.execute(insert(PartnerRow), rows([vars(p) for p in pack.partners.values()]))


def _delete_packs(session: Session, pack_ids: list[int]) -> None:
    for model in (BranchRow, CallTypeRow, DialledNumberRow, PartnerRow):
        session.execute(delete(model).where(model.pack_id.in_(pack_ids)))
    session.execute(delete(TablePackRow).where(TablePackRow.id.in_(pack_ids)))


def active_status(engine: Engine) -> PackStatus | None:
    with Session(engine) as session:
        row = session.scalars(select(TablePackRow).where(TablePackRow.active)).first()
        if row is None:
            return None
        counts = {
            name: session.query(model).filter(model.pack_id == row.id).count()
            for name, model in (
                ("branches", BranchRow),
                ("numbers", DialledNumberRow),
                ("call_types", CallTypeRow),
                ("partners", PartnerRow),
            )
        }
        return PackStatus(row.id, _info(row), row.imported_at, row.skipped_rows, counts)


def _info(row: TablePackRow) -> PackInfo:
    return PackInfo(
        name=row.name,
        version=row.version,
        generated_at=row.generated_at,
        imported_at=row.imported_at.isoformat(timespec="seconds"),
        source=row.source,
    )


def load_active(engine: Engine) -> TablePack | None:
    """The active pack, read with plain driver queries: this runs before the first frame."""
    with engine.connect() as conn:
        head = conn.execute(
            text(
                "SELECT id, name, version, generated_at, imported_at, source "
                "FROM table_packs WHERE active"
            )
        ).first()
        if head is None:
            return None
        pack_id = {"p": head[0]}
        info = PackInfo(head[1], head[2], head[3], str(head[4]), head[5])
        pack = TablePack(info)
        for r in conn.execute(
            text(
                "SELECT branch_id, name, city, postcode, address, phone, opening_hours, region, "
                "notes FROM branches WHERE pack_id = :p"
            ),
            pack_id,
        ):
            pack.branches[r[0]] = Branch(*r)
        for r in conn.execute(
            text(
                "SELECT code, label, hotkey, procedure, priority FROM call_types WHERE pack_id = :p"
            ),
            pack_id,
        ):
            steps = tuple(s for s in r[3].split("\n") if s)
            pack.call_types[r[0]] = CallType(r[0], r[1], r[2], steps, r[4])
        pack.numbers = [
            DialledNumber(*r)
            for r in conn.execute(
                text(
                    "SELECT e164, dialling, branch_id, call_type, label FROM dialled_numbers "
                    "WHERE pack_id = :p"
                ),
                pack_id,
            )
        ]
        for r in conn.execute(
            text("SELECT e164, name, kind FROM partners WHERE pack_id = :p"), pack_id
        ):
            pack.partners[r[0]] = Partner(*r)
        return pack
