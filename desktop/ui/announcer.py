"""What changes on screen, said to screen readers.

Two routes, one per kind of screen reader:

- ``QAccessibleAnnouncementEvent`` (Qt 6.8 and later): NVDA and JAWS through UI Automation's
  notifications, Orca from 45.2 through AT-SPI's announcement signal;
- a change of the focused widget's accessible description, which every Orca speaks (Debian
  12's Orca 43 knows no announcement signal): the description is that widget's own again as
  soon as the focus leaves it, and a message said twice in a row still changes it.

Each screen reader takes one route, or it would speak everything twice: the description on
Linux, the event elsewhere; ``REPLI_ANNOUNCE=event`` (an Orca of 45.2 or later) or
``description`` chooses. What is said in one turn of the event loop is said as one message
(a pop fills the digits, the card and the form at once), each part once, assertive when one
part is: a burst of keys or changes never queues a string of messages.
"""

from __future__ import annotations

import contextlib
import os
import sys

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QAccessible, QAccessibleAnnouncementEvent
from PySide6.QtWidgets import QApplication, QWidget

ROUTES = ("event", "description")


def route() -> str:
    chosen = os.environ.get("REPLI_ANNOUNCE", "")
    if chosen in ROUTES:
        return chosen
    return "description" if sys.platform.startswith("linux") else "event"


class Announcer(QObject):
    """Signals: ``said(str, bool)`` with each message as it goes out, and whether it was
    assertive (for tests and for the log of a session).

    ``say`` is the slot the windows' ``spoken(str, bool, str)`` signals connect to."""

    said = Signal(str, bool)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.route = route()
        self._parts: dict[str, str] = {}  # by kind, in the order first said
        self._assertive = False
        self._flush = QTimer(self, singleShot=True, interval=0)
        self._flush.timeout.connect(self._say_now)
        self._described: QWidget | None = None
        self._own_description = ""
        self._toggle = False
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._focus_changed)

    def say(self, text: str, assertive: bool = False, kind: str = "") -> None:
        """Say ``text`` once this turn of the event loop ends, with whatever else is said in
        it. Polite unless ``assertive`` (a call arriving, a save refused). A later message of
        the same ``kind`` replaces an earlier one not said yet (keys typed in a burst: the
        last count only)."""
        text = " ".join(text.split())
        if not text or text in self._parts.values():
            return
        self._parts[kind or text] = text
        self._assertive = self._assertive or assertive
        self._flush.start()

    def _say_now(self) -> None:
        parts, assertive = list(self._parts.values()), self._assertive
        self._parts, self._assertive = {}, False
        if not parts:
            return
        message = ". ".join(p.rstrip(".") for p in parts) + "."
        window = self.parent()
        target = QApplication.focusWidget()
        if target is None and isinstance(window, QWidget):  # the window is not the active one
            target = window.focusWidget() or window
        if target is not None:
            if self.route == "event":
                self._announce(target, message, assertive)
            else:
                self._describe(target, message)
        self.said.emit(message, assertive)

    @staticmethod
    def _announce(target: QWidget, message: str, assertive: bool) -> None:
        event = QAccessibleAnnouncementEvent(target, message)
        politeness = QAccessible.AnnouncementPoliteness
        event.setPoliteness(politeness.Assertive if assertive else politeness.Polite)
        QAccessible.updateAccessibility(event)

    def _describe(self, target: QWidget, message: str) -> None:
        if target is not self._described:
            self._give_back()
            self._described, self._own_description = target, target.accessibleDescription()
        self._toggle = not self._toggle  # the same message again is still a change
        target.setAccessibleDescription(message + (" " if self._toggle else ""))

    def _focus_changed(self, old: QWidget | None, _new: QWidget | None) -> None:
        if old is not None and old is self._described:
            # once the focus events are out: a screen reader would speak the change of the
            # object still focused
            QTimer.singleShot(0, self, self._give_back_unfocused)

    def _give_back_unfocused(self) -> None:
        described = self._described
        if described is not None and not _has_focus(described):
            self._give_back()

    def _give_back(self) -> None:
        """The widget's own description again, once it no longer has the focus (a screen
        reader speaks a description change of the focused object only)."""
        if self._described is not None:
            with contextlib.suppress(RuntimeError):  # the widget is gone
                self._described.setAccessibleDescription(self._own_description)
        self._described, self._own_description = None, ""


def _has_focus(widget: QWidget) -> bool:
    try:
        return widget.hasFocus()
    except RuntimeError:  # the widget is gone
        return False
