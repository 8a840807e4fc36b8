"""A shift taking two clients' calls at once, as the agent lives it: both ticked at sign-in,
the digits searching both packs with each candidate's client, a contact of the other
client's number carried to that client's window and saved there only, screen pops sent over
real HTTP each reaching the window of the client whose pack knows the number, and the agent
asked when both packs know it."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from desktop.app import client_shift
from desktop.supervisor.pin import hash_pin
from desktop.ui.client_shift import ClientShift, close_window
from desktop.ui.main_window import MainWindow
from tests.gui.conftest import focused, press, type_text
from tests.gui.test_agent_call import saved_contacts
from tests.gui.test_screen_pop import event, send
from tests.helpers.packs import NUMBERS, write_pack

CTRL = Qt.KeyboardModifier.ControlModifier
PINS = {"pompes-sud": "739105", "assur-nord": "482613"}
BOTH = "01 99 00 68 81"  # a demo branch's line, in the northern client's pack too
NORTH_ONLY = "1234"  # 04 72 00 12 34, Agence Fourvière: the northern client's only
SOUTH_ONLY = "0199009594"  # a demo branch: the southern client's only


@pytest.fixture
def shift(data_dir: Path, tmp_path: Path, qtbot: QtBot) -> Iterator[ClientShift]:
    numbers = [*NUMBERS, {"number": BOTH, "branch_id": "B1", "call_type": "", "label": ""}]
    pack = write_pack(tmp_path / "nord-pack", numbers=numbers)
    for client, name, colour, extra in (
        ("assur-nord", "Assurances du Nord", "#f2c200", f'tables_pack = "{pack}"\n'),
        ("pompes-sud", "Pompes Funèbres du Sud", "#1f7a3a", ""),
    ):
        folder = data_dir / "clients" / client
        folder.mkdir(parents=True)
        (folder / "config.toml").write_text(
            f'client_name = "{name}"\nclient_colour = "{colour}"\n{extra}'
        )
        pc_wide = Path(os.environ["REPLI_SYSTEM_CONFIG"]).parent / "clients" / f"{client}.toml"
        pc_wide.parent.mkdir(parents=True, exist_ok=True)  # each client's own supervisor PIN
        pc_wide.write_text(f'supervisor_pin_hash = "{hash_pin(PINS[client])}"\n')
    started = client_shift(["repli", "--data-dir", str(data_dir)], route_qt_messages=False)
    assert isinstance(started, ClientShift)
    choice = started.show_choice()
    qtbot.waitExposed(choice)
    choice.activateWindow()
    qtbot.waitUntil(lambda: focused() is choice.agent)
    type_text(qtbot, "Claire")
    press(qtbot, Qt.Key.Key_Tab)  # to the clients: the first, Assurances du Nord
    assert focused() is choice.list and choice.client == "assur-nord"
    press(qtbot, Qt.Key.Key_Space)  # ticked: its calls too
    press(qtbot, Qt.Key.Key_Down)  # Pompes Funèbres du Sud chosen, opened first
    press(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(
        lambda: (
            len(started.windows) == 2
            and all(w.seat is not None and w.page.started for w in started.windows)
        ),
        timeout=30000,
    )
    yield started
    for window in list(started.windows):
        close_window(window)
    started.shutdown()


def windows(shift: ClientShift) -> tuple[MainWindow, MainWindow]:
    south, north = shift.windows
    assert south.settings.client_id == "pompes-sud" and north.settings.client_id == "assur-nord"
    return south, north


def shown(shift: ClientShift, qtbot: QtBot, window: MainWindow) -> None:
    qtbot.waitUntil(lambda: shift.window is window and window.isVisible())
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)


def test_the_digits_reach_both_packs_and_a_contact_goes_to_its_numbers_client(
    shift: ClientShift, qtbot: QtBot
) -> None:
    south, north = windows(shift)
    shown(shift, qtbot, south)
    assert south.client_banner.text() == "POMPES FUNÈBRES DU SUD" and not north.isVisible()
    assert north.intake.http is None  # one listener for the seat: the first window's
    press(qtbot, Qt.Key.Key_F2)
    type_text(qtbot, "6881")
    rows = [south.page.lookup.model.index(r).data() for r in range(2)]
    assert south.page.lookup.model.rowCount() == 2
    assert rows[0].startswith("Pompes Funèbres du Sud  · 01 99 00 68 81")
    assert rows[1].startswith("Assurances du Nord  · 01 99 00 68 81")

    press(qtbot, Qt.Key.Key_F2)
    type_text(qtbot, NORTH_ONLY)  # one match, the other client's: chosen, on the card
    card = south.page.lookup.card
    qtbot.waitUntil(lambda: card.name.text() == "Agence Fourvière")
    assert card.client.text() == "Client : Assurances du Nord"
    press(qtbot, Qt.Key.Key_F6)  # its pack's F6: the contact goes to its window
    shown(shift, qtbot, north)
    assert north.page.lookup.digits_text() == NORTH_ONLY
    assert north.page.form.call_type_code() == "RAP"
    assert focused() is north.page.form.caller_number
    type_text(qtbot, "0612345678")
    press(qtbot, Qt.Key.Key_S, CTRL)
    qtbot.waitUntil(lambda: bool(saved_contacts(north)) and not north.page.saving)
    saved = saved_contacts(north)
    assert [(c.branch_name, c.call_type, c.caller_number) for c in saved] == [
        ("Agence Fourvière", "RAP", "+33612345678")
    ]
    assert saved[0].tables_version.startswith("Test pack")
    assert saved_contacts(south) == []  # nothing of it in the other client's store
    assert not south.page.in_progress()

    press(qtbot, Qt.Key.Key_F12)  # back to the other client, by key
    shown(shift, qtbot, south)


def test_each_pop_reaches_the_window_of_the_client_whose_pack_knows_it(
    shift: ClientShift, qtbot: QtBot
) -> None:
    south, north = windows(shift)
    shown(shift, qtbot, south)
    send(south, qtbot, event("ringing", "n1", called="04 72 00 12 34", caller="0611111111"))
    shown(shift, qtbot, north)  # nothing typed in the southern window: the call is shown
    assert north.page.lookup.card.name.text() == "Agence Fourvière"
    assert north.page.form.caller_number.text().replace(" ", "") == "0611111111"

    send(south, qtbot, event("ringing", "s1", called=SOUTH_ONLY, caller="0622222222"))
    qtbot.waitUntil(lambda: south.page.form.caller_number.text().replace(" ", "") == "0622222222")
    assert shift.window is north  # the northern call is being taken: it stays on screen
    assert "Pompes Funèbres du Sud" in north.statusBar().currentMessage()
    send(south, qtbot, event("ended", "n1", called="04 72 00 12 34"))  # follows its call
    qtbot.waitUntil(lambda: north.page.contact.call_ended_at is not None)
    assert south.page.contact.call_id == "s1"

    press(qtbot, Qt.Key.Key_F12)
    shown(shift, qtbot, south)
    assert south.page.lookup.card.name.text() == "Obsèques Démo Boulogne-Billancourt Centre"


def test_a_number_both_packs_know_asks_the_agent(shift: ClientShift, qtbot: QtBot) -> None:
    south, north = windows(shift)
    shown(shift, qtbot, south)
    send(south, qtbot, event("ringing", "b1", called=BOTH, caller="0633333333"))
    qtbot.waitUntil(lambda: shift.question is not None and shift.question.isVisible())
    question = shift.question
    assert question is not None and "01 99 00 68 81" in question.text.text()
    assert [question.list.item(i).text() for i in range(2)] == [
        "1   Pompes Funèbres du Sud",
        "2   Assurances du Nord",
    ]
    assert not south.page.in_progress() and not north.page.in_progress()  # nothing yet
    qtbot.keyClick(question.list, Qt.Key.Key_2)
    shown(shift, qtbot, north)
    qtbot.waitUntil(lambda: north.page.form.caller_number.text().replace(" ", "") == "0633333333")
    assert north.page.lookup.chosen is not None
    assert north.page.lookup.chosen.client is not None
    assert north.page.lookup.chosen.client.id == "assur-nord"  # its own line, not the other's
    assert not south.page.in_progress()


def test_each_clients_supervision_opens_with_its_own_pin_and_shows_only_its_contacts(
    shift: ClientShift, qtbot: QtBot
) -> None:
    from desktop.contacts import ContactData
    from desktop.store import contacts as store
    from desktop.ui.supervisor.pin_dialog import PinDialog
    from desktop.ui.supervisor.window import SupervisorWindow
    from tests.gui.test_supervisor import settled, when_modal

    south, north = windows(shift)
    for window, names in ((south, ["Mme Sud"]), (north, ["M. Nord", "Mme Nord"])):
        assert window.seat is not None
        for name in names:
            store.save_contact(window.seat.engine, ContactData(
                agent="Claire", seat_id="B-07", caller_name=name, branch_id="B1"), "Claire")  # fmt: skip
    press(qtbot, Qt.Key.Key_F12)
    shown(shift, qtbot, north)

    def pins(dialog: object) -> None:
        assert isinstance(dialog, PinDialog)
        qtbot.keyClicks(dialog.pin, "739105")  # the other client's PIN
        qtbot.keyClick(dialog.pin, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: dialog.hint.text() == "Code erroné." and dialog.pin.isEnabled())
        qtbot.keyClicks(dialog.pin, "482613")
        qtbot.keyClick(dialog.pin, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: not dialog.isVisible())

    when_modal(qtbot, PinDialog, pins)
    press(qtbot, Qt.Key.Key_S, CTRL | Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: north.supervision.window is not None)
    supervisor = north.supervision.window
    assert isinstance(supervisor, SupervisorWindow)
    try:
        qtbot.waitExposed(supervisor)
        settled(supervisor, qtbot)
        model = supervisor.contacts.model
        qtbot.waitUntil(lambda: model.rowCount() == 2)
        shown_names = {
            str(model.index(r, c).data())
            for r in range(model.rowCount())
            for c in range(model.columnCount())
        }
        assert {"M. Nord", "Mme Nord"} <= shown_names and "Mme Sud" not in shown_names
    finally:
        supervisor.close()


def test_repli_pop_and_a_second_repli_reach_the_shift_not_a_new_window(
    shift: ClientShift, data_dir: Path, qtbot: QtBot
) -> None:
    import subprocess
    import sys

    south, north = windows(shift)
    shown(shift, qtbot, south)
    qtbot.waitUntil(lambda: north.intake.instance is not None)  # its socket, not a pop port
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    popped = subprocess.run(
        [sys.executable, "-m", "desktop", "--data-dir", str(data_dir), "pop",
         "--called", "04 72 00 12 34", "--caller", "0644444444", "--call-id", "cli-n"],
        capture_output=True, text=True, timeout=60, env=env,
    )  # fmt: skip
    assert popped.returncode == 0 and "handed to the running Repli" in popped.stdout, popped.stderr
    shown(shift, qtbot, north)  # routed by its number, whichever window's socket took it
    qtbot.waitUntil(lambda: north.page.contact.call_id == "cli-n")

    again = subprocess.run(
        [sys.executable, "-m", "desktop", "--data-dir", str(data_dir), "--client", "pompes-sud"],
        capture_output=True, text=True, timeout=60, env=env,
    )  # fmt: skip
    assert again.returncode == 0 and "brought forward" in again.stdout, again.stderr
    shown(shift, qtbot, south)  # the shift shows it, the other one hidden
    assert not north.isVisible()
