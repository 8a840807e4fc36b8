"""Digits in, branch out: the digits field, the candidates, and the chosen branch shown big."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtCore import QEvent, QLocale, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QLabel,
    QLineEdit,
    QListView,
    QVBoxLayout,
    QWidget,
)

from desktop import hours
from desktop.contacts import utc_now
from desktop.keys import KeyMap
from desktop.lookup import (
    FULL_NUMBER_MIN_DIGITS,
    ClientTag,
    LookupIndex,
    LookupResult,
    Match,
    NotDigits,
    branch_state,
)
from desktop.ui.candidates import CandidateModel
from desktop.ui.texts import number_kind_label
from desktop.ui.widgets import client_style, named, shown_key

MAX_SHOWN = 50
CLOCK_EVERY_MS = 20_000  # the card's "open now" and local time, while it stays on screen


class BranchCard(QFrame):
    """The matched number: branch, town, number, opening hours, call type and procedure."""

    def __init__(self, parent: QWidget | None = None, region: str = "FR") -> None:
        super().__init__(parent)
        self.region = region
        self.call_type_keys = "F5–F8"
        named(self, "branchCard")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.name = named(QLabel(wordWrap=True), "branchName")
        self.place = named(QLabel(wordWrap=True), "branchPlace")
        self.number = named(QLabel(), "branchNumber")
        self.hours = named(QLabel(wordWrap=True), "branchHours")
        self.call_type = named(QLabel(wordWrap=True), "branchCallType")
        self.procedure = named(QLabel(wordWrap=True), "procedure")
        self.found_by = named(QLabel(wordWrap=True), "foundBy")
        self.client = named(QLabel(), "cardClient")  # a shift of several clients: whose
        self.client.hide()
        for label in (self.name, self.place, self.number, self.hours, self.procedure):
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        box = QVBoxLayout(self)
        for widget in (
            self.client,
            self.name,
            self.place,
            self.number,
            self.hours,
            self.found_by,
            self.call_type,
            self.procedure,
        ):
            box.addWidget(widget)
        box.addStretch(1)
        self._shown: Match | None = None
        self._clock = QTimer(self, interval=CLOCK_EVERY_MS)
        self._clock.timeout.connect(self._tick)
        self.show_match(None)

    def _tick(self) -> None:
        if self._shown is not None and self._shown.branch is not None:
            self.hours.setText(self._hours_text(self._shown, utc_now()))

    def show_match(self, match: Match | None, now: datetime | None = None) -> None:
        self._shown_match(match, now)
        # the label's role and what it says: a fixed name hid the branch from screen readers
        self.name.setAccessibleName(self.tr("Branch called: %1").replace("%1", self.name.text()))

    def _shown_match(self, match: Match | None, now: datetime | None = None) -> None:
        self._shown = match
        self._show_client(match.client if match else None)
        if match is None or match.branch is None:
            self._clock.stop()
        elif not self._clock.isActive():
            self._clock.start()  # a card left on screen follows the branch's clock
        if match is None:
            self.name.setText(self.tr("No branch selected"))
            for label in (self.place, self.number, self.hours, self.found_by):
                label.clear()
            self.show_call_type(None)
            return
        branch = match.branch
        kind = number_kind_label(match.number.e164)
        dialled = self.tr("Dialled: %1").replace("%1", match.national)
        self.number.setText(f"{dialled} · {kind}" if kind else dialled)
        if branch is None:
            self.name.setText(match.number.label or self.tr("National line"))
            self.place.setText(self.tr("National line (no branch)"))
            self.hours.clear()
        else:
            self.name.setText(branch.name)
            self.place.setText(" ".join(p for p in (branch.postcode, branch.city) if p))
            self.hours.setText(self._hours_text(match, now or utc_now()))
        self.show_call_type(match.call_type)

    def spoken(self) -> str:
        """The card as a screen reader says it when a branch is found: its name and town,
        open or closed and until when, the call type and its procedure's first step."""
        match = self._shown
        if match is None:
            return ""
        parts = [self.client.text() if match.client else "", self.name.text(), self.place.text()]
        parts.append(self.hours.text().split("\n")[0] if self.hours.text() else "")
        parts.append(self.found_by.text())
        if match.call_type is not None:
            parts.append(self.spoken_call_type())
        return ". ".join(p for p in parts if p)

    def spoken_call_type(self) -> str:
        """The call type shown and its procedure's first step."""
        steps = self.procedure_steps
        return ". ".join([self.call_type.text(), *steps[:1]])

    def _show_client(self, client: ClientTag | None) -> None:
        if client is None:
            self.client.hide()
            return
        self.client.setText(self.tr("Client: %1").replace("%1", client.name))
        self.client.setStyleSheet(client_style(client.colour))
        self.client.show()

    def _hours_text(self, match: Match, now: datetime) -> str:
        """Open or closed by the branch's own clock and holidays; its local time when it is
        not the seat's; the day's holiday by name."""
        branch = match.branch
        assert branch is not None
        place = branch.place(self.region)  # once: an older pack's branch derives it
        state = branch_state(match, now, self.region, place)
        assert state is not None and state.local_now is not None
        local = state.local_now
        language = QLocale().name()[:2]
        lines = []
        if local.utcoffset() != now.astimezone().utcoffset():
            where = branch.city or place.timezone.split("/")[-1]
            lines.append(
                self.tr("It is %1 in %2 (%3 here)")
                .replace("%1", local.strftime("%H:%M"))
                .replace("%2", where.replace("_", " "))
                .replace("%3", now.astimezone().strftime("%H:%M"))
            )
        holiday = hours.holiday_name(place, local.date(), language)
        if holiday:
            lines.append(self.tr("Public holiday: %1").replace("%1", holiday))
        expression = branch.opening_hours
        if not expression:
            return "\n".join([self.tr("Opening hours unknown"), *lines])
        change = _when(state.next_change, local, language) if state.next_change else ""
        if not state.known:
            status = self.tr("open/closed unknown")
        elif state.is_open:
            status = self.tr("OPEN now") + (
                " — " + self.tr("closes %1").replace("%1", change) if change else ""
            )
        else:
            status = self.tr("CLOSED now") + (
                " — " + self.tr("opens %1").replace("%1", change) if change else ""
            )
        return "\n".join([status, *lines, hours.readable(expression, language)])

    def show_call_type(self, call_type: Any) -> None:
        if call_type is None:
            self.call_type.setText(
                self.tr("Call type: choose with its key (%1)").replace("%1", self.call_type_keys)
            )
            self.procedure.clear()
            self.procedure_steps: tuple[str, ...] = ()
            return
        self.call_type.setText(self.tr("Call type: %1").replace("%1", call_type.label))
        self.procedure_steps = call_type.procedure
        steps = "".join(f"<li>{_escape(s)}</li>" for s in call_type.procedure)
        self.procedure.setText(f"<ol>{steps}</ol>" if steps else "")

    def set_found_by_pop(
        self, by_pop: bool, via: str = "", line: str = "", known: bool = True
    ) -> None:
        """``via``: the SIP header a rerouted call's number was read in; ``line``: the
        number the call reached the site on (both from the site proxy); ``known``: the
        number is in the tables (else the pop gave a number no table holds)."""
        if not by_pop:
            self.found_by.clear()
            return
        text = (
            self.tr("Found by screen pop")
            if known
            else self.tr("Number given by the screen pop: in no table")
        )
        if via and line:
            text += " — " + self.tr("number read in %1, call received on %2").replace(
                "%1", via
            ).replace("%2", line)
        elif via:
            text += " — " + self.tr("number read in %1").replace("%1", via)
        self.found_by.setText(text)


