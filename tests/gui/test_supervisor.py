"""The supervisor view, driven with the keyboard: the PIN (wrong, then right), the contacts
with their revisions, a correction, a callback marked done, the dashboard, exports, and the
switch to exercise mode that the agent window shows at once."""

from __future__ import annotations

import csv
import html
import os
import re
import stat
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtCharts import QBarCategoryAxis
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox
from pytestqt.qtbot import QtBot

from desktop.contacts import ContactData, utc_now
from desktop.store import contacts as store
from desktop.supervisor.dashboard import HANDLING_BUCKETS
from desktop.ui.main_window import MainWindow
from desktop.ui.supervisor.file_actions import ExportDialog
from desktop.ui.supervisor.pin_dialog import PinDialog
from desktop.ui.supervisor.window import SupervisorWindow
from desktop.ui.texts import outcome_label
from tests.gui.conftest import PIN, Opener, focused, press, type_text, unnamed_stops

pytestmark = (
    pytest.mark.dates
)  # the periods, today's contacts, the tables' age: run on other dates too (dev.py)

CTRL = Qt.KeyboardModifier.ControlModifier


def when_modal(qtbot: QtBot, kind: type, act: Callable[[object], None]) -> None:
    """Run ``act`` on the next modal dialog of ``kind`` once it is shown."""

    def run() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, kind) or QApplication.activeWindow() is not dialog:
            if isinstance(dialog, kind) and dialog is not None:
                dialog.activateWindow()  # what the window manager does for a new dialog
            QTimer.singleShot(20, run)
            return
        try:
            act(dialog)
        finally:  # a failed check must not leave the test blocked in the dialog
            if isinstance(dialog, QDialog) and dialog.isVisible():
                dialog.reject()

    QTimer.singleShot(0, run)


def open_supervision(window: MainWindow, qtbot: QtBot) -> SupervisorWindow:
    def enter_pins(dialog: object) -> None:
        assert isinstance(dialog, PinDialog)
        assert focused() is dialog.pin
        qtbot.keyClicks(dialog.pin, "000000")
        qtbot.keyClick(dialog.pin, Qt.Key.Key_Return)
        assert not dialog.pin.isEnabled()  # checked off the GUI thread meanwhile
        qtbot.waitUntil(lambda: dialog.hint.text() == "Code erroné." and dialog.pin.isEnabled())
        assert dialog.isVisible()
        qtbot.keyClicks(dialog.pin, PIN)
        qtbot.keyClick(dialog.pin, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: not dialog.isVisible())  # accepted once checked

    when_modal(qtbot, PinDialog, enter_pins)
    press(qtbot, Qt.Key.Key_S, CTRL | Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: window.supervision.window is not None)
    supervisor = window.supervision.window
    assert isinstance(supervisor, SupervisorWindow)  # closed (and deleted) by each test
    qtbot.waitExposed(supervisor)
    supervisor.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is supervisor)
    settled(supervisor, qtbot)
    return supervisor


def settled(supervisor: SupervisorWindow, qtbot: QtBot) -> None:
    """The lists have read their rows (they do it on their own threads)."""
    qtbot.waitUntil(lambda: not supervisor.contacts.busy and not supervisor.callbacks.busy)


def seed(window: MainWindow) -> dict[str, ContactData]:
    assert window.seat is not None
    engine = window.seat.engine
    made = {}
    for name, outcome, callback in (
        ("Mme Durand", "message", None),
        ("M. Martin", "callback", utc_now() - timedelta(hours=1)),
        ("Mme Petit", "information", None),
    ):
        contact = ContactData(
            seat_id="seat-1",
            agent="Claire",
            caller_name=name,
            subject=f"Objet {name}",
            outcome=outcome,
            callback_at=callback,
            branch_id="AG00001",
            branch_name="Paris Centre",
        )
        made[name] = store.save_contact(engine, contact, "Claire").contact
    return made


def test_no_pin_no_supervision(
    window: MainWindow, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    said: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda _p, _t, text: said.append(text))
    press(qtbot, Qt.Key.Key_S, CTRL | Qt.KeyboardModifier.ShiftModifier)
    assert said and "repli supervisor set-pin" in said[0]
    assert window.supervision.window is None


