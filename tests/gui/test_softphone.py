"""A real SIP softphone (baresip) tells the window about its calls: end to end, on loopback.

Every process here is real: two baresip instances (or SIPp) on 127.0.0.1, and the agent
window listening to the callee's control port.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from desktop.ui.main_window import MainWindow
from tests.gui.conftest import Opener, press
from tests.gui.test_agent_call import saved_contacts
from tests.helpers.baresip import Baresip, free_port, free_sip_port, sipp_invite_to_only

PARIS = "Obsèques Démo Paris Centre"
CTRL = Qt.KeyboardModifier.ControlModifier
Phones = Callable[..., Baresip]


@pytest.fixture
def phones(tmp_path: Path) -> Iterator[Phones]:
    started: list[Baresip] = []

    def start(name: str, account: str, ctrl_port: int = 0, sip_port: int = 0) -> Baresip:
        phone = Baresip(tmp_path / name, account, sip_port or free_sip_port(),
                        ctrl_port or free_port())  # fmt: skip
        started.append(phone.start())
        return phone

    yield start
    for phone in started:
        phone.kill()


def seat_listening_to(
    open_window: Opener, data_dir: Path, callee: Baresip, qtbot: QtBot
) -> MainWindow:
    with (data_dir / "config.toml").open("a") as config:
        config.write(f'softphone_kind = "baresip"\nsoftphone_port = {callee.ctrl_port}\n')
    window = open_window()
    qtbot.waitUntil(lambda: window.intake.softphone is not None and window.intake.softphone.state.connected,
                    timeout=10_000)  # fmt: skip
    return window


def test_a_real_call_pops_its_branch_and_its_hangup_is_recorded(
    open_window: Opener, data_dir: Path, phones: Phones, qtbot: QtBot
) -> None:
    callee = phones("callee", "0199006677")
    caller = phones("caller", "0612345678")
    window = seat_listening_to(open_window, data_dir, callee, qtbot)
    assert "connecté" in window.status.softphone_label.text()
    caller.dial(callee, "0199006677")
    page = window.page
    qtbot.waitUntil(lambda: page.lookup.card.name.text() == PARIS, timeout=5000)
    assert page.lookup.digits.text() == "01 99 00 66 77"
    assert page.form.caller_number.text() == "06 12 34 56 78"
    assert page.contact.found_by == "pop" and page.contact.call_id
    caller.command("hangup")
    qtbot.waitUntil(lambda: page.contact.call_ended_at is not None, timeout=5000)
    press(qtbot, Qt.Key.Key_S, CTRL)
    qtbot.waitUntil(lambda: bool(saved_contacts(window)))
    (contact,) = saved_contacts(window)
    assert contact.branch_id == "AG00001" and contact.caller_number == "+33612345678"
    assert contact.call_ended_at is not None and contact.call_started_at is not None
    assert contact.call_started_at <= contact.call_ended_at


def test_the_dialled_number_carried_only_in_to(
    open_window: Opener, data_dir: Path, phones: Phones, qtbot: QtBot
) -> None:
    callee = phones("callee", "seat1")  # the seat's account: the PABX puts the number in To
    window = seat_listening_to(open_window, data_dir, callee, qtbot)
    done = sipp_invite_to_only(callee, called="0199006677", caller="0612345678", service="seat1")
    assert done.returncode == 0, done.stdout + done.stderr
    qtbot.waitUntil(lambda: window.page.lookup.card.name.text() == PARIS, timeout=5000)
    assert window.page.form.caller_number.text() == "06 12 34 56 78"


def test_an_unknown_dialled_number(
    open_window: Opener, data_dir: Path, phones: Phones, qtbot: QtBot
) -> None:
    callee = phones("callee", "0199999999")
    caller = phones("caller", "0612345678")
    window = seat_listening_to(open_window, data_dir, callee, qtbot)
    caller.dial(callee, "0199999999")
    qtbot.waitUntil(lambda: window.page.form.caller_number.text() == "06 12 34 56 78", timeout=5000)
    assert "n'est pas dans les tables" in window.page.lookup.count.text()
    assert window.page.lookup.chosen is None


def test_the_softphone_killed_and_restarted(
    open_window: Opener, data_dir: Path, phones: Phones, qtbot: QtBot
) -> None:
    callee = phones("callee", "0199006677")
    caller = phones("caller", "0612345678")
    window = seat_listening_to(open_window, data_dir, callee, qtbot)
    caller.dial(callee, "0199006677")
    qtbot.waitUntil(lambda: window.page.lookup.card.name.text() == PARIS, timeout=5000)
    first_call = window.page.contact.call_id
    press(qtbot, Qt.Key.Key_S, CTRL)
    qtbot.waitUntil(lambda: len(saved_contacts(window)) == 1)
    adapter = window.intake.softphone
    assert adapter is not None
    callee.kill()
    qtbot.waitUntil(lambda: not adapter.state.connected, timeout=5000)
    qtbot.waitUntil(lambda: "nouvel essai" in window.status.softphone_label.text(), timeout=3000)
    restarted = phones(
        "callee-again", "0199006677", ctrl_port=callee.ctrl_port, sip_port=callee.sip_port
    )
    qtbot.waitUntil(lambda: adapter.state.connected, timeout=15_000)
    caller.command("hangup")
    caller.dial(restarted, "0199006677")
    qtbot.waitUntil(lambda: window.page.contact.call_id not in (None, first_call), timeout=5000)
    press(qtbot, Qt.Key.Key_S, CTRL)
    qtbot.waitUntil(lambda: len(saved_contacts(window)) == 2)
    calls = [c.call_id for c in saved_contacts(window)]
    assert len(set(calls)) == 2 and first_call in calls


GARBAGE_SERVER = """
import socket, sys, time
server = socket.socket()
server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
server.bind(("127.0.0.1", int(sys.argv[1])))
server.listen()
print("listening", flush=True)
conn, _ = server.accept()
conn.sendall(b"HTTP/1.1 200 OK\\r\\n\\r\\n\\x00\\xff garbage 12:{broken")
time.sleep(0.5)
conn.close()
server.close()
"""


def test_garbage_on_the_control_port_then_the_real_softphone(
    open_window: Opener, data_dir: Path, phones: Phones, qtbot: QtBot
) -> None:
    import subprocess
    import sys

    port = free_port()
    garbage = subprocess.Popen([sys.executable, "-c", GARBAGE_SERVER, str(port)],
                               stdout=subprocess.PIPE, text=True)  # fmt: skip
    try:
        assert garbage.stdout is not None and garbage.stdout.readline().strip() == "listening"
        with (data_dir / "config.toml").open("a") as config:
            config.write(f'softphone_kind = "baresip"\nsoftphone_port = {port}\n')
        window = open_window()
        qtbot.waitUntil(lambda: window.intake.softphone is not None
                        and window.intake.softphone.state.garbage == 1, timeout=10_000)  # fmt: skip
        garbage.wait(timeout=10)
    finally:
        garbage.kill()
    assert window.page.lookup.digits.text() == ""  # garbage made no pop
    callee = phones("callee", "0199006677", ctrl_port=port)
    caller = phones("caller", "0612345678")
    adapter = window.intake.softphone
    assert adapter is not None
    qtbot.waitUntil(lambda: adapter.state.connected, timeout=15_000)
    caller.dial(callee, "0199006677")
    qtbot.waitUntil(lambda: window.page.lookup.card.name.text() == PARIS, timeout=5000)
