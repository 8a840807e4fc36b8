"""Screen pops reach the running window from other processes, and never overwrite a contact."""

from __future__ import annotations

import json
import os
import random
import socket
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from desktop.store import contacts as store
from desktop.telephony.secrets import pop_token
from desktop.ui.main_window import MainWindow
from tests.gui.conftest import Opener, engine_of, focused, press, type_text
from tests.gui.test_agent_call import saved_contacts

ROOT = Path(__file__).resolve().parents[2]
CTRL = Qt.KeyboardModifier.ControlModifier
PARIS = "Obsèques Démo Paris Centre"


def listening(window: MainWindow, qtbot: QtBot) -> int:
    qtbot.waitUntil(lambda: window.intake.http is not None and window.intake.state.listening)
    return window.intake.state.port


def send(window: MainWindow, qtbot: QtBot, *requests: dict[str, object]) -> list[int]:
    """Real HTTP from another process; the window must not need its thread to answer."""
    port = listening(window, qtbot)
    token = pop_token(window.paths.root)
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "tests.helpers.send_events",
            str(port),
            token,
            json.dumps(list(requests)),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return [int(s) for s in done.stdout.split()]


def event(kind: str, call_id: str = "c1", **numbers: str) -> dict[str, object]:
    return {"body": {"event": kind, "call_id": call_id, **numbers}}


def test_a_pop_fills_an_idle_form_at_once(window: MainWindow, qtbot: QtBot) -> None:
    assert send(window, qtbot, event("ringing", called="01 99 00 68 81", caller="0612345678")) == [
        202
    ]
    page = window.page
    qtbot.waitUntil(lambda: page.lookup.card.name.text() == PARIS)
    assert page.lookup.card.found_by.text() == "Trouvé par remontée d'appel"
    assert page.form.caller_number.text() == "06 12 34 56 78"
    assert "Transports Funéraires Martin" in page.form.caller_info.text()
    assert focused() is page.form.caller_name
    assert "dernier appel" in window.status.listener_label.text()
    type_text(qtbot, "M. Pop")
    press(qtbot, Qt.Key.Key_S, CTRL)
    qtbot.waitUntil(lambda: bool(saved_contacts(window)))
    (contact,) = saved_contacts(window)
    assert (contact.call_id, contact.found_by, contact.branch_id) == ("c1", "pop", "AG00001")
    assert contact.caller_number == "+33612345678" and contact.caller_name == "M. Pop"


def test_a_number_the_agent_chooses_instead_is_no_longer_marked_as_the_pops(
    window: MainWindow, qtbot: QtBot
) -> None:
    """The caller says the pop is wrong: the agent types the number they meant. The card must
    not go on saying the screen pop found it, nor the contact."""
    send(window, qtbot, event("ringing", called="+33199006881", caller="0612345678"))
    page = window.page
    qtbot.waitUntil(lambda: page.lookup.card.name.text() == PARIS)
    assert page.lookup.digits.text() == "01 99 00 68 81"
    press(qtbot, Qt.Key.Key_F2)
    type_text(qtbot, "0590823691")
    qtbot.waitUntil(lambda: page.lookup.card.name.text() == "Obsèques Démo Pointe-à-Pitre")
    assert page.lookup.card.found_by.text() == ""
    press(qtbot, Qt.Key.Key_S, CTRL)
    qtbot.waitUntil(lambda: bool(saved_contacts(window)))
    (contact,) = saved_contacts(window)
    assert (contact.found_by, contact.branch_id) == ("typed", "OM0003")


def test_one_call_is_one_contact_and_its_end_is_recorded(window: MainWindow, qtbot: QtBot) -> None:
    send(
        window,
        qtbot,
        event("ringing", called="0199006881", caller="0612345678"),
        event("answered", called="0199006881"),
    )
    qtbot.waitUntil(lambda: window.page.contact.call_id == "c1")
    qtbot.waitUntil(
        lambda: (
            (call := window.page.pops.book.get("c1")) is not None and call.answered_at is not None
        )
    )
    assert not window.page.pop_banner.isVisible()  # "answered" did not make a second pop
    press(qtbot, Qt.Key.Key_S, CTRL)
    qtbot.waitUntil(lambda: bool(saved_contacts(window)) and not window.ops.busy)
    ended_at = (datetime.now(UTC) + timedelta(minutes=5)).replace(microsecond=0).isoformat()
    send(window, qtbot, {"body": {"event": "ended", "call_id": "c1", "at": ended_at}})
    qtbot.waitUntil(lambda: saved_contacts(window)[0].revision == 2)
    (contact,) = saved_contacts(window)
    assert contact.call_ended_at is not None and contact.call_ended_at.isoformat() == ended_at
    assert [who for _c, who in store.revisions(engine_of(window), contact.id)] == [
        "Claire",
        "telephony",
    ]


