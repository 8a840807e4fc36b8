"""The seat's operating mode and site above everything, in the mode's colour (the style sheet
keys on the ``mode`` property), its role and words said to screen readers ("SECOURS SINISTRE"
never reached a screen reader as a bare colour band)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from desktop.ui.texts import mode_label
from desktop.ui.widgets import named, repolish


class ModeBanner(QLabel):
    def __init__(self) -> None:
        super().__init__(alignment=Qt.AlignmentFlag.AlignCenter)
        named(self, "modeBanner")

    def show_mode(self, mode: str, site: str) -> None:
        if self.property("mode") != mode:
            self.setProperty("mode", mode)
            repolish(self)  # the sheet's colour for the new mode
        self.setText(mode_label(mode) + " — " + site)
        self.setAccessibleName(self.tr("Operating mode: %1").replace("%1", self.text()))
