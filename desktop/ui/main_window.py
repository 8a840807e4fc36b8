"""The agent window: the mode banner, sign-in then the agent page, menus and status bar.

Every action lives in a menu with its shortcut, so each shortcut is shown in the UI.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from desktop import shift
from desktop.config import Settings
from desktop.contacts import ContactData
from desktop.lookup import LookupIndex
from desktop.paths import DataPaths
from desktop.store.quickstart import PackStatus
from desktop.ui.agent_page import AgentPage
from desktop.ui.pop_intake import PopIntake
from desktop.ui.readiness import Readiness
from desktop.ui.runner import DbRunner
from desktop.ui.sign_in import SignInPage
from desktop.ui.sync_monitor import SyncMonitor, delivery_counts, summary
from desktop.ui.texts import mode_label
from desktop.ui.widgets import named

if TYPE_CHECKING:
    from desktop.context import SeatContext
    from desktop.telephony.events import CallEvent
    from desktop.ui.site_mode_watch import SiteModeWatch

log = logging.getLogger("repli.ui.window")
PURGE_EVERY_MS = 6 * 3600 * 1000  # the retention purge, when retention_days is set


class MainWindow(QMainWindow):
    """Built before the store is open: ``attach_store`` hands it the database just after the
    first frame. A shift that a crash interrupted resumes without signing in again."""

    def __init__(
        self,
        settings: Settings,
        paths: DataPaths,
        index: LookupIndex | None,
        tables: PackStatus | None,
        notices: list[str] | None = None,
    ) -> None:
        super().__init__()
        self.setObjectName("mainWindow")
        self.settings = settings
        self.paths = paths
        self.seat: SeatContext | None = None
        self.tables = tables
        self.agent: str | None = None
        self.runner = DbRunner(self)
        version = f"{tables.info.name} {tables.info.version}".strip() if tables else ""
        self.sign_in = SignInPage(settings.site, settings.seat_id)
        self.page = AgentPage(settings, self.runner, index, version)
        self.mode_banner = named(QLabel(alignment=Qt.AlignmentFlag.AlignCenter), "modeBanner")
        self.mode_banner.setProperty("mode", settings.mode.value)
        self.notice = named(QLabel(wordWrap=True), "noticeBanner")
        self.stack = QStackedWidget()
        self.stack.addWidget(self.sign_in)
        self.stack.addWidget(self.page)
        central = QWidget()
        box = QVBoxLayout(central)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(0)
        for widget in (self.mode_banner, self.notice, self.stack):
            box.addWidget(widget)
        self.setCentralWidget(central)
        self.agent_label = named(QLabel(), "agentStatus")
        self.tables_label = named(QLabel(), "tablesStatus")
        self.save_label = named(QLabel(), "saveStatus")
        self.draft_label = named(QLabel(), "draftStatus")
        self.listener_label = named(QLabel(), "listenerStatus")
        self.sync_label = named(QLabel(), "syncStatus")
        self.sync_label.hide()
        self.readiness = Readiness(self)
        self.readiness.checked.connect(self._show_readiness)
        self._readiness_lines: list[str] = []
        self._store_error = ""
        self._delivery_counts: object = None
        self.sync = SyncMonitor(settings, self)
        self.sync.changed.connect(self._show_sync)
        self.softphone_label = named(QLabel(), "softphoneStatus")
        self.softphone_label.hide()
        self._status_timer = QTimer(
            self, interval=1000
        )  # the adapters change state on their own threads
        self._status_timer.timeout.connect(self._show_listener)
        self.intake = PopIntake(settings, paths.root, self)
        self.intake.eventReceived.connect(self._call_event)
        self.intake.stateChanged.connect(self._show_listener)
        self.intake.showRequested.connect(self.bring_forward)
        self.intake.modeRequested.connect(self.show_mode)
        for label in (
            self.sync_label, self.listener_label, self.softphone_label, self.agent_label, self.tables_label,
            self.draft_label,
        ):  # fmt: skip
            self.statusBar().addPermanentWidget(label)
        self.statusBar().addWidget(self.save_label, 1)
        self._notices = notices or []
        self._actions: dict[str, QAction] = {}
        self.supervisor_window: QWidget | None = None
        self.site_mode: SiteModeWatch | None = None
        self._build_menus(index)
        self.sign_in.signedIn.connect(self._signed_in)
        self.page.saved.connect(self._saved)
        self.page.saveFailed.connect(self._save_failed)
        self.page.draftSaved.connect(self._draft_saved)
        self.retranslate()
        self.resize(1280, 820)
        interrupted = shift.interrupted(paths.root)
        if interrupted is not None:
            self._notices.append("shift-resumed")
            self._show_notices()
            self._enter(interrupted.agent)
        else:
            self.sign_in.agent.setFocus()

    def start_telephony(self) -> None:
        """Listen for screen pops (after the first frame: binding is not free)."""
        self.intake.start()
        self._status_timer.start()
        QTimer.singleShot(1000, lambda: self.readiness.start(self.paths))  # the listeners are up

    def _show_readiness(self, report: object) -> None:
        checks = getattr(report, "checks", [])
        self._readiness_lines = [
            f"{c.name}: {c.detail}" + (f" → {c.fix}" if c.fix else "")
            for c in checks
            if c.status != "ok"
        ]
        if not getattr(report, "ready", True):
            self._readiness_lines.insert(0, self.tr("THIS SEAT IS NOT READY:"))
        self._show_notices()

    def _call_event(self, event: CallEvent) -> None:
        self.page.pops.on_event(event)
        self._show_listener()

    def _show_listener(self) -> None:
        state = self.intake.state
        if state.listening:
            text = self.tr("Screen pop: port %1").replace("%1", str(state.port))
        elif state.error == "disabled":
            text = self.tr("Screen pop: disabled")
        elif state.error:
            text = (
                self.tr("Screen pop: OFF (%1, port %2)")
                .replace("%1", state.error)
                .replace("%2", str(state.port))
            )
        else:
            text = self.tr("Screen pop: starting")
        last = self.page.pops.last_event_at
        if last is not None:
            text += " · " + self.tr("last call %1").replace(
                "%1", last.astimezone().strftime("%H:%M:%S")
            )
        self._set_status(self.listener_label, text, off=not state.listening)
        self._show_softphone()

    def _show_softphone(self) -> None:
        adapter, error = self.intake.softphone, self.intake.softphone_error
        if adapter is None and not error:
            return
        if adapter is None:
            text, off = self.tr("Softphone: %1").replace("%1", error), True
        elif adapter.state.connected:
            text, off = self.tr("Softphone %1: connected").replace("%1", adapter.state.kind), False
        else:
            text = (
                self.tr("Softphone %1: not connected (%2), retrying")
                .replace("%1", adapter.state.kind)
                .replace("%2", adapter.state.error or "…")
            )
            off = True
        self._set_status(self.softphone_label, text, off)
        self.softphone_label.show()

    @staticmethod
    def _set_status(label: QLabel, text: str, off: bool) -> None:
        if label.text() == text and label.property("off") == off:
            return
        label.setText(text)
        label.setProperty("off", off)
        label.style().polish(label)

    def bring_forward(self) -> None:
        self.showNormal()
        self.raise_()
        self.activateWindow()

    def attach_store(self, seat: SeatContext) -> None:
        """The database is open: saving, drafts and the history work from now on."""
        self.seat = seat
        self.page.attach_store(seat)
        self.sync.start(seat)
        site = self.settings.site_database_url
        if site and self.site_mode is None:  # follow the mode the site's supervisor sets
            from desktop.ui.site_mode_watch import SiteModeWatch

            self.site_mode = SiteModeWatch(site, self.settings.mode.value, self)
            self.site_mode.modeSet.connect(self.set_mode)
            self.site_mode.start()
        if self.settings.retention_days > 0:  # the retention, applied on a schedule
            self._purge_timer = QTimer(self, interval=PURGE_EVERY_MS)
            self._purge_timer.timeout.connect(self._purge)
            self._purge_timer.start()
            QTimer.singleShot(60_000, self._purge)  # not during the first minute's calls
        if seat.notices:
            self._notices.extend(n for n in seat.notices if n not in self._notices)
            self._show_notices()
        if self.agent is not None:
            self.page.begin(self.agent)

    # --- menus and shortcuts ------------------------------------------------------

    def _build_menus(self, index: LookupIndex | None) -> None:
        """Every action with the key the pack's call types left it (desktop.keys)."""
        page = self.page
        key = page.keymap.actions
        self._call_menu = self.menuBar().addMenu("")
        self._add(self._call_menu, "new", key["new"], self.new_call)
        self._add(self._call_menu, "save", key["save"], page.save)
        self._add(self._call_menu, "save2", key["save2"], page.save)
        self._add(self._call_menu, "urgent", key["urgent"], page.form.urgent.toggle)
        self._add(self._call_menu, "take", key["take"], page.take_waiting_call)
        self._call_menu.addSeparator()
        self._add(self._call_menu, "quit", key["quit"], self.close)
        self._go_menu = self.menuBar().addMenu("")
        self._add(self._go_menu, "digits", key["digits"], page.focus_digits)
        self._add(self._go_menu, "caller", key["caller"], page.form.caller_number.setFocus)
        self._add(self._go_menu, "notes", key["notes"], page.form.notes.setFocus)
        self._add(self._go_menu, "history", key["history"], self._search_history)
        self._types_menu = self.menuBar().addMenu("")
        call_types = index.call_types.values() if index else []
        for call_type in sorted(call_types, key=lambda c: c.code):
            hotkey = page.keymap.call_types.get(call_type.code)
            if hotkey:
                action = self._types_menu.addAction(call_type.label)
                action.setShortcut(QKeySequence(hotkey))
                action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
                action.triggered.connect(
                    lambda _c=False, code=call_type.code: page.choose_call_type(code)
                )
                self.addAction(action)
        self._help_menu = self.menuBar().addMenu("")
        self._add(self._help_menu, "keys", key["keys"], self.show_keys)
        self._add(self._help_menu, "supervisor", key["supervisor"], self.open_supervisor)
        self._set_agent_actions_enabled(False)

    def _add(self, menu: object, key: str, shortcut: object, slot: object) -> QAction:
        action = QAction(self)
        action.setShortcut(QKeySequence(shortcut))  # type: ignore[call-overload]
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.triggered.connect(slot)
        menu.addAction(action)  # type: ignore[attr-defined]
        self._actions[key] = action
        return action

    def _search_history(self) -> None:
        if self.page.history is not None:
            self.page.history.focus_search()

    def _set_agent_actions_enabled(self, enabled: bool) -> None:
        for key, action in self._actions.items():
            if key not in ("quit", "keys", "take", "supervisor"):
                action.setEnabled(enabled)
        self._types_menu.setEnabled(enabled)

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Repli — backup seat %1").replace("%1", self.settings.seat_id))
        self._call_menu.setTitle(self.tr("&Call"))
        self._go_menu.setTitle(self.tr("&Go to"))
        self._types_menu.setTitle(self.tr("Call t&ype"))
        self._help_menu.setTitle(self.tr("&Help"))
        texts = {
            "new": self.tr("&New call"),
            "save": self.tr("&Save the contact"),
            "save2": self.tr("Save the contact (alternative key)"),
            "urgent": self.tr("Mark &urgent"),
            "take": self.tr("&Take the waiting call"),
            "quit": self.tr("&Quit"),
            "digits": self.tr("&Dialled digits"),
            "caller": self.tr("&Caller's number"),
            "notes": self.tr("N&otes"),
            "history": self.tr("Search the &history"),
            "keys": self.tr("&Keyboard shortcuts"),
            "supervisor": self.tr("&Supervision (PIN)…"),
        }
        for key, text in texts.items():
            self._actions[key].setText(text)
        self.mode_banner.setText(mode_label(self.settings.mode.value) + " — " + self.settings.site)
        self.mode_banner.setAccessibleName(self.tr("Operating mode"))
        self.setAccessibleName(self.tr("Repli agent window"))
        self._show_notices()
        self._show_tables()

    # --- supervision --------------------------------------------------------------------

    def open_supervisor(self) -> None:
        """The supervisor's window, after the PIN; the agent window goes on beside it."""
        from desktop.supervisor.pin import PinGate
        from desktop.ui.supervisor.pin_dialog import PinDialog

        if self.supervisor_window is not None:
            self.supervisor_window.raise_()
            self.supervisor_window.activateWindow()
            return
        if self.seat is None:
            return
        from desktop.store.pin_journal import AuditJournal

        journal = AuditJournal(self.seat.engine, self.agent or f"agent@{self.settings.seat_id}")
        gate = PinGate(
            self.settings.supervisor_pin_hash, self.paths.supervisor_lock, journals=(journal,)
        )
        if not gate.configured:
            QMessageBox.information(
                self,
                self.tr("Supervision"),
                self.tr(
                    "No supervisor PIN is set on this PC: run repli supervisor set-pin as the "
                    "administrator."
                ),
            )
            return
        dialog = PinDialog(gate, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        from desktop.ui.supervisor.window import SupervisorWindow

        window = SupervisorWindow(
            self.seat.engine, self.settings, self.set_mode, self.settings.site_database_url
        )
        window.destroyed.connect(lambda _o=None: setattr(self, "supervisor_window", None))
        self.supervisor_window = window
        window.show()

    def _purge(self) -> None:
        from desktop.supervisor.retention import purge

        if self.seat is None:
            return
        engine, days = self.seat.engine, self.settings.retention_days
        actor = f"retention@{self.settings.seat_id}"
        self.runner.run(
            lambda: purge(engine, days, actor),
            lambda done: log.info("retention: %s contacts purged", done.contacts),
            lambda error: log.error("retention purge failed: %s", error),
        )

    def set_mode(self, mode: str) -> None:
        """The supervisor switched the seat's mode: written to the seat's config (the same
        core function as ``repli mode``), shown at once, recorded on every contact taken from
        now on."""
        from desktop.seat.mode import switch_mode

        switch_mode(self.paths, mode, tell_window=False)
        self.show_mode(mode)

    def show_mode(self, mode: str) -> None:
        """The seat's mode changed (here, from the supervision, or by ``repli mode``)."""
        from dataclasses import replace

        from desktop.config import Mode
        from desktop.seat.mode import ModeError, check_mode

        try:
            mode = check_mode(mode)
        except ModeError:
            log.warning("an unknown mode was asked for: ignored")
            return
        self.settings = replace(self.settings, mode=Mode(mode))
        self.page.set_mode(self.settings)
        self.mode_banner.setProperty("mode", mode)
        self.mode_banner.style().unpolish(self.mode_banner)
        self.mode_banner.style().polish(self.mode_banner)
        self.retranslate()

    def store_failed(self, reason: str) -> None:
        """The database did not open after the first frame: say it where nobody misses it."""
        self._notices.append("store-failed")
        self._store_error = reason
        self._show_notices()

    def _show_notices(self) -> None:
        lines = list(self._readiness_lines)
        if "store-failed" in self._notices:
            lines.append(
                self.tr("THE DATABASE DID NOT OPEN: contacts cannot be saved (%1).").replace(
                    "%1", self._store_error
                )
            )
        if "shift-resumed" in self._notices:
            lines.append(self.tr("Shift resumed after an interruption: nothing typed was lost."))
        if "pc-pack-imported" in self._notices and self.tables is not None:
            lines.append(
                self.tr("The PC's lookup tables were updated: %1.").replace(
                    "%1", f"{self.tables.info.name} {self.tables.info.version}".strip()
                )
            )
        if "pc-pack-refused" in self._notices:
            lines.append(
                self.tr(
                    "THE PC'S NEW TABLE PACK WAS REFUSED: the previous tables stay in use "
                    "(repli doctor says why)."
                )
            )
        if "demo-pack-imported" in self._notices or _is_demo(self.tables):
            lines.append(
                self.tr(
                    "DEMO TABLES: no table pack was active, so the fictional demo pack was loaded. "
                    "Import the site's pack with: repli tables import PACK"
                )
            )
        if self.tables is None:
            lines.append(self.tr("No lookup tables: digits cannot be looked up."))
        elif self.tables.is_stale(self.settings.tables_max_age_days):
            lines.append(
                self.tr("The lookup tables are %1 days old: ask for a fresh pack.").replace(
                    "%1", str(int(self.tables.age_days()))
                )
            )
        self.notice.setText("\n".join(lines))
        self.notice.setVisible(bool(lines))

    def _show_tables(self) -> None:
        if self.tables is None:
            self.tables_label.setText(self.tr("Tables: none"))
            return
        days = self.tables.age_days(datetime.now(UTC))
        age = self.tr("today") if days < 1 else self.tr("%n day(s) old", "", int(days))
        self.tables_label.setText(
            self.tr("Tables: %1 %2 (%3)")
            .replace("%1", self.tables.info.name)
            .replace("%2", self.tables.info.version)
            .replace("%3", age)
        )
        self.tables_label.setProperty(
            "stale", self.tables.is_stale(self.settings.tables_max_age_days)
        )

    # --- events -------------------------------------------------------------------

    def _signed_in(self, agent: str) -> None:
        shift.begin(self.paths.root, agent)
        self._enter(agent)

    def _enter(self, agent: str) -> None:
        self.agent = agent
        self.agent_label.setText(
            self.tr("Agent: %1 · Seat: %2")
            .replace("%1", agent)
            .replace("%2", self.settings.seat_id)
        )
        self.stack.setCurrentWidget(self.page)
        self._set_agent_actions_enabled(True)
        if self.seat is not None:
            self.page.begin(agent)
        else:
            self.page.focus_digits()

    def new_call(self) -> None:
        if self.page.in_progress():
            answer = QMessageBox.question(
                self,
                self.tr("New call"),
                self.tr("Abandon the contact being typed? It will not be saved."),
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No,
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
            if self.seat is not None:
                from desktop.store.contacts import discard_draft

                engine = self.seat.engine
                self.runner.run(lambda: discard_draft(engine), lambda _r: None, lambda _e: None)
        self.page.new_call()

    def _saved(self, contact: ContactData) -> None:
        at = contact.updated_at.astimezone().strftime("%H:%M:%S") if contact.updated_at else ""
        if contact.revision > 1:
            text = self.tr("Saved at %1 (revision %2).").replace("%2", str(contact.revision))
        else:
            text = self.tr("Saved at %1.")
        text = text.replace("%1", at)
        self.save_label.setText("✔ " + text)
        self.sync.nudge()
        self.save_label.setProperty("state", "ok")
        self.draft_label.clear()

    def _show_sync(self, status: dict[str, object]) -> None:
        state, reason, waiting = summary(status)
        if state == "misconfigured":
            text = self.tr("CRM sync: configuration wrong — %1").replace("%1", reason)
        elif state == "failing":
            text = (
                self.tr("CRM sync: failing — %1 waiting — %2")
                .replace("%1", str(waiting))
                .replace("%2", reason)
            )
        elif state == "waiting":
            text = self.tr("CRM sync: %1 waiting").replace("%1", str(waiting))
        else:
            text = self.tr("CRM sync: all delivered")
        self._set_status(self.sync_label, text, off=state in ("misconfigured", "failing"))
        self.sync_label.show()
        counts = delivery_counts(status)
        if counts != self._delivery_counts and self.page.history is not None:
            self.page.history.refresh()  # only when a contact's CRM state can have changed
        self._delivery_counts = counts

    def _save_failed(self, reason: str) -> None:
        self.save_label.setText("✖ " + self.tr("NOT SAVED: %1").replace("%1", reason))
        self.save_label.setProperty("state", "error")

    def _draft_saved(self, at: datetime) -> None:
        self.draft_label.setText(
            self.tr("Draft kept %1").replace("%1", at.astimezone().strftime("%H:%M:%S"))
        )

    def show_keys(self) -> None:
        lines = [
            f"{a.shortcut().toString(QKeySequence.SequenceFormat.NativeText)}\t{a.text()}"
            for a in self._actions.values()
        ]
        lines += [f"{a.shortcut().toString()}\t{a.text()}" for a in self._types_menu.actions()]
        lines += [
            self.tr("Up/Down\tchoose among the matching numbers"),
            self.tr("Enter\ttake the chosen number, go to the caller"),
            self.tr("Alt+underlined letter\tgo to that field"),
        ]
        QMessageBox.information(
            self, self.tr("Keyboard shortcuts"), "\n".join(lines).replace("&", "")
        )

    def closeEvent(self, event: QCloseEvent) -> None:
        """A clean exit: the draft is written and the shift ends (a crash keeps both)."""
        self.intake.stop()
        self.sync.stop()
        if self.site_mode is not None:
            self.site_mode.stop()
        self.runner.shutdown()
        self.page.flush_draft()
        shift.end(self.paths.root)
        super().closeEvent(event)


def _is_demo(tables: PackStatus | None) -> bool:
    """The fictional demo pack is active: nobody must mistake it for the site's tables."""
    from pathlib import Path

    from desktop.paths import demo_pack_dir

    return tables is not None and Path(tables.info.source).resolve() == demo_pack_dir().resolve()
