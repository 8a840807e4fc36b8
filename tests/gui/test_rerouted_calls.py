"""A rerouted call, end to end, every process real: SIPp as the carrier, Kamailio as the site
proxy running the configuration ``repli telephony site-proxy`` wrote, baresip as the seat's
softphone, and the agent's window listening to that softphone (and, in notify mode, to the
proxy over its own LAN address, 127.0.0.2: the whole 127.0.0.0/8 is loopback). The branch of
the number the caller dialled pops, with the header it came from; the hang-up is recorded."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from desktop.contacts import ContactData
from desktop.telephony.secrets import pop_token
from desktop.ui.main_window import MainWindow
from tests.gui.conftest import Opener, press
from tests.gui.test_agent_call import saved_contacts
from tests.helpers.baresip import Baresip, free_port, free_sip_port
from tests.helpers.cli import repli
from tests.helpers.site_proxy import CANCELLED, PROXY, carrier, finished, free_udp, start_kamailio

PARIS, POINTE = "Obsèques Démo Paris Centre", "Obsèques Démo Pointe-à-Pitre"
LINE = "0187654321"  # the backup site's line the carrier sends the seat's calls to
MAIN_LINE = "0199006677"  # a branch's own number, sent to the site unchanged (To only)
SEAT_LAN = "127.0.0.2"
CTRL = Qt.KeyboardModifier.ControlModifier


class Site:
    """One seat behind the proxy: its softphone, its window, the proxy's port."""

    def __init__(self, window: MainWindow, phone: Baresip, port: int, folder: Path) -> None:
        self.window, self.phone, self.port, self.folder = window, phone, port, folder

    def call(self, line: str, *headers: str, caller: str = "0612345678", **kw: Path) -> None:
        finished(carrier(self.port, line, *headers, folder=self.folder, caller=caller, **kw),
                 self.folder)  # fmt: skip


Builder = Callable[..., Site]


@pytest.fixture
def seat_behind_proxy(
    open_window: Opener, data_dir: Path, tmp_path: Path, qtbot: QtBot
) -> Iterator[Builder]:
    started: list[Baresip] = []
    proxies = []

    def build(mode: str = "notify", numbers: tuple[str, ...] = (), answer: str = "auto") -> Site:
        phone = Baresip(tmp_path / "phone", "seat", free_sip_port(), free_port(),
                        numbers=numbers, answer=answer)  # fmt: skip
        started.append(phone.start())
        with (data_dir / "config.toml").open("a") as config:
            config.write(f'softphone_kind = "baresip"\nsoftphone_port = {phone.ctrl_port}\n')
            if mode == "notify":
                config.write(f'pop_lan_address = "{SEAT_LAN}"\npop_lan_allow = ["127.0.0.1"]\n')
        window = open_window()
        qtbot.waitUntil(lambda: window.intake.softphone is not None
                        and window.intake.softphone.state.connected, timeout=10_000)  # fmt: skip
        qtbot.waitUntil(lambda: window.intake.http is not None and window.intake.state.listening)
        seat = f"sip:seat@127.0.0.1:{phone.sip_port}"
        if mode == "notify":
            url = f"http://{SEAT_LAN}:{window.intake.state.port}/v1/call-events"
            seat += f",{url},{pop_token(window.paths.root)}"
        numbers_args: list[str] = []
        if numbers:
            (tmp_path / "numbers.txt").write_text(
                "# the softphones' accounts\n" + "\n".join(numbers)
            )
            numbers_args = ["--numbers", str(tmp_path / "numbers.txt")]
        port = free_udp(PROXY)
        written = repli(data_dir, "telephony", "site-proxy", "--listen", f"{PROXY}:{port}",
                        "--mode", mode, "--seat", f"{LINE}={seat}", "--seat",
                        f"{MAIN_LINE}={seat}", *numbers_args, "--out", str(tmp_path / "k.cfg"))  # fmt: skip
        assert written.returncode == 0, written.stderr
        proxies.append(start_kamailio(tmp_path / "k.cfg", tmp_path, port))
        return Site(window, phone, port, tmp_path)

    yield build
    for process in proxies:
        process.terminate()
        process.wait(10)
    for phone in started:
        phone.kill()


def saved_after_hang_up(site: Site, qtbot: QtBot) -> ContactData:
    page = site.window.page
    qtbot.waitUntil(lambda: page.contact.call_ended_at is not None, timeout=10_000)
    press(qtbot, Qt.Key.Key_S, CTRL)
    qtbot.waitUntil(lambda: bool(saved_contacts(site.window)))
    (contact,) = saved_contacts(site.window)
    return contact


