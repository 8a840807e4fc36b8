"""The seat's style sheet, given to the widgets it names rather than to the application
(desktop.ui.style): the window looks the same, and Qt's style-sheet engine polishes only
the styled widgets."""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QImage, QPalette
from PySide6.QtWidgets import QApplication, QScrollArea, QWidget
from pytestqt.qtbot import QtBot

from desktop.paths import resources_dir
from desktop.ui import style
from desktop.ui.main_window import MainWindow
from tests.gui.conftest import Opener, focused, press, type_text

CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


def test_the_window_wears_the_sheet_widget_by_widget(window: MainWindow) -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    assert app.styleSheet() == ""  # no sheet over every widget
    assert app.font().pointSizeF() == 10.5  # the sheet's rule for every widget
    digits = window.page.lookup.digits
    assert "#digitsInput" in digits.styleSheet()
    assert digits.font().pointSizeF() == 22
    card = window.findChild(QWidget, "branchCard")
    assert card is not None and card.styleSheet().startswith("#branchCard")
    banner = window.mode_banner
    assert '#modeBanner[mode="exercise"]' in banner.styleSheet()
    unstyled = window.findChild(QWidget, "agentPage")
    assert unstyled is not None and unstyled.styleSheet() == ""


def test_each_name_gets_only_its_own_rules() -> None:
    rules, points = style.parse(
        "/* a comment */ QWidget { font-size: 11pt; }\n"
        '#a { color: red; } #a[state="x"] { color: blue; }\n#b, #c { padding: 2px; }'
    )
    assert points == 11
    assert rules == {
        "a": '#a { color: red; }\n#a[state="x"] { color: blue; }\n',
        "b": "#b { padding: 2px; }\n",
        "c": "#c { padding: 2px; }\n",
    }


@pytest.mark.parametrize(
    ("sheet", "said"),
    [
        ("QLabel { color: red; }", "the rule 'QLabel' is not supported"),
        ("#a QLabel { color: red; }", None),  # a descendant of #a: still #a's own sheet
        ("#a { color: red; } stray", "text outside any rule"),
    ],
)
def test_a_rule_this_way_cannot_give_is_refused_by_name(sheet: str, said: str | None) -> None:
    if said is None:
        assert "#a QLabel" in style.parse(sheet)[0]["a"]
        return
    with pytest.raises(style.StyleSheetError, match=said):
        style.parse(sheet)


def _declared(body: str, prop: str) -> bool:
    return any(d.split(":")[0].strip() == prop for d in body.split(";") if ":" in d)


def test_every_colour_comes_with_its_background() -> None:
    """A text colour alone is unreadable on the other palette (the card's grey text on a
    light background it set, with a dark system palette's light text): each rule that sets
    one sets the other."""
    for theme, file in style.THEMES.items():
        sheet = (resources_dir() / "styles" / file).read_text(encoding="utf-8")
        sheet = re.sub(r"/\*.*?\*/", "", sheet, flags=re.DOTALL)
        rules = re.findall(r"([^{}]+)\{([^{}]*)\}", sheet)
        assert len(rules) > 20, theme
        style.parse(sheet)  # every rule one the widget-by-widget styling can give
        alone = [
            selector.strip()
            for selector, body in rules
            if _declared(body, "color") != _declared(body, "background")
        ]
        assert alone == [], theme


