"""A shift of several clients: a contact belongs to its number's client.

When the agent chooses a number of another client of the shift (Enter, Tab into the form, a
call-type key, the save), the contact goes to that client's window (desktop.ui.client_shift)
before anything of it is typed or saved here; that window takes it over under its own site,
mode and tables.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QApplication, QWidget

from desktop import operations
from desktop.contacts import ContactData

if TYPE_CHECKING:
    from desktop.ui.page_view import PageView


@dataclass(frozen=True)
class HandOff:
    """A contact on its way to its client's window: what was typed, the call-type key the
    agent pressed (that client's pack gives it its own meaning), and whether to save."""

    contact: ContactData
    client: str
    call_type_key: str = ""
    save: bool = False


class ShiftHandOff(QObject):
    def __init__(self, page: PageView, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.page = page

    def foreign(self) -> str:
        """The other client of the shift whose number the agent chose ("" : this window's)."""
        chosen = self.page.lookup.chosen
        client = chosen.client if chosen is not None else None
        own = self.page.settings.client_id
        return client.id if client is not None and client.id != own else ""

    def hand_off(self, call_type_key: str = "", save: bool = False) -> bool:
        """The contact to its number's client's window, when it is another's."""
        client = self.foreign()
        if client:
            self.page.stop_draft()
            self.page.handOff.emit(HandOff(self.page.collect(), client, call_type_key, save))
        return bool(client)

    def join_shift(self) -> None:
        """This window is one of a shift's clients: watch the focus for a hand-off."""
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._focus_moved)

    def _focus_moved(self, old: QWidget | None, new: QWidget | None) -> None:
        """From the digits into the form with another client's number: the contact goes to
        that client's window before anything of it is typed here."""
        page = self.page
        if old is None or new is None or not page.isVisible() or not self.foreign():
            return
        if page.lookup.isAncestorOf(old) and page.form.isAncestorOf(new):
            self.hand_off()

    def handed_off(self) -> None:
        """The contact went to its client's window: nothing of it stays here."""
        page = self.page
        if page.seat is not None:
            engine = page.seat.engine
            page.ops.run(lambda: operations.discard_draft(engine))
        page.new_call()

    def take_over(self, carried: HandOff) -> None:
        """A contact handed over by another client's window of the shift: its digits, its
        chosen number (this client's own), what was typed and the call's times, recorded
        under this client's site, mode and tables."""
        page = self.page
        page.new_call()
        contact = carried.contact
        types = page.index.call_types if page.index else {}
        known = contact.call_type if contact.call_type in types else None
        seat = {**page.seat_fields(), "agent": page.agent or contact.agent}
        page.contact = contact.with_changes(
            **seat, tables_version=page.tables_version, call_type=known
        )
        page.show_contact(page.contact)
        key = carried.call_type_key
        by_key = page.index.call_type_for_hotkey(key) if page.index and key else None
        if by_key is not None:
            page.form.choose_call_type(by_key.code)
        page.edited()
        if carried.save:
            page.save()
        else:
            page.form.focus_first_empty()