def test_a_supervisor_reviews_corrects_and_closes_callbacks(
    with_pin: None, open_window: Opener, qtbot: QtBot, tmp_path: Path
) -> None:
    window = open_window()
    made = seed(window)
    supervisor = open_supervision(window, qtbot)
    contacts = supervisor.contacts
    assert contacts.model.rowCount() == 3
    assert contacts.count.text() == "3 fiche(s)"
    assert (
        contacts.model.headerData(0, Qt.Orientation.Horizontal, Qt.ItemDataRole.DisplayRole)
        == "Date"
    )

    # free-text search, from the keyboard
    contacts.search.setFocus()
    type_text(qtbot, "Martin")
    qtbot.waitUntil(lambda: contacts.model.rowCount() == 1)
    qtbot.waitUntil(lambda: "M. Martin" in contacts.details.history.toPlainText())
    assert "Révision 1" in contacts.details.history.toPlainText()

    # a correction is a new revision, by the supervisor, with what changed
    contacts.details.subject.setFocus()
    contacts.details.subject.selectAll()
    type_text(qtbot, "Rappel urgent demandé")
    press(qtbot, Qt.Key.Key_S, CTRL)
    assert window.seat is not None
    engine = window.seat.engine
    qtbot.waitUntil(lambda: contacts.details.message.text() == "Enregistré comme révision 2.")
    corrected = store.get_contact(engine, made["M. Martin"].id)
    assert corrected is not None and corrected.revision == 2
    assert corrected.subject == "Rappel urgent demandé"
    revisions = store.revisions(window.seat.engine, corrected.id)
    assert revisions[-1][1] == "supervisor@seat-1"
    qtbot.waitUntil(lambda: "subject" in contacts.details.history.toPlainText())

    # the callbacks list: the overdue one first; Ctrl+D marks it done (a revision)
    press(qtbot, Qt.Key.Key_2, CTRL)
    callbacks = supervisor.callbacks
    assert supervisor.tabs.currentWidget() is callbacks
    qtbot.waitUntil(lambda: callbacks.model.rowCount() == 1)
    settled(supervisor, qtbot)
    assert callbacks.model.data(callbacks.model.index(0, 9)).startswith("retard ")
    press(qtbot, Qt.Key.Key_D, CTRL)
    qtbot.waitUntil(lambda: callbacks.model.rowCount() == 0)  # done: out of the pending list
    done = store.get_contact(engine, made["M. Martin"].id)
    assert done is not None and done.revision == 3 and done.callback_done_at is not None

    # the dashboard draws its charts from the same contacts
    press(qtbot, Qt.Key.Key_3, CTRL)
    contacts.search.clear()
    qtbot.waitUntil(
        lambda: supervisor.dashboard.figures is not None and supervisor.dashboard.figures.total == 3
    )
    chart = supervisor.dashboard.views["outcomes"].chart()
    assert chart is not None and chart.series()
    # a long outcome's name beside its bar on two lines, whole (on one it was cut to "…")
    (names,) = [a for a in chart.axes() if isinstance(a, QBarCategoryAxis)]
    assert "Message pour<br>l'agence" in [html.unescape(n) for n in names.categories()]
    # each label drawn whole: Qt reads a chart's labels as HTML, so "<30 s" must be escaped
    handling = supervisor.dashboard.views["handling"].chart()
    (axis,) = [a for a in handling.axes() if isinstance(a, QBarCategoryAxis)]
    assert [html.unescape(label) for label in axis.categories()] == [
        label for _limit, label in HANDLING_BUCKETS
    ]
    assert not any(label.startswith("<") for label in axis.categories())
    png = tmp_path / "dashboard.png"
    supervisor.files.write_dashboard(png)  # taken here, written on the supervision's ops
    qtbot.waitUntil(lambda: "dashboard.png" in supervisor.status_text)
    assert png.stat().st_size > 1000 and png.read_bytes().startswith(b"\x89PNG")
    supervisor.files.write_dashboard(Path("/dev/null"))  # written through, never replaced
    qtbot.waitUntil(lambda: "/dev/null" in supervisor.status_text)
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)
    # each chart's text equivalent: its title and its figures, for a screen reader
    outcomes = supervisor.dashboard.views["outcomes"]
    assert outcomes.accessibleName() == "Issues"
    found = supervisor.dashboard.figures
    assert found is not None and found.outcomes
    said = outcomes.accessibleDescription()
    assert all(f"{outcome_label(k)} : {n}" in said for k, n in found.outcomes)
    assert all(view.accessibleName() for view in supervisor.dashboard.views.values())

    # export what is shown, from the dialog, with the keyboard
    out = tmp_path / "export.csv"

    def fill_export(dialog: object) -> None:
        assert isinstance(dialog, ExportDialog)
        dialog.format.setCurrentIndex(1)  # Excel (France)
        dialog.path.setFocus()
        dialog.path.setText(str(out))
        qtbot.keyClick(dialog.path, Qt.Key.Key_Return)

    when_modal(qtbot, ExportDialog, fill_export)
    press(qtbot, Qt.Key.Key_E, CTRL)
    qtbot.waitUntil(lambda: out.exists())
    rows = list(csv.reader(out.read_text(encoding="utf-8-sig").splitlines(), delimiter=";"))
    assert len(rows) == 4 and rows[0][0] == "Identifiant"
    qtbot.waitUntil(lambda: supervisor.status_text.startswith("3 fiches exportées dans"))

    supervisor.files.write_branch_sheets(tmp_path / "sheets")
    qtbot.waitUntil(lambda: supervisor.status_text.startswith("1 fiches agences écrites"))
    assert [p.name for p in (tmp_path / "sheets").iterdir()] == ["AG00001.pdf"]
    supervisor.activateWindow()  # the window manager's part, after a dialog
    qtbot.waitUntil(lambda: QApplication.activeWindow() is supervisor)
    press(qtbot, Qt.Key.Key_W, CTRL)
    qtbot.waitUntil(lambda: window.supervision.window is None)


