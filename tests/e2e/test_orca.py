"""What a blind agent hears: the real Orca, reading the real window through AT-SPI, its speech
written down by speech-dispatcher, during one contact typed with the keyboard alone."""

from __future__ import annotations

import re
import time
from pathlib import Path

from tests.helpers.desktop_session import desktop_session, orca_speaking, start_repli

PARIS = "Obsèques Démo Paris Centre"
FOCUSED = "object:state-changed:focused"


def heard(said: Path) -> str:
    return said.read_text(encoding="utf-8")


def wait_to_hear(said: Path, text: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while text not in heard(said):
        assert time.monotonic() < deadline, f"{text!r} not heard; heard:\n{heard(said)[-1500:]}"
        time.sleep(0.1)


def test_orca_says_the_branch_whether_it_is_open_and_the_save(tmp_path: Path) -> None:
    with desktop_session(tmp_path) as session:
        window = start_repli(session, tmp_path / "seat")
        try:
            session.window("Repli")
            session.wait_for(lambda e: e.get("type") == FOCUSED and e["detail"] == 1)
            with orca_speaking(session, tmp_path) as said:
                session.window("Repli")
                session.type("Claire")
                session.key("Return")
                wait_to_hear(said, "Numéro composé")  # the digits field, by its label
                session.type("6881")
                wait_to_hear(said, PARIS)
                session.key("F6")
                wait_to_hear(said, "Type d'appel : Rapatriement")
                session.key("ctrl+s")
                wait_to_hear(said, "Fiche enregistrée")
                words = heard(said)
        finally:
            window.terminate()
            window.wait(timeout=30)
    after_the_digits = words[words.index(PARIS) :]
    assert re.search(r"(OUVERTE|FERMÉE) maintenant", after_the_digits)  # open or not, now
    assert "75011 Paris" in after_the_digits
