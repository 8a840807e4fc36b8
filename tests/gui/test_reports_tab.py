"""The supervision's Rapports tab (Ctrl+6) on a real site PostgreSQL and a real HTTP CRM that
lost a contact: the failback report written from the window (JSON signed, PDF beside it), its
verdict said in words; with "queue again" ticked by keyboard, what the CRM lacks goes back in
the outbox, and the next report is clean."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from desktop.contacts import ContactData
from desktop.context import SeatContext
from desktop.store.contacts import save_contact
from desktop.sync.worker import run_once
from desktop.tables.signing import public_key, verify, write_key_pair
from desktop.ui.supervisor.reports import ReportsTab, summary
from tests.gui.conftest import Opener, press
from tests.gui.test_supervisor import CTRL, open_supervision
from tests.helpers.crm_receiver import CrmReceiver


def test_the_failback_report_from_the_supervision(
    with_pin: None, open_window: Opener, qtbot: QtBot, data_dir: Path, site_url: str, tmp_path: Path
) -> None:
    secret, public = write_key_pair(tmp_path / "keys", "repli-site")
    with CrmReceiver() as crm:
        with (data_dir / "config.toml").open("a", encoding="utf-8") as config:
            config.write(
                f'seat_id = "A-01"\nreport_signing_key = "{secret}"\n'
                f'[[sync_targets]]\nname = "crm"\nkind = "http"\nurl = "{crm.url}"\n'
                f'token = "{crm.token}"\n'
                f'[[sync_targets]]\nname = "site"\nkind = "site"\ndatabase_url = "{site_url}"\n'
            )
        seat = SeatContext.open(str(data_dir))
        for i in range(3):
            save_contact(seat.engine, ContactData(agent="Claire", seat_id="A-01",
                                                  caller_name=f"Appelant {i}"), "Claire")  # fmt: skip
        run_once(seat.engine, seat.settings)
        seat.close()
        assert len(crm.stored) == 3
        lost = sorted(crm.stored)[0]
        del crm.stored[lost]

        window = open_window()
        supervision = open_supervision(window, qtbot)
        press(qtbot, Qt.Key.Key_6, CTRL)
        tab = supervision.tabs.currentWidget()
        assert isinstance(tab, ReportsTab) and tab.failback_pdf.text()
        out = tmp_path / "retour.pdf"
        tab.write("failback", out)
        qtbot.waitUntil(lambda: tab.last is not None, timeout=30_000)
        assert tab.last is not None and tab.last["verdict"] == "differences"
        missing = [(d["contact_id"], d["revision"]) for d in tab.last["differences"]]
        assert missing == [lost]
        assert tab.outcome.text() == summary(tab.last) == supervision.status_text
        assert out.read_bytes().startswith(b"%PDF")
        signed = out.with_suffix(".json")
        signature = signed.with_name(signed.name + ".minisig").read_text()
        verify(signed.read_bytes(), signature, [public_key(public.read_text())])
        assert json.loads(signed.read_text())["verdict"] == "differences"

        tab.resend.setFocus()
        qtbot.keyClick(tab.resend, Qt.Key.Key_Space)
        assert tab.resend.isChecked()
        tab.last = None
        tab.write("failback", tmp_path / "retour2.json")
        qtbot.waitUntil(lambda: tab.last is not None, timeout=30_000)
        assert "1" in tab.outcome.text()  # queued again here
        seat = SeatContext.open(str(data_dir))
        run_once(seat.engine, seat.settings)
        seat.close()
        assert lost in crm.stored
        tab.resend.setChecked(False)
        tab.last = None
        tab.write("failback", tmp_path / "retour3.json")
        qtbot.waitUntil(lambda: tab.last is not None, timeout=30_000)
        assert last_report(tab)["verdict"] == "clean", last_report(tab)["differences"]
        supervision.close()


def last_report(tab: ReportsTab) -> dict[str, Any]:
    assert tab.last is not None
    return tab.last
