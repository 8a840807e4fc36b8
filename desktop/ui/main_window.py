"""The agent window: the mode banner, the notices, sign-in then the agent page, menus and
the status bar; the window's life (the store attached after the first frame, a clean close).

Window concerns only: what a contact is, what a pop does, how the mode is switched or the
retention applied is decided in the core; everything the window asks of it goes through its
ops (desktop.ui.ops). Every action lives in a menu with its shortcut, so each shortcut is
shown in the UI.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal
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
from desktop.changes import CONTACTS, MODE, TABLES
from desktop.config import Settings
from desktop.lookup import LookupIndex
from desktop.paths import DataPaths
from desktop.store.quickstart import PackStatus
from desktop.ui.agent_page import AgentPage
from desktop.ui.announcer import Announcer
from desktop.ui.notice_banner import NoticeBanner
from desktop.ui.ops import Ops
from desktop.ui.pop_intake import PopIntake
from desktop.ui.readiness import Readiness
from desktop.ui.sign_in import SignInPage
from desktop.ui.status_bar import SeatStatus
from desktop.ui.style import set_theme, style, theme
from desktop.ui.sync_monitor import SyncMonitor
from desktop.ui.texts import mode_label
from desktop.ui.widgets import client_style, fit_to_screen, named, scrolling

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from desktop.context import SeatContext
    from desktop.telephony.events import CallEvent
    from desktop.ui.seat_roster import SeatRoster
    from desktop.ui.site_mode_watch import SiteModeWatch
    from desktop.ui.tables_follow import TablesFollower

log = logging.getLogger("repli.ui.window")


class MainWindow(QMainWindow):
    """Built before the store is open: ``attach_store`` hands it the database just after the
    first frame. A shift that a crash interrupted resumes without signing in again.

    Signals: ``closed()`` once it closed (its draft written, its listeners stopped).

    On a shift of several clients (desktop.ui.client_shift) one window per client: the shift
    sets ``listens`` (one window takes the screen pops), ``route_call`` (a pop goes to the
    window of the client whose pack knows its number) and ``lookup_for`` (the digits reach
    every client's pack, its tables followed or not)."""

    closed = Signal()

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
        self.ops = Ops(self)
        version = f"{tables.info.name} {tables.info.version}".strip() if tables else ""
        self.sign_in = SignInPage(settings.site, settings.seat_id)
        self.page = AgentPage(settings, self.ops, index, version)
        self.mode_banner = named(QLabel(alignment=Qt.AlignmentFlag.AlignCenter), "modeBanner")
        self.mode_banner.setProperty("mode", settings.mode.value)
        self.client_banner = client_banner(settings)
        self.notice = NoticeBanner(tables, settings.tables_max_age_days)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.sign_in)
        self.stack.addWidget(self.page)
        central = QWidget()
        box = QVBoxLayout(central)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(0)
        for widget in (self.client_banner, self.mode_banner, self.notice, scrolling(self.stack)):
            box.addWidget(widget)
        self.setCentralWidget(central)
        self.status = SeatStatus()
        self.setStatusBar(self.status)
        self.readiness = Readiness(self)
        self.readiness.checked.connect(self.notice.show_readiness)
        self.sync = SyncMonitor(settings, self)
        self.sync.changed.connect(self.status.show_sync)
        self.sync.retired.connect(self._client_retired)
        self.retired: dict[str, object] | None = None  # the site's mark: erased at close
        self._status_timer = QTimer(
            self, interval=1000
        )  # the adapters change state on their own threads
        self._status_timer.timeout.connect(self._show_listener)
        self._status_timer.timeout.connect(self._show_tables)  # "checked N min ago"
        self.intake = PopIntake(settings, paths.root, self)
        self.intake.eventReceived.connect(self._call_event)
        self.intake.stateChanged.connect(self._show_listener)
        self.intake.showRequested.connect(self.bring_forward)
        self.intake.modeRequested.connect(self.show_mode)
        self._actions: dict[str, QAction] = {}
        self._client_change: Callable[[], None] | None = None
        self._other_client: Callable[[], None] | None = None
        self.listens = True
        self._closed_once = False
        self.route_call: Callable[[CallEvent], bool] | None = None
        self.lookup_for: Callable[[LookupIndex | None], LookupIndex | None] | None = None
        self.supervisor_window: QWidget | None = None
        self.site_mode: SiteModeWatch | None = None
        self.roster: SeatRoster | None = None
        self.tables_follower: TablesFollower | None = None
        self._tables_waiting = False  # a followed pack staged, for the next call
        self._build_menus(index)
        self.sign_in.signedIn.connect(self._signed_in)
        self.announcer = Announcer(self)  # what changes, said to screen readers
        self.page.spoken.connect(self.announcer.say)
        self.page.saved.connect(
            lambda _c: self.announcer.say(self.tr("Contact saved"), kind="save")
        )
        self.page.saved.connect(self.status.show_saved)
        self.page.saved.connect(lambda _c: self.sync.nudge())
        self.page.saveFailed.connect(self.status.show_save_failed)
        self.page.draftSaved.connect(self.status.show_draft)
        self.page.callEvent.connect(self._show_listener)
        self.page.modeChanged.connect(lambda _m: self._activate_tables_between_calls())
        self._purge_timer = QTimer(self)  # set with the store (desktop.supervisor.retention)
        self._purge_timer.timeout.connect(self._purge)
        self.notice.add(*(notices or []))
        self.retranslate()
        fit_to_screen(self, 1280, 820)
        interrupted = shift.interrupted(paths.root)
        if interrupted is not None:
            self.notice.add("shift-resumed")
            self._enter(interrupted.agent)
        else:
            self.sign_in.agent.setFocus()

    def start_telephony(self) -> None:
        """Listen for screen pops (after the first frame: binding is not free)."""
        self.intake.start(listen=self.listens)
        self._status_timer.start()
        QTimer.singleShot(1000, lambda: self.readiness.start(self.paths))  # the listeners are up

    def _call_event(self, event: CallEvent) -> None:
        if self.route_call is not None and self.route_call(event):
            return  # another client's window of the shift took it
        self.page.call_event(event)

    def _show_listener(self) -> None:
        self.status.show_listener(self.intake, self.page.pops.last_event_at)

    def bring_forward(self) -> None:
        self.showNormal()
        self.raise_()
        self.activateWindow()

    def open_store(self) -> None:
        """After the first frame: the database opened (and migrated) off the GUI thread."""
        from desktop.context import SeatContext

        root, settings = str(self.paths.root), self.settings
        self.ops.run(
            lambda: SeatContext.open(root, settings), self.attach_store, self._store_failed
        )

    def _store_failed(self, error: Exception) -> None:
        log.error("the database could not be opened: %s", error)
        self.store_failed(str(error))

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
            self._start_roster(seat)
        if max(self.settings.retention_days, self.settings.exercise_retention_days) > 0:
            # the retention (desktop.supervisor.retention)
            from desktop.supervisor.retention import FIRST_PURGE_AFTER, PURGE_EVERY

            self._purge_timer.start(int(PURGE_EVERY.total_seconds() * 1000))
            QTimer.singleShot(int(FIRST_PURGE_AFTER.total_seconds() * 1000), self._purge)
        if self.settings.tables_source and self.tables_follower is None:
            from desktop.ui.tables_follow import TablesFollower

            self.tables_follower = TablesFollower(self.paths, self.settings, seat.engine, self)
            self.tables_follower.checked.connect(lambda _s: self._show_tables())
            self.tables_follower.staged.connect(self._tables_staged)
            self.tables_follower.start()
        self.notice.add(*seat.notices)
        if self.agent is not None:
            self.page.begin(self.agent)

    # --- tables that follow the primary -------------------------------------------------

    def _tables_staged(self) -> None:
        self._tables_waiting = True
        self._activate_tables_between_calls()

    def _activate_tables_between_calls(self) -> None:
        """Never under the agent's hands: only when no contact is being typed or saved."""
        if not self._tables_waiting or self.seat is None:
            return
        if self.page.in_progress() or self.page.saving:
            return  # the next new call (after the save, or Ctrl+N) tries again
        from desktop.store.tables import active_status, load_active_index
        from desktop.tables.follow import FollowError, activate_staged

        self._tables_waiting = False
        paths, engine, region = self.paths, self.seat.engine, self.settings.region

        def work() -> tuple[LookupIndex | None, PackStatus | None]:
            try:
                activate_staged(paths, engine)
            except FollowError as exc:
                log.error("the staged tables were not activated: %s", exc)
            return load_active_index(engine, region), active_status(engine)

        self.ops.run(work, self._tables_activated, changes=TABLES)

    def _tables_activated(self, found: tuple[LookupIndex | None, PackStatus | None]) -> None:
        index, status = found
        if status is None or (self.tables is not None and status.pack_id == self.tables.pack_id):
            return
        if self.lookup_for is not None:
            index = self.lookup_for(index)
        self.tables = status
        self.page.set_tables(index, f"{status.info.name} {status.info.version}".strip())
        self._apply_keys(index)
        self.notice.tables = status
        self.notice.discard("demo-pack-imported")  # the primary's tables replaced the demo
        self.notice.add("tables-followed")
        self._show_tables()
        self.announcer.say(
            self.tr("Lookup tables updated: %1").replace(
                "%1", f"{status.info.name} {status.info.version}".strip()
            )
        )
        log.info("tables followed: %s %s", status.info.name, status.info.version)

    def _apply_keys(self, index: LookupIndex | None) -> None:
        """The new pack's call types and the keys they leave to the navigation."""
        key = self.page.keymap.actions
        for name, action in self._actions.items():
            action.setShortcut(QKeySequence(key[name]))
        for action in self._types_menu.actions():
            self.removeAction(action)
        self._types_menu.clear()
        self._fill_types_menu(index)

    def _show_tables(self) -> None:
        state = self.tables_follower.state if self.tables_follower else None
        self.status.show_tables(self.tables, self.settings.tables_max_age_days, state)

    # --- menus and shortcuts ------------------------------------------------------

    def _build_menus(self, index: LookupIndex | None) -> None:
        """Every action with the key the pack's call types left it (desktop.keys)."""
        page = self.page
        key = page.keymap.actions
        self._call_menu = self.menuBar().addMenu("")
        self._add(self._call_menu, "new", key["new"], self.new_call)
        self._add(self._call_menu, "save", key["save"], page.save)
        self._add(self._call_menu, "save2", key["save2"], page.save)
        self._add(self._call_menu, "urgent", key["urgent"], page.form.toggle_urgent)
        self._add(self._call_menu, "take", key["take"], page.popper.take_waiting)
        self._call_menu.addSeparator()
        change = self._add(self._call_menu, "client", key["client"], self._change_client)
        change.setVisible(False)  # a seat with several clients only (offer_client_change)
        self._add(self._call_menu, "quit", key["quit"], self.close)
        self._go_menu = self.menuBar().addMenu("")
        self._add(self._go_menu, "digits", key["digits"], page.focus_digits)
        self._add(self._go_menu, "caller", key["caller"], page.form.focus_caller)
        self._add(self._go_menu, "notes", key["notes"], page.form.focus_notes)
        self._add(self._go_menu, "history", key["history"], self._search_history)
        other = self._add(self._go_menu, "other", key["other"], self._next_client)
        other.setVisible(False)  # a shift of several clients only (offer_other_client)
        self._types_menu = self.menuBar().addMenu("")
        self._fill_types_menu(index)
        self._help_menu = self.menuBar().addMenu("")
        self._add(self._help_menu, "keys", key["keys"], self.show_keys)
        contrast = self._add(self._help_menu, "contrast", key["contrast"], self.toggle_contrast)
        contrast.setCheckable(True)
        contrast.setChecked(theme() == "contrast")
        self._add(self._help_menu, "supervisor", key["supervisor"], self.open_supervisor)
        self._set_agent_actions_enabled(False)

    def _fill_types_menu(self, index: LookupIndex | None) -> None:
        page = self.page
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

    def _add(self, menu: object, key: str, shortcut: object, slot: object) -> QAction:
        action = QAction(self)
        action.setShortcut(QKeySequence(shortcut))  # type: ignore[call-overload]
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.triggered.connect(slot)
        menu.addAction(action)  # type: ignore[attr-defined]
        self._actions[key] = action
        return action

    def toggle_contrast(self) -> None:
        """High contrast on or off (the system's preference chose it at start)."""
        from PySide6.QtWidgets import QApplication

        app = QApplication.instance()
        assert isinstance(app, QApplication)
        on = theme() != "contrast"
        set_theme(app, "contrast" if on else "standard")
        self._actions["contrast"].setChecked(on)
        self.announcer.say(self.tr("High contrast on") if on else self.tr("High contrast off"))

    def _search_history(self) -> None:
        if self.page.history is not None:
            self.page.history.focus_search()

    def _set_agent_actions_enabled(self, enabled: bool) -> None:
        for key, action in self._actions.items():
            if key not in ("quit", "keys", "take", "supervisor", "client", "other", "contrast"):
                action.setEnabled(enabled)
        self._types_menu.setEnabled(enabled)

    def retranslate(self) -> None:
        title = self.tr("Repli — backup seat %1").replace("%1", self.settings.seat_id)
        client = self.settings.client_name or self.settings.client_id
        self.setWindowTitle(f"{title} — {client}" if client else title)
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
        for key, text in texts.items():
            self._actions[key].setText(text)
        self.mode_banner.setText(mode_label(self.settings.mode.value) + " — " + self.settings.site)
        # each band's role and what it says ("SECOURS SINISTRE" never reached a screen reader)
        self.mode_banner.setAccessibleName(
            self.tr("Operating mode: %1").replace("%1", self.mode_banner.text())
        )
        self.client_banner.setAccessibleName(
            self.tr("Client company: %1").replace("%1", self.client_banner.text())
        )
        self.setAccessibleName(self.tr("Repli agent window"))
        self.notice.refresh()
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
        # the dialog checks the PIN and reads the journal on its own ops, off the GUI thread
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
            self.seat.engine, self.settings, self.set_mode, self.settings.site_database_url,
            data_root=self.paths.root,
        )  # fmt: skip
        window.destroyed.connect(lambda _o=None: setattr(self, "supervisor_window", None))
        self.supervisor_window = window
        window.show()

    def _purge(self) -> None:
        from desktop.supervisor.retention import PurgeReport, scheduled_purge

        if self.seat is None:
            return
        engine, settings = self.seat.engine, self.settings

        def purge() -> PurgeReport | None:
            from desktop.store.engine import make_site_engine

            url = settings.site_database_url
            site = make_site_engine(url) if url else None
            return scheduled_purge(
                engine, settings.retention_days, settings.seat_id,
                settings.exercise_retention_days, site,
            )  # fmt: skip

        self.ops.run(
            purge,
            lambda done: log.info("retention: %s contacts purged", done.contacts if done else 0),
            lambda error: log.error("retention purge failed: %s", error),
            changes=CONTACTS,
        )

    def set_mode(
        self,
        mode: str,
        site_engine: Engine | None = None,
        done: Callable[[str], None] | None = None,
        failed: Callable[[Exception], None] | None = None,
    ) -> None:
        """The supervisor switched the seat's mode (and the site's, on ``site_engine``):
        written by the same core function as ``repli mode``, off the GUI thread, then shown
        at once and recorded on every contact taken from now on."""
        from desktop.seat.mode import switch_mode

        paths, actor = self.paths, f"supervisor@{self.settings.seat_id}"

        def applied(mode: str) -> None:
            self.show_mode(mode)
            if done is not None:
                done(mode)

        self.ops.run(
            lambda: (
                switch_mode(
                    paths, mode, actor=actor, tell_window=False, site_engine=site_engine
                ).mode
            ),
            applied,
            failed or (lambda exc: log.error("the mode was not switched: %s", exc)),
            changes=MODE,
        )

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
        self.announcer.say(self.mode_banner.accessibleName())

    def store_failed(self, reason: str) -> None:
        """The database did not open after the first frame: say it where nobody misses it."""
        self.notice.store_failed(reason)

    # --- events -------------------------------------------------------------------

    def offer_client_change(self, change: Callable[[], None]) -> None:
        """A seat with several clients: Ctrl+Shift+K ends this client's shift (the contact
        being typed stays as its draft, back when the agent returns) for the sign-in."""
        self._client_change = change
        self._actions["client"].setVisible(True)

    def _change_client(self) -> None:
        if self._client_change is not None:
            self._client_change()

    def offer_other_client(self, other: Callable[[], None]) -> None:
        """A shift taking several clients' calls: F12 shows the next client's window."""
        self._other_client = other
        self._actions["other"].setVisible(True)

    def _next_client(self) -> None:
        if self._other_client is not None:
            self._other_client()

    def sign_in_as(self, agent: str) -> None:
        """The agent signed in before this window opened (a seat with several clients)."""
        if self.agent is None:
            self._signed_in(agent)

    def _signed_in(self, agent: str) -> None:
        shift.begin(self.paths.root, agent)
        self._enter(agent)

    def _enter(self, agent: str) -> None:
        self.agent = agent
        self.status.show_agent(agent, self.settings.seat_id)
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
            self.page.abandon()
            return
        self.page.new_call()

    def show_keys(self) -> None:
        lines = [
            f"{a.shortcut().toString(QKeySequence.SequenceFormat.NativeText)}\t{a.text()}"
            for a in self._actions.values()
            if a.isVisible()
        ]
        lines += [f"{a.shortcut().toString()}\t{a.text()}" for a in self._types_menu.actions()]
        lines += [
            self.tr("Up/Down\tchoose among the matching numbers"),
            self.tr("Enter\ttake the chosen number, go to the caller"),
            self.tr("Call-type key on the digits\tchoose the type, go on to the caller"),
            self.tr("Alt+underlined letter\tgo to that field"),
        ]
        QMessageBox.information(
            self, self.tr("Keyboard shortcuts"), "\n".join(lines).replace("&", "")
        )

    def _start_roster(self, seat: SeatContext) -> None:
        """The seat's state to the site's roster every 15 s (desktop.ui.seat_roster)."""
        from desktop.ui.seat_roster import SeatRoster

        self.roster = SeatRoster(
            seat.engine, self.settings, lambda: (self.agent, self.settings.mode.value), self
        )
        self.readiness.checked.connect(self.roster.set_readiness)
        self.roster.start()

    def closeEvent(self, event: QCloseEvent) -> None:
        """A clean exit: the draft is written (its op finishes before the ops stop) and the
        shift ends (a crash keeps both). Once: a shift's windows may be closed again."""
        if self._closed_once:
            super().closeEvent(event)
            return
        self._closed_once = True
        self.intake.stop()
        self.sync.stop()
        self.readiness.stop()
        if self.tables_follower is not None:
            self.tables_follower.stop()
        if self.site_mode is not None:
            self.site_mode.stop()
        if self.roster is not None:
            self.roster.stop()
        if self.retired is None:
            self.page.flush_draft()
        self.ops.shutdown()
        shift.end(self.paths.root)
        if self.retired is not None and self.seat is not None:
            from desktop.ui.client_retired import erase

            erase(self.seat, self.settings)
        super().closeEvent(event)
        self.closed.emit()

    def _client_retired(self, mark: dict[str, object]) -> None:
        """The site retired this client: said, then the window closes and erases it."""
        from desktop.ui.client_retired import message, tell

        self.retired = mark
        self.announcer.say(message(mark), assertive=True, kind="retired")
        tell(self, mark, self.close)


def client_banner(settings: Settings) -> QLabel:
    """The client whose calls this window takes, in its colour, above everything: an agent
    who serves two clients in one shift never wonders whose caller this is. Hidden on a
    one-client seat."""
    name = settings.client_name or settings.client_id
    label = named(QLabel(name.upper(), alignment=Qt.AlignmentFlag.AlignCenter), "clientBanner")
    style(label, client_style(settings.client_colour))
    label.setVisible(bool(name))
    return label
