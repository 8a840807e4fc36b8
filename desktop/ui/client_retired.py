"""The site says this window's client was retired (its contract ended: desktop.failback.
retire): the agent is told in words, the window closes, and once everything of the window
has stopped the client's data is erased from this seat, its key destroyed, and the erasure
confirmed to the site store. The erasure runs on a thread of its own (the window waits for
it as it closes: its store must be closed first, and nothing else of it runs then)."""

from __future__ import annotations

import logging
import threading
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QMessageBox, QWidget

if TYPE_CHECKING:
    from desktop.config import Settings
    from desktop.context import SeatContext

log = logging.getLogger("repli.ui.retired")


def message(mark: dict[str, Any]) -> str:
    name = str(mark.get("client_name") or mark.get("client") or "")
    return QCoreApplication.translate(
        "ClientRetired",
        "The contract of %1 has ended: the site's administrator retired it. Its data is now"
        " erased from this seat, and this window closes.",
    ).replace("%1", name)


def tell(window: QWidget, mark: dict[str, Any], then: Any) -> QMessageBox:
    """A window-modal message (Enter closes it), then ``then()``."""
    box = QMessageBox(
        QMessageBox.Icon.Information,
        QCoreApplication.translate("ClientRetired", "Client retired"),
        message(mark),
        QMessageBox.StandardButton.Ok,
        window,
    )
    box.setAccessibleName(QCoreApplication.translate("ClientRetired", "Client retired"))
    box.setAccessibleDescription(message(mark))
    box.setWindowModality(Qt.WindowModality.WindowModal)
    box.finished.connect(lambda _result: then())
    box.open()
    return box


def erase_retired(seat: SeatContext, settings: Settings) -> Exception | None:
    """The store closed, the client erased here and confirmed to the site, on a thread of its
    own; what went wrong, or None."""
    from desktop.failback.retire import erase_and_confirm
    from desktop.store.engine import make_engine

    failed: list[Exception] = []

    def work() -> None:
        try:
            seat.close()
            site = make_engine(settings.site_database_url)
            try:
                erased = erase_and_confirm(seat.paths, site, settings.seat_id)
            finally:
                site.dispose()
            log.warning(
                "retired client erased from this seat: %s contact(s), %s file(s), key %s",
                erased.contacts, erased.files, erased.key,
            )  # fmt: skip
        except Exception as exc:  # said in the log; the next start erases again
            log.error("the retired client could not be erased: %s", exc)
            failed.append(exc)

    thread = threading.Thread(target=work, name="repli-retire")
    thread.start()
    thread.join()
    return failed[0] if failed else None
