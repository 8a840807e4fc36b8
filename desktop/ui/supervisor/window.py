"""The supervisor's window: contacts, callbacks, dashboard, exercise; exports, branch sheets
and merges. Opened from the agent window with the supervisor PIN (Ctrl+Shift+S)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QMainWindow,
    QTabWidget,
    QWidget,
)

from desktop import operations
from desktop.changes import Changes
from desktop.config import Mode
from desktop.store.site_calls import in_words, within
from desktop.ui.announcer import Announcer
from desktop.ui.ops import Ops, changes_hub
from desktop.ui.supervisor.dashboard import Dashboard
from desktop.ui.supervisor.exercise import ExerciseTab
from desktop.ui.supervisor.file_actions import SupervisionFiles
from desktop.ui.supervisor.reports import ReportsTab
from desktop.ui.supervisor.review import ReviewPanel
from desktop.ui.supervisor.seats import SeatsTab
from desktop.ui.widgets import confirm, named

if TYPE_CHECKING:
    from sqlalchemy import Engine

SetMode = Callable[[str, "Engine | None", Callable[[str], None], Callable[[Exception], None]], None]


class SupervisorWindow(QMainWindow):
    """Everything it reads or writes goes through its ops (desktop.ui.ops), off the GUI
    thread; what an action changed refreshes the tabs (and the agent's history)."""

    def __init__(
        self,
        engine: Engine,
        settings: Any,
        set_mode: SetMode,
        site_url: str = "",
        parent: QWidget | None = None,
        data_root: Path | None = None,
    ) -> None:
        """``engine``: this seat's store; ``site_url``: the site database, when the seat has
        one (Ctrl+Shift+B switches between them). ``set_mode(mode, site_engine, done,
        failed)``: the agent window switches the mode (desktop.seat.mode)."""
        super().__init__(parent)
        self.setObjectName("supervisorWindow")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.seat_engine = engine
        self.data_root = data_root  # where the site's signing key is looked for
        self.site_url = site_url
        self.site_engine: Engine | None = None
        self.settings = settings
        self.ops = Ops(self, "repli-supervision")
        self.status_text = ""
        self.announcer = Announcer(self)  # each action's outcome, said to screen readers
        self._set_mode_in_window = set_mode
        self.tabs = named(QTabWidget(), "supervisorTabs")
        self.files = SupervisionFiles(self, self)  # export, sheets, merge, publish, PNG
        self.setCentralWidget(self.tabs)
        self._build_menu()
        self.show_source(engine)
        changes_hub().changed.connect(self._changed)
        self.resize(1300, 820)

    def show_source(self, engine: Engine) -> None:
        """Every tab on ``engine``: the seat's store or the site database."""
        self.engine = engine
        current = max(0, self.tabs.currentIndex())
        while self.tabs.count():
            old = self.tabs.widget(0)
            self.tabs.removeTab(0)
            if isinstance(old, ReviewPanel):
                old.shutdown()
            elif isinstance(old, Dashboard | ExerciseTab | SeatsTab | ReportsTab):
                old.stop()
            if old is not None:
                old.deleteLater()
        actor = f"supervisor@{self.settings.seat_id}"
        self.contacts = ReviewPanel(engine, actor)
        self.callbacks = ReviewPanel(engine, actor, callbacks=True)
        self.dashboard = Dashboard(engine)
        self.exercise = ExerciseTab(
            engine, self.settings.mode.value, self._set_mode, site=engine is not self.seat_engine
        )
        self.seats = SeatsTab(engine)
        self.seats.spoken.connect(lambda text: self.announcer.say(text, kind="seats"))
        # the reports read this seat's store and the site store its settings name
        self.reports = ReportsTab(self.seat_engine, self.settings, self.data_root)
        self.reports.spoken.connect(self.say)
        self.reports.failed.connect(
            lambda why: self.say(self.tr("The report was not written: %1").replace("%1", why))
        )
        tabs = (self.contacts, self.callbacks, self.dashboard, self.exercise, self.seats)
        for widget in (*tabs, self.reports):
            self.tabs.addTab(widget, "")
        self.tabs.setCurrentIndex(current)
        self.contacts.model.modelReset.connect(self._filter_dashboard)
        # a report written or not is said (a failed save of the report told no one)
        self.exercise.written.connect(
            lambda path: self.say(self.tr("Report written: %1").replace("%1", str(path)))
        )
        self.exercise.failed.connect(
            lambda why: self.say(self.tr("The report was not written: %1").replace("%1", why))
        )
        self.retranslate()
        self._filter_dashboard()

    def toggle_source(self) -> None:
        if not self.site_url:
            self.statusBar().showMessage(self.tr("This seat has no site database."), 5000)
            return
        if self.engine is not self.seat_engine:
            self.show_source(self.seat_engine)
        elif self.site_engine is not None:
            self.show_source(self.site_engine)
        else:  # opened off the GUI thread: unreachable, refused, it says so and stays here
            url = self.site_url
            self.say(self.tr("Opening the site database…"))
            self.ops.run(lambda: _open_site(url), self._site_opened, self.failed)

    def _site_opened(self, engine: Engine) -> None:
        self.site_engine = engine
        self.say("")
        self.show_source(engine)

    def _build_menu(self) -> None:
        self.menu = self.menuBar().addMenu("")
        self.actions_by_key: dict[str, QAction] = {}
        for key, shortcut, slot in (
            ("export", "Ctrl+E", self.files.export_dialog),
            ("sheets", "Ctrl+B", self.files.branch_sheets),
            ("merge", "Ctrl+M", self.files.merge_files),
            ("png", "Ctrl+P", self.files.save_dashboard),
            ("correct", "Ctrl+S", self._save_correction),
            ("done", "Ctrl+D", self._callback_done),
            ("erase", "Ctrl+Shift+Del", self.erase_caller),
            ("refresh", "F5", self.refresh),
            ("source", "Ctrl+Shift+B", self.toggle_source),
            ("publish", "Ctrl+T", self.files.publish_tables),
            ("retire", "Ctrl+Shift+F12", self.retire_client),
            ("close", "Ctrl+W", self.close),
        ):
            action = QAction(self)
            action.setShortcut(QKeySequence(shortcut))
            action.triggered.connect(slot)
            self.menu.addAction(action)
            self.actions_by_key[key] = action
        for number in range(6):
            tab = QAction(self)
            tab.setShortcut(QKeySequence(f"Ctrl+{number + 1}"))
            tab.triggered.connect(lambda _c=False, n=number: self.tabs.setCurrentIndex(n))
            self.addAction(tab)

    def retranslate(self) -> None:
        source = (
            self.tr("this seat") if self.engine is self.seat_engine else self.tr("site database")
        )
        self.setWindowTitle(
            self.tr("Repli — supervision (%1) — %2")
            .replace("%1", self.settings.site)
            .replace("%2", source)
        )
        titles = (
            self.tr("&Contacts (Ctrl+1)"),
            self.tr("Call&backs (Ctrl+2)"),
            self.tr("&Dashboard (Ctrl+3)"),
            self.tr("E&xercise (Ctrl+4)"),
            self.tr("S&eats (Ctrl+5)"),
            self.tr("Re&ports (Ctrl+6)"),
        )
        for i, title in enumerate(titles):
            self.tabs.setTabText(i, title)
        self.menu.setTitle(self.tr("&Supervision"))
        texts = {
            "export": self.tr("&Export the contacts shown…"),
            "sheets": self.tr("&Branch sheets (PDF)…"),
            "merge": self.tr("&Merge other seats' files…"),
            "png": self.tr("Save the dashboard as &PNG…"),
            "correct": self.tr("&Save the correction"),
            "done": self.tr("Callback &done"),
            "erase": self.tr("E&rase this caller's contacts (on request)…"),
            "refresh": self.tr("&Refresh"),
            "source": self.tr("This seat / the site &database"),
            "publish": self.tr("Publish a signed &table pack for the whole site…"),
            "retire": self.tr("Retire this client (end of contract)…"),
            "close": self.tr("&Close the supervision"),
        }
        for key, text in texts.items():
            self.actions_by_key[key].setText(text)

    def retire_client(self) -> None:
        """The client's end of contract (desktop.ui.supervisor.retire_dialog)."""
        from desktop.ui.supervisor.retire_dialog import RetireClient

        self.retirement = RetireClient(self, self.settings, self.data_root, self.ops, self.say)
        self.retirement.start()

    def say(self, text: str) -> None:
        """The outcome of an action, in the status bar until the next (``status_text``), and
        to the screen reader."""
        self.status_text = text
        self.statusBar().showMessage(text)
        self.announcer.say(text, kind="outcome")

    # --- actions ---------------------------------------------------------------------

    def _panel(self) -> ReviewPanel:
        return self.callbacks if self.tabs.currentWidget() is self.callbacks else self.contacts

    def _save_correction(self) -> None:
        self._panel().details.save()

    def erase_caller(self) -> None:
        """Erase every contact of the chosen contact's caller (by number, or by name when
        the number is empty), after a confirmation that says how many."""
        contact = self._panel().details.contact
        if contact is None:
            return
        number, name = contact.caller_number, "" if contact.caller_number else contact.caller_name
        if not number and not name:
            return
        from desktop.supervisor.retention import count_caller

        engine, region = self.engine, self.settings.region
        self.ops.run(
            lambda: count_caller(engine, number, name, region),
            lambda found: self._confirm_erasure(number, name, found),
            self.failed,
        )

    def _confirm_erasure(self, number: str, name: str, found: int) -> None:
        who = number or name
        question = (
            self.tr(
                "Erase the personal data of every contact of %1 (%2 contacts)? The"
                " erasure is sent to the CRM like any change; it cannot be undone."
            )
            .replace("%1", who)
            .replace("%2", str(found))
        )
        if not confirm(self, self.tr("Erase on request"), question):
            return
        engine, actor = self.engine, f"supervisor@{self.settings.seat_id}"
        self.ops.run(
            lambda: operations.erase_caller(engine, actor, number, name),
            lambda done: self.say(self.tr("%1 contacts erased").replace("%1", str(done.contacts))),
            self.failed,
        )

    def _callback_done(self) -> None:
        self._panel().mark_callback_done()

    def _changed(self, changes: Changes) -> None:
        if changes.contacts:  # a correction, an erasure, a merge, a save at the seat
            self.refresh()

    def refresh(self) -> None:
        self.contacts.refresh()
        self.callbacks.refresh()
        self.dashboard.refresh()
        self.exercise.refresh()
        self.seats.refresh()

    def _filter_dashboard(self) -> None:
        self.dashboard.set_filter(self.contacts.current_filter())

    def _set_mode(self, mode: str) -> None:
        """On the site database every seat follows; on this seat, this seat. One core
        function does both (desktop.seat.mode.switch_mode), run by the agent window."""
        site = self.engine if self.engine is not self.seat_engine else None
        self._set_mode_in_window(mode, site, self._mode_applied, self.failed)

    def _mode_applied(self, mode: str) -> None:
        self.settings = replace(self.settings, mode=Mode(mode))
        self.say(self.tr("Mode applied."))

    def failed(self, error: Exception) -> None:
        self.say(self.tr("Failed: %1").replace("%1", in_words(error)))

    def closeEvent(self, event: Any) -> None:
        # the lists first: a read they finish must not start a dashboard refresh afterwards
        for panel in (self.contacts, self.callbacks):
            panel.shutdown()
        self.contacts.model.modelReset.disconnect(self._filter_dashboard)
        changes_hub().changed.disconnect(self._changed)
        self.dashboard.stop()
        self.exercise.stop()
        self.seats.stop()
        self.reports.stop()
        self.ops.shutdown()
        if self.site_engine is not None:
            self.site_engine.dispose()
        super().closeEvent(event)


def _open_site(url: str) -> Engine:
    """The site store, migrated, within READ_BOUND_S (a frozen server is said, not waited on)."""
    from desktop.store.engine import make_engine
    from desktop.store.schema import ensure_schema

    engine = make_engine(url)
    within(engine, lambda: ensure_schema(engine))()
    return engine
