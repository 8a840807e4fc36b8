"""Opening the supervision from the agent window (Ctrl+Shift+S): the PIN first (checked and
journalled off the GUI thread by the dialog), then the supervisor's window beside the agent's;
asked again, the open one comes forward."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QDialog, QMessageBox, QWidget

from desktop.config import Settings
from desktop.paths import DataPaths

if TYPE_CHECKING:
    from desktop.context import SeatContext
    from desktop.ui.supervisor.window import SetMode


class SupervisionDoor:
    """The agent window's way into the supervision; ``window`` is the one open, if any."""

    def __init__(self, parent: QWidget, set_mode: SetMode) -> None:
        self.parent, self.set_mode = parent, set_mode
        self.window: QWidget | None = None

    def open(
        self, seat: SeatContext | None, settings: Settings, paths: DataPaths, agent: str | None
    ) -> None:
        if self.window is not None:
            self.window.raise_()
            self.window.activateWindow()
            return
        if seat is None:
            return
        from desktop.store.pin_journal import AuditJournal
        from desktop.supervisor.pin import PinGate
        from desktop.ui.supervisor.pin_dialog import PinDialog

        journal = AuditJournal(seat.engine, agent or f"agent@{settings.seat_id}")
        gate = PinGate(settings.supervisor_pin_hash, paths.supervisor_lock, journals=(journal,))
        if not gate.configured:
            QMessageBox.information(
                self.parent,
                QCoreApplication.translate("MainWindow", "Supervision"),
                QCoreApplication.translate(
                    "MainWindow",
                    "No supervisor PIN is set on this PC: run repli supervisor set-pin as the "
                    "administrator.",
                ),
            )
            return
        if PinDialog(gate, self.parent).exec() != QDialog.DialogCode.Accepted:
            return
        from desktop.ui.supervisor.window import SupervisorWindow

        window = SupervisorWindow(
            seat.engine, settings, self.set_mode, settings.site_database_url, data_root=paths.root
        )
        window.destroyed.connect(lambda _o=None: setattr(self, "window", None))
        self.window = window
        window.show()
