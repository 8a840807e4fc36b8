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
from dataclasses import replace
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QLabel,
    QMainWindow,
    QStackedWidget,
)

from desktop import operations, shift
from desktop.changes import Changes
from desktop.config import Mode, Settings
from desktop.lookup import LookupIndex
from desktop.paths import DataPaths
from desktop.seat.mode import ModeError, check_mode, seat_mode
from desktop.store.quickstart import PackStatus
from desktop.ui.agent_menus import AgentMenus
from desktop.ui.agent_page import AgentPage
from desktop.ui.announcer import Announcer
from desktop.ui.mode_banner import ModeBanner
from desktop.ui.notice_banner import NoticeBanner
from desktop.ui.ops import Ops, changes_hub
from desktop.ui.pop_intake import PopIntake
from desktop.ui.seat_services import SeatServices
from desktop.ui.sign_in import SignInPage
from desktop.ui.status_bar import SeatStatus
from desktop.ui.style import style, theme, toggle_contrast
from desktop.ui.supervisor.opening import SupervisionDoor
from desktop.ui.widgets import client_style, column, confirm, fit_to_screen, named, scrolling

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from desktop.context import SeatContext
    from desktop.telephony.events import CallEvent

log = logging.getLogger("repli.ui.window")


class MainWindow(QMainWindow):
    """Built before the store is open: ``attach_store`` hands it the database just after the
    first frame. A shift that a crash interrupted resumes without signing in again. Signals:
    ``closed()`` once it closed (its draft written, its listeners stopped).

    A shift of several clients (desktop.ui.client_shift) has one window per client and sets
    ``listens`` (one takes the screen pops), ``route_call`` (a pop goes to the window whose
    pack knows its number) and ``lookup_for`` (the digits reach every client's pack)."""

    closed = Signal()

    def __init__(
        self,
        settings: Settings,
        paths: DataPaths,
        index: LookupIndex | None,
        tables: PackStatus | None,
        notices: list[str] | None = None,
        interrupted: shift.Shift | None = None,
    ) -> None:
        """``interrupted``: the shift a crash interrupted (read before the window, off the
        GUI thread): it resumes without signing in again."""
        super().__init__()
        self.setObjectName("mainWindow")
        self.settings = settings
        self.paths = paths
        self.seat: SeatContext | None = None
        self.tables = tables
        self.agent: str | None = None
        self.ops = Ops(self)
        version = f"{tables.info.name} {tables.info.version}".strip() if tables else ""
        # built only when shown: nothing signs out of a shift resumed after a crash but closing
        self.sign_in = None if interrupted else SignInPage(settings.site, settings.seat_id)
        self.page = AgentPage(settings, self.ops, index, version)
        self.mode_banner = ModeBanner()
        self.client_banner = client_banner(settings)
        self.notice = NoticeBanner(tables, settings.tables_max_age_days)
        self.stack = QStackedWidget()
        if self.sign_in is not None:
            self.stack.addWidget(self.sign_in)
        self.stack.addWidget(self.page)
        bands = (self.client_banner, self.mode_banner, self.notice)
        self.setCentralWidget(column(*bands, scrolling(self.stack)))
        self.status = SeatStatus()
        self.setStatusBar(self.status)
        self.services = SeatServices(
            lambda: self.settings, paths, self.ops, lambda: (self.agent, self.settings.mode.value),
            self,
        )  # fmt: skip
        changes_hub().changed.connect(self._changed)  # what operations changed
        self.services.readiness.checked.connect(self.notice.show_readiness)
        self.services.sync.changed.connect(self.status.show_sync)
        self.services.sync.retired.connect(self._client_retired)
        self.services.modeSet.connect(self.set_mode)
        self.services.tablesChecked.connect(self._show_tables)
        self.services.tablesStaged.connect(self._activate_tables_between_calls)
        self.services.tablesActivated.connect(self._tables_activated)
        self.retired: dict[str, object] | None = None  # the site's mark: erased at close
        # the adapters change state on their own threads: the status bar reads them
        self._status_timer = QTimer(self, interval=1000)
        self._status_timer.timeout.connect(self._show_listener)
        self._status_timer.timeout.connect(self._show_tables)  # "checked N min ago"
        self.intake = PopIntake(settings, paths.root, self)
        self.intake.eventReceived.connect(self._call_event)
        self.intake.stateChanged.connect(self._show_listener)
        self.intake.showRequested.connect(self.bring_forward)
        self.intake.modeRequested.connect(self.show_mode)
        self.listens = True
        self._closed_once = False
        self.route_call: Callable[[CallEvent], bool] | None = None
        self.lookup_for: Callable[[LookupIndex | None], LookupIndex | None] | None = None
        self.supervision = SupervisionDoor(self, self.set_mode)
        self.menus = AgentMenus(self, self.page, {
            "new": self.new_call, "quit": self.close, "history": self.page.focus_history,
            "contrast": self.toggle_contrast, "supervisor": self.open_supervisor,
        })  # fmt: skip
        self.menus.actions["contrast"].setChecked(theme() == "contrast")
        self.menus.fill_types(index)
        self.announcer = Announcer(self)  # what changes, said to screen readers
        self.page.spoken.connect(self.announcer.say)
        self.page.saved.connect(
            lambda _c: self.announcer.say(self.tr("Contact saved"), kind="save")
        )
        self.page.saved.connect(self.status.show_saved)
        self.page.saved.connect(lambda _c: self.services.sync.nudge())
        self.page.saveFailed.connect(self.status.show_save_failed)
        self.page.draftSaved.connect(self.status.show_draft)
        self.page.callEvent.connect(self._show_listener)
        self.page.modeChanged.connect(lambda _m: self._activate_tables_between_calls())
        self.notice.add(*(notices or []))
        self.retranslate()
        fit_to_screen(self, 1280, 820)
        if interrupted is not None:
            self.notice.add("shift-resumed")
            self._enter(interrupted.agent)
        elif self.sign_in is not None:
            self.sign_in.signedIn.connect(self._signed_in)
            self.sign_in.agent.setFocus()

    def start_telephony(self) -> None:
        """Listen for screen pops (after the first frame: binding is not free)."""
        self.intake.start(listen=self.listens)
        self._status_timer.start()
        self.services.start_checks()

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
            lambda: SeatContext.open(root, settings),
            self.attach_store,
            lambda error: self.store_failed(str(error)),
        )

    def attach_store(self, seat: SeatContext) -> None:
        """The database is open: saving, drafts and the history work from now on."""
        self.seat = seat
        self.page.attach_store(seat)
        self.services.start(seat)
        self.notice.add(*seat.notices)
        if self.agent is not None:
            self.page.begin(self.agent)

    def _activate_tables_between_calls(self) -> None:
        """Never under the agent's hands: only when no contact is being typed or saved (the
        next new call, after the save or Ctrl+N, tries again)."""
        if not self.page.in_progress() and not self.page.saving:
            self.services.activate_tables(self.tables)

    def _tables_activated(self, index: LookupIndex | None, status: PackStatus) -> None:
        if self.lookup_for is not None:
            index = self.lookup_for(index)
        self.tables, name = status, f"{status.info.name} {status.info.version}".strip()
        self.page.set_tables(index, name)
        self.menus.fill_types(index)  # the new pack's call types and the keys they leave
        self.notice.tables_followed(status)
        self._show_tables()
        self.announcer.say(self.tr("Lookup tables updated: %1").replace("%1", name))

    def _show_tables(self) -> None:
        follower = self.services.tables_follower
        state = follower.state if follower else None
        self.status.show_tables(self.tables, self.settings.tables_max_age_days, state)

    def toggle_contrast(self) -> None:
        """High contrast on or off (the system's preference chose it at start)."""
        on = toggle_contrast()
        self.menus.actions["contrast"].setChecked(on)
        self.announcer.say(self.tr("High contrast on") if on else self.tr("High contrast off"))

    def retranslate(self) -> None:
        title = self.tr("Repli — backup seat %1").replace("%1", self.settings.seat_id)
        client = self.settings.client_name or self.settings.client_id
        self.setWindowTitle(f"{title} — {client}" if client else title)
        self.menus.retranslate()
        self.mode_banner.show_mode(self.settings.mode.value, self.settings.site)
        # each band's role and what it says
        self.client_banner.setAccessibleName(
            self.tr("Client company: %1").replace("%1", self.client_banner.text())
        )
        self.setAccessibleName(self.tr("Repli agent window"))
        self.notice.refresh()
        self._show_tables()

    def open_supervisor(self) -> None:
        """The supervisor's window, after the PIN; the agent window goes on beside it."""
        self.supervision.open(self.seat, self.settings, self.paths, self.agent)

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
        paths, actor = self.paths, f"supervisor@{self.settings.seat_id}"

        def applied(mode: str) -> None:  # the window shows it when it hears the change
            if done is not None:
                done(mode)

        failed = failed or (lambda exc: log.error("the mode was not switched: %s", exc))
        self.ops.run(
            lambda: operations.switch_mode(paths, mode, actor, site_engine), applied, failed
        )

    def _changed(self, changes: Changes) -> None:
        """An operation changed the mode (this window's, the supervision's, the site's watch):
        the seat's configuration says which, read off the GUI thread."""
        if changes.mode:
            paths = self.paths
            self.ops.run(lambda: seat_mode(paths), self.show_mode)

    def show_mode(self, mode: str) -> None:
        """The seat's mode changed (an operation, or ``repli mode`` told the window)."""
        try:
            mode = check_mode(mode)
        except ModeError:
            log.warning("an unknown mode was asked for: ignored")
            return
        if mode == self.settings.mode.value == self.mode_banner.property("mode"):
            return  # already shown (another client's window of the shift changed its own)
        self.settings = replace(self.settings, mode=Mode(mode))
        self.page.set_mode(self.settings)
        self.retranslate()
        self.announcer.say(self.mode_banner.accessibleName())

    def store_failed(self, reason: str) -> None:
        """The database did not open after the first frame: say it where nobody misses it."""
        log.error("the database could not be opened: %s", reason)
        self.notice.store_failed(reason)

    # --- the agent and the shift ----------------------------------------------------

    def offer_client_change(self, change: Callable[[], None]) -> None:
        """A seat with several clients: Ctrl+Shift+K ends this client's shift (the contact
        being typed stays as its draft, back when the agent returns) for the sign-in."""
        self.menus.offer("client", change)

    def offer_other_client(self, other: Callable[[], None]) -> None:
        """A shift taking several clients' calls: F12 shows the next client's window."""
        self.menus.offer("other", other)

    def sign_in_as(self, agent: str) -> None:
        """The agent signed in before this window opened (a seat with several clients)."""
        if self.agent is None:
            self._signed_in(agent)

    def _signed_in(self, agent: str) -> None:
        root = self.paths.root  # the shift's file written off the GUI thread, like the rest
        self.ops.run(lambda: shift.begin(root, agent), failed=lambda e: log.error("%s", e))
        self._enter(agent)

    def _enter(self, agent: str) -> None:
        self.agent = agent
        self.status.show_agent(agent, self.settings.seat_id)
        self.stack.setCurrentWidget(self.page)
        self.menus.set_agent_enabled(True)
        if self.seat is not None:
            self.page.begin(agent)
        else:
            self.page.focus_digits()

    def new_call(self) -> None:
        if self.page.in_progress():
            question = self.tr("Abandon the contact being typed? It will not be saved.")
            if not confirm(self, self.tr("New call"), question):
                return
            self.page.abandon()
            return
        self.page.new_call()

    def closeEvent(self, event: QCloseEvent) -> None:
        """A clean exit: the draft is written (its op finishes before the ops stop) and the
        shift ends (a crash keeps both). Once: a shift's windows may be closed again."""
        if self._closed_once:
            super().closeEvent(event)
            return
        self._closed_once = True
        changes_hub().changed.disconnect(self._changed)
        self.intake.stop()
        self.services.stop()
        if self.retired is None:
            self.page.flush_draft()
        root = self.paths.root
        self.ops.run(lambda: shift.end(root))  # after the draft; the ops finish both
        self.ops.shutdown()
        if self.retired is not None and self.seat is not None:
            from desktop.ui.client_retired import erase_retired

            erase_retired(self.seat, self.settings)
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
