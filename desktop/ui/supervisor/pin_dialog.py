"""The supervisor PIN prompt. Wrong PINs wait longer and longer (desktop.supervisor.pin).

The check (scrypt, a tenth of a second, and the audit journal it writes) and the wait (read
from the journal) run on the dialog's ops, off the GUI thread; the field is disabled while a
PIN is being checked."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QLineEdit, QVBoxLayout, QWidget

from desktop.supervisor.pin import Attempt, PinGate
from desktop.ui.ops import Ops
from desktop.ui.widgets import named


class PinDialog(QDialog):
    def __init__(self, gate: PinGate, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.gate = gate
        self.ops = Ops(self, "repli-pin")
        self.checking = False
        self.setWindowTitle(self.tr("Supervisor"))
        self.prompt = QLabel(self.tr("Supervisor &PIN:"))
        self.pin = named(QLineEdit(), "supervisorPin")
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin.setAccessibleName(self.tr("Supervisor PIN"))
        self.prompt.setBuddy(self.pin)
        self.hint = named(QLabel(), "pinHint")
        self.hint.setWordWrap(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.check)
        buttons.rejected.connect(self.reject)
        box = QVBoxLayout(self)
        for widget in (self.prompt, self.pin, self.hint, buttons):
            box.addWidget(widget)
        self._tick = QTimer(self, interval=1000)
        self._tick.timeout.connect(self._show_wait)
        self._show_wait()

    def check(self) -> None:
        if self.checking:
            return
        pin, gate = self.pin.text(), self.gate
        self.pin.clear()
        self.checking = True
        self.pin.setEnabled(False)
        self.ops.run(lambda: gate.attempt(pin), self._checked, self._check_failed)

    def _checked(self, attempt: Attempt) -> None:
        self.checking = False
        if attempt.ok:
            self.accept()
            return
        if not attempt.refused_unchecked:
            self.hint.setText(self.tr("Wrong PIN."))
        self._show_wait()

    def _check_failed(self, error: Exception) -> None:
        self.checking = False
        self.hint.setText(str(error))
        self._show_wait()

    def _show_wait(self) -> None:
        gate = self.gate
        self.ops.run(gate.wait, self._waited, key="wait")

    def _waited(self, wait: float) -> None:
        if self.checking:
            return
        self.pin.setEnabled(wait <= 0)
        if wait > 0:
            self.hint.setText(
                self.tr("Too many wrong PINs: wait %1 s.").replace("%1", str(int(wait) + 1))
            )
            self._tick.start()
        else:
            self._tick.stop()
            self.pin.setFocus()

    def done(self, result: int) -> None:
        self.ops.shutdown()
        super().done(result)