def test_a_pop_never_overwrites_a_contact_being_typed(window: MainWindow, qtbot: QtBot) -> None:
    type_text(qtbot, "8099")
    press(qtbot, Qt.Key.Key_F3)
    type_text(qtbot, "0699999999")
    send(window, qtbot, event("ringing", "c2", called="0199006881", caller="0612345678"))
    page = window.page
    qtbot.waitUntil(lambda: page.pop_banner.isVisible())
    assert "1 appel en attente" in page.pop_banner.text() and PARIS in page.pop_banner.text()
    assert "de 06 12 34 56 78" in page.pop_banner.text()  # the caller's number as it is read
    assert page.lookup.digits.text() == "8099" and page.form.caller_number.text() == "0699999999"
    press(qtbot, Qt.Key.Key_F9)  # not while a contact is being typed
    assert page.lookup.digits.text() == "8099" and "Enregistrez" in page.banner.text()
    press(qtbot, Qt.Key.Key_S, CTRL)
    qtbot.waitUntil(lambda: bool(saved_contacts(window)) and not page.saving)
    assert page.pop_banner.isVisible()  # it waits until the agent takes it
    press(qtbot, Qt.Key.Key_F9)
    assert page.lookup.card.name.text() == PARIS and page.contact.call_id == "c2"
    assert not page.pop_banner.isVisible()


def test_an_unknown_number_from_a_pop_is_said_and_recorded_as_the_pops(
    window: MainWindow, qtbot: QtBot
) -> None:
    """It was recorded as typed, and the window did not say where it came from."""
    send(window, qtbot, event("ringing", "c9", called="0199001111", caller="0612345678"))
    page = window.page
    qtbot.waitUntil(lambda: page.lookup.digits.text() == "01 99 00 11 11")
    assert page.lookup.chosen is None
    text = page.lookup.card.found_by.text()
    assert text == "Numéro donné par la remontée d’appel : dans aucune table"
    press(qtbot, Qt.Key.Key_F3)
    press(qtbot, Qt.Key.Key_Tab)
    type_text(qtbot, "M. Inconnu")
    press(qtbot, Qt.Key.Key_S, CTRL)
    qtbot.waitUntil(lambda: bool(saved_contacts(window)))
    (contact,) = saved_contacts(window)
    assert (contact.found_by, contact.branch_id, contact.digits_typed) == (
        "pop",
        None,
        "01 99 00 11 11",
    )


def test_a_caller_only_pop_leaves_the_digits_to_the_agent(window: MainWindow, qtbot: QtBot) -> None:
    send(window, qtbot, event("ringing", "c3", caller="+33 6 12 34 56 78"))
    qtbot.waitUntil(lambda: window.page.form.caller_number.text() == "06 12 34 56 78")
    assert window.page.lookup.digits.text() == ""
    assert focused() is window.page.lookup.digits
    type_text(qtbot, "6881")
    assert window.page.lookup.card.name.text() == PARIS


def test_bad_requests_change_nothing(window: MainWindow, qtbot: QtBot) -> None:
    type_text(qtbot, "6881")
    statuses = send(
        window,
        qtbot,
        {"body": "{not json"},
        {"body": {"event": "ringing", "call_id": "x", "called": "DROP TABLE"}},
        {"body": {"event": "ringing", "call_id": "x", "called": "0199006881"}, "token": False},
        {
            "body": {"event": "ringing", "call_id": "x", "called": "0199006881"},
            "headers": {"Authorization": "Bearer nope"},
        },
        {
            "body": {"event": "ringing", "call_id": "x", "called": "0199006881"},
            "headers": {"Origin": "https://evil.example"},
        },
        {"body": {"event": "ringing", "call_id": "x", "called": "1", "line": "x" * 20000}},
    )
    assert statuses == [400, 422, 401, 403, 403, 413]
    assert window.page.lookup.digits.text() == "6881" and window.page.pops.waiting == []
    assert window.intake.state.accepted == 0


def test_a_pop_before_sign_in_waits_for_the_agent(open_window: Opener, qtbot: QtBot) -> None:
    window = open_window(sign_in=None)
    send(window, qtbot, event("ringing", "c4", called="0199006881"))
    qtbot.waitUntil(lambda: len(window.page.pops.waiting) == 1)
    type_text(qtbot, "Claire")
    press(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.page.contact.call_id == "c4")  # once the draft was looked for
    assert window.page.lookup.card.name.text() == PARIS


def test_a_taken_port_is_shown_and_the_seat_still_works(
    open_window: Opener, qtbot: QtBot, data_dir: Path
) -> None:
    blocker = socket.socket()
    blocker.bind(("127.0.0.1", 0))
    blocker.listen()
    try:
        (data_dir / "config.toml").write_text(f"pop_port = {blocker.getsockname()[1]}\n")
        window = open_window()
        qtbot.waitUntil(lambda: "port in use" in window.status.listener_label.text())
        assert window.status.listener_label.property("off") is True
        type_text(qtbot, "6881")
        assert window.page.lookup.card.name.text() == PARIS
    finally:
        blocker.close()


