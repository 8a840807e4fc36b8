"""A running agent window whose client the site retires (its contract ended): the agent is
told in words (a window-modal message, said to screen readers too), Enter closes it and the
window; then the seat's store and key are gone and the erasure is confirmed to the site."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from desktop.contacts import ContactData
from desktop.context import SeatContext
from desktop.failback.retire import confirmations, retire_site
from desktop.paths import DataPaths
from desktop.seat import store_key
from desktop.store.contacts import save_contact
from desktop.store.engine import make_engine
from desktop.store.schema import ensure_schema
from tests.gui.conftest import Opener


def test_the_window_says_so_closes_and_erases_the_client(
    open_window: Opener, qtbot: QtBot, data_dir: Path, site_url: str
) -> None:
    with (data_dir / "config.toml").open("a", encoding="utf-8") as config:
        config.write(
            'seat_id = "A-01"\nclient_name = "Pompes du Sud"\n'
            f'[[sync_targets]]\nname = "site"\nkind = "site"\ndatabase_url = "{site_url}"\n'
        )
    seat = SeatContext.open(str(data_dir))
    save_contact(seat.engine, ContactData(agent="Claire", seat_id="A-01",
                                          caller_name="CanariRetraite"), "Claire")  # fmt: skip
    seat.close()
    paths = DataPaths.resolve(data_dir)
    key_before = store_key.find(paths.database)
    site = make_engine(site_url)
    ensure_schema(site)
    window = open_window()
    try:
        retire_site(site, "", "Pompes du Sud", "admin@site", "", False)
        qtbot.waitUntil(
            lambda: isinstance(QApplication.activeModalWidget(), QMessageBox), timeout=20_000
        )
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        assert "Pompes du Sud" in box.text() and box.accessibleName()
        assert window.retired is not None
        qtbot.keyClick(box, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: not window.isVisible())
        assert not paths.database.exists()
        assert not store_key.store_file(paths.database).exists()
        if key_before is not None and key_before.storage == "file":
            assert not any(store_key.key_dir().glob(f"{key_before.store_id}*"))
        confirmed = confirmations(site)
        assert confirmed["A-01"]["contacts"] == 1
        for path in data_dir.rglob("*"):
            assert not path.is_file() or b"CanariRetraite" not in path.read_bytes()
    finally:
        site.dispose()
