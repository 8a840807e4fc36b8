"""The agent window's keys, and a table pack's call-type keys among them.

The rule (documented in lookup_tables/README.md):

- A pack's call-type key takes precedence over Repli's own navigation keys. A navigation key
  that a pack takes (F1 the list of keys, F2–F4 the fields, F9 the waiting call, Ctrl+F the
  history) moves to its first free alternative (Shift+F1, then Ctrl+F1, …); the import says
  so, and the window and its F1 list show the key where it now is.
- The keys that cannot give way are refused at import, with the reason: save, new call,
  urgent, quit and the supervision; the text-editing keys of the fields (Ctrl+C, Ctrl+V, …);
  keys that type (a letter, a digit, Shift with either); Alt with a letter (the window's
  underlined letters and menus); Alt+F4 and Ctrl+Alt+F-keys, which the system takes.

So no key is ever ambiguous or dead: each key does exactly one thing in the window.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

_MODIFIERS = ("Ctrl", "Alt", "Shift", "Meta")
_FUNCTION_KEYS = {f"F{n}" for n in range(1, 13)}

# The window's actions that may move, each with its keys in order of preference.
NAVIGATION: dict[str, tuple[str, ...]] = {
    "keys": ("F1", "Shift+F1", "Ctrl+F1"),
    "digits": ("F2", "Shift+F2", "Ctrl+F2"),
    "caller": ("F3", "Shift+F3", "Ctrl+F3"),
    "notes": ("F4", "Shift+F4", "Ctrl+F4"),
    "take": ("F9", "Shift+F9", "Ctrl+F9"),
    "history": ("Ctrl+F", "Ctrl+Shift+F"),
    "other": ("F12", "Shift+F12", "Ctrl+F12"),  # a shift of several clients: the next one
}
# The window's actions that never move: a pack may not take their keys.
FIXED: dict[str, str] = {
    "new": "Ctrl+N",
    "save": "Ctrl+S",
    "save2": "Ctrl+Return",
    "urgent": "Ctrl+U",
    "quit": "Ctrl+Q",
    "supervisor": "Ctrl+Shift+S",
    "client": "Ctrl+Shift+K",  # a seat with several clients: change the client
    "contrast": "Ctrl+Shift+H",  # high contrast on or off
}
_EDITING = {f"Ctrl+{k}" for k in "ACVXYZ"} | {"Ctrl+Shift+Z", "Ctrl+Enter"}


class BadKey(ValueError):
    """Not a key like F5, Alt+1 or Ctrl+Shift+T."""


def canonical(text: str) -> str:
    """``ctrl+shift+t`` → ``Ctrl+Shift+T``: modifiers in one order, the key in capitals."""
    parts = [p.strip() for p in text.replace(" ", "").split("+")]
    if not parts or any(not p for p in parts):
        raise BadKey(f"{text!r} is not a key like F5, Alt+1 or Ctrl+Shift+T")
    *mods, key = parts
    named = {m.capitalize() for m in mods}
    if len(named) != len(mods) or not named <= set(_MODIFIERS):
        raise BadKey(f"{text!r} is not a key like F5, Alt+1 or Ctrl+Shift+T")
    key = key.upper()
    if key == "RETURN" or key == "ENTER":
        key = key.capitalize()
    elif key not in _FUNCTION_KEYS and not (len(key) == 1 and key.isascii() and key.isalnum()):
        raise BadKey(f"{text!r} is not a key like F5, Alt+1 or Ctrl+Shift+T")
    return "+".join([*(m for m in _MODIFIERS if m in named), key])


def refusal(key: str) -> str | None:
    """Why a pack may not give ``key`` (canonical) to a call type, or None."""
    *mods, name = key.split("+")
    fixed = {v: k for k, v in FIXED.items()}
    if key in fixed:
        return f"{key} is Repli's key to {_FIXED_WORDS[fixed[key]]}"
    if key in _EDITING:
        return f"{key} edits the text of the fields"
    if name not in _FUNCTION_KEYS and set(mods) <= {"Shift"}:
        return f"{key} would be typed into the fields"
    if name not in _FUNCTION_KEYS and mods == ["Alt"] and name.isalpha():
        return f"{key} is an Alt+underlined letter of the window"
    if key == "Alt+F4" or (name in _FUNCTION_KEYS and {"Ctrl", "Alt"} <= set(mods)):
        return f"{key} is taken by the system"
    return None


_FIXED_WORDS = {
    "new": "start a new call",
    "save": "save the contact",
    "save2": "save the contact",
    "urgent": "mark the contact urgent",
    "quit": "quit",
    "supervisor": "open the supervision",
    "client": "change the client company",
}


@dataclass(frozen=True)
class Move:
    """A navigation key a pack's call type took, and where that action went."""

    action: str
    old: str
    new: str
    call_type: str


@dataclass(frozen=True)
class KeyMap:
    """Every key of the agent window: the window's actions and the call types'."""

    actions: dict[str, str]
    call_types: dict[str, str]  # call type code -> key
    moved: tuple[Move, ...] = ()
    problems: dict[str, str] = field(default_factory=dict)  # call type code -> why refused

    def call_type_keys(self, shown: Callable[[str], str] = str) -> str:
        """The call types' keys for a label (``F5–F8``), or "—" when none has a key."""
        return summary(list(self.call_types.values()), shown) or "—"


def resolve(call_type_keys: Mapping[str, str]) -> KeyMap:
    """The window's keys once the pack's call types have theirs (``code -> key``)."""
    taken: dict[str, str] = {}
    problems: dict[str, str] = {}
    for code, text in call_type_keys.items():
        if not text:
            continue
        try:
            key = canonical(text)
        except BadKey as exc:
            problems[code] = str(exc)
            continue
        why = refusal(key) or (
            f"{key} already chooses call type {taken[key]!r}" if key in taken else None
        )
        if why:
            problems[code] = why
        else:
            taken[key] = code
    actions = dict(FIXED)
    moved = []
    for action, choices in NAVIGATION.items():
        free = next((k for k in choices if k not in taken), None)
        if free is None:  # every alternative taken: the pack's last one must give way
            code = taken.pop(choices[-1])
            problems[code] = f"{choices[-1]} is the last free key for {_NAV_WORDS[action]}"
            free = choices[-1]
        if free != choices[0]:
            moved.append(Move(action, choices[0], free, taken[choices[0]]))
        actions[action] = free
    return KeyMap(actions, {c: k for k, c in taken.items()}, tuple(moved), problems)


_NAV_WORDS = {
    "keys": "the list of keys",
    "digits": "going to the dialled digits",
    "caller": "going to the caller's number",
    "notes": "going to the notes",
    "take": "taking the waiting call",
    "history": "the history search",
}


def describe(move: Move) -> str:
    """What an import says about a move."""
    return (
        f"{move.old} chooses call type {move.call_type!r}: "
        f"{_NAV_WORDS[move.action]} moves to {move.new}"
    )


def summary(keys: list[str], shown: Callable[[str], str] = str) -> str:
    """``F5–F8`` for a run of function keys, else the keys one after the other, each as
    ``shown`` names it."""
    ordered = sorted(keys, key=lambda k: (len(k), int(k[1:]) if k in _FUNCTION_KEYS else 0, k))
    numbers = [int(k[1:]) for k in ordered if k in _FUNCTION_KEYS]
    if len(numbers) == len(ordered) > 2 and numbers == list(range(numbers[0], numbers[-1] + 1)):
        return f"F{numbers[0]}–F{numbers[-1]}"
    return ", ".join(shown(k) for k in ordered)
