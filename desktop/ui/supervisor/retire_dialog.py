"""Retiring the client from the supervision (behind its PIN): the client's name typed to
confirm, the certificate's file chosen, then ``repli clients retire``'s own work
(desktop.failback.retire_command.retire_client) on the supervision's ops. Refused while
anything is undelivered or unreconciled: what stands in the way is listed, and the
retirement may be forced with a written reason. The window's own seat erases the client at
its next sync, as every seat does."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QFileDialog, QInputDialog, QLineEdit, QWidget

from desktop.paths import DataPaths
from desktop.ui.widgets import confirm

if TYPE_CHECKING:
    from desktop.failback.retire_command import Obstacle, Retirement
    from desktop.ui.ops import Ops


def obstacle_text(obstacle: Obstacle) -> str:
    """What stops a retirement, in the interface's language."""
    t = obstacle.kind
    if t == "undelivered":
        text = QCoreApplication.translate(
            "RetireClient", "this PC has %1 revision(s) not delivered"
        )
    elif t == "differences":
        text = (
            QCoreApplication.translate(
                "RetireClient", "exercise contacts: %1 difference(s) by the failback report"
            )
            if obstacle.exercise
            else QCoreApplication.translate(
                "RetireClient", "%1 difference(s) by the failback report"
            )
        )
    elif t == "waiting":
        text = QCoreApplication.translate(
            "RetireClient", "seat %2 has %1 revision(s) waiting to be delivered"
        )
    else:
        text = QCoreApplication.translate("RetireClient", "%2 could not say what it holds")
    return text.replace("%1", str(obstacle.count)).replace("%2", obstacle.name)


class RetireClient:
    """``say(text)``: the supervision's outcome line (status bar and screen reader)."""

    def __init__(
        self, parent: QWidget, settings: Any, data_root: Path | None, ops: Ops, say: Any
    ) -> None:
        self.parent, self.settings, self.data_root = parent, settings, data_root
        self.ops, self.say = ops, say
        self.name = settings.client_name or settings.client_id or settings.site
        self.path: Path | None = None

    def start(self) -> None:
        if not self.settings.site_database_url:
            self.say(
                QCoreApplication.translate(
                    "RetireClient",
                    "This seat has no site store: a client is retired from its site.",
                )
            )
            return
        typed, ok = QInputDialog.getText(
            self.parent,
            QCoreApplication.translate("RetireClient", "Retire the client (end of contract)"),
            QCoreApplication.translate("RetireClient", "Its data will be deleted from the site store and from every seat, its keys"
               " destroyed. To confirm, type the client's name: %1").replace("%1", self.name),
            QLineEdit.EchoMode.Normal,
        )  # fmt: skip
        if not ok or typed.strip() != self.name:
            self.say(
                QCoreApplication.translate(
                    "RetireClient", "Not retired: the name typed was not the client's."
                )
            )
            return
        suggested = f"repli-certificat-suppression-{self.settings.client_id or 'client'}.json"
        chosen, _filter = QFileDialog.getSaveFileName(
            self.parent,
            QCoreApplication.translate("RetireClient", "Save the deletion certificate"),
            suggested,
        )
        if not chosen:
            return
        self.path = Path(chosen)
        self.run(force=False, reason="")

    def run(self, force: bool, reason: str) -> None:
        from desktop.failback.files import signing_key
        from desktop.failback.retire_command import retire_client

        settings, root, path = self.settings, self.data_root, self.path
        assert path is not None

        def work() -> Retirement:
            key = signing_key(None, settings.report_signing_key, root or Path.cwd(), ask=False)
            paths = DataPaths.resolve(root) if root is not None else None  # this seat's own
            return retire_client(settings.client_id, settings.client_name, paths, settings,
                                 settings.site_database_url, key, path, force, reason)  # fmt: skip

        self.say(
            QCoreApplication.translate("RetireClient", "Checking that everything was delivered…")
        )
        self.ops.run(work, self._done, self._failed, key="retire")

    def _done(self, done: Retirement) -> None:
        if done.mark is None:
            self._refused(done.problems)
            return
        made = done.certificate or {}
        waiting = sum(1 for s in made.get("seats", []) if not s["confirmed"])
        self.say(
            QCoreApplication.translate("RetireClient", "Client retired: %1 contact(s) deleted from the site store; %2 seat(s) erase it"
               " at their next sync; certificate: %3")
            .replace("%1", str(made.get("site_store", {}).get("contacts", 0)))
            .replace("%2", str(waiting))
            .replace("%3", str(done.written[0]) if done.written else "")
        )  # fmt: skip

    def _refused(self, obstacles: list[Obstacle]) -> None:
        problems = [obstacle_text(o) for o in obstacles]
        if not confirm(
            self.parent,
            QCoreApplication.translate("RetireClient", "Not retired"),
            QCoreApplication.translate("RetireClient", "The client is not retired: %1. Deliver and reconcile first (the failback"
               " report says what). Retire it anyway?").replace("%1", "; ".join(problems)),
        ):  # fmt: skip
            self.say(
                QCoreApplication.translate("RetireClient", "Not retired: %1").replace(
                    "%1", "; ".join(problems)
                )
            )
            return
        reason, ok = QInputDialog.getText(
            self.parent,
            QCoreApplication.translate("RetireClient", "Why"),
            QCoreApplication.translate("RetireClient", "The reason, written in the certificate:"),
        )
        if not ok or not reason.strip():
            self.say(
                QCoreApplication.translate(
                    "RetireClient", "Not retired: a forced retirement needs a reason."
                )
            )
            return
        self.run(force=True, reason=reason.strip())

    def _failed(self, error: Exception) -> None:
        from desktop.store.site_calls import in_words

        text = str(error) if isinstance(error, ValueError | OSError) else in_words(error)
        self.say(QCoreApplication.translate("RetireClient", "Not retired: %1").replace("%1", text))