def test_the_card_stays_readable_on_a_dark_system_palette(
    open_window: Opener, qtbot: QtBot
) -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    dark = QPalette()
    for role, colour in (
        (QPalette.ColorRole.Window, "#202124"),
        (QPalette.ColorRole.WindowText, "#e8eaed"),
        (QPalette.ColorRole.Base, "#292a2d"),
        (QPalette.ColorRole.Text, "#e8eaed"),
    ):
        dark.setColor(role, QColor(colour))
    app.setPalette(dark)
    try:
        window = open_window()
        type_text(qtbot, "6881")
        card = window.page.lookup.card
        assert card.name.text()
        image = card.grab().toImage()
        background = QColor("#f6f8fa")
        for label in (card.place, card.number, card.hours, card.call_type, card.name):
            assert label.text()
            inks = _inks(label.grab().toImage())
            # the darkest ink drawn on the card's light background: text a person can read
            assert max(_contrast(ink, background) for ink in inks) >= 4.5, label.objectName()
        assert image.pixelColor(2, image.height() // 2).lightness() > 200  # the card is light
    finally:
        app.setPalette(QPalette())


def _inks(image: QImage) -> list[QColor]:
    step = max(1, image.width() // 200)
    return [
        image.pixelColor(x, y)
        for y in range(0, image.height(), 2)
        for x in range(0, image.width(), step)
    ]


def _luminance(colour: QColor) -> float:
    def channel(value: float) -> float:
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    return (
        0.2126 * channel(colour.redF())
        + 0.7152 * channel(colour.greenF())
        + 0.0722 * channel(colour.blueF())
    )


def _contrast(a: QColor, b: QColor) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_at_200_percent_the_window_fits_a_1366x768_screen_and_the_page_scrolls(
    window: MainWindow, qtbot: QtBot
) -> None:
    """At 200% (QT_SCALE_FACTOR=2) a 1366x768 screen holds 683x384 of the window's units: its
    minimum was 841x602, and the status bar, where "Enregistrée" appears, fell below the
    screen. The agent page now scrolls, and a key's jump brings its field into sight."""
    minimum = window.minimumSizeHint()
    assert minimum.width() <= 683 and minimum.height() <= 384
    room = window.screen().availableGeometry()
    assert window.width() <= room.width() and window.height() <= room.height()
    area = window.findChild(QScrollArea, "pageScroll")
    assert area is not None and area.widget() is window.stack
    window.resize(683, 384)
    qtbot.waitUntil(lambda: area.verticalScrollBar().maximum() > 0)
    area.verticalScrollBar().setValue(area.verticalScrollBar().maximum())
    digits = window.page.lookup.digits
    assert not _in_sight(area, digits)
    press(qtbot, Qt.Key.Key_Tab)
    press(qtbot, Qt.Key.Key_F2)  # the digits' key
    assert focused() is digits
    qtbot.waitUntil(lambda: _in_sight(area, digits))
    assert window.statusBar().geometry().bottom() <= window.height()


def _in_sight(area: QScrollArea, widget: QWidget) -> bool:
    top_left = widget.mapTo(area.viewport(), QPoint(0, 0))
    return area.viewport().rect().contains(top_left)


def test_a_key_switches_to_high_contrast_and_back(window: MainWindow, qtbot: QtBot) -> None:
    """White and yellow on black for every widget, the card's labels included, said to the
    screen reader; the same key brings the standard look back."""
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    said: list[str] = []
    window.announcer.said.connect(lambda text, _assertive: said.append(text))
    type_text(qtbot, "6881")
    try:
        press(qtbot, Qt.Key.Key_H, CTRL_SHIFT)
        assert style.theme() == "contrast"
        qtbot.waitUntil(lambda: any("Contraste élevé activé" in t for t in said))
        assert app.palette().color(QPalette.ColorRole.Window) == QColor("#000000")
        card = window.page.lookup.card
        assert "#ffff00" in card.name.styleSheet()
        for label in (card.place, card.hours, card.name):
            inks = _inks(label.grab().toImage())
            assert max(_contrast(ink, QColor("#000000")) for ink in inks) >= 7, label.objectName()
        assert window.menus.actions["contrast"].isChecked()
        press(qtbot, Qt.Key.Key_H, CTRL_SHIFT)
        assert style.theme() == "standard" and "#0b3d91" in card.name.styleSheet()
        qtbot.waitUntil(lambda: any("Contraste élevé désactivé" in t for t in said))
    finally:
        style.set_theme(app, "standard")