def _when(moment: datetime, now: datetime, language: str) -> str:
    """ "12:00" today, else "lun. 23/11 08:00" (the locale's short day name); both at the
    branch's own time."""
    time = moment.strftime("%H:%M")
    if moment.date() == now.date():
        return time
    day = QLocale().dayName(moment.isoweekday(), QLocale.FormatType.ShortFormat)
    return f"{day} {moment.strftime('%d/%m')} {time}"


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class LookupPanel(QWidget):
    """Signals: ``matchChanged(object)`` (a Match or None), ``accepted()`` when the agent
    presses Enter on a candidate, ``searched(object)`` with each LookupResult,
    ``digitsEdited()`` when the agent changes the digits, ``spoken(str, bool, str)`` with
    what a screen reader says of a result (desktop.ui.announcer).

    Its fields are its own: the page reads and sets them through the methods below."""

    matchChanged = Signal(object)
    accepted = Signal()
    searched = Signal(object)
    digitsEdited = Signal()
    spoken = Signal(str, bool, str)

    def __init__(self, parent: QWidget | None = None, region: str = "FR") -> None:
        super().__init__(parent)
        self.index: LookupIndex | None = None
        self.digits = named(QLineEdit(), "digitsInput")
        self.digits.setMaxLength(30)
        self.count = named(QLabel(wordWrap=True), "candidateCount")
        self.model = CandidateModel()
        self.candidates = named(QListView(), "candidateList")
        self.candidates.setModel(self.model)
        self.candidates.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.candidates.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.candidates.setUniformItemSizes(True)
        self.card = BranchCard(region=region)
        self.digits_label = named(QLabel(), "digitsLabel")
        self.digits_label.setBuddy(self.digits)
        self.result: LookupResult | None = None
        self.chosen: Match | None = None
        self.digits_key = "F2"
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        for widget in (self.digits_label, self.digits, self.count, self.candidates, self.card):
            box.addWidget(widget)
        box.setStretch(3, 1)
        box.setStretch(4, 2)
        self.digits.textChanged.connect(self.search)
        self.digits.returnPressed.connect(self._accept)
        self.digits.textEdited.connect(lambda _t: self.digitsEdited.emit())
        self.digits.installEventFilter(self)
        self.candidates.selectionModel().currentChanged.connect(self._current_changed)
        self.candidates.activated.connect(lambda _i: self._accept())
        self.retranslate()

    def set_keys(self, keymap: KeyMap) -> None:
        """The window's keys as the pack left them: the labels name the real ones."""
        self.digits_key = shown_key(keymap.actions["digits"])
        self.card.call_type_keys = keymap.call_type_keys(shown_key)
        self.retranslate()
        self.card.show_match(self.chosen)

    def retranslate(self) -> None:
        self.digits_label.setText(
            self.tr("&Dialled number — last digits (%1)").replace("%1", self.digits_key)
        )
        self.digits.setPlaceholderText(self.tr("e.g. 6677"))
        self.digits.setAccessibleName(self.tr("Dialled number digits"))
        self.candidates.setAccessibleName(self.tr("Matching numbers"))
        self._show_count()

    def set_index(self, index: LookupIndex | None) -> None:
        self.index = index
        self.search(self.digits.text())

    def search(self, text: str) -> None:
        if self.index is None:
            self.result = None
        else:
            try:
                self.result = self.index.search(text, limit=MAX_SHOWN)
            except NotDigits:
                self.result = None
                self.count.setText(self.tr("Digits only, please"))
                self.model.set_matches(())
                self._choose(None)
                return
        self.model.set_matches(self.result.matches if self.result else ())
        said = self._show_count()
        if self._is_decided(self.result):
            self.candidates.setCurrentIndex(self.model.index(0))  # the card is said
        else:
            self.candidates.clearSelection()
            self._choose(None)
            if self.result is not None and self.result.digits:
                self.spoken.emit(said, False, "lookup")
        self.searched.emit(self.result)

    @staticmethod
    def _is_decided(result: LookupResult | None) -> bool:
        """One candidate from four digits (or a full number) is selected without asking."""
        return bool(result and result.count == 1 and (len(result.digits) >= 4 or result.exact))

    def _show_count(self) -> str:
        """Shows how many numbers match; returns it as said (without the keys to move)."""
        shown, said = self._count_texts(self.result)
        self.count.setText(shown)
        return said

    def _count_texts(self, result: LookupResult | None) -> tuple[str, str]:
        """What the count shows, and what a screen reader is told of it."""
        if result is None or not result.digits:
            text = self.tr("Type the last digits of the number the caller dialled.")
            return text, text
        if result.count == 0 and len(result.digits) >= FULL_NUMBER_MIN_DIGITS:
            text = self.tr("The number %1 is not in the lookup tables.").replace(
                "%1", self.digits.text()
            )
            return text, text
        if result.count == 0:
            text = self.tr("No dialled number ends with %1.").replace("%1", result.digits)
            return text, text
        if result.count == 1:
            # the keys that go on from here (desktop.keys)
            keys = self.card.call_type_keys
            shown = self.tr("1 match — %1: the call type, then the caller").replace("%1", keys)
            return shown, self.tr("1 match: Enter to take it")
        said = self.tr("%1 matches").replace("%1", QLocale().toString(result.count))
        if result.more_digits_needed:
            said += ", " + self.tr("%n more digit(s) make it unique", "", result.more_digits_needed)
        shown = said
        if result.count > len(result.matches):
            shown += " " + self.tr("(first %1 shown)").replace("%1", str(len(result.matches)))
        return shown + " — " + self.tr("↑↓ to choose"), said

    def _current_changed(self, current: Any, _previous: Any) -> None:
        self._choose(self.model.match_at(current.row()) if current.isValid() else None)

    def _choose(self, match: Match | None) -> None:
        if match is self.chosen:
            return
        self.chosen = match
        self.card.show_match(match)
        self.matchChanged.emit(match)
        if match is not None:
            self.spoken.emit(self.card.spoken(), False, "lookup")

    def _accept(self) -> None:
        if self.chosen is None and self.model.rowCount() == 1:
            self.candidates.setCurrentIndex(self.model.index(0))
        if self.chosen is not None:
            self.accepted.emit()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.digits and event.type() == QEvent.Type.KeyPress:
            key = event.key() if isinstance(event, QKeyEvent) else 0
            if key in (Qt.Key.Key_Up, Qt.Key.Key_Down, Qt.Key.Key_PageUp, Qt.Key.Key_PageDown):
                self._move(key)
                return True
        return super().eventFilter(watched, event)

    def _move(self, key: int) -> None:
        rows = self.model.rowCount()
        if rows == 0:
            return
        current = self.candidates.currentIndex().row()
        step = {Qt.Key.Key_Up: -1, Qt.Key.Key_Down: 1, Qt.Key.Key_PageUp: -10}.get(key, 10)  # type: ignore[call-overload]
        row = min(rows - 1, max(0, (current if current >= 0 else -1) + step))
        self.candidates.setCurrentIndex(self.model.index(row))

    def clear(self) -> None:
        self.digits.clear()
        self.card.set_found_by_pop(False)

    # --- what the page asks of the panel ---------------------------------------------

    def digits_text(self) -> str:
        return self.digits.text().strip()

    def set_digits(self, text: str) -> None:
        self.digits.setText(text)

    def focus(self) -> None:
        self.digits.setFocus()
        self.digits.selectAll()

    def has_focus(self) -> bool:
        return self.digits.hasFocus() or self.candidates.hasFocus()

    def select_number(self, e164: str | None) -> None:
        """Choose the candidate with this number (a draft's, a correction's)."""
        for row in range(self.model.rowCount()):
            match = self.model.match_at(row)
            if match is not None and match.number.e164 == e164:
                self.candidates.setCurrentIndex(self.model.index(row))
                return

    def choose_own(self, client: str) -> None:
        """A full number that several clients' packs hold (a shift of several clients): the
        one of ``client``, whose window took the call."""
        if self.chosen is not None or self.result is None or not self.result.exact:
            return
        for row in range(self.model.rowCount()):
            match = self.model.match_at(row)
            if match is not None and match.client is not None and match.client.id == client:
                self.candidates.setCurrentIndex(self.model.index(row))
                return

    def show_found_by_pop(
        self, by_pop: bool, via: str = "", line: str = "", known: bool = True
    ) -> None:
        self.card.set_found_by_pop(by_pop, via, line, known)

    def show_call_type(self, call_type: Any) -> None:
        self.card.show_call_type(call_type)