def banner_colour(window: MainWindow) -> str:
    """The colour the mode banner is painted in, read from the pixels at its corner."""
    return str(window.mode_banner.grab().toImage().pixelColor(2, 2).name())


def test_exercise_mode_from_the_supervisor_shows_in_the_agent_window(
    with_pin: None, open_window: Opener, qtbot: QtBot, tmp_path: Path
) -> None:
    window = open_window()
    assert window.mode_banner.property("mode") == "disaster"
    # the sheet's colour of the mode the window opened in (its property set before it was
    # first polished), then of the new mode once applied (repolished: desktop.ui.widgets)
    assert banner_colour(window) == "#b3261e"
    supervisor = open_supervision(window, qtbot)
    press(qtbot, Qt.Key.Key_4, CTRL)
    tab = supervisor.exercise
    tab.mode.setFocus()
    tab.mode.setCurrentIndex(tab.mode.findData("exercise"))
    tab.apply.setFocus()
    press(qtbot, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: window.mode_banner.property("mode") == "exercise")
    assert "EXERCICE" in window.mode_banner.text()
    assert banner_colour(window) == "#f2c200"
    assert supervisor.status_text == "Mode appliqué."
    assert 'mode = "exercise"' in (window.paths.config_file).read_text()
    # the agent's next contact is an exercise contact, and the report counts it
    supervisor.close()
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    window.page.focus_digits()
    type_text(qtbot, "6881")
    press(qtbot, Qt.Key.Key_Return)
    type_text(qtbot, "0612345678")
    press(qtbot, Qt.Key.Key_F5)
    press(qtbot, Qt.Key.Key_S, CTRL)
    qtbot.waitUntil(lambda: not window.ops.busy)
    assert window.seat is not None
    from desktop.supervisor.exercise_report import report

    (seat,) = report(window.seat.engine)
    assert seat.seat_id == "seat-1" and seat.contacts == 1
    assert seat.time_to_first_contact_s is not None and seat.time_to_first_contact_s > 0

    # the report, in the window, as PDF and as XLSX
    from openpyxl import load_workbook
    from pypdf import PdfReader

    from desktop.ui.supervisor.exercise import ExerciseTab

    tab = ExerciseTab(window.seat.engine, "exercise", lambda _mode: None)
    qtbot.addWidget(tab)
    qtbot.waitUntil(lambda: tab.table.rowCount() == 1)
    seat_cell, tables_cell = tab.table.item(0, 0), tab.table.item(0, 7)
    assert seat_cell is not None and tables_cell is not None
    assert tab.table.rowCount() == 1 and seat_cell.text() == "seat-1"
    assert re.fullmatch(r"Réseau démo 2026\.11-demo \(\d+ j\)", tables_cell.text())
    with qtbot.waitSignal(tab.written):
        tab.write_pdf(tmp_path / "report.pdf")
    text = " ".join(page.extract_text() for page in PdfReader(tmp_path / "report.pdf").pages)
    assert "Rapport d’exercice de bascule" in " ".join(text.split()) and "seat-1" in text
    with qtbot.waitSignal(tab.written):
        tab.write_xlsx(tmp_path / "report.xlsx")
    tab.stop()
    sheet = load_workbook(tmp_path / "report.xlsx").active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Poste" and rows[1][0] == "seat-1" and rows[1][2] == 1
    # a whole number of days reads back from the XLSX as an int: either is a number of days
    assert rows[0][8] == "Âge des tables (jours)" and isinstance(rows[1][8], int | float)
    assert 0 <= rows[1][8] < 100_000


def test_wrong_pins_lock_the_dialog(with_pin: None, window: MainWindow, qtbot: QtBot) -> None:
    from desktop.supervisor.pin import FREE_ATTEMPTS, PinGate

    gate = PinGate(window.settings.supervisor_pin_hash, window.paths.supervisor_lock)
    dialog = PinDialog(gate, window)
    qtbot.addWidget(dialog)
    dialog.show()
    for attempt in range(FREE_ATTEMPTS):
        qtbot.keyClicks(dialog.pin, "111112")
        qtbot.keyClick(dialog.pin, Qt.Key.Key_Return)
        if attempt < FREE_ATTEMPTS - 1:
            qtbot.waitUntil(lambda: not dialog.checking and dialog.pin.isEnabled())
    qtbot.waitUntil(lambda: "patientez" in dialog.hint.text())
    assert not dialog.pin.isEnabled()
    assert dialog.result() != QDialog.DialogCode.Accepted


