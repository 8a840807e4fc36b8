"""The supervision on the site database: another seat's contacts merged into a real
PostgreSQL with ``repli merge --into-site``, then seen from this seat's supervision
(Ctrl+Shift+B switches between this seat and the site)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from desktop.contacts import ContactData
from desktop.context import SeatContext
from desktop.store import contacts as store
from tests.gui.conftest import Opener, press
from tests.gui.test_supervisor import CTRL, open_supervision


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
    merged = subprocess.run(
        [
            sys.executable,
            "-m",
            "desktop",
            "--data-dir",
            str(data_dir),
            "merge",
            "--into-site",
            str(tmp_path / "other-seat" / "repli.sqlite3"),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ},
    )
    assert merged.returncode == 0, merged.stderr
    assert "3 new" in merged.stdout

    window = open_window()
    supervisor = open_supervision(window, qtbot)
    assert supervisor.contacts.model.rowCount() == 0  # this seat has none
    assert supervisor.windowTitle().endswith("ce poste")
    press(qtbot, Qt.Key.Key_B, CTRL | Qt.KeyboardModifier.ShiftModifier)
    assert supervisor.windowTitle().endswith("base du site")
    assert supervisor.contacts.model.rowCount() == 3
    seats = {
        supervisor.contacts.model.data(supervisor.contacts.model.index(r, 1)) for r in range(3)
    }
    assert seats == {"B-02"}
    supervisor.contacts.view.setFocus()
    press(qtbot, Qt.Key.Key_B, CTRL | Qt.KeyboardModifier.ShiftModifier)
    assert supervisor.contacts.model.rowCount() == 0
    supervisor.close()
