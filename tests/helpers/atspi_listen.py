"""What a screen reader receives from Repli, read on the real AT-SPI bus.

Run by the system's Python (Debian's python3-pyatspi is not on PyPI), on the session bus of
``tests.helpers.desktop_session``:

    python3 atspi_listen.py events   one JSON line per event a screen reader acts on
    python3 atspi_listen.py tree     one JSON line per interactive object of Repli's windows
    python3 atspi_listen.py focused  one JSON line per object of Repli's that says it is focused

Each event line: ``type``, the source's ``role`` and ``name``, ``data`` (the new description,
the announcement) and ``t`` (CLOCK_MONOTONIC, shared with the test's process).
"""

from __future__ import annotations

import json
import sys
import time

import pyatspi  # type: ignore[import-not-found]

EVENTS = (
    "object:property-change:accessible-name",  # a label's new text (the candidate count)
    "object:property-change:accessible-description",
    "object:announcement",
    "object:state-changed:focused",
)
# roles a person acts on: each needs a name a screen reader can say
INTERACTIVE = {
    "push button",
    "toggle button",
    "check box",
    "radio button",
    "combo box",
    "text",
    "password text",
    "entry",
    "spin button",
    "list",
    "list box",
    "table",
    "tree table",
    "slider",
    "page tab",
}


def out(kind: str, **fields: object) -> None:
    print(json.dumps({"kind": kind, "t": time.monotonic(), **fields}), flush=True)


def on_event(event: object) -> None:
    try:
        source = event.source  # type: ignore[attr-defined]
        out(
            "event",
            type=event.type,  # type: ignore[attr-defined]
            role=source.getRoleName(),
            name=source.name or "",
            detail=event.detail1,  # type: ignore[attr-defined]
            data=str(event.any_data or ""),  # type: ignore[attr-defined]
        )
    except Exception as exc:
        out("gone", why=str(exc))


def events() -> None:
    pyatspi.Registry.registerEventListener(on_event, *EVENTS)
    out("ready")
    pyatspi.Registry.start()


def tree() -> None:
    """Every showing interactive object of the application named ``repli``, with its name,
    description, role and placeholder, then ``done``."""
    desktop = pyatspi.Registry.getDesktop(0)
    for app in desktop:
        if app is None or "repli" not in (app.name or "").lower():
            continue
        _walk(app, [])
    out("done")


def focused() -> None:
    """Every object of Repli's that reports itself focused, table cells and closed lists'
    items included (a screen reader takes the first it finds for the focus), then ``done``."""
    desktop = pyatspi.Registry.getDesktop(0)
    for app in desktop:
        if app is not None and "repli" in (app.name or "").lower():
            _focused_in(app, 0)
    out("done")


def _focused_in(node: object, depth: int) -> None:
    for child in node:  # type: ignore[attr-defined]
        if child is None:
            continue
        try:
            if child.getState().contains(pyatspi.STATE_FOCUSED):
                out("object", role=child.getRoleName(), name=child.name or "")
            if depth < 40 and child.childCount < 500:  # a table's cells, not a million rows
                _focused_in(child, depth + 1)
        except Exception as exc:
            out("gone", why=str(exc))


def _walk(node: object, path: list[str]) -> None:
    for child in node:  # type: ignore[attr-defined]
        if child is None:
            continue
        try:
            states = child.getState()
            if not states.contains(pyatspi.STATE_SHOWING):
                continue
            role = child.getRoleName()
            here = [*path, f"{role}:{child.name or ''}"]
            if role in INTERACTIVE:
                attributes = dict(a.split(":", 1) for a in child.getAttributes() if ":" in a)
                out(
                    "object",
                    role=role,
                    name=child.name or "",
                    labelled_by=_labels(child),
                    description=child.description or "",
                    placeholder=attributes.get("placeholder-text", ""),
                    path=" / ".join(here[-3:]),
                )
            if role not in ("table", "tree table", "list", "list box"):  # not every cell
                _walk(child, here)
        except Exception as exc:
            out("gone", why=str(exc))


def _labels(node: object) -> list[str]:
    """The names of the labels an object is labelled by (a combo box's name is its value on
    Linux: Orca says the label it is labelled by)."""
    found = []
    for relation in node.getRelationSet():  # type: ignore[attr-defined]
        if relation.getRelationType() == pyatspi.RELATION_LABELLED_BY:
            for i in range(relation.getNTargets()):
                target = relation.getTarget(i)
                found.append(target.name or "" if target is not None else "")
    return found


if __name__ == "__main__":
    {"events": events, "tree": tree, "focused": focused}[sys.argv[1]]()