def test_a_supervisor_erases_a_caller_on_request(
    with_pin: None, open_window: Opener, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = open_window()
    made = seed(window)
    assert window.seat is not None
    store.save_contact(
        window.seat.engine,
        ContactData(seat_id="seat-1", agent="Claire", caller_name="Mme Durand", outcome="message"),
        "Claire",
    )
    supervisor = open_supervision(window, qtbot)
    contacts = supervisor.contacts
    contacts.search.setText("Durand")
    contacts.apply_filter()
    qtbot.waitUntil(lambda: contacts.model.rowCount() == 2)
    asked: list[str] = []

    def confirm(_parent: object, _title: str, text: str, *_a: object) -> QMessageBox.StandardButton:
        asked.append(text)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", confirm)
    row = next(
        r
        for r in range(2)
        if contacts.model.data(contacts.model.index(r, 0), contacts.model.IdRole)
        == made["Mme Durand"].id
    )
    contacts.view.setCurrentIndex(contacts.model.index(row, 0))
    contacts.view.setFocus()
    press(qtbot, Qt.Key.Key_Delete, CTRL | Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: bool(asked))  # counted off the GUI thread, then asked
    assert "de Mme Durand (2 fiches)" in asked[0]  # no number: by name, both
    qtbot.waitUntil(lambda: supervisor.status_text == "2 fiches effacées")
    erased = store.get_contact(window.seat.engine, made["Mme Durand"].id)
    assert erased is not None and erased.erased_at is not None and erased.caller_name == ""
    qtbot.waitUntil(lambda: contacts.model.rowCount() == 0)  # nothing of her is found any more
    supervisor.close()


def test_a_custom_period(with_pin: None, open_window: Opener, qtbot: QtBot) -> None:
    from PySide6.QtCore import QDateTime

    window = open_window()
    seed(window)
    supervisor = open_supervision(window, qtbot)
    contacts = supervisor.contacts
    contacts.period.setFocus()
    contacts.period.setCurrentIndex(contacts.period.findData(-2))
    assert contacts.since.isEnabled() and contacts.until.isEnabled()
    now = QDateTime.currentDateTime()
    contacts.since.setDateTime(now.addSecs(-3600))
    contacts.until.setDateTime(now.addSecs(3600))
    qtbot.waitUntil(lambda: contacts.model.rowCount() == 3)
    contacts.until.setDateTime(now.addSecs(-1800))
    qtbot.waitUntil(lambda: contacts.model.rowCount() == 0)
    contacts.period.setCurrentIndex(0)  # today
    assert not contacts.since.isEnabled()
    qtbot.waitUntil(lambda: contacts.model.rowCount() == 3)
    supervisor.close()


def test_every_tab_of_the_supervision_names_what_it_holds(
    with_pin: None, window: MainWindow, qtbot: QtBot
) -> None:
    """Each tab's fields, lists, tables and charts named for a screen reader (a chart by its
    title, its figures as its description)."""
    assert unnamed_stops(window) == []
    supervisor = open_supervision(window, qtbot)
    try:
        tabs = supervisor.tabs
        missing = {}
        for index in range(tabs.count()):
            tabs.setCurrentIndex(index)
            page = tabs.currentWidget()
            qtbot.waitUntil(page.isVisible)
            missing[tabs.tabText(index)] = unnamed_stops(page)
        assert missing == {name: [] for name in missing}
    finally:
        supervisor.close()


def test_the_exercise_report_written_or_not_is_said(
    with_pin: None, window: MainWindow, qtbot: QtBot, tmp_path: Path
) -> None:
    """The report's ``written`` and ``failed`` reached no one: a report that could not be
    saved told the supervisor nothing."""
    supervisor = open_supervision(window, qtbot)
    said: list[str] = []
    supervisor.announcer.said.connect(lambda text, _assertive: said.append(text))
    try:
        tab = supervisor.exercise
        with qtbot.waitSignal(tab.failed):
            tab.write_xlsx(tmp_path / "no such folder" / "report.xlsx")
        assert supervisor.status_text.startswith("Le rapport n'a pas été enregistré : ")
        with qtbot.waitSignal(tab.written):
            tab.write_xlsx(tmp_path / "report.xlsx")
        assert supervisor.status_text == f"Rapport enregistré : {tmp_path / 'report.xlsx'}"
        qtbot.waitUntil(lambda: any("Rapport enregistré" in text for text in said))
    finally:
        supervisor.close()
