"""The failback report's figures equal raw SQL counts on the same data: random contacts of two
seats over four days, corrected or not, exercise or not, each revision delivered, pending or
rejected at the CRM, in the site store or not, held by the CRM or not. The seat running the
report is read key by key; the other by the ledger it published to the site store."""

from __future__ import annotations

import shutil
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, text

from desktop.config import TargetConfig
from desktop.contacts import ContactData
from desktop.failback.ledger import publish
from desktop.failback.report import FailbackReport, Sources, build
from desktop.store.contacts import save_contact
from desktop.store.schema import open_migrated
from desktop.sync.outbox import Key, fan_out

SEATS = ("S1", "S2")
START = datetime(2026, 3, 28, 21, 0, tzinfo=UTC)  # over a change of time, a month's end
TARGETS = [TargetConfig("crm", "http", url="http://127.0.0.1:9/"), TargetConfig("site", "site")]

revision = st.tuples(
    st.sampled_from(("pending", "delivered", "rejected")),  # at the CRM, by the seat's ledger
    st.booleans(),  # delivered to the site store
    st.booleans(),  # held by the CRM
)
contact = st.tuples(
    st.sampled_from(range(len(SEATS))),
    st.integers(min_value=0, max_value=3),  # the day
    st.booleans(),  # exercise
    st.lists(revision, min_size=1, max_size=3),
)


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated empty store, copied for each store of each example."""
    folder = tmp_path_factory.mktemp("failback-template")
    open_migrated(f"sqlite:///{folder / 'store.db'}").dispose()
    return folder / "store.db"


def store(template: Path, folder: Path, name: str) -> Engine:
    shutil.copy(template, folder / name)
    return open_migrated(f"sqlite:///{folder / name}")


def fill(
    seats: dict[str, Engine], site: Engine, contacts: list[tuple[int, int, bool, list[Any]]]
) -> set[tuple[str, int]]:
    """The contacts saved on their seats, delivered as drawn; the CRM's holdings."""
    crm: set[tuple[str, int]] = set()
    for n, (seat_index, day, exercise, revisions) in enumerate(contacts):
        seat_id = SEATS[seat_index]
        engine = seats[seat_id]
        data = ContactData(agent="A", seat_id=seat_id, caller_name=f"c{n}",
                           mode="exercise" if exercise else "disaster")  # fmt: skip
        for _ in revisions:
            data = save_contact(engine, data, "A").contact
        when = START + timedelta(days=day, minutes=n)
        with engine.begin() as conn:
            conn.execute(
                text("UPDATE contact_revisions SET saved_at = :at WHERE contact_id = :id"),
                {"at": when.strftime("%Y-%m-%d %H:%M:%S.%f"), "id": data.id},
            )
        for target in TARGETS:
            fan_out(engine, target)
        for number, (crm_state, in_site, held) in enumerate(revisions, start=1):
            key = {"id": data.id, "r": number}
            with engine.begin() as conn:
                conn.execute(
                    text("UPDATE deliveries SET state = :s, reason = :why WHERE target = 'crm'"
                         " AND contact_id = :id AND revision = :r"),
                    {**key, "s": crm_state, "why": "refused" if crm_state == "rejected" else ""},
                )  # fmt: skip
                conn.execute(
                    text("UPDATE deliveries SET state = :s WHERE target = 'site'"
                         " AND contact_id = :id AND revision = :r"),
                    {**key, "s": "delivered" if in_site else "pending"},
                )  # fmt: skip
            if in_site:
                copy_revision(engine, site, data.id, number)
            if held:
                crm.add((data.id, number))
    return crm


def copy_revision(seat: Engine, site: Engine, contact_id: str, number: int) -> None:
    with seat.connect() as conn:
        revision = conn.execute(
            text("SELECT * FROM contact_revisions WHERE contact_id = :id AND revision = :r"),
            {"id": contact_id, "r": number},
        ).mappings().one()  # fmt: skip
        row = conn.execute(
            text("SELECT * FROM contacts WHERE id = :id"), {"id": contact_id}
        ).mappings().one()  # fmt: skip
    with site.begin() as conn:
        names = ", ".join(dict(revision))
        conn.execute(
            text(f"INSERT INTO contact_revisions ({names}) VALUES ({', '.join(':' + k for k in revision)})"),
            dict(revision),
        )  # fmt: skip
        names = ", ".join(dict(row))
        conn.execute(
            text(f"INSERT OR IGNORE INTO contacts ({names}) VALUES ({', '.join(':' + k for k in row)})"),
            dict(row),
        )  # fmt: skip


DAY = "substr(r.saved_at, 1, 10)"
JOIN = "contact_revisions r JOIN contacts c ON c.id = r.contact_id WHERE c.mode != 'exercise'"


def counted(engine: Engine, sql: str) -> dict[tuple[str, str], int]:
    with engine.connect() as conn:
        return {(r[0], r[1]): int(r[2]) for r in conn.execute(text(sql))}


