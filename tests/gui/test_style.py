"""The seat's style sheet, given to the widgets it names rather than to the application
(desktop.ui.style): the window looks the same, and Qt's style-sheet engine polishes only
the styled widgets."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication, QWidget

from desktop.ui import style
from desktop.ui.main_window import MainWindow


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
