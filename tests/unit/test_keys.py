"""One rule for the agent window's keys: a pack's call-type key wins over a navigation key,
which moves; the keys that cannot give way are refused; no key is ever ambiguous."""

from __future__ import annotations

import pytest

from desktop import keys


def test_a_pack_on_f1_to_f4_moves_help_and_the_field_keys() -> None:
    keymap = keys.resolve({"FAM": "F1", "RAP": "F2", "TRA": "F3", "ASS": "F4"})
    assert keymap.call_types == {"FAM": "F1", "RAP": "F2", "TRA": "F3", "ASS": "F4"}
    assert keymap.actions["keys"] == "Shift+F1"
    assert keymap.actions["digits"] == "Shift+F2"
    assert keymap.actions["caller"] == "Shift+F3"
    assert keymap.actions["notes"] == "Shift+F4"
    assert keys.describe(keymap.moved[0]) == (
        "F1 chooses call type 'FAM': the list of keys moves to Shift+F1"
    )
    assert [m.action for m in keymap.moved] == ["keys", "digits", "caller", "notes"]
    assert not keymap.problems


def test_no_key_does_two_things() -> None:
    for pack in (
        {},
        {"A": "F5", "B": "F6"},
        {"A": "F1", "B": "Shift+F1", "C": "F9", "D": "Ctrl+F"},
        {"A": "F2", "B": "Shift+F2", "C": "Ctrl+F2"},
    ):
        keymap = keys.resolve(pack)
        every = [*keymap.actions.values(), *keymap.call_types.values()]
        assert len(every) == len(set(every)), pack


def test_when_every_alternative_is_taken_the_pack_gives_way_on_the_last() -> None:
    keymap = keys.resolve({"A": "F2", "B": "Shift+F2", "C": "Ctrl+F2"})
    assert keymap.actions["digits"] == "Ctrl+F2"
    assert "C" not in keymap.call_types and "last free key" in keymap.problems["C"]


@pytest.mark.parametrize(
    ("key", "why"),
    [
        ("Ctrl+S", "save"),
        ("Ctrl+N", "new call"),
        ("Ctrl+Q", "quit"),
        ("Ctrl+U", "urgent"),
        ("Ctrl+Shift+S", "supervision"),
        ("Ctrl+C", "edits"),
        ("Ctrl+V", "edits"),
        ("A", "typed"),
        ("7", "typed"),
        ("Shift+A", "typed"),
        ("Alt+C", "underlined"),
        ("Alt+F4", "system"),
        ("Ctrl+Alt+F1", "system"),
    ],
)
def test_keys_that_cannot_give_way_are_refused(key: str, why: str) -> None:
    refused = keys.refusal(keys.canonical(key))
    assert refused is not None and why in refused.replace("a new call", "new call").replace(
        "open the supervision", "supervision"
    ).replace("mark the contact urgent", "urgent")


@pytest.mark.parametrize("key", ["F5", "F1", "Shift+F5", "Ctrl+1", "Alt+1", "Ctrl+Shift+T", "F12"])
def test_ordinary_call_type_keys_are_accepted(key: str) -> None:
    assert keys.refusal(keys.canonical(key)) is None


def test_keys_are_written_one_way() -> None:
    assert keys.canonical("shift+ctrl+t") == "Ctrl+Shift+T"
    assert keys.canonical(" f5 ") == "F5"
    for bad in ("Hyper+Q", "Ctrl+", "F13", "Ctrl+Ctrl+A", "", "é"):
        with pytest.raises(keys.BadKey):
            keys.canonical(bad)


def test_summary_of_keys() -> None:
    assert keys.summary(["F7", "F5", "F6", "F8"]) == "F5–F8"
    assert keys.summary(["F1", "F2", "F3", "F4"]) == "F1–F4"
    assert keys.summary(["Alt+1", "F5"]) == "F5, Alt+1"