def keys_of(engine: Engine, sql: str) -> dict[tuple[str, str], set[tuple[str, int]]]:
    found: dict[tuple[str, str], set[tuple[str, int]]] = {}
    with engine.connect() as conn:
        for seat, day, contact_id, number in conn.execute(text(sql)):
            found.setdefault((seat, day), set()).add((contact_id, int(number)))
    return found


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(contact, min_size=1, max_size=14))
def test_the_figures_are_the_raw_counts(template: Path, contacts: list[Any]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        seats = {s: store(template, Path(folder), f"{s}.db") for s in SEATS}
        site = store(template, Path(folder), "site.db")
        try:
            crm = fill(seats, site, contacts)
            publish(seats["S2"], site, "S2")
            report = build(
                Sources(
                    [(t.name, t.kind) for t in TARGETS],
                    seats["S1"],
                    "S1",
                    site,
                    "site",
                    {"crm": lambda keys: {k for k in keys if k in crm}},
                ),
                since=START - timedelta(days=1),
                until=START + timedelta(days=6),
                exercise=False,
                about={},
                now=START + timedelta(days=7),
            )
            check(report, seats, site, crm)
            # a shorter period (read as whole UTC days: the 28th and 29th): no day outside it,
            # from any source, the published ledgers included
            within = build(
                Sources([(t.name, t.kind) for t in TARGETS], seats["S1"], "S1", site, "site"),
                since=START,
                until=START + timedelta(days=1),
                exercise=False,
                about={},
                now=START + timedelta(days=7),
            )
            days = {(d.seat_id, d.day) for d in within.days}
            assert days == {
                (d.seat_id, d.day) for d in report.days if d.day in ("2026-03-28", "2026-03-29")
            }
        finally:
            for engine in (*seats.values(), site):
                engine.dispose()


def check(report: FailbackReport, seats: dict[str, Engine], site: Engine, crm: set[Key]) -> None:
    taken: dict[tuple[str, str], int] = {}
    acked: dict[tuple[str, str], int] = {}
    rejected: set[tuple[str, int]] = set()
    for engine in seats.values():
        taken |= counted(engine, f"SELECT c.seat_id, {DAY}, count(*) FROM {JOIN} GROUP BY 1, 2")
        acked |= counted(
            engine,
            f"SELECT c.seat_id, {DAY}, count(*) FROM {JOIN.replace('WHERE', 'JOIN deliveries d ON d.contact_id = r.contact_id AND d.revision = r.revision WHERE')}"
            " AND d.target = 'crm' AND d.state = 'delivered' GROUP BY 1, 2",
        )  # fmt: skip
    taken_keys = keys_of(
        seats["S1"], f"SELECT c.seat_id, {DAY}, r.contact_id, r.revision FROM {JOIN}"
    )
    with seats["S1"].connect() as conn:
        rejected = {(r[0], int(r[1])) for r in conn.execute(text(
            "SELECT d.contact_id, d.revision FROM deliveries d JOIN contacts c ON c.id = d.contact_id"
            " WHERE d.target = 'crm' AND d.state = 'rejected' AND c.mode != 'exercise'"))}  # fmt: skip
    in_site = counted(site, f"SELECT c.seat_id, {DAY}, count(*) FROM {JOIN} GROUP BY 1, 2")
    site_keys = keys_of(site, f"SELECT c.seat_id, {DAY}, r.contact_id, r.revision FROM {JOIN}")

    lines = {(d.seat_id, d.day): d for d in report.days}
    assert set(lines) == set(taken)
    for key, line in lines.items():
        assert line.taken == taken[key]
        assert line.targets["crm"].acked == acked.get(key, 0)
        assert line.site == in_site.get(key, 0) == line.targets["site"].holds
        known = site_keys.get(key, set()) | taken_keys.get(key, set())
        assert line.targets["crm"].holds == len(known & crm)
        missing = {
            (d.contact_id, d.revision)
            for d in report.differences
            if (d.seat_id, d.day) == key and d.target == "crm" and d.problem == "missing"
        }
        assert missing == known - crm
        if key[0] == "S1":
            assert line.source == "seat"
            lacking = {
                (d.contact_id, d.revision)
                for d in report.differences
                if (d.seat_id, d.day) == key and d.target == "site"
            }
            assert lacking == taken_keys[key] - site_keys.get(key, set())
        else:
            assert line.source == "ledger"
            same = line.taken == line.site and line.taken_digest == line.site_digest
            assert ("check_seat" not in line.notes) == same
    assert {
        (d.contact_id, d.revision) for d in report.differences if d.problem == "rejected"
    } == rejected
    assert report.totals()["taken"] == (sum(taken.values()) if taken else None)
    assert report.verdict == (
        "clean" if not report.differences and all(d.agree for d in report.days) else "differences"
    )
