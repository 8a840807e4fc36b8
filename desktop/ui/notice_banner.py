"""The banner under the mode: what the agent must know before the first call (the seat is
not ready, the database did not open, a shift resumed, the tables imported, refused, demo,
missing or old). Every notice the core raises (SeatContext.notices) has its line here."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QLabel, QWidget

from desktop.paths import demo_pack_dir
from desktop.ui.widgets import named

if TYPE_CHECKING:
    from desktop.seat.doctor import Report
    from desktop.store.quickstart import PackStatus

KNOWN = (
    "store-failed",
    "shift-resumed",
    "pc-pack-imported",
    "pc-pack-refused",
    "demo-pack-imported",
    "tables-followed",
)


class NoticeBanner(QLabel):
    def __init__(
        self, tables: PackStatus | None, max_age_days: int, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        named(self, "noticeBanner")
        self.setWordWrap(True)
        self.tables = tables
        self.max_age_days = max_age_days
        self.notices: list[str] = []
        self.report: Report | None = None  # the doctor's, once the window checked the seat
        self.store_error = ""

    def add(self, *notices: str) -> None:
        self.notices.extend(n for n in notices if n not in self.notices)
        self.refresh()

    def tables_followed(self, tables: PackStatus) -> None:
        """The primary's tables are now the seat's (they replaced the demo, if it was)."""
        self.tables = tables
        self.notices = [n for n in self.notices if n != "demo-pack-imported"]
        self.add("tables-followed")

    def store_failed(self, reason: str) -> None:
        self.store_error = reason
        self.add("store-failed")

    def show_readiness(self, report: Report) -> None:
        """The doctor's report (desktop.seat.doctor): what is not ok, and how to fix it."""
        self.report = report
        self.refresh()

    def _readiness(self) -> list[str]:
        """Each check that is not ok in the window's language: its area and state, then the
        doctor's detail and fix as ``repli doctor`` prints them (for IT support, in English:
        paths, addresses and errors are theirs), and who to give them to."""
        unready = [c for c in self.report.checks if c.status != "ok"] if self.report else []
        if self.report is None or not unready:
            return []
        lines = [] if self.report.ready else [self.tr("THIS SEAT IS NOT READY:")]
        for check in unready:
            state = self.tr("fails") if check.status == "fail" else self.tr("warning")
            line = (
                self.tr("%1 (%2): %3")
                .replace("%1", self._area(check.name))
                .replace("%2", state)
                .replace("%3", check.detail)
            )
            lines.append(line + (f" → {check.fix}" if check.fix else ""))
        lines.append(self.tr("(Details from repli doctor, in English: give them to IT support.)"))
        return lines

    def _area(self, name: str) -> str:
        """A doctor's check by what it looks at, as the agent says it."""
        areas = {
            "config": self.tr("Configuration"),
            "database": self.tr("Database"),
            "tables": self.tr("Lookup tables"),
            "tables source": self.tr("Tables from the primary site"),
            "clock": self.tr("Clock"),
            "disk": self.tr("Disk"),
            "translations": self.tr("Translations"),
        }
        if name.startswith("sync "):
            return self.tr("Sync to %1").replace("%1", name.removeprefix("sync "))
        return areas.get(name, name)

    def refresh(self) -> None:
        lines = self._readiness()
        if "store-failed" in self.notices:
            lines.append(
                self.tr("THE DATABASE DID NOT OPEN: contacts cannot be saved (%1).").replace(
                    "%1", self.store_error
                )
            )
        if "shift-resumed" in self.notices:
            lines.append(self.tr("Shift resumed after an interruption: nothing typed was lost."))
        if "pc-pack-imported" in self.notices and self.tables is not None:
            lines.append(
                self.tr("The PC's lookup tables were updated: %1.").replace(
                    "%1", f"{self.tables.info.name} {self.tables.info.version}".strip()
                )
            )
        if "tables-followed" in self.notices and self.tables is not None:
            lines.append(
                self.tr("Lookup tables updated from the primary: version %1.").replace(
                    "%1", f"{self.tables.info.name} {self.tables.info.version}".strip()
                )
            )
        if "pc-pack-refused" in self.notices:
            lines.append(
                self.tr(
                    "THE PC'S NEW TABLE PACK WAS REFUSED: the previous tables stay in use "
                    "(repli doctor says why)."
                )
            )
        if "demo-pack-imported" in self.notices or is_demo(self.tables):
            lines.append(
                self.tr(
                    "DEMO TABLES: no table pack was active, so the fictional demo pack was loaded. "
                    "Import the site's pack with: repli tables import PACK"
                )
            )
        if self.tables is None:
            lines.append(self.tr("No lookup tables: digits cannot be looked up."))
        elif self.tables.is_stale(self.max_age_days):
            lines.append(
                self.tr("The lookup tables are %1 days old: ask for a fresh pack.").replace(
                    "%1", str(int(self.tables.age_days()))
                )
            )
        self.setText("\n".join(lines))
        self.setVisible(bool(lines))


def is_demo(tables: PackStatus | None) -> bool:
    """The fictional demo pack is active: nobody must mistake it for the site's tables."""
    return tables is not None and Path(tables.info.source).resolve() == demo_pack_dir().resolve()
