"""Corrections keep every revision; a crash restores the draft; a failed save keeps the form."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from desktop.store import contacts as store
from desktop.ui.main_window import MainWindow
from tests.gui.conftest import Opener, engine_of, focused, history_of, press, type_text
from tests.gui.test_agent_call import saved_contacts
from tests.helpers.store_file import open_store

CTRL = Qt.KeyboardModifier.ControlModifier


def log_one_call(window: MainWindow, qtbot: QtBot, name: str = "M. Petit") -> None:
    press(qtbot, Qt.Key.Key_F2)
    type_text(qtbot, "6881")
    press(qtbot, Qt.Key.Key_Return)
    type_text(qtbot, "0612345678")
    press(qtbot, Qt.Key.Key_Tab)
    type_text(qtbot, name)
    press(qtbot, Qt.Key.Key_S, CTRL)
    qtbot.waitUntil(lambda: not window.page.saving and not window.ops.busy)


def test_correction_from_the_history_is_a_new_revision(window: MainWindow, qtbot: QtBot) -> None:
    log_one_call(window, qtbot)
    press(qtbot, Qt.Key.Key_F, CTRL)
    assert focused() is history_of(window).search
    type_text(qtbot, "Petit")
    qtbot.waitUntil(lambda: history_of(window).model.rowCount() == 1)
    press(qtbot, Qt.Key.Key_Return)  # into the list
    assert focused() is history_of(window).view
    press(qtbot, Qt.Key.Key_Return)  # open the selected contact for correction
    qtbot.waitUntil(lambda: "révision 2" in window.page.banner.text())
    assert window.page.form.caller_name.text() == "M. Petit"
    assert window.page.lookup.chosen is not None
    press(qtbot, Qt.Key.Key_Tab)
    press(qtbot, Qt.Key.Key_Tab)  # -> subject
    type_text(qtbot, "Correction: date des obsèques")
    press(qtbot, Qt.Key.Key_S, CTRL)
    qtbot.waitUntil(lambda: not window.page.saving and not window.ops.busy)
    (contact,) = saved_contacts(window)
    assert contact.revision == 2 and contact.subject == "Correction: date des obsèques"
    revisions = store.revisions(engine_of(window), contact.id)
    assert [(c.revision, c.subject) for c, _who in revisions] == [
        (1, ""),
        (2, "Correction: date des obsèques"),
    ]
    assert "révision 2" in window.status.save_label.text()
    assert history_of(window).model.rowCount() == 1


def test_half_typed_contact_comes_back_after_a_crash(open_window: Opener, qtbot: QtBot) -> None:
    first = open_window()
    type_text(qtbot, "6881")
    press(qtbot, Qt.Key.Key_Return)
    type_text(qtbot, "0612345678")
    press(qtbot, Qt.Key.Key_Tab)
    type_text(qtbot, "Mme Interrompue")
    press(qtbot, Qt.Key.Key_Tab)
    press(qtbot, Qt.Key.Key_Tab)
    type_text(qtbot, "appel coupé")
    qtbot.waitUntil(lambda: "Brouillon" in first.status.draft_label.text(), timeout=3000)
    qtbot.waitUntil(
        lambda: (d := store.load_draft(engine_of(first))) is not None and d.notes == "appel coupé",
        timeout=3000,
    )
    # The PC dies: no close, no flush. A new window opens on the same data and goes
    # straight back to the digits, under the same agent, with the draft.
    first.ops.shutdown()
    second = open_window(sign_in=None)
    page = second.page
    assert second.stack.currentWidget() is page and page.agent == "Claire"
    assert second.sign_in is None  # never shown on a resumed shift, so never built
    assert "Vacation reprise" in second.notice.text()
    assert "restaurée" in page.banner.text()
    assert page.lookup.digits.text() == "6881"
    assert page.lookup.chosen is not None and page.lookup.chosen.number.e164 == "+33199006881"
    assert page.form.caller_name.text() == "Mme Interrompue"
    assert page.form.notes.toPlainText() == "appel coupé"
    assert page.form.caller_number.text() == "06 12 34 56 78"
    press(qtbot, Qt.Key.Key_S, CTRL)
    qtbot.waitUntil(lambda: not page.saving and not second.ops.busy)
    (contact,) = saved_contacts(second)
    assert contact.caller_name == "Mme Interrompue"
    assert store.load_draft(engine_of(second)) is None


def test_closing_the_window_keeps_the_draft(open_window: Opener, qtbot: QtBot) -> None:
    window = open_window()
    press(qtbot, Qt.Key.Key_F3)
    type_text(qtbot, "0699999999")
    window.close()
    draft = store.load_draft(engine_of(window))
    assert draft is not None and draft.caller_number == "+33699999999"


def test_a_failed_save_says_so_and_keeps_everything(
    window: MainWindow, qtbot: QtBot, data_dir: Path
) -> None:
    press(qtbot, Qt.Key.Key_F3)
    type_text(qtbot, "0612345678")
    press(qtbot, Qt.Key.Key_Tab)
    type_text(qtbot, "M. Bloque")
    qtbot.waitUntil(lambda: not window.ops.busy)
    blocker = open_store(data_dir / "repli.sqlite3", isolation_level=None)
    blocker.execute("BEGIN EXCLUSIVE")
    released = threading.Event()
    try:
        press(qtbot, Qt.Key.Key_S, CTRL)
        qtbot.waitUntil(lambda: window.page.form.error.isVisible(), timeout=15000)
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
        released.set()
    assert "NON ENREGISTRÉ" in window.page.form.error.text()
    assert "locked" in window.page.form.error.text()
    assert window.page.form.caller_name.text() == "M. Bloque"
    assert "NON ENREGISTRÉE" in window.status.save_label.text()
    assert saved_contacts(window) == []
    press(qtbot, Qt.Key.Key_S, CTRL)
    qtbot.waitUntil(lambda: bool(saved_contacts(window)))
    assert saved_contacts(window)[0].caller_name == "M. Bloque"


def test_new_call_asks_before_abandoning(
    window: MainWindow, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    press(qtbot, Qt.Key.Key_F3)
    type_text(qtbot, "0612345678")
    answers = [QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes]
    asked: list[str] = []

    def answer(
        _parent: object, _title: str, question: str, *_args: object
    ) -> QMessageBox.StandardButton:
        asked.append(question)
        return answers.pop(0)

    monkeypatch.setattr(QMessageBox, "question", answer)
    press(qtbot, Qt.Key.Key_N, CTRL)
    assert window.page.form.caller_number.text() == "0612345678"
    press(qtbot, Qt.Key.Key_N, CTRL)
    assert window.page.form.caller_number.text() == ""
    assert focused() is window.page.lookup.digits
    assert len(asked) == 2 and "Abandonner" in asked[0]
    qtbot.waitUntil(lambda: not window.ops.busy)
    assert store.load_draft(engine_of(window)) is None


def test_a_real_kill_then_the_real_window_brings_the_draft_back(
    open_window: Opener, qtbot: QtBot, data_dir: Path
) -> None:
    """A process writing drafts and saving is SIGKILLed; the next window shows what it was
    typing (or it was saved): nothing in between is lost."""
    import os
    import signal
    import subprocess
    import sys
    import time

    from desktop.context import SeatContext

    root = Path(__file__).resolve().parents[2]
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.helpers.save_loop", str(data_dir)],
        cwd=root,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    for _ in range(40):
        process.stdout.readline()  # let it save a few contacts first
    time.sleep(0.01)
    os.kill(process.pid, signal.SIGKILL)
    lines = [line for line in process.stdout.read().splitlines() if line.strip()]
    process.wait()
    kind, last = lines[-1].split()
    seat = SeatContext.open(str(data_dir))
    draft = store.load_draft(seat.engine)
    saved = store.get_contact(seat.engine, last)
    seat.close()
    if kind == "draft":  # killed between its draft and its save: one of the two, not both
        assert (draft is not None and draft.id == last) != (saved is not None)
    else:
        assert saved is not None
    window = open_window()
    if draft is not None:
        assert "restaurée" in window.page.banner.text()
        assert window.page.contact.id == draft.id
        assert window.page.form.caller_name.text() == draft.caller_name
