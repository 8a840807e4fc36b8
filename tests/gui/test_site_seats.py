"""Every seat seen at once, on a real site PostgreSQL: the agent window writes its seat's
state to the roster, other seats have written theirs (one silent for 5 minutes, one on old
tables, one with contacts waiting for 14 minutes); the supervision's Sièges tab (Ctrl+5) and
``repli site seats`` show them, the silent first, each problem in words, their counts equal
to SQL's on the same rows."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import text

from desktop.site.roster import SeatState, write_state
from desktop.store.engine import make_engine
from desktop.store.schema import ensure_schema
from desktop.supervisor.site_mode import set_site_mode
from tests.gui.conftest import Opener, press
from tests.gui.test_supervisor import CTRL, open_supervision
from tests.helpers.cli import repli

STARTED = datetime(2026, 12, 4, 7, 0, tzinfo=UTC)


def other_seat(seat_id: str, **changes: object) -> SeatState:
    values: dict[str, object] = {
        "seat_id": seat_id,
        "client": "",
        "mode": "disaster",
        "agent": f"agent-{seat_id}",
        "pack_serial": 50,
        "pack_name": "Démo",
        "backlog": {},
        "last_saved_at": STARTED,
        "ready": True,
        "readiness": "ready",
        "started_at": STARTED,
        "pc_name": f"PC-{seat_id}",
        "version": "0.9.0",
    }
    values.update(changes)
    return SeatState(**values)  # type: ignore[arg-type]


def test_every_seat_of_the_site_in_the_supervision_and_on_the_command_line(
    with_pin: None, open_window: Opener, qtbot: QtBot, data_dir: Path, site_url: str
) -> None:
    site = make_engine(site_url)
    ensure_schema(site)
    with site.begin() as conn:  # the pack the site published: serial 50
        conn.execute(
            text(
                "INSERT INTO site_packs (serial, name, version, published_at, published_by, files)"
                " VALUES (50, 'Démo', '1', now(), 'test', '')"
            )
        )
    set_site_mode(site, "disaster", "test")
    write_state(site, other_seat("B-01"))
    write_state(site, other_seat("B-02", pack_serial=40))
    write_state(site, other_seat("B-03", backlog={"crm": [3, 14 * 60]}))
    write_state(site, other_seat("B-04"))
    with site.begin() as conn:  # B-04's last word, 5 minutes ago (the site server's clock)
        conn.execute(
            text("UPDATE site_seats SET updated_at = now() - interval '5 minutes'"
                 " WHERE seat_id = 'B-04'")
        )  # fmt: skip
    with (data_dir / "config.toml").open("a", encoding="utf-8") as config:
        config.write(
            'seat_id = "A-01"\n'
            f'[[sync_targets]]\nname = "site"\nkind = "site"\ndatabase_url = "{site_url}"\n'
        )
    window = open_window()
    assert window.services.roster is not None  # this seat writes its own word
    with site.connect() as conn:
        qtbot.waitUntil(
            lambda: (
                conn.scalar(text("SELECT count(*) FROM site_seats WHERE seat_id = 'A-01'")) == 1
            ),
            timeout=15_000,
        )
    supervisor = open_supervision(window, qtbot)
    press(qtbot, Qt.Key.Key_B, CTRL | Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: supervisor.windowTitle().endswith("base du site"))
    press(qtbot, Qt.Key.Key_5, CTRL)
    tab = supervisor.seats
    assert supervisor.tabs.currentWidget() is tab
    qtbot.waitUntil(lambda: tab.table.rowCount() == 5, timeout=15_000)
    with site.connect() as conn:
        total = conn.scalar(text("SELECT count(*) FROM site_seats"))
        silent = conn.scalar(
            text("SELECT count(*) FROM site_seats WHERE updated_at < now() - interval '60 s'")
        )
    assert (total, silent) == (5, 1)
    rows = [
        [tab.table.model().index(r, c).data() for c in range(tab.table.columnCount())]
        for r in range(tab.table.rowCount())
    ]
    assert rows[0][:2] == ["MUET", "B-04"]  # the silent first, marked in words
    assert rows[0][-1].startswith("aucune nouvelle depuis 5 min")
    by_seat = {row[1]: row for row in rows}
    assert by_seat["B-02"][0] == "Attention"
    assert by_seat["B-02"][-1] == "tables 40 alors que 50 est publiée"
    assert by_seat["B-03"][-1] == "3 fiche(s) en attente vers crm depuis 14 min"
    assert by_seat["B-01"][0] == "OK"
    assert by_seat["A-01"][-1].startswith("aucune table alors que 50")  # this seat: no pack
    # B-02, B-03 and this seat (on the demo tables, not the site's) need attention
    assert tab.summary.text() == "5 poste(s) : 1 muet(s), 3 à surveiller, 1 OK"
    assert tab.table.accessibleName() == "Postes du site"
    supervisor.close()

    listed = repli(data_dir, "site", "seats", "--json")
    assert listed.returncode == 0, listed.stderr
    seats = json.loads(listed.stdout)
    assert seats[0]["seat_id"] == "B-04" and seats[0]["stale"]
    assert len(seats) == total
    assert {s["seat_id"]: s["problems"] for s in seats}["B-02"] == [
        "tables 40 while 50 is published"
    ]
