"""The hall's wall screen on real site PostgreSQL databases, one a client, as a PC
provisioned for three clients finds them: each client's seats equal SQL's count of its own
roster, no client's business on it (no call count, no call type, no caller), and a client
whose site store does not answer says so on its own line while the others go on."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot
from sqlalchemy import text

from desktop.app import application
from desktop.config import TargetConfig
from desktop.contacts import ContactData, to_plain
from desktop.paths import DataPaths
from desktop.site.hall import NO_SITE, hall_sites
from desktop.site.roster import SeatState, write_state
from desktop.store.engine import make_engine, make_site_engine
from desktop.store.schema import ensure_schema
from desktop.supervisor.site_mode import set_site_mode
from desktop.sync.site_target import SiteDatabaseTarget
from desktop.ui.hall_wall import HallWall
from tests.helpers.postgres import Postgres

NOW = datetime(2027, 3, 10, 10, 30, tzinfo=ZoneInfo("Europe/Paris"))
CANARY = "Canari Hall-Dupont"


def seat(seat_id: str, ready: bool = True) -> SeatState:
    return SeatState(
        seat_id=seat_id, client="", mode="disaster", agent="Karim", pack_serial=None,
        pack_name="", backlog={}, last_saved_at=None, ready=ready,
        readiness="ready" if ready else "the softphone does not answer",
        started_at=NOW, pc_name="PC", version="1",
    )  # fmt: skip


def provision(seat_root: Path, client: str, name: str, url: str) -> None:
    folder = seat_root / "clients" / client
    folder.mkdir(parents=True)
    (folder / "config.toml").write_text(
        f'client_name = "{name}"\n'
        f'[[sync_targets]]\nname = "site"\nkind = "site"\ndatabase_url = "{url}"\n',
        encoding="utf-8",
    )


def test_the_hall_shows_every_clients_seats_and_none_of_their_business(
    qtbot: QtBot, postgres: Postgres, tmp_path: Path
) -> None:
    pompes, assur = postgres.create_database("hall_pompes"), postgres.create_database("hall_assur")
    gone = pompes.rsplit("/", 1)[0] + "/hall_no_such_database"  # answers: no such database
    for client, name, url in (
        ("pompes-sud", "Pompes Funèbres Sud", pompes),
        ("assur-nord", "Assur Nord", assur),
        ("mutuelle-est", "Mutuelle Est", gone),
    ):
        provision(tmp_path, client, name, url)
    (tmp_path / "clients" / "sans-site").mkdir()
    (tmp_path / "clients" / "sans-site" / "config.toml").write_text('client_name = "Sans Site"\n')

    for url in (pompes, assur):
        ensure_schema(make_engine(url))
    sud, nord = make_engine(pompes), make_engine(assur)
    taken = ContactData(seat_id="S-01", agent="Karim", call_type="familles",
                        caller_name=CANARY, created_at=NOW, updated_at=NOW)  # fmt: skip
    SiteDatabaseTarget(TargetConfig("site", "site", database_url=pompes), {}).send(
        [to_plain(taken)]
    )
    for seat_id in ("S-01", "S-02", "S-03"):
        write_state(sud, seat(seat_id, ready=seat_id != "S-03"))
    write_state(nord, seat("N-01"))
    with sud.begin() as conn:
        conn.execute(
            text("UPDATE site_seats SET updated_at = now() - interval '3 minutes'"
                 " WHERE seat_id = 'S-02'")
        )  # fmt: skip
    set_site_mode(nord, "exercise", "supervisor@N-01")
    counted = {}
    for client, engine in (("sud", sud), ("nord", nord)):
        with engine.connect() as conn:
            counted[client] = conn.execute(
                text("SELECT count(*) FILTER (WHERE updated_at > now() - interval '60 seconds'),"
                     " count(*) FROM site_seats")
            ).one()  # fmt: skip
    assert counted == {"sud": (2, 3), "nord": (1, 1)}

    sites, left_out = hall_sites(DataPaths.resolve(tmp_path))
    assert [s.client for s in sites] == ["Assur Nord", "Mutuelle Est", "Pompes Funèbres Sud"]
    assert left_out == [("Sans Site", NO_SITE)]

    application(["repli"], "fr")
    board = HallWall([(s.client, make_site_engine(s.url)) for s in sites], left_out, lambda: NOW)
    qtbot.addWidget(board)
    board.resize(1920, 1080)
    board.show()
    nord_line, est_line, sud_line = board.lines
    qtbot.waitUntil(lambda: sud_line.health is not None and nord_line.health is not None)
    qtbot.waitUntil(lambda: not est_line.stale.isHidden(), timeout=15_000)

    assert sud_line.seats.text() == "2 / 3"  # S-02 silent for 3 minutes
    assert "1 muet(s) · 1 à surveiller" in sud_line.detail.text()  # S-03 not ready
    assert nord_line.seats.text() == "1 / 1"
    assert "exercice" in nord_line.mode.text().lower()
    assert "ne répond pas" in est_line.stale.text() and "hall_no_such_database" in (
        est_line.stale.text()
    )
    assert sud_line.stale.isHidden() and nord_line.stale.isHidden()  # the others go on
    assert sud_line.seats.accessibleName() == "Pompes Funèbres Sud : 2 postes actifs sur 3"
    shown = "\n".join(label.text() for label in board.findChildren(QLabel))
    assert "Sans Site : pas de base du site dans sa configuration" in shown  # not left silently
    for business in (CANARY, "familles", "Appels"):  # clients share the hall, not figures
        assert business not in shown
    board.close()
    for engine in (sud, nord):
        engine.dispose()


def test_a_pc_without_clients_has_no_hall(tmp_path: Path) -> None:
    assert hall_sites(DataPaths.resolve(tmp_path)) == ([], [])
