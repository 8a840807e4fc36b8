"""A shift on a seat with several client companies: the sign-in chooses the client, that
client's window opens (its own store, tables, targets, pop listener: one client per window,
as ``repli --client ID``), and Ctrl+Shift+K in it closes it for the sign-in again, the
agent's name kept. The contact being typed stays as that client's draft and comes back when
the agent returns to the client."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QTimer

from desktop.paths import DataPaths
from desktop.seat import clients
from desktop.seat.clients import ClientEntry
from desktop.ui.client_sign_in import ClientSignIn
from desktop.ui.main_window import MainWindow
from desktop.ui.ops import Ops

log = logging.getLogger("repli.ui.clients")

# A client's data directory -> what its window needs (off the GUI thread: its store is read,
# opened or created there), or RUNNING when another Repli serves it (brought forward).
Prepare = Callable[[Path], Any]
Construct = Callable[[Any], MainWindow]  # on the GUI thread: the window, not shown
RUNNING = "running"


class ClientShift(QObject):
    """Owns the sign-in and the one client window open at a time."""

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
        self.window: MainWindow | None = None
        self.choice: ClientSignIn | None = None
        self.opened: Callable[[MainWindow], None] | None = None  # told of each window shown

    def show_choice(self, agent: str = "") -> ClientSignIn:
        choice = ClientSignIn(
            self.site, self.seat_id, self.entries, agent, clients.last_chosen(self.seat)
        )
        choice.chosen.connect(self.open_client)
        self.choice = choice
        choice.show()
        choice.activateWindow()
        return choice

    def open_client(self, agent: str, client: str) -> None:
        """The chosen client's window, signed in as ``agent``: its store is read (or made,
        the first time) off the GUI thread, the sign-in saying so meanwhile."""
        entry = next(e for e in self.entries if e.id == client)
        if self.choice is not None:
            self.choice.setEnabled(False)
            self._say(self.tr("Opening %1…").replace("%1", entry.name))
        self.ops.run(
            lambda: self.prepare(entry.root),
            lambda ready: self._prepared(agent, entry, ready),
            lambda exc: self._refused(entry, exc),
        )

    def _refused(self, entry: ClientEntry, error: Exception) -> None:
        log.error("the window of client %r did not open: %s", entry.id, error)
        self._say(self.tr("This client's window cannot open: %1").replace("%1", str(error)))

    def _prepared(self, agent: str, entry: ClientEntry, ready: Any) -> None:
        if ready == RUNNING:
            self._say(self.tr("This client's window is already open: it was brought forward."))
            return
        try:
            window = self.construct(ready)
        except Exception as exc:  # said on the sign-in, never a traceback
            self._refused(entry, exc)
            return
        clients.remember_chosen(self.seat, entry.id)
        if len(self.entries) > 1:
            window.offer_client_change(self.change_client)
        self.window = window
        window.show()
        window.activateWindow()
        if agent:
            window.sign_in_as(agent)
        if self.choice is not None:
            self.choice.close()
            self.choice.deleteLater()
            self.choice = None
        if self.opened is not None:
            self.opened(window)

    def change_client(self) -> None:
        """The sign-in first (closing the last window would end the application), then the
        window closes as on Quit: its draft written, its listeners stopped, its store shut."""
        old = self.window
        if old is None:
            return
        self.show_choice(old.agent or "")
        self.window = None
        QTimer.singleShot(0, lambda: close_window(old))

    def _say(self, text: str) -> None:
        if self.choice is not None:
            self.choice.setEnabled(True)
            self.choice.say(text)
            self.choice.agent.setFocus()

    def shutdown(self) -> None:
        self.ops.shutdown()


def close_window(window: MainWindow) -> None:
    window.close()
    if window.seat is not None:
        window.seat.close()
    window.deleteLater()
