"""A blind agent's contact, as the screen reader receives it: the real ``repli`` window on an
X server of its own, its accessibility on the real AT-SPI bus, keys typed by xdotool, and
what reaches the bus read by pyatspi, as Orca reads it."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.helpers.desktop_session import Session, desktop_session, start_repli

PARIS = "Obsèques Démo Paris Centre"
DESCRIPTION = "object:property-change:accessible-description"
FOCUSED = "object:state-changed:focused"
# what a name must not be alone: a shortcut ("F2", "Ctrl+S") or nothing
SHORTCUT_ONLY = re.compile(r"(?:(?:ctrl|maj|shift|alt)\+)*(?:f\d{1,2}|[a-z0-9])", re.IGNORECASE)


@pytest.fixture(scope="module")
def seat(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Session, Path]]:
    """One desktop and one window for the module: each test goes on from where the last
    left it, as one agent's shift would."""
    tmp = tmp_path_factory.mktemp("screen-reader")
    data_dir = tmp / "seat"
    with desktop_session(tmp) as session:
        window = start_repli(session, data_dir)
        try:
            session.window("Repli")
            session.wait_for(lambda e: e.get("type") == FOCUSED and e["detail"] == 1)
            yield session, data_dir
        finally:
            window.terminate()
            try:
                window.wait(timeout=20)
            except Exception:
                window.kill()


def said(event: dict[str, Any]) -> str:
    return str(event.get("data", "")).strip() if event.get("type") == DESCRIPTION else ""


def nameless(objects: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The interactive objects a screen reader cannot name: no name, a name that is only a
    shortcut or the placeholder; a combo box (whose name is its value on Linux) without a
    label it is labelled by."""

    def unnamed(text: str, placeholder: str) -> bool:
        text = text.strip()
        return not text or bool(SHORTCUT_ONLY.fullmatch(text)) or text == placeholder.strip()

    return [
        o
        for o in objects
        if (o["role"] == "combo box" and not any(label.strip() for label in o["labelled_by"]))
        or (o["role"] != "combo box" and unnamed(o["name"], o["placeholder"]))
    ]


def test_the_sign_in_page_names_everything_a_screen_reader_reaches(
    seat: tuple[Session, Path],
) -> None:
    session, _data = seat
    objects = session.tree()
    assert [o["name"] for o in objects if o["role"] == "text"] == ["Nom ou identifiant de l'agent"]
    assert nameless(objects) == []


def test_a_contact_is_heard_from_the_digits_to_the_save(seat: tuple[Session, Path]) -> None:
    session, data_dir = seat
    session.type("Claire")
    session.key("Return")
    digits = session.wait_for(
        lambda e: e.get("type") == FOCUSED and e["detail"] == 1 and "composé" in e["name"]
    )
    assert digits["role"] == "text"
    objects = session.tree()  # the agent page: digits, candidates, form, history
    roles = {o["role"] for o in objects}
    assert {"text", "list", "combo box", "check box", "push button", "table"} <= roles
    assert nameless(objects) == []
    # the digits field alone says it is focused: a current cell of the history and the
    # closed lists' items did too, and Orca read the history at start
    assert [(o["role"], o["name"]) for o in session.tree("focused")] == [("text", digits["name"])]
    session.type("688")
    session.key("1")
    found = session.wait_for(lambda e: PARIS in said(e))
    assert found["name"] == digits["name"]  # on the field the agent is in
    assert re.search(r"OUVERTE|FERMÉE", said(found))  # open or closed, in words
    assert "Paris" in said(found)
    session.key("F6")  # the call type's key
    typed = session.wait_for(lambda e: "Type d'appel" in said(e))
    assert "Rapatriement" in said(typed)
    session.key("ctrl+s")
    session.wait_for(lambda e: said(e) == "Fiche enregistrée.")
    # the history shows the contact now, and still takes no focus from the digits
    assert [(o["role"], o["name"]) for o in session.tree("focused")] == [("text", digits["name"])]
    later = session.drain(1.5)
    assert not any(PARIS in said(e) or "Fiche enregistrée" in said(e) for e in later)
    exported = session.repli(data_dir, "export", "--format", "jsonl", "-o", "-")
    assert exported.returncode == 0 and '"digits_typed": "6881"' in exported.stdout


def test_a_pop_is_heard_with_its_branch(seat: tuple[Session, Path]) -> None:
    session, data_dir = seat
    popped = session.repli(
        data_dir, "pop", "--called", "01 99 00 68 81", "--caller", "06 12 34 56 78"
    )
    assert popped.returncode == 0, popped.stderr
    heard = session.wait_for(lambda e: said(e).startswith("Appel entrant"))
    assert PARIS in said(heard)
    later = session.drain(1.5)
    assert not any("Appel entrant" in said(e) for e in later)  # once
