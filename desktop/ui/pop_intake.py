"""The screen-pop intakes (local HTTP endpoint, single-instance socket) seen from the window.

The listeners are started on a thread of their own (the token read from its file, the ports
bound: nothing of it on the GUI thread) and run on their own threads; they call back from
there, and this object turns those calls into Qt signals, which Qt queues to the GUI thread.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal

from desktop.config import Settings

if TYPE_CHECKING:  # imported when the listeners start, after the first frame
    from desktop.telephony.events import CallEvent
    from desktop.telephony.http_listener import ListenerState, PopServer
    from desktop.telephony.instance import InstanceServer
    from desktop.telephony.stream_adapter import StreamAdapter

log = logging.getLogger("repli.ui.pop")


class PopIntake(QObject):
    """Signals: ``eventReceived(object)`` with a CallEvent, ``showRequested()`` when another
    ``repli`` asked this window to come forward, ``stateChanged()``."""

    eventReceived = Signal(object)
    showRequested = Signal()
    modeRequested = Signal(str)
    stateChanged = Signal()

    def __init__(self, settings: Settings, root: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.root = root
        self.http: PopServer | None = None
        self.instance: InstanceServer | None = None
        self.instance_error = ""
        self.softphone: StreamAdapter | None = None
        self.softphone_error = ""
        self._starting: threading.Thread | None = None

    @property
    def state(self) -> ListenerState:
        from desktop.telephony.http_listener import ListenerState

        if self.http is None:
            return ListenerState(False, self.settings.pop_port, "disabled")
        return self.http.state

    def start(self, listen: bool = True) -> None:
        """The single-instance socket always; the screen-pop port and the softphone unless
        ``listen`` is off (another window of the shift takes the seat's pops). Started off
        the GUI thread; ``stateChanged`` says when they are up."""
        self._starting = threading.Thread(
            target=self._start, args=(listen,), name="repli-listeners-start", daemon=True
        )
        self._starting.start()

    def wait_started(self, timeout: float | None = None) -> None:
        if self._starting is not None:
            self._starting.join(timeout)

    def _start(self, listen: bool) -> None:  # on the starting thread
        from desktop.telephony.http_listener import PopServer
        from desktop.telephony.secrets import pop_token

        self._start_instance()
        if not listen:
            self.stateChanged.emit()
            return
        if self.settings.pop_enabled:
            self.http = PopServer(
                self.settings.pop_port,
                pop_token(self.root, self.settings.pop_token),
                self._from_listener,
                lan_address=self.settings.pop_lan_address,
                lan_allow=self.settings.pop_lan_allow,
                lan_secret=self.settings.pop_lan_secret,
            )
            with contextlib.suppress(OSError):  # recorded in http.state, shown in the status area
                self.http.start()
        self._start_softphone()
        self.stateChanged.emit()

    def _start_softphone(self) -> None:
        kind = self.settings.softphone_kind.strip().lower()
        if not kind:
            return
        if kind != "baresip":
            self.softphone_error = f"unknown softphone kind {kind!r} (known: baresip)"
            log.error(self.softphone_error)
            return
        from desktop.telephony.baresip import BaresipProtocol
        from desktop.telephony.stream_adapter import StreamAdapter

        self.softphone = StreamAdapter(
            kind, self.settings.softphone_host, self.settings.softphone_port,
            BaresipProtocol, self._from_listener,
        )  # fmt: skip
        self.softphone.start()

    def _start_instance(self) -> None:
        from desktop.telephony.instance import AlreadyRunning, InstanceServer

        self.instance = InstanceServer(self.root, self._from_instance)
        try:
            self.instance.start()
        except (AlreadyRunning, OSError) as exc:
            self.instance, self.instance_error = None, str(exc)
            log.error("single-instance socket not started: %s", exc)

    def stop(self) -> None:
        self.wait_started()  # what is starting is stopped too
        if self.softphone is not None:
            self.softphone.stop()
        if self.http is not None:
            self.http.stop()
        if self.instance is not None:
            self.instance.stop()

    def deliver(self, event: CallEvent) -> None:
        """An event from this process (``repli pop`` that started the window)."""
        self.eventReceived.emit(event)

    def _from_listener(self, event: CallEvent) -> None:
        self.eventReceived.emit(event)  # from the HTTP thread: queued to the GUI thread
        self.stateChanged.emit()

    def _from_instance(self, message: dict[str, Any]) -> None:
        from desktop.telephony.events import EventError, from_fields

        if message.get("kind") == "show":
            self.showRequested.emit()
        elif message.get("kind") == "mode" and isinstance(message.get("mode"), str):
            self.modeRequested.emit(message["mode"])  # already written by repli mode
        elif message.get("kind") == "pop" and isinstance(message.get("event"), dict):
            try:
                self.eventReceived.emit(from_fields(message["event"], source="cli"))
            except EventError as exc:
                log.warning("pop from the command line refused: %s", exc)
