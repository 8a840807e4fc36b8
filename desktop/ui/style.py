"""The seat's look, from one style sheet (resources/styles/repli.qss), given widget by widget.

The sheet's rules name widgets by their object name (``#digitsInput``, ``#modeBanner[mode=…]``);
each named widget gets its own rules (``desktop.ui.widgets.named``), and the one rule for
every widget (``QWidget { font-size }``) becomes the application's font. A style sheet on the
whole application would send every widget's polish through Qt's style-sheet engine: it cost
the cold start ~25 ms of its ~70 ms window build (benchmarks/agent_seat.py), for two dozen
styled widgets among hundreds."""

from __future__ import annotations

import re
from functools import lru_cache

from PySide6.QtWidgets import QApplication, QWidget

_RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")
_FONT_SIZE = re.compile(r"font-size:\s*([0-9.]+)pt")


class StyleSheetError(ValueError):
    """A rule this way of styling cannot give (a selector other than ``#name…`` or
    ``QWidget``): refused when the sheet is read, not silently dropped."""


def parse(sheet: str) -> tuple[dict[str, str], float | None]:
    """Each object name's rules, and the font size (points) of the rule for every widget."""
    sheet = re.sub(r"/\*.*?\*/", "", sheet, flags=re.DOTALL)
    rules: dict[str, str] = {}
    points: float | None = None
    for selectors, body in _RULE.findall(sheet):
        for selector in (s.strip() for s in selectors.split(",")):
            name = re.match(r"#(\w+)", selector)
            if name:
                rules[name[1]] = rules.get(name[1], "") + f"{selector} {{{body}}}\n"
            elif selector == "QWidget" and (size := _FONT_SIZE.search(body)):
                points = float(size[1])
            else:
                raise StyleSheetError(f"repli.qss: the rule {selector!r} is not supported")
    if _RULE.sub("", sheet).strip():
        raise StyleSheetError("repli.qss: text outside any rule")
    return rules, points


@lru_cache(maxsize=1)
def _sheet() -> tuple[dict[str, str], float | None]:
    from desktop.paths import resources_dir

    path = resources_dir() / "styles" / "repli.qss"
    return parse(path.read_text(encoding="utf-8")) if path.exists() else ({}, None)


def rules_for(name: str) -> str:
    """The sheet's rules for the widget named ``name`` ('' when it has none)."""
    return _sheet()[0].get(name, "")


def style(widget: QWidget, extra: str = "") -> None:
    """Its own rules, and ``extra`` declarations (a client's colour) for itself."""
    name = widget.objectName()
    own = f"#{name} {{ {extra} }}\n" if extra and name else extra
    widget.setStyleSheet(rules_for(name) + own)


def apply_font(app: QApplication) -> None:
    points = _sheet()[1]
    if points:
        font = app.font()
        font.setPointSizeF(points)
        app.setFont(font)
