"""What the form shows of the caller being typed: their partner at once (from the tables, in
memory), and their earlier contacts once the agent pauses, read on the page's operation
thread (a round trip on a site database); a read for a number typed before is dropped.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer

from desktop.contacts import ContactData

if TYPE_CHECKING:
    from desktop.ui.page_view import PageView

log = logging.getLogger("repli.ui.caller")

CALLER_LOOKUP_DELAY_MS = 150  # a pause in the caller's number before its history is read
KEY = "earlier-contacts"  # a newer number's read makes the one on its way stale (desktop.ui.ops)


class CallerHistory(QObject):
    def __init__(self, page: PageView, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.page = page
        self._wanted = ""
        self._timer = QTimer(self, singleShot=True, interval=CALLER_LOOKUP_DELAY_MS)
        self._timer.timeout.connect(self._look_up)

    def changed(self, stored: str) -> None:
        """The caller's number changed (``stored``: as the store keeps it)."""
        self._show(stored, [])
        self._wanted = stored
        self.page.ops.forget(KEY)  # a read on its way is for the number before
        self._timer.start()

    def _look_up(self) -> None:
        stored, seat, store = self._wanted, self.page.seat, self.page.store
        if not stored or seat is None or store is None:
            return
        engine = seat.engine
        self.page.ops.run(
            lambda: store.earlier_contacts(engine, stored),
            lambda found: self._show(stored, found),
            lambda exc: log.warning("earlier contacts not read: %s", exc),
            key=KEY,
        )

    def _show(self, stored: str, found: list[ContactData]) -> None:
        page = self.page
        partner = page.index.partner_for(stored) if page.index else None
        earlier = [c for c in found if c.id != page.contact.id]
        page.form.show_caller_info(page.form.caller_text(), partner, earlier)
