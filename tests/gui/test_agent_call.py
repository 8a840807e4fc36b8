"""An agent logs calls with the keyboard alone, in the real window."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import text

from desktop.contacts import ContactData
from desktop.store import contacts as store
from desktop.ui.main_window import MainWindow
from tests.gui.conftest import Opener, engine_of, focused, history_of, press, type_text

pytestmark = (
    pytest.mark.dates
)  # today's history and the tables' age: run on other dates too (dev.py)

CTRL = Qt.KeyboardModifier.ControlModifier


def branch_for_suffix(window: MainWindow, suffix: str) -> str:
    index = window.page.index
    assert index is not None
    match = index.search(suffix).unique
    assert match is not None and match.branch is not None
    return match.branch.name


def shared_suffix(window: MainWindow) -> str:
    index = window.page.index
    assert index is not None
    counts = Counter(n[-4:] for n in index.dialling_numbers())
    return next(s for s, n in counts.items() if n == 2)


def saved_contacts(window: MainWindow) -> list[ContactData]:
    with engine_of(window).connect() as conn:
        ids = [r[0] for r in conn.execute(text("SELECT id FROM contacts ORDER BY created_at"))]
    return [c for i in ids if (c := store.get_contact(engine_of(window), i)) is not None]


def test_starts_in_french_on_the_sign_in_then_the_digits(open_window: Opener, qtbot: QtBot) -> None:
    window = open_window(sign_in=None)
    assert window.objectName() == "mainWindow"
    assert window.sign_in is not None
    assert focused() is window.sign_in.agent
    assert "SECOURS" in window.mode_banner.text()
    assert "DÉMONSTRATION" in window.notice.text()
    press(qtbot, Qt.Key.Key_Return)
    assert "obligatoire" in window.sign_in.hint.text()
    type_text(qtbot, "Claire")
    press(qtbot, Qt.Key.Key_Return)
    assert focused() is window.page.lookup.digits
    assert window.page.lookup.digits.objectName() == "digitsInput"
    assert window.page.lookup.digits.accessibleName() == "Chiffres du numéro composé"


def test_four_digits_show_the_branch_big(window: MainWindow, qtbot: QtBot) -> None:
    suffix = "6881"
    type_text(qtbot, suffix)
    lookup = window.page.lookup
    assert lookup.model.rowCount() == 1
    assert lookup.card.name.text() == branch_for_suffix(window, suffix)
    assert lookup.card.name.objectName() == "branchName"
    assert "maintenant" in lookup.card.hours.text()
    assert "01 99 00 68 81" in lookup.card.number.text()


def test_candidates_update_on_every_keystroke(window: MainWindow, qtbot: QtBot) -> None:
    lookup = window.page.lookup
    assert lookup.index is not None
    numbers = lookup.index.dialling_numbers()
    typed = ""
    for digit in "6881":
        type_text(qtbot, digit)
        typed += digit
        expected = sum(1 for n in numbers if n.endswith(typed))
        assert lookup.result is not None and lookup.result.count == expected
        assert lookup.model.rowCount() == min(expected, 50)
    assert lookup.result is not None and lookup.result.count == 1
    press(qtbot, Qt.Key.Key_Backspace)
    assert lookup.result is not None and lookup.result.count == sum(
        1 for n in numbers if n.endswith("688")
    )
    assert lookup.chosen is None


def test_shared_suffix_lists_all_and_arrows_pick(window: MainWindow, qtbot: QtBot) -> None:
    suffix = shared_suffix(window)
    type_text(qtbot, suffix)
    lookup = window.page.lookup
    assert lookup.model.rowCount() == 2
    assert lookup.chosen is None
    assert lookup.card.name.text() == "Aucune agence sélectionnée"
    assert "chiffre" in lookup.count.text()  # "encore N chiffre(s) pour la rendre unique"
    press(qtbot, Qt.Key.Key_Down)
    press(qtbot, Qt.Key.Key_Down)
    second = lookup.model.match_at(1)
    assert lookup.chosen is second and second is not None and second.branch is not None
    assert lookup.card.name.text() == second.branch.name
    press(qtbot, Qt.Key.Key_Return)
    assert focused() is window.page.form.caller_number


def test_a_whole_call_with_the_keyboard_alone(window: MainWindow, qtbot: QtBot) -> None:
    type_text(qtbot, "6881")
    press(qtbot, Qt.Key.Key_Return)
    type_text(qtbot, "06 12 34 56 78")
    assert "Transports Funéraires Martin" in window.page.form.caller_info.text()
    press(qtbot, Qt.Key.Key_Tab)
    type_text(qtbot, "Mme Durand")
    press(qtbot, Qt.Key.Key_Tab)
    type_text(qtbot, "Décès de M. Durand")
    press(qtbot, Qt.Key.Key_Tab)
    type_text(qtbot, "Souhaite un rendez-vous demain.")
    press(qtbot, Qt.Key.Key_F6)  # call type hotkey from the pack: RAP
    assert window.page.form.call_type.currentData() == "RAP"
    assert "prestataire" in window.page.lookup.card.procedure.text()
    press(qtbot, Qt.Key.Key_Tab)  # notes -> outcome
    assert focused() is window.page.form.outcome
    press(qtbot, Qt.Key.Key_Down)  # information -> message for the branch
    press(qtbot, Qt.Key.Key_U, CTRL)
    press(qtbot, Qt.Key.Key_S, CTRL)
    qtbot.waitUntil(lambda: bool(saved_contacts(window)))
    qtbot.waitUntil(lambda: not window.ops.busy)
    (contact,) = saved_contacts(window)
    assert contact.revision == 1
    assert contact.agent == "Claire" and contact.seat_id == "seat-1" and contact.mode == "disaster"
    assert contact.digits_typed == "6881" and contact.matched_number == "+33199006881"
    assert contact.branch_id == "AG00001" and contact.branch_name == branch_for_suffix(
        window, "6881"
    )
    assert contact.caller_number == "+33612345678" and contact.caller_number_valid
    assert contact.caller_name == "Mme Durand" and contact.subject == "Décès de M. Durand"
    assert contact.notes == "Souhaite un rendez-vous demain."
    assert contact.call_type == "RAP" and contact.outcome == "message" and contact.urgent
    assert contact.found_by == "typed" and contact.tables_version == "Réseau démo 2026.11-demo"
    assert contact.call_started_at and contact.call_ended_at and contact.created_at
    assert contact.call_started_at <= contact.call_ended_at <= contact.created_at
    assert "Enregistrée à" in window.status.save_label.text()
    # A new call is ready: empty form, focus on the digits, the call in today's list.
    assert focused() is window.page.lookup.digits
    assert window.page.lookup.digits.text() == "" and window.page.form.caller_name.text() == ""
    assert window.page.history is not None
    history = history_of(window).model
    assert history.rowCount() == 1
    assert history.data(history.index(0, 4)) == "Mme Durand"
    assert store.load_draft(engine_of(window)) is None


def test_invalid_caller_number_is_flagged_and_kept_as_typed(
    window: MainWindow, qtbot: QtBot
) -> None:
    press(qtbot, Qt.Key.Key_F3)
    type_text(qtbot, "12345")
    assert "non valide" in window.page.form.caller_info.text()
    press(qtbot, Qt.Key.Key_S, CTRL)
    qtbot.waitUntil(lambda: bool(saved_contacts(window)))
    (contact,) = saved_contacts(window)
    assert contact.caller_number == "12345" and not contact.caller_number_valid


def test_callback_outcome_gets_a_time(window: MainWindow, qtbot: QtBot) -> None:
    press(qtbot, Qt.Key.Key_F3)
    type_text(qtbot, "0612345678")
    window.page.form.outcome.setFocus()
    press(qtbot, Qt.Key.Key_End)  # "other"
    press(qtbot, Qt.Key.Key_Up)
    press(qtbot, Qt.Key.Key_Up)  # "callback requested"
    assert window.page.form.outcome.currentData() == "callback"
    assert window.page.form.callback_at.isEnabled()
    press(qtbot, Qt.Key.Key_Return, CTRL)
    qtbot.waitUntil(lambda: bool(saved_contacts(window)))
    (contact,) = saved_contacts(window)
    assert contact.outcome == "callback" and contact.callback_at is not None
    assert contact.created_at is not None and contact.callback_at > contact.created_at


def test_earlier_contacts_of_the_caller_are_shown(window: MainWindow, qtbot: QtBot) -> None:
    for _ in range(2):
        press(qtbot, Qt.Key.Key_F3)
        type_text(qtbot, "0699887766")
        press(qtbot, Qt.Key.Key_S, CTRL)
        qtbot.waitUntil(lambda: not window.ops.busy and not window.page.saving)
    press(qtbot, Qt.Key.Key_F3)
    type_text(qtbot, "06 99 88 77 66")  # read after a pause, off the GUI thread
    qtbot.waitUntil(lambda: "2 contacts précédents" in window.page.form.caller_info.text())


def test_exercise_mode_is_shown_and_recorded(
    open_window: Opener, qtbot: QtBot, data_dir: object
) -> None:
    from pathlib import Path

    root = Path(str(data_dir))
    root.mkdir(parents=True, exist_ok=True)
    with (root / "config.toml").open("a") as config:
        config.write('mode = "exercise"\nseat_id = "B-07"\nsite = "Lyon secours"\n')
    window = open_window()
    assert window.mode_banner.text().startswith("EXERCICE")
    assert window.mode_banner.property("mode") == "exercise"
    press(qtbot, Qt.Key.Key_F3)
    type_text(qtbot, "0612345678")
    press(qtbot, Qt.Key.Key_S, CTRL)
    qtbot.waitUntil(lambda: bool(saved_contacts(window)))
    (contact,) = saved_contacts(window)
    assert (contact.mode, contact.seat_id, contact.site) == ("exercise", "B-07", "Lyon secours")


def test_english_on_request(open_window: Opener) -> None:
    window = open_window("--lang", "en")
    assert window.page.form.save_button.text() == "Save (Ctrl+S)"
    assert window.mode_banner.text().startswith("DISASTER BACKUP")
    assert window.page.lookup.card.name.text() == "No branch selected"


def test_the_demo_tables_are_always_announced(
    open_window: Opener, qtbot: QtBot, tmp_path: object
) -> None:
    first = open_window()
    assert "DÉMONSTRATION" in first.notice.text()
    first.close()
    again = open_window()  # the fast path: the pack is already active
    assert again.notice.isVisible() and "DÉMONSTRATION" in again.notice.text()
    from pathlib import Path

    from desktop.tables.importer import import_tables
    from tests.helpers.packs import write_pack

    assert again.seat is not None
    import_tables(engine_of(again), write_pack(Path(str(tmp_path)) / "site-pack"))
    again.close()
    site = open_window()
    assert "DÉMONSTRATION" not in site.notice.text()
    assert "Test pack 7" in site.status.tables_label.text()


KEY_WIDGETS = {
    "mainWindow": "Fenêtre agent Repli",
    "digitsInput": "Chiffres du numéro composé",
    "candidateList": "Numéros correspondants",
    "branchName": "Agence appelée : Aucune agence sélectionnée",
    "callTypeSelector": "Type d'appel",
    "callerNumberInput": "Numéro de l'appelant",
    "callerNameInput": "Nom de l'appelant",
    "subjectInput": "Objet",
    "notesInput": "Notes",
    "outcomeSelector": "Issue",
    "saveButton": "Enregistrer la fiche",
    "historyView": "Historique des fiches",
}


def test_key_widgets_have_their_names_and_french_accessible_names(window: MainWindow) -> None:
    from PySide6.QtWidgets import QWidget

    for name, accessible in KEY_WIDGETS.items():
        widget = window if name == "mainWindow" else window.findChild(QWidget, name)
        assert widget is not None, name
        assert widget.objectName() == name
        assert widget.accessibleName() == accessible, name


def test_the_card_and_the_bands_say_what_they_show_to_a_screen_reader(
    window: MainWindow, qtbot: QtBot
) -> None:
    """The card's name had a fixed accessible name ("Agence appelée") that hid the branch;
    the mode band was "Mode de fonctionnement", so "SECOURS SINISTRE" never reached a screen
    reader."""
    type_text(qtbot, "6881")
    name = window.page.lookup.card.name
    assert name.accessibleName() == f"Agence appelée : {branch_for_suffix(window, '6881')}"
    band = window.mode_banner.accessibleName()
    assert band.startswith("Mode de fonctionnement : SECOURS SINISTRE")


def test_the_pcs_table_pack_is_announced_when_imported_or_refused(
    open_window: Opener, data_dir: Path, tmp_path: Path
) -> None:
    from tests.helpers.packs import write_pack

    pack = write_pack(tmp_path / "pc-pack")
    with (data_dir / "config.toml").open("a", encoding="utf-8") as config:
        config.write(f'tables_pack = "{pack}"\n')
    first = open_window()
    assert "Les tables de ce PC ont été mises à jour : Test pack 7." in first.notice.text()
    first.close()
    (pack / "numbers.csv").write_text("number,branch_id,call_type,label\r\n")  # a cut copy
    again = open_window()
    assert "LE NOUVEAU JEU DE TABLES DU PC A ÉTÉ REFUSÉ" in again.notice.text()
    assert "Test pack 7" in again.status.tables_label.text()  # the previous tables stay in use


def test_a_note_pasted_from_word_is_cleaned_said_once_and_saved(
    window: MainWindow, qtbot: QtBot
) -> None:
    """Word's soft line break (U+000B) and a terminal's colours, pasted with Ctrl+V: the
    note was refused at save with "Manquant : notes" while visibly filled."""
    from PySide6.QtWidgets import QApplication

    type_text(qtbot, "6881")
    press(qtbot, Qt.Key.Key_Return)
    type_text(qtbot, "0612345678")
    press(qtbot, Qt.Key.Key_Tab)
    type_text(qtbot, "Mme Durand")
    press(qtbot, Qt.Key.Key_F4)  # the notes
    QApplication.clipboard().setText("Rappeler\x0bdemain\u2028matin \x1b[31murgent\x1b[0m\x07")
    press(qtbot, Qt.Key.Key_V, CTRL)
    notes = window.page.form.notes.toPlainText()
    assert notes == "Rappeler\ndemain\nmatin urgent"
    banner = window.page.banner.text()
    assert "Caractères invisibles retirés" in banner
    QApplication.clipboard().setText(" encore\x0b")
    press(qtbot, Qt.Key.Key_V, CTRL)
    assert window.page.form.notes.toPlainText() == "Rappeler\ndemain\nmatin urgent encore\n"
    press(qtbot, Qt.Key.Key_S, CTRL)
    qtbot.waitUntil(lambda: bool(saved_contacts(window)))
    (contact,) = saved_contacts(window)
    assert contact.notes == "Rappeler\ndemain\nmatin urgent encore"
    assert not window.page.form.error.isVisible()


def test_a_caller_on_a_telemarketing_range_is_said_on_the_form(
    window: MainWindow, qtbot: QtBot
) -> None:
    type_text(qtbot, "6881")
    press(qtbot, Qt.Key.Key_Return)
    type_text(qtbot, "01 62 12 34 56")
    info = window.page.form.caller_info.text()
    assert "01 62 12 34 56" in info and "plage de démarchage" in info
    window.page.form.caller_number.clear()
    type_text(qtbot, "0800 12 34 56")
    assert "numéro gratuit" in window.page.form.caller_info.text()


def test_digits_typed_before_the_store_is_open_are_kept(
    open_window: Opener, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On a seat that has its pack, the sign-in comes before the store is open: the digits
    the agent typed at once after Enter were wiped when it opened (3 times out of 3). The
    store's opening is held here until the agent has typed, as a slow disk would."""
    import threading

    from desktop.context import SeatContext

    first = open_window()  # the seat gets its pack
    first.close()
    first.ops.shutdown()
    assert first.seat is not None
    first.seat.close()
    opening = threading.Event()
    real_open = SeatContext.open.__func__  # type: ignore[attr-defined]

    def slow_open(cls: type[SeatContext], /, *args: object, **kwargs: object) -> SeatContext:
        opening.wait(30)
        return real_open(cls, *args, **kwargs)  # type: ignore[no-any-return]

    monkeypatch.setattr(SeatContext, "open", classmethod(slow_open))
    window = open_window(sign_in=None, wait_for_store=False)
    assert window.seat is None and window.sign_in is not None
    assert window.stack.currentWidget() is window.sign_in
    qtbot.keyClicks(window.sign_in.agent, "Claire")
    qtbot.keyClick(window.sign_in.agent, Qt.Key.Key_Return)
    type_text(qtbot, "6881")  # at once, the store still opening
    assert window.page.lookup.digits.text() == "6881"
    opening.set()
    qtbot.waitUntil(lambda: window.seat is not None and window.page.started)
    assert window.page.lookup.digits.text() == "6881"
    assert window.page.lookup.chosen is not None and window.page.contact.agent == "Claire"
    press(qtbot, Qt.Key.Key_Return)
    type_text(qtbot, "0612345678")
    press(qtbot, Qt.Key.Key_S, CTRL)
    qtbot.waitUntil(lambda: bool(saved_contacts(window)))
    (contact,) = saved_contacts(window)
    assert contact.digits_typed == "6881" and contact.agent == "Claire"
