"""What the agent page's helpers (the pop presenter, the draft keeper, the caller's history,
the hand-off, the saver, the opener) may use of the page: the page is built from them, so
they know it by this protocol rather than by its class (no import cycle between them)."""

from __future__ import annotations

from types import ModuleType
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from PySide6.QtCore import SignalInstance
    from PySide6.QtWidgets import QLabel

    from desktop.config import Settings
    from desktop.contacts import ContactData
    from desktop.context import SeatContext
    from desktop.keys import KeyMap
    from desktop.lookup import LookupIndex
    from desktop.telephony.pop_policy import PopPolicy
    from desktop.ui.contact_form import ContactForm
    from desktop.ui.history import HistoryPanel
    from desktop.ui.lookup_panel import LookupPanel
    from desktop.ui.ops import Ops


class PageView(Protocol):
    settings: Settings
    ops: Ops
    seat: SeatContext | None
    store: ModuleType | None  # desktop.store.contacts, once the store is open
    agent: str
    contact: ContactData
    tables_version: str
    started: bool
    index: LookupIndex | None
    keymap: KeyMap
    lookup: LookupPanel
    form: ContactForm
    history: HistoryPanel | None
    pop_banner: QLabel
    pops: PopPolicy
    spoken: SignalInstance
    saved: SignalInstance
    saveFailed: SignalInstance
    draftSaved: SignalInstance
    handOff: SignalInstance
    modeChanged: SignalInstance

    @property
    def saving(self) -> bool: ...
    def isVisible(self) -> bool: ...
    def in_progress(self) -> bool: ...
    def ready_for_pop(self) -> bool: ...
    def collect(self) -> ContactData: ...
    def seat_fields(self) -> dict[str, Any]: ...
    def new_call(self) -> None: ...
    def edited(self) -> None: ...
    def save(self) -> None: ...
    def say(self, text: str) -> None: ...
    def show_error(self, text: str) -> None: ...
    def show_contact(self, contact: ContactData) -> None: ...
    def focus_digits(self) -> None: ...
    def stop_draft(self) -> None: ...
    def hand_off(self, call_type_key: str = "", save: bool = False) -> bool: ...
    def take_waiting(self) -> None: ...
