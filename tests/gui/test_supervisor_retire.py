"""Retiring the client from the supervision, by keyboard, on a real site PostgreSQL: a name
typed wrong retires nothing; a contact not delivered yet stops the retirement and says so;
forced with a reason, the site store is emptied and marked, the signed certificate written,
the outcome said; and the agent window's own seat then sees the mark and erases."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QInputDialog, QLineEdit, QMessageBox
from pytestqt.qtbot import QtBot
from sqlalchemy import text

from desktop.contacts import ContactData
from desktop.context import SeatContext
from desktop.failback.retire import mark
from desktop.store.contacts import save_contact
from desktop.store.engine import make_engine
from desktop.sync.worker import run_once
from desktop.tables.signing import public_key, verify, write_key_pair
from tests.gui.conftest import Opener
from tests.gui.test_supervisor import open_supervision, when_modal


def type_into(qtbot: QtBot, words: str) -> Callable[[object], None]:
    def act(dialog: object) -> None:
        assert isinstance(dialog, QInputDialog)
        line = dialog.findChild(QLineEdit)
        assert line is not None
        line.setFocus()
        qtbot.keyClicks(line, words)
        qtbot.keyClick(line, Qt.Key.Key_Return)

    return act


def test_the_client_retired_from_the_supervision(
    with_pin: None, open_window: Opener, qtbot: QtBot, data_dir: Path, site_url: str,
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    secret, public = write_key_pair(tmp_path / "keys", "repli-site")
    with (data_dir / "config.toml").open("a", encoding="utf-8") as config:
        config.write(
            f'seat_id = "A-01"\nclient_name = "Pompes du Sud"\nreport_signing_key = "{secret}"\n'
            f'[[sync_targets]]\nname = "site"\nkind = "site"\ndatabase_url = "{site_url}"\n'
        )
    seat = SeatContext.open(str(data_dir))
    for i in range(2):
        save_contact(seat.engine, ContactData(agent="Claire", seat_id="A-01",
                                              caller_name=f"Appelant {i}"), "Claire")  # fmt: skip
    run_once(seat.engine, seat.settings)
    seat.close()
    certificate = tmp_path / "certificat.json"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_a: (str(certificate), ""))
    window = open_window()
    window.services.sync.stop()  # the contact saved now stays undelivered until the retirement
    seat = SeatContext.open(str(data_dir))
    save_contact(seat.engine, ContactData(agent="Claire", seat_id="A-01",
                                          caller_name="Pas encore livré"), "Claire")  # fmt: skip
    seat.close()
    supervision = open_supervision(window, qtbot)
    site = make_engine(site_url)
    try:
        when_modal(qtbot, QInputDialog, type_into(qtbot, "Pompes du Nord"))
        supervision.actions_by_key["retire"].trigger()
        qtbot.waitUntil(lambda: "Pompes du Nord" not in supervision.status_text
                        and supervision.status_text != "")  # fmt: skip
        assert mark(site) is None and not certificate.exists()

        answers: list[str] = []

        def refuse_then_force(dialog: object) -> None:
            assert isinstance(dialog, QMessageBox)
            answers.append(dialog.text())
            when_modal(qtbot, QInputDialog, type_into(qtbot, "fin de contrat, ecart accepte"))
            button = dialog.button(QMessageBox.StandardButton.Yes)
            button.setFocus()
            qtbot.keyClick(button, Qt.Key.Key_Space)

        when_modal(qtbot, QInputDialog, type_into(qtbot, "Pompes du Sud"))
        when_modal(qtbot, QMessageBox, refuse_then_force)
        supervision.actions_by_key["retire"].trigger()
        qtbot.waitUntil(lambda: certificate.exists(), timeout=30_000)
        assert answers and "ce PC a 1 révision(s) non livrée(s)" in answers[0]  # in French
        qtbot.waitUntil(lambda: str(certificate) in supervision.status_text, timeout=10_000)
        made = json.loads(certificate.read_text())
        assert made["forced"] and made["reason"] == "fin de contrat, ecart accepte"
        assert made["site_store"]["contacts"] == 2
        signature = certificate.with_name(certificate.name + ".minisig").read_text()
        verify(certificate.read_bytes(), signature, [public_key(public.read_text())])
        found = mark(site)
        assert found is not None and found["client_name"] == "Pompes du Sud"
        with site.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM contacts")).scalar() == 0
    finally:
        site.dispose()
        supervision.close()