def test_a_site_proxy_address_that_cannot_be_listened_on_is_shown(
    open_window: Opener, qtbot: QtBot, data_dir: Path
) -> None:
    lan = f"127.{random.randint(1, 254)}.{random.randint(1, 254)}.9"  # the seat's LAN side
    blocker = socket.socket()
    blocker.bind((lan, 0))  # taken there, on the port the loopback listener will use
    blocker.listen()
    try:
        port = blocker.getsockname()[1]
        (data_dir / "config.toml").write_text(
            f'pop_port = {port}\npop_lan_address = "{lan}"\npop_lan_allow = ["127.0.0.1"]\n'
        )
        window = open_window()
        label = window.status.listener_label
        qtbot.waitUntil(lambda: "proxy du site : INACTIF" in label.text())
        assert f"port {port}" in label.text() and label.property("off") is True
        assert window.intake.state.listening  # the agent's own pops still come in
    finally:
        blocker.close()


def test_repli_pop_from_another_process_reaches_the_window(
    window: MainWindow, qtbot: QtBot
) -> None:
    listening(window, qtbot)
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "desktop",
            "--data-dir",
            str(window.paths.root),
            "pop",
            "--called",
            "01 99 00 68 81",
            "--caller",
            "0612345678",
            "--call-id",
            "cli-1",
        ],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert done.returncode == 0 and "handed to the running Repli" in done.stdout, done.stderr
    qtbot.waitUntil(lambda: window.page.contact.call_id == "cli-1")
    assert window.page.lookup.card.name.text() == PARIS


def test_a_second_repli_does_not_open_a_second_window(window: MainWindow, qtbot: QtBot) -> None:
    listening(window, qtbot)
    with qtbot.waitSignal(window.intake.showRequested, timeout=10_000):
        done = subprocess.run(
            [sys.executable, "-m", "desktop", "--data-dir", str(window.paths.root)],
            capture_output=True,
            text=True,
            timeout=60,
            env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        )
    assert done.returncode == 0 and "already runs" in done.stdout


def test_doctor_sees_the_port_held_by_the_running_window(window: MainWindow, qtbot: QtBot) -> None:
    port = listening(window, qtbot)
    (window.paths.root / "config.toml").write_text(f"pop_port = {port}\n")
    done = subprocess.run(
        [sys.executable, "-m", "desktop", "--data-dir", str(window.paths.root), "doctor", "--json"],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    checks = {c["name"]: c for c in json.loads(done.stdout)["checks"]}
    assert (
        checks["screen pop"]["status"] == "ok"
        and "Repli is running" in checks["screen pop"]["detail"]
    )


def test_a_rerouted_call_pops_the_branch_the_caller_dialled(
    window: MainWindow, qtbot: QtBot
) -> None:
    """The softphone rings on the seat's own number; the site proxy's notification, with the
    raw headers, then gives the number dialled (bottom-most Diversion): the form shows that
    branch, and the contact records where the number came from and what the seat was
    reached on."""
    from desktop.telephony.events import from_fields

    softphone = from_fields(
        {"event": "ringing", "call_id": "r1", "called": "0187654321"}, "baresip"
    )
    window.intake.deliver(softphone)
    qtbot.waitUntil(lambda: window.page.contact.call_id == "r1")
    assert window.page.lookup.digits.text() == "01 87 65 43 21"  # the site's line: no branch
    assert window.page.lookup.card.found_by.text() == (
        "Numéro donné par la remontée d’appel : dans aucune table"
    )
    proxy = from_fields(
        {
            "event": "ringing",
            "call_id": "r1",
            "caller": "0612345678",
            "sip": {
                "diversion": ["<sip:0156781234@pabx>", "<tel:+33-1-99-00-68-81>"],
                "request_uri": "sip:0187654321@seat-1",
            },
        },
        "lan",
    )
    window.intake.deliver(proxy)
    qtbot.waitUntil(lambda: window.page.lookup.card.name.text() == PARIS)
    assert window.page.lookup.digits.text() == "01 99 00 68 81"
    assert window.page.lookup.card.found_by.text() == (
        "Trouvé par remontée d'appel — numéro lu dans Diversion, appel reçu sur 01 87 65 43 21"
    )
    press(qtbot, Qt.Key.Key_F6)
    press(qtbot, Qt.Key.Key_S, CTRL)
    qtbot.waitUntil(lambda: bool(saved_contacts(window)) and not window.page.saving)
    (contact,) = saved_contacts(window)
    assert contact.matched_number == "+33199006881" and contact.found_by == "pop"
    assert (contact.called_via, contact.reached_on) == ("Diversion", "0187654321")
