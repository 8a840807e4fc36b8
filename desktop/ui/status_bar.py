"""The agent window's status bar: who is signed in, the tables, the last save, the draft, the
screen-pop listener, the softphone and the CRM sync, each in its own label."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QSize
from PySide6.QtWidgets import QLabel, QStatusBar, QWidget

from desktop.ui.sync_monitor import summary
from desktop.ui.widgets import named, repolish

if TYPE_CHECKING:
    from desktop.contacts import ContactData
    from desktop.store.quickstart import PackStatus
    from desktop.tables.follow import FollowState
    from desktop.ui.pop_intake import PopIntake


class StatusLabel(QLabel):
    """One line where there is room for it, wrapped where there is not: at 200% on a 1366x768
    screen the bar's single line was wider than the screen."""

    def __init__(self) -> None:
        super().__init__()
        self.setWordWrap(True)

    def sizeHint(self) -> QSize:
        line = self.fontMetrics().horizontalAdvance(self.text()) + 8
        return QSize(line, super().sizeHint().height())


class SeatStatus(QStatusBar):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("seatStatus")
        self.agent_label = named(StatusLabel(), "agentStatus")
        self.tables_label = named(StatusLabel(), "tablesStatus")
        self.save_label = named(StatusLabel(), "saveStatus")
        self.draft_label = named(StatusLabel(), "draftStatus")
        self.listener_label = named(StatusLabel(), "listenerStatus")
        self.sync_label = named(StatusLabel(), "syncStatus")
        self.sync_label.hide()
        self.softphone_label = named(StatusLabel(), "softphoneStatus")
        self.softphone_label.hide()
        for label in (
            self.sync_label, self.listener_label, self.softphone_label, self.agent_label, self.tables_label,
            self.draft_label,
        ):  # fmt: skip
            self.addPermanentWidget(label)
        self.addWidget(self.save_label, 1)

    @staticmethod
    def _set(label: QLabel, text: str, off: bool) -> None:
        if label.text() == text and label.property("off") == off:
            return
        label.setText(text)
        label.setProperty("off", off)
        repolish(label)

    def show_agent(self, agent: str, seat_id: str) -> None:
        self.agent_label.setText(
            self.tr("Agent: %1 · Seat: %2").replace("%1", agent).replace("%2", seat_id)
        )

    def show_tables(
        self, tables: PackStatus | None, max_age_days: int, follow: FollowState | None = None
    ) -> None:
        """The version and its age; with a tables_source, when it was last checked, or
        since when it cannot be reached."""
        if tables is None:
            self.tables_label.setText(self.tr("Tables: none"))
            return
        now = datetime.now(UTC)
        days = tables.age_days(now)
        age = self.tr("today") if days < 1 else self.tr("%n day(s) old", "", int(days))
        text = (
            self.tr("Tables: %1 %2 (%3)")
            .replace("%1", tables.info.name)
            .replace("%2", tables.info.version)
            .replace("%3", age)
        )
        off = False
        if follow is not None and follow.unreachable_since:
            since = datetime.fromisoformat(follow.unreachable_since).astimezone()
            text += " · " + self.tr("source unreachable since %1").replace(
                "%1", since.strftime("%H:%M")
            )
            off = True
        elif follow is not None and follow.failure:
            reason = follow.failure if len(follow.failure) <= 70 else follow.failure[:69] + "…"
            text += " · " + self.tr("last pack refused: %1").replace("%1", reason)
            off = True
        elif follow is not None and follow.last_check:
            minutes = int((now - datetime.fromisoformat(follow.last_check)).total_seconds() // 60)
            text += " · " + (
                self.tr("checked %n min ago", "", minutes)
                if minutes > 0
                else self.tr("checked now")
            )
        self.tables_label.setProperty("stale", tables.is_stale(max_age_days))
        whole = follow.failure if follow is not None and off and follow.failure else ""
        self.tables_label.setToolTip(whole)  # the whole reason, where the bar shows its start
        self.tables_label.setAccessibleDescription(whole)
        self._set(self.tables_label, text, off)

    def show_saved(self, contact: ContactData) -> None:
        at = contact.updated_at.astimezone().strftime("%H:%M:%S") if contact.updated_at else ""
        if contact.revision > 1:
            text = self.tr("Saved at %1 (revision %2).").replace("%2", str(contact.revision))
        else:
            text = self.tr("Saved at %1.")
        self.save_label.setText("✔ " + text.replace("%1", at))
        self.save_label.setProperty("state", "ok")
        self.draft_label.clear()

    def show_save_failed(self, reason: str) -> None:
        self.save_label.setText("✖ " + self.tr("NOT SAVED: %1").replace("%1", reason))
        self.save_label.setProperty("state", "error")

    def show_draft(self, at: datetime) -> None:
        self.draft_label.setText(
            self.tr("Draft kept %1").replace("%1", at.astimezone().strftime("%H:%M:%S"))
        )

    def show_listener(self, intake: PopIntake, last_event_at: datetime | None) -> None:
        state = intake.state
        if state.listening:
            text = self.tr("Screen pop: port %1").replace("%1", str(state.port))
        elif state.error == "disabled":
            text = self.tr("Screen pop: disabled")
        elif state.error:
            text = (
                self.tr("Screen pop: OFF (%1, port %2)")
                .replace("%1", state.error)
                .replace("%2", str(state.port))
            )
        else:
            text = self.tr("Screen pop: starting")
        if state.lan_error:  # the site proxy cannot reach this seat: rerouted calls pop nothing
            text += " · " + self.tr("site proxy: OFF (%1)").replace("%1", state.lan_error)
        elif state.lan:
            text += " · " + self.tr("site proxy: %1").replace("%1", state.lan)
        if last_event_at is not None:
            text += " · " + self.tr("last call %1").replace(
                "%1", last_event_at.astimezone().strftime("%H:%M:%S")
            )
        self._set(self.listener_label, text, off=not state.listening or bool(state.lan_error))
        self._show_softphone(intake)

    def _show_softphone(self, intake: PopIntake) -> None:
        adapter, error = intake.softphone, intake.softphone_error
        if adapter is None and not error:
            return
        if adapter is None:
            text, off = self.tr("Softphone: %1").replace("%1", error), True
        elif adapter.state.connected:
            text, off = self.tr("Softphone %1: connected").replace("%1", adapter.state.kind), False
        else:
            text = (
                self.tr("Softphone %1: not connected (%2), retrying")
                .replace("%1", adapter.state.kind)
                .replace("%2", adapter.state.error or "…")
            )
            off = True
        self._set(self.softphone_label, text, off)
        self.softphone_label.show()

    def show_sync(self, status: dict[str, Any]) -> None:
        state, reason, waiting = summary(status)
        if state == "misconfigured":
            text = self.tr("CRM sync: configuration wrong — %1").replace("%1", reason)
        elif state == "failing":
            text = (
                self.tr("CRM sync: failing — %1 waiting — %2")
                .replace("%1", str(waiting))
                .replace("%2", reason)
            )
        elif state == "waiting":
            text = self.tr("CRM sync: %1 waiting").replace("%1", str(waiting))
        else:
            text = self.tr("CRM sync: all delivered")
        self._set(self.sync_label, text, off=state in ("misconfigured", "failing"))
        self.sync_label.show()