@pytest.mark.parametrize(
    ("headers", "caller", "branch", "via", "shown"),
    [
        (("Diversion: <sip:0156781234@pabx>;reason=no-answer",
          "Diversion: <tel:+33-1-99-00-68-81>;reason=unconditional"), "0612345678", PARIS, "Diversion",
         "01 99 00 68 81"),
        (('History-Info: "Agence" <sip:+590590823691@carrier;user=phone>;index=1',
          "History-Info: <sip:0156781234@pabx;cause=302>;index=1.1"), "0612345678", POINTE, "History-Info",
         "0590 82 36 91"),
        (("P-Called-Party-ID: <sip:0033199006881@ims>",), "0612345678", PARIS, "P-Called-Party-ID",
         "01 99 00 68 81"),
        (("Diversion: <sip:01.99.00.68.81@pabx>",), "anonymous", PARIS, "Diversion", "01 99 00 68 81"),
    ],
    ids=["diversion-two-hops-tel", "history-info-overseas", "p-called-party-id", "anonymous"],
)  # fmt: skip
def test_a_rerouted_call_pops_the_branch_dialled_with_its_header(
    seat_behind_proxy: Builder,
    qtbot: QtBot,
    headers: tuple[str, ...],
    caller: str,
    branch: str,
    via: str,
    shown: str,
) -> None:
    site = seat_behind_proxy()
    site.call(LINE, *headers, caller=caller)
    page = site.window.page
    qtbot.waitUntil(lambda: page.lookup.card.name.text() == branch, timeout=10_000)
    qtbot.waitUntil(lambda: page.contact.called_via == via)  # the proxy's word may come second
    assert page.lookup.card.found_by.text() == (
        f"Trouvé par remontée d'appel — numéro lu dans {via}, appel reçu sur 01 87 65 43 21"
    )
    assert page.lookup.digits_text() == shown  # as the agent reads it, not +33…
    contact = saved_after_hang_up(site, qtbot)
    assert (contact.called_via, contact.reached_on) == (via, LINE)
    assert contact.found_by == "pop" and "@" in (contact.call_id or "")
    expected_caller = "" if caller == "anonymous" else "+33612345678"
    assert contact.caller_number == expected_caller
    started, ended = contact.call_started_at, contact.call_ended_at
    assert started is not None and ended is not None and started <= ended


def test_a_call_sent_to_the_branchs_own_number_pops_it_from_to(
    seat_behind_proxy: Builder, qtbot: QtBot
) -> None:
    site = seat_behind_proxy()
    site.call(MAIN_LINE)  # no reroute header: the number is the request's own
    qtbot.waitUntil(lambda: site.window.page.lookup.card.name.text() == PARIS, timeout=10_000)
    contact = saved_after_hang_up(site, qtbot)
    assert contact.branch_id == "AG00001" and contact.called_via in ("", "To")


def test_an_unknown_number_shows_its_digits_and_no_branch(
    seat_behind_proxy: Builder, qtbot: QtBot
) -> None:
    site = seat_behind_proxy()
    site.call(LINE, "Diversion: <sip:0999999999@pabx>")
    page = site.window.page
    qtbot.waitUntil(lambda: page.contact.called_via == "Diversion", timeout=10_000)
    qtbot.waitUntil(lambda: page.lookup.digits_text() == "09 99 99 99 99")
    assert page.lookup.card.name.text() != PARIS and not page.contact.branch_id


def test_a_caller_who_hangs_up_while_it_rings_is_recorded_as_ended(
    seat_behind_proxy: Builder, qtbot: QtBot
) -> None:
    site = seat_behind_proxy(answer="")  # the agent does not pick up: the caller cancels
    call = carrier(site.port, LINE, "Diversion: <tel:+33199006881>", folder=site.folder,
                   scenario=CANCELLED)  # fmt: skip
    page = site.window.page
    qtbot.waitUntil(lambda: page.lookup.card.name.text() == PARIS, timeout=10_000)
    qtbot.waitUntil(lambda: page.contact.call_ended_at is not None, timeout=10_000)
    finished(call, site.folder)
    assert page.contact.called_via == "Diversion" and (page.contact.call_id or "").endswith(
        "127.0.0.5"
    )


def test_request_uri_mode_pops_the_branch_through_the_softphone_alone(
    seat_behind_proxy: Builder, qtbot: QtBot
) -> None:
    """Mode (b): the seat listens to its softphone only; the proxy puts the number dialled in
    the request URI, spelled as the seat's account for it is, and baresip names that account."""
    site = seat_behind_proxy("request-uri", numbers=("0199006881", "0590823691"))
    assert site.window.intake.state.lan == ""  # no LAN listener: nothing but the phone
    site.call(LINE, 'History-Info: <sip:+590590823691@carrier>;index=1',
              "History-Info: <sip:0156781234@pabx>;index=1.1")  # fmt: skip
    page = site.window.page
    qtbot.waitUntil(lambda: page.lookup.card.name.text() == POINTE, timeout=10_000)
    contact = saved_after_hang_up(site, qtbot)
    assert contact.branch_id == "OM0003" and contact.found_by == "pop"


def test_request_uri_mode_leaves_an_unknown_number_on_the_line(
    seat_behind_proxy: Builder, qtbot: QtBot
) -> None:
    """A number with no softphone account: the call still rings (on the seat's line), it
    never fails for Repli's sake."""
    site = seat_behind_proxy("request-uri", numbers=("0199006881",))
    site.call(LINE, "Diversion: <sip:0999999999@pabx>")  # SIPp's exit code: answered
    page = site.window.page
    qtbot.waitUntil(lambda: page.lookup.digits_text() == "01 87 65 43 21", timeout=10_000)
    assert not page.contact.branch_id
