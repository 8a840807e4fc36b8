"""The agent window's menus: every action lives in a menu with its shortcut, so each shortcut
is shown in the UI, with the key the pack's call types left it (desktop.keys); the call types'
own keys in their menu; the keys' list (F1) read from the menus themselves.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu, QMessageBox

from desktop.lookup import LookupIndex

if TYPE_CHECKING:
    from desktop.ui.agent_page import AgentPage

# what an agent may do before signing in
ALWAYS = ("quit", "keys", "take", "supervisor", "client", "other", "contrast")


class AgentMenus(QObject):
    def __init__(
        self, window: QMainWindow, page: AgentPage, slots: dict[str, Callable[[], object]]
    ):
        """``slots``: the window's own actions (new, quit, history, contrast, supervisor);
        the page's are taken from the page."""
        super().__init__(window)
        self.window, self.page = window, page
        self.actions: dict[str, QAction] = {}
        key = page.keymap.actions
        bar = window.menuBar()
        self.call_menu = bar.addMenu("")
        for name, slot in (
            ("new", slots["new"]),
            ("save", page.save),
            ("save2", page.save),
            ("urgent", page.form.toggle_urgent),
            ("take", page.take_waiting),
        ):
            self._add(self.call_menu, name, key[name], slot)
        self.call_menu.addSeparator()
        self._add(self.call_menu, "client", key["client"], None).setVisible(False)  # offer
        self._add(self.call_menu, "quit", key["quit"], slots["quit"])
        self.go_menu = bar.addMenu("")
        for name, slot in (
            ("digits", page.focus_digits),
            ("caller", page.form.focus_caller),
            ("notes", page.form.focus_notes),
            ("history", slots["history"]),
        ):
            self._add(self.go_menu, name, key[name], slot)
        self._add(self.go_menu, "other", key["other"], None).setVisible(False)  # offer
        self.types_menu = bar.addMenu("")
        self.help_menu = bar.addMenu("")
        self._add(self.help_menu, "keys", key["keys"], self.show_keys)
        self._add(self.help_menu, "contrast", key["contrast"], slots["contrast"])
        self.actions["contrast"].setCheckable(True)
        self._add(self.help_menu, "supervisor", key["supervisor"], slots["supervisor"])
        self.set_agent_enabled(False)

    def _add(
        self, menu: QMenu, name: str, shortcut: str, slot: Callable[[], object] | None
    ) -> QAction:
        action = QAction(self.window)
        action.setShortcut(QKeySequence(shortcut))
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        if slot is not None:
            action.triggered.connect(slot)
        menu.addAction(action)
        self.actions[name] = action
        return action

    def fill_types(self, index: LookupIndex | None) -> None:
        """The pack's call types with their keys (a new pack replaces them all)."""
        for action in self.types_menu.actions():
            self.window.removeAction(action)
        self.types_menu.clear()
        page = self.page
        for name, action in self.actions.items():
            action.setShortcut(QKeySequence(page.keymap.actions[name]))
        call_types = index.call_types.values() if index else []
        for call_type in sorted(call_types, key=lambda c: c.code):
            hotkey = page.keymap.call_types.get(call_type.code)
            if hotkey:
                action = self.types_menu.addAction(call_type.label)
                action.setShortcut(QKeySequence(hotkey))
                action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
                action.triggered.connect(
                    lambda _c=False, code=call_type.code: page.choose_call_type(code)
                )
                self.window.addAction(action)

    def offer(self, name: str, slot: Callable[[], object]) -> None:
        """An action only some seats have (``client``: a seat with several clients ends
        this client's shift; ``other``: a shift of several clients shows the next one)."""
        self.actions[name].triggered.connect(slot)
        self.actions[name].setVisible(True)

    def set_agent_enabled(self, enabled: bool) -> None:
        for name, action in self.actions.items():
            if name not in ALWAYS:
                action.setEnabled(enabled)
        self.types_menu.setEnabled(enabled)

    def retranslate(self) -> None:
        self.call_menu.setTitle(self.tr("&Call"))
        self.go_menu.setTitle(self.tr("&Go to"))
        self.types_menu.setTitle(self.tr("Call t&ype"))
        self.help_menu.setTitle(self.tr("&Help"))
        texts = {
            "new": self.tr("&New call"),
            "save": self.tr("&Save the contact"),
            "save2": self.tr("Save the contact (alternative key)"),
            "urgent": self.tr("Mark &urgent"),
            "take": self.tr("&Take the waiting call"),
            "quit": self.tr("&Quit"),
            "client": self.tr("Change the c&lient…"),
            "digits": self.tr("&Dialled digits"),
            "caller": self.tr("&Caller's number"),
            "notes": self.tr("N&otes"),
            "history": self.tr("Search the &history"),
            "other": self.tr("The shift's next c&lient"),
            "keys": self.tr("&Keyboard shortcuts"),
            "contrast": self.tr("&High contrast"),
            "supervisor": self.tr("&Supervision (PIN)…"),
        }
        for name, text in texts.items():
            self.actions[name].setText(text)

    def show_keys(self) -> None:
        """The keys' list (F1): every visible action, the call types, the lookup's keys."""
        native = QKeySequence.SequenceFormat.NativeText
        lines = [
            f"{a.shortcut().toString(native)}\t{a.text()}"
            for a in self.actions.values()
            if a.isVisible()
        ]
        lines += [f"{a.shortcut().toString()}\t{a.text()}" for a in self.types_menu.actions()]
        lines += [
            self.tr("Up/Down\tchoose among the matching numbers"),
            self.tr("Enter\ttake the chosen number, go to the caller"),
            self.tr("Call-type key on the digits\tchoose the type, go on to the caller"),
            self.tr("Alt+underlined letter\tgo to that field"),
        ]
        text = "\n".join(lines).replace("&", "")
        QMessageBox.information(self.window, self.tr("Keyboard shortcuts"), text)
