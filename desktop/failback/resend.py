"""``repli report failback --resend``: what a target lacks goes back in the outbox of the seat
that took it. The seat running the report puts its own revisions back at once; every other
seat is asked through the site store (``site_resend``) and takes its requests at its next
sync, before it delivers (desktop.sync.site_target)."""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable

from sqlalchemy import Engine, delete, insert, select, tuple_
from sqlalchemy.dialects import postgresql, sqlite

from desktop.contacts import utc_now
from desktop.failback.report import RESEND, Difference
from desktop.store.models import AuditRow, SiteResendRow
from desktop.sync.outbox import Key
from desktop.sync.reconcile import put_back

log = logging.getLogger("repli.failback")


def resend(
    differences: Iterable[Difference],
    *,
    local: Engine | None,
    local_seat: str,
    site: Engine | None,
    asked_by: str,
) -> tuple[int, dict[str, int]]:
    """(revisions put back here, {seat: revisions asked of it})."""
    here: dict[str, set[Key]] = defaultdict(set)
    asked: list[dict[str, object]] = []
    for d in differences:
        if d.action != RESEND:
            continue
        if local is not None and d.seat_id == local_seat:
            here[d.target].add((d.contact_id, d.revision))
        else:
            asked.append(
                {"seat_id": d.seat_id, "target": d.target, "contact_id": d.contact_id,
                 "revision": d.revision, "asked_at": utc_now(), "asked_by": asked_by}
            )  # fmt: skip
    done = 0
    if local is not None:
        for target, keys in here.items():
            done += put_back(local, target, keys, "sent again by a failback report")
    per_seat: dict[str, int] = defaultdict(int)
    if asked and site is not None:
        insert_ = postgresql.insert if site.dialect.name == "postgresql" else sqlite.insert
        with site.begin() as conn:
            for start in range(0, len(asked), 1000):
                conn.execute(
                    insert_(SiteResendRow).on_conflict_do_nothing(), asked[start : start + 1000]
                )
        for row in asked:
            per_seat[str(row["seat_id"])] += 1
    return done, dict(per_seat)


def take_requests(local: Engine, site: Engine, seat_id: str) -> int:
    """The resends a report asked of this seat, put back in its outbox, then removed from
    the site store; the revisions put back (those the seat no longer holds are dropped)."""
    s = SiteResendRow
    with site.connect() as conn:
        rows = conn.execute(
            select(s.target, s.contact_id, s.revision, s.asked_by).where(s.seat_id == seat_id)
        ).all()
    if not rows:
        return 0
    by_target: dict[str, set[Key]] = defaultdict(set)
    for target, contact_id, revision, _by in rows:
        by_target[target].add((contact_id, int(revision)))
    done = 0
    for target, keys in by_target.items():
        done += put_back(local, target, keys, "sent again by a failback report")
    with local.begin() as conn:
        conn.execute(
            insert(AuditRow).values(
                at=utc_now(),
                actor=", ".join(sorted({str(r[3]) for r in rows}))[:120],
                action="failback resend",
                contact_id=None,
                detail=f"{done} revision(s) put back in the outbox at a failback report's request",
            )
        )
    with site.begin() as conn:
        for target, keys in by_target.items():
            listed = sorted(keys)
            for start in range(0, len(listed), 1000):
                conn.execute(
                    delete(s).where(
                        s.seat_id == seat_id,
                        s.target == target,
                        tuple_(s.contact_id, s.revision).in_(listed[start : start + 1000]),
                    )
                )
    log.warning("%s revision(s) put back in the outbox at a failback report's request", done)
    return done
