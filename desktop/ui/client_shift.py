"""A shift on a seat with several client companies.

The sign-in chooses the client (desktop.ui.client_sign_in), and that client's window opens:
its own store, tables, targets, as ``repli --client ID``. Ctrl+Shift+K closes the shift's
windows for the sign-in again, the agent's name kept; a contact being typed stays as its
client's draft and comes back when the agent returns to that client.

A shift that takes two clients' calls (one in disaster, one in overflow) opens one window per
client, one shown at a time, F12 showing the next:

- **the digits reach every client's pack** (desktop.shift_lookup), each candidate with its
  client's name and colour; a contact whose chosen number is another client's goes to that
  client's window the moment the agent goes on (Enter, a call-type key, the form, Ctrl+S),
  with everything typed, and is kept, saved and synced there only;
- **the screen pops are taken by the first window** and each call goes to the window of the
  client whose pack knows its dialled number (the agent is asked when several do; the one
  shown keeps it when none does); the call's later events follow it. A call for a window
  not shown replaces the one shown when nothing is being typed there, else the status bar
  says it waits, and where.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QTimer

from desktop import phone
from desktop.lookup import ClientTag, LookupIndex
from desktop.paths import DataPaths
from desktop.seat import clients
from desktop.seat.clients import ClientEntry
from desktop.shift_lookup import SharedLookup
from desktop.telephony.events import CallEvent
from desktop.ui.agent_page import HandOff
from desktop.ui.client_question import ClientQuestion
from desktop.ui.client_sign_in import ClientSignIn
from desktop.ui.main_window import MainWindow
from desktop.ui.ops import Ops
from desktop.ui.widgets import shown_key

log = logging.getLogger("repli.ui.clients")

# A client's data directory -> what its window needs (off the GUI thread: its store is read,
# opened or created there), or RUNNING when another Repli serves it (brought forward).
Prepare = Callable[[Path], Any]
Construct = Callable[[Any], MainWindow]  # on the GUI thread: the window, not shown
RUNNING = "running"
CALLS_KEPT = 500  # which window each recent call went to (its later events follow it)
WAITING_SHOWN_MS = 20_000


class ClientShift(QObject):
    """Owns the sign-in and the shift's windows (the first one listens for screen pops)."""

    def __init__(
        self,
        seat: DataPaths,
        site: str,
        seat_id: str,
        entries: list[ClientEntry],
        prepare: Prepare,
        construct: Construct,
    ) -> None:
        super().__init__()
        self.seat, self.site, self.seat_id, self.entries = seat, site, seat_id, entries
        self.prepare, self.construct = prepare, construct
        self.ops = Ops(self, "repli-clients")
        self.windows: list[MainWindow] = []
        self.window: MainWindow | None = None  # the one shown
        self.choice: ClientSignIn | None = None
        self.question: ClientQuestion | None = None
        self.lookup: SharedLookup | None = None
        self.opened: Callable[[MainWindow], None] | None = None  # told of each window shown
        self._calls: dict[str, MainWindow] = {}
        self._held: dict[str, list[CallEvent]] = {}  # calls whose client the agent is asked
        self._stale: set[MainWindow] = set()  # windows whose lookup waits for their next call
        self._ending = False
        self._last = clients.last_chosen(seat)  # read before the sign-in's first frame

    # --- the sign-in -----------------------------------------------------------------

    def show_choice(self, agent: str = "") -> ClientSignIn:
        choice = ClientSignIn(self.site, self.seat_id, self.entries, agent, self._last)
        choice.chosen.connect(self.open_client)
        self.choice = choice
        choice.show()
        choice.activateWindow()
        return choice

    def open_client(self, agent: str, chosen: str | list[str]) -> None:
        """The chosen clients' windows, signed in as ``agent``: their stores read (or made,
        the first time) off the GUI thread, the sign-in saying so meanwhile."""
        ids = [chosen] if isinstance(chosen, str) else list(chosen)
        taken = [next(e for e in self.entries if e.id == c) for c in ids]
        if self.choice is not None:
            self.choice.setEnabled(False)
            names = ", ".join(e.name for e in taken)
            self._say(self.tr("Opening %1…").replace("%1", names))
        self.ops.run(
            lambda: [(entry, self.prepare(entry.root)) for entry in taken],
            lambda readies: self._prepared(agent, readies),
            lambda exc: self._refused(taken, exc),
        )

    def _refused(self, taken: list[ClientEntry], error: Exception) -> None:
        log.error("the windows of %s did not open: %s", [e.id for e in taken], error)
        self._say(self.tr("This client's window cannot open: %1").replace("%1", str(error)))

    def _prepared(self, agent: str, readies: list[tuple[ClientEntry, Any]]) -> None:
        running = [entry.name for entry, ready in readies if ready == RUNNING]
        if running:
            self._say(
                self.tr("This client's window is already open: it was brought forward.")
                + f" ({', '.join(running)})"
            )
            return
        windows: list[MainWindow] = []
        try:
            for _entry, ready in readies:
                windows.append(self.construct(ready))
        except Exception as exc:  # said on the sign-in, never a traceback
            for window in windows:
                close_window(window)
            self._refused([e for e, _r in readies], exc)
            return
        seat, last = self.seat, readies[0][0].id
        self._last = last
        self.ops.run(lambda: clients.remember_chosen(seat, last))  # off the GUI thread
        self.windows = windows
        for window in windows[1:]:
            window.listens = False  # the first window takes the seat's screen pops
        for window in windows:
            if len(self.entries) > 1:
                window.offer_client_change(self.change_client)
            window.closed.connect(lambda w=window: self._closed(w))
        if len(windows) > 1:
            self._join(windows)
        self._show(windows[0])
        for window in windows:
            if agent:
                window.sign_in_as(agent)
        if self.choice is not None:
            self.choice.close()
            self.choice.deleteLater()
            self.choice = None
        if self.opened is not None:
            self.opened(windows[0])

    def change_client(self) -> None:
        """The sign-in first (closing the last window would end the application), then the
        shift's windows close as on Quit: drafts written, listeners stopped, stores shut."""
        if not self.windows:
            return
        agent = self.window.agent if self.window is not None else ""
        self.show_choice(agent or "")
        self._end_windows()

    def _end_windows(self) -> None:
        windows, self.windows, self.window = self.windows, [], None
        self._calls.clear()
        self._held.clear()
        self._stale.clear()
        self.lookup = None
        if self.question is not None:
            self.question.close()
            self.question = None

        def close_all() -> None:
            self._ending = True
            try:
                for window in windows:
                    close_window(window)
            finally:
                self._ending = False

        QTimer.singleShot(0, close_all)

    def _closed(self, window: MainWindow) -> None:
        """The agent quit one window of the shift: the shift ends, every window with it."""
        if self._ending or window not in self.windows:
            return
        self._ending = True
        try:
            for other in self.windows:
                if other is not window:
                    close_window(other)
        finally:
            self._ending = False
        self.windows, self.window = [], None
        if window.seat is not None:  # its ops are shut down: nothing uses its store now
            window.seat.close()

    def _say(self, text: str) -> None:
        if self.choice is not None:
            self.choice.setEnabled(True)
            self.choice.say(text)
            self.choice.agent.setFocus()

    def shutdown(self) -> None:
        self.ops.shutdown()

    # --- a shift of several clients ---------------------------------------------------

    def _join(self, windows: list[MainWindow]) -> None:
        packs = [(_tag(w), w.page.index) for w in windows if w.page.index is not None]
        if not packs:
            return
        self.lookup = SharedLookup(packs)
        for window in windows:
            if window.page.index is not None:
                window.page.set_index(self.lookup.own_first(window.settings.client_id))
            window.page.shift.join_shift()
            window.page.handOff.connect(lambda carried, w=window: self._hand_off(w, carried))
            window.page.modeChanged.connect(lambda mode, w=window: self._between_calls(w, mode))
            window.route_call = lambda event, w=window: self._route(w, event)
            window.intake.showRequested.disconnect(window.bring_forward)  # one shown at a time
            window.intake.showRequested.connect(lambda w=window: self._show(w))
            window.lookup_for = lambda index, w=window: self._tables_followed(w, index)
            window.offer_other_client(self.next_client)

    def _window_of(self, client: str) -> MainWindow | None:
        return next((w for w in self.windows if w.settings.client_id == client), None)

    def _show(self, target: MainWindow) -> None:
        old = self.window
        if old is target:
            return
        if old is not None:
            target.setGeometry(old.geometry())
        target.show()
        target.raise_()
        target.activateWindow()
        if old is not None:
            old.hide()
        self.window = target

    def next_client(self) -> None:
        """F12: the shift's next client on screen (what each one shows stays as it is)."""
        if len(self.windows) > 1 and self.window is not None:
            at = self.windows.index(self.window)
            self._show(self.windows[(at + 1) % len(self.windows)])

    def _hand_off(self, source: MainWindow, carried: HandOff) -> None:
        target = self._window_of(carried.client)
        if target is None or target is source:
            return
        if target.page.in_progress() or target.page.saving:
            source.page.say(
                self.tr("%1 has a contact being typed: %2 to finish it first.")
                .replace("%1", _tag(target).name)
                .replace("%2", _other_key(source))
            )
            return
        source.page.shift.handed_off()
        if carried.contact.call_id:
            self._remember(carried.contact.call_id, target)
        self._show(target)
        target.page.shift.take_over(carried)
        log.info("contact handed over to client %s", carried.client)

    def _route(self, listener: MainWindow, event: CallEvent) -> bool:
        """A screen pop, to the window of the client whose pack knows its number."""
        target = self._calls.get(event.call_id)
        if target is None and event.call_id in self._held:
            self._held[event.call_id].append(event)  # the agent is being asked
            return True
        if target is None:
            knowing = self.lookup.knowing(event.called) if self.lookup and event.called else []
            if len(knowing) > 1:
                self._ask(event, knowing)
                return True
            found = self._window_of(knowing[0].id) if knowing else None
            target = found or self.window or listener
            self._remember(event.call_id, target)
        self._deliver(target, event)
        return True

    def _deliver(self, target: MainWindow, event: CallEvent) -> None:
        shown = self.window
        if target is not shown and shown is not None:
            if not shown.page.in_progress() and not shown.page.saving:
                self._show(target)
            else:
                shown.statusBar().showMessage(
                    self.tr("A call for %1 is waiting: %2 to go to it.")
                    .replace("%1", _tag(target).name)
                    .replace("%2", _other_key(shown)),
                    WAITING_SHOWN_MS,
                )
        target.page.call_event(event)

    def _ask(self, event: CallEvent, knowing: list[ClientTag]) -> None:
        self._held[event.call_id] = [event]
        if self.question is None:  # one question at a time: a newer call is asked after
            self._open_question(event, knowing)

    def _open_question(self, event: CallEvent, knowing: list[ClientTag]) -> None:
        region = self.window.settings.region if self.window else "FR"
        number = phone.normalise(event.called, region)
        shown = number.national if number.valid else event.called
        question = ClientQuestion(shown, knowing, self.window)
        question.answered.connect(lambda client, call=event.call_id: self._answered(call, client))
        self.question = question
        question.show()
        question.activateWindow()
        question.list.setFocus()

    def _ask_next(self) -> None:
        for events in self._held.values():
            knowing = self.lookup.knowing(events[0].called) if self.lookup else []
            self._open_question(events[0], knowing)
            return

    def _answered(self, call_id: str, client: str) -> None:
        self.question = None
        target = (self._window_of(client) if client else None) or self.window
        events = self._held.pop(call_id, [])
        if target is None:
            return
        self._remember(call_id, target)
        for event in events:
            self._deliver(target, event)
        self._ask_next()

    def _remember(self, call_id: str, window: MainWindow) -> None:
        self._calls[call_id] = window
        while len(self._calls) > CALLS_KEPT:
            del self._calls[next(iter(self._calls))]

    def _tables_followed(self, window: MainWindow, index: LookupIndex | None) -> LookupIndex | None:
        """One client's tables followed the primary's: every window's lookup learns them,
        each between two of its calls."""
        if self.lookup is None or index is None:
            return index
        self.lookup = self.lookup.with_pack(window.settings.client_id, index)
        for other in self.windows:
            if other is not window:
                self._stale.add(other)
                self._between_calls(other, "new")
        return self.lookup.own_first(window.settings.client_id)

    def _between_calls(self, window: MainWindow, mode: str) -> None:
        if window not in self._stale or self.lookup is None:
            return
        if mode == "new" and not window.page.in_progress():
            self._stale.discard(window)
            window.page.set_index(self.lookup.own_first(window.settings.client_id))


def _other_key(window: MainWindow) -> str:
    """F12, or where the pack's call types moved it (desktop.keys)."""
    return shown_key(window.page.keymap.actions["other"])


def _tag(window: MainWindow) -> ClientTag:
    settings = window.settings
    return ClientTag(settings.client_id, clients.display_name(settings), settings.client_colour)


def close_window(window: MainWindow) -> None:
    window.close()
    if window.seat is not None:
        window.seat.close()
    window.deleteLater()
