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

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QWidget

from desktop.paths import resources_dir

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


THEMES = {"standard": "repli.qss", "contrast": "repli-contrast.qss"}
_theme = "standard"


@lru_cache(maxsize=len(THEMES))
def _sheet(theme: str = "standard") -> tuple[dict[str, str], float | None]:
    path = resources_dir() / "styles" / THEMES[theme]
    return parse(path.read_text(encoding="utf-8")) if path.exists() else ({}, None)


def rules_for(name: str) -> str:
    """The sheet's rules for the widget named ``name`` ('' when it has none)."""
    return _sheet(_theme)[0].get(name, "")


def style(widget: QWidget, extra: str = "") -> None:
    """Its own rules, and ``extra`` declarations (a client's colour) for itself (kept for
    when the theme changes)."""
    name = widget.objectName()
    if extra:
        widget.setProperty("styleExtra", extra)
    own = f"#{name} {{ {extra} }}\n" if extra and name else extra
    widget.setStyleSheet(rules_for(name) + own)


def apply_font(app: QApplication) -> None:
    for name in THEMES:  # every sheet read before the first frame: a switch reads no file
        _sheet(name)
    points = _sheet(_theme)[1]
    if points:
        font = app.font()
        font.setPointSizeF(points)
        app.setFont(font)


def theme() -> str:
    return _theme


def wants_contrast(app: QApplication) -> bool:
    """The system asks for high contrast (Qt 6.10's accessibility hints)."""
    from PySide6.QtCore import Qt

    hints = app.styleHints()
    try:
        accessibility = hints.accessibility()
        return accessibility.contrastPreference() == Qt.ContrastPreference.HighContrast
    except RuntimeError:  # PySide6 can lose the hints' wrapper: no preference then
        return False


def toggle_contrast() -> bool:
    """High contrast on or off (the system's preference chose it at start): whether on."""
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    on = _theme != "contrast"
    set_theme(app, "contrast" if on else "standard")
    return on


def set_theme(app: QApplication, name: str) -> None:
    """``standard`` or ``contrast``: the sheet for every named widget, the font, and with
    high contrast a palette of white on black for the widgets the sheet does not name."""
    global _theme
    if name not in THEMES or name == _theme:
        return
    _theme = name
    app.setPalette(_contrast_palette() if name == "contrast" else QPalette())
    apply_font(app)
    for widget in app.allWidgets():
        named = widget.objectName()
        if named and (rules_for(named) or widget.styleSheet()):
            style(widget, str(widget.property("styleExtra") or ""))


def _contrast_palette() -> QPalette:
    palette = QPalette()
    roles = QPalette.ColorRole
    for role, colour in (
        (roles.Window, "#000000"),
        (roles.WindowText, "#ffffff"),
        (roles.Base, "#000000"),
        (roles.AlternateBase, "#1a1a1a"),
        (roles.Text, "#ffffff"),
        (roles.Button, "#000000"),
        (roles.ButtonText, "#ffffff"),
        (roles.Highlight, "#ffff00"),
        (roles.HighlightedText, "#000000"),
        (roles.ToolTipBase, "#000000"),
        (roles.ToolTipText, "#ffffff"),
        (roles.PlaceholderText, "#c0c0c0"),
        # the frames of fields, boxes and lists: drawn with these, white on black
        (roles.Light, "#ffffff"),
        (roles.Midlight, "#ffffff"),
        (roles.Mid, "#ffffff"),
        (roles.Dark, "#ffffff"),
        (roles.Shadow, "#ffffff"),
    ):
        palette.setColor(role, QColor(colour))
    for role in (roles.Text, roles.WindowText, roles.ButtonText):  # disabled: grey, readable
        palette.setColor(QPalette.ColorGroup.Disabled, role, QColor("#a0a0a0"))
    return palette
