"""The wall screen on a real site PostgreSQL: its figures equal SQL's on the same rows (at a
fixed instant in the site's zone), no caller's name or number ever on it, the views switched
by the keyboard, and the last figures kept, with their age in words, when the site store
stops answering."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot
from sqlalchemy import text

from desktop.app import application
from desktop.config import TargetConfig
from desktop.contacts import ContactData, to_plain
from desktop.site.roster import SeatState, write_state
from desktop.store.engine import make_engine, make_site_engine
from desktop.store.schema import ensure_schema
from desktop.sync.site_target import SiteDatabaseTarget
from desktop.ui.wallboard import Wallboard

PARIS = ZoneInfo("Europe/Paris")
NOW = datetime(2027, 3, 10, 10, 30, tzinfo=PARIS)
CANARY = "Canari Dupont-Wallboard"


def contact(at: datetime, call_type: str, **more: object) -> dict[str, object]:
    values: dict[str, object] = {
        "revision": 1,
        "created_at": at,
        "updated_at": at,
        "seat_id": "B-01",
        "agent": "Karim",
        "call_type": call_type,
        "caller_name": CANARY,
        "caller_number": "0612345678",
    }
    values.update(more)
    return to_plain(ContactData(**values))  # type: ignore[arg-type]


def seat(seat_id: str, backlog: dict[str, list[int | None]]) -> SeatState:
    return SeatState(
        seat_id=seat_id, client="", mode="disaster", agent="Karim", pack_serial=None,
        pack_name="", backlog=backlog, last_saved_at=None, ready=True, readiness="ready",
        started_at=NOW, pc_name="PC", version="1",
    )  # fmt: skip


def labels(board: Wallboard) -> str:
    return "\n".join(label.text() for label in board.findChildren(QLabel))


def test_the_wall_screen_shows_the_site_store_and_keeps_it_when_it_is_gone(
    qtbot: QtBot, site_url: str
) -> None:
    site = make_engine(site_url)
    ensure_schema(site)
    target = SiteDatabaseTarget(TargetConfig("site", "site", database_url=site_url), {})
    target.send(
        [contact(NOW - timedelta(minutes=m), "familles") for m in (5, 10, 25)]
        + [contact(NOW - timedelta(minutes=m), "rapatriement") for m in (45, 80)]
        + [contact(NOW - timedelta(hours=12), "familles")]  # yesterday, in Paris
        + [contact(NOW - timedelta(minutes=3), "familles", mode="exercise")]  # not a real call
        + [
            contact(
                NOW - timedelta(minutes=50),
                "rapatriement",
                outcome="callback",
                callback_at=NOW - timedelta(minutes=20),
            )
        ]
    )
    write_state(site, seat("B-01", {"crm": [4, 600], "site": [2, 30]}))
    write_state(site, seat("B-02", {}))
    with site.begin() as conn:
        conn.execute(
            text("UPDATE site_seats SET updated_at = now() - interval '3 minutes'"
                 " WHERE seat_id = 'B-02'")
        )  # fmt: skip
    day = NOW.replace(hour=0, minute=0)
    hour = NOW.replace(minute=0)
    with site.connect() as conn:
        sql_today, sql_hour = conn.execute(
            text(
                "SELECT count(*), count(*) FILTER (WHERE created_at >= :h) FROM contacts"
                " WHERE created_at >= :d AND mode <> 'exercise'"
            ),
            {"d": day, "h": hour},
        ).one()
    assert (sql_today, sql_hour) == (6, 3)

    application(["repli"], "fr")  # as repli wallboard starts it: French by default
    board = Wallboard(make_site_engine(site_url), "Pompes Funèbres Démo", "site", clock=lambda: NOW)
    qtbot.addWidget(board)
    board.resize(1920, 1080)
    board.show()
    qtbot.waitUntil(lambda: board.figures is not None, timeout=15_000)
    assert board.hour.figure.text() == str(sql_hour)
    assert board.day.figure.text() == str(sql_today)
    assert board.callbacks.figure.text() == "1"
    assert board.crm.figure.text() == "4"  # the CRM's backlog, not the site's own
    assert board.crm.detail.text().startswith("la plus ancienne : ")
    assert board.active.figure.text() == "1 / 2"
    assert "familles : 3 · 3" in board.types.text()
    assert board.mode.text() == "Pompes Funèbres Démo — MODE : le mode de chaque poste"
    assert board.hour.figure.accessibleName() == f"Appels cette heure : {sql_hour}"
    everything = labels(board)
    assert CANARY not in everything and "0612345678" not in everything and "Karim" not in everything

    qtbot.keyClick(board, Qt.Key.Key_Tab)
    assert board.views.currentIndex() == 1
    assert "B-02 : aucune nouvelle depuis 3 min" in board.problems.text()
    qtbot.keyClick(board, Qt.Key.Key_1)
    assert board.views.currentIndex() == 0

    # the site store gone: the last figures stay, with their age, in a band that says so
    board.clock = lambda: NOW + timedelta(minutes=2)
    board.engine = make_engine("postgresql+psycopg://repli@127.0.0.1:1/gone")
    board.refresh()
    qtbot.waitUntil(lambda: board.stale.isVisible(), timeout=20_000)
    assert board.stale.text().startswith("⚠ La base du site ne répond pas depuis 10:32")
    assert "chiffres de 10:30:00, vieux de 2 min" in board.stale.text()
    assert board.hour.figure.text() == str(sql_hour)  # kept, never blank
    assert "Traceback" not in labels(board)
    board.close()
