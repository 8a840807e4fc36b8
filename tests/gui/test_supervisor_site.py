"""The supervision on the site database: another seat's contacts merged into a real
PostgreSQL with ``repli merge --into-site``, then seen from this seat's supervision
(Ctrl+Shift+B switches between this seat and the site)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from desktop.contacts import ContactData
from desktop.context import SeatContext
from desktop.store import contacts as store
from desktop.store.engine import make_engine
from desktop.supervisor.site_mode import set_site_mode, site_mode
from tests.gui.conftest import Opener, press
from tests.gui.test_supervisor import CTRL, open_supervision
from tests.helpers.cli import repli


def test_the_site_database_in_the_supervision(
    with_pin: None, open_window: Opener, qtbot: QtBot, data_dir: Path, site_url: str, tmp_path: Path
) -> None:
    other = SeatContext.open(str(tmp_path / "other-seat"))
    for name in ("Mme Une", "M. Deux", "Mme Trois"):
        contact = ContactData(seat_id="B-02", agent="Karim", caller_name=name, outcome="message")
        store.save_contact(other.engine, contact, "Karim")
    other.close()
    with (data_dir / "config.toml").open("a", encoding="utf-8") as config:
        config.write(
            f'[[sync_targets]]\nname = "site"\nkind = "site"\ndatabase_url = "{site_url}"\n'
        )
    merged = repli(data_dir, "merge", "--into-site", str(tmp_path / "other-seat" / "repli.sqlite3"))
    assert merged.returncode == 0, merged.stderr
    assert "3 new" in merged.stdout
    exported = repli(
        data_dir, "export", "--from-site", "--format", "jsonl", "-o", str(tmp_path / "site.jsonl")
    )
    assert exported.returncode == 0, exported.stderr
    assert "3 contacts, 3 revisions" in exported.stdout  # the site's, not this seat's (none)

    window = open_window()
    supervisor = open_supervision(window, qtbot)
    assert supervisor.contacts.model.rowCount() == 0  # this seat has none
    assert supervisor.windowTitle().endswith("ce poste")
    press(qtbot, Qt.Key.Key_B, CTRL | Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: supervisor.windowTitle().endswith("base du site"))
    qtbot.waitUntil(lambda: supervisor.contacts.model.rowCount() == 3)
    seats = {
        supervisor.contacts.model.data(supervisor.contacts.model.index(r, 1)) for r in range(3)
    }
    assert seats == {"B-02"}

    # the exercise for the whole site: set from the supervision on the site database...
    press(qtbot, Qt.Key.Key_4, CTRL)
    tab = supervisor.exercise
    assert tab.apply.text() == "&Appliquer le mode à tous les postes"
    tab.mode.setCurrentIndex(tab.mode.findData("exercise"))
    tab.apply.setFocus()
    press(qtbot, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: window.mode_banner.property("mode") == "exercise")
    assert site_mode(make_engine(site_url)) == "exercise"
    # ... and followed by every seat that delivers there (this window, when it changes)
    set_site_mode(make_engine(site_url), "overflow", "another supervisor")
    assert window.services.site_mode is not None
    window.services.site_mode.check()
    qtbot.waitUntil(lambda: window.mode_banner.property("mode") == "overflow")
    assert 'mode = "overflow"' in (data_dir / "config.toml").read_text()

    # a signed pack published for the whole site from the supervision
    import shutil

    from desktop.tables.signed import sign_pack
    from desktop.tables.signing import write_key_pair
    from desktop.tables.site_packs import site_pointer
    from tests.conftest import DEMO_PACK

    secret, _public = write_key_pair(tmp_path / "keys")
    pack = tmp_path / "signed"
    shutil.copytree(DEMO_PACK, pack)
    sign_pack(pack, secret, serial=50)
    supervisor.files.publish_for_site(pack)
    qtbot.waitUntil(lambda: "publié pour tout le site" in supervisor.status_text)
    pointer = site_pointer(make_engine(site_url))
    assert pointer is not None and pointer["serial"] == 50

    press(qtbot, Qt.Key.Key_1, CTRL)
    supervisor.contacts.view.setFocus()
    press(qtbot, Qt.Key.Key_B, CTRL | Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: not supervisor.contacts.busy)
    assert supervisor.contacts.model.rowCount() == 0
    supervisor.close()
