"""The GUI entry point.

``main(argv)`` starts the agent window in this order:

0. a seat of several client companies first opens the sign-in that chooses one
   (``client_shift``); a window already running for the seat is brought forward instead
   of a second one (``telephony.instance``);

then ``build_window`` (and the code below in that order):

1. arguments (``--data-dir``, ``--lang``), and Qt's messages routed into the log;
2. the data paths, logging to a rotating file in the seat's log directory, the seat
   config (``config.toml``) (``prepare_window``, no Qt: it may run on any thread);
3. what the first frame needs: the active tables' lookup index, read from the SQLite file
   with the standard library (``seat.first_frame``, ``store.quickstart``). On a first start,
   with a site database, when the PC's pack changed, or when the file is not at the expected
   schema, the full store opens here instead (migrations, the demo pack on a first start);
4. the QApplication (an existing one is reused), its translators (French by default,
   English on request), its font and, when the system asks for it, high contrast
   (``application``);
5. the window (``window_for``), then shown by ``main``; the full store (SQLAlchemy) is
   attached on the first turn of the event loop, so its import cost is paid after the
   first frame, not before it.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QTimer, QtMsgType, qInstallMessageHandler
from PySide6.QtWidgets import QApplication, QMessageBox

import desktop.ui.plain_import  # noqa: F401  (first: the modules below import faster)
from desktop.shift import Shift
from desktop.shift import interrupted as interrupted_shift
from desktop.ui.main_window import MainWindow

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from desktop.config import Settings
    from desktop.context import SeatContext
    from desktop.lookup import LookupIndex
    from desktop.paths import DataPaths
    from desktop.store import quickstart
    from desktop.store.history import ContactFilter
    from desktop.telephony.events import CallEvent
    from desktop.ui.client_shift import ClientShift

log = logging.getLogger("repli.app")
_QT_LEVELS = {
    QtMsgType.QtDebugMsg: logging.DEBUG,
    QtMsgType.QtInfoMsg: logging.INFO,
    QtMsgType.QtWarningMsg: logging.WARNING,
    QtMsgType.QtCriticalMsg: logging.ERROR,
    QtMsgType.QtFatalMsg: logging.CRITICAL,
}


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="repli")
    parser.add_argument("--data-dir", default=None)
    parser.add_argument("--lang", choices=("fr", "en"), default=None)
    return parser.parse_known_args(list(argv[1:]))[0]


def _qt_message(kind: QtMsgType, _context: object, message: str) -> None:
    logging.getLogger("repli.qt").log(_QT_LEVELS.get(kind, logging.WARNING), message)


def build_window(
    argv: Sequence[str], route_qt_messages: bool = True
) -> tuple[QApplication, MainWindow]:
    """Steps 1 to 5, the event loop not yet turning. The store is attached when the loop
    first turns (immediately when the full path ran); tests pass
    ``route_qt_messages=False`` so that pytest-qt keeps Qt's messages and a Qt warning
    fails the test."""
    args = parse_args(argv)
    if route_qt_messages:
        qInstallMessageHandler(_qt_message)
    ready = prepare_window(args.data_dir)
    app = application(argv, args.lang or ready.settings.language)
    return app, window_for(ready)


@dataclass
class Prepared:
    """What a window needs before its first frame, read on any thread (no Qt): the
    lookup index from the store as it is, or, on the full path, the store itself."""

    settings: Settings
    paths: DataPaths
    index: LookupIndex | None
    tables: quickstart.PackStatus | None
    seat: SeatContext | None = None
    interrupted: Shift | None = None  # the shift a crash interrupted, to resume


def prepare_window(data_dir: str | None) -> Prepared:
    """Steps 2 and 3 (desktop.app): paths, logging, config, the first frame's tables."""
    from desktop import config, logs
    from desktop.paths import DataPaths
    from desktop.seat import first_frame

    paths = DataPaths.resolve(data_dir).ensure()
    logs.setup(paths.logs)
    settings, warnings = config.load_seat(paths)
    for warning in warnings:
        log.warning(warning)
    interrupted = interrupted_shift(paths.root)
    quick = first_frame.lookup_tables(paths, settings)
    if quick is not None:
        return Prepared(settings, paths, *quick, interrupted=interrupted)
    from desktop.context import SeatContext

    seat = SeatContext.open(str(paths.root), settings)
    seat.ensure_tables()
    index, tables = seat.load_index(), seat.tables_status()
    return Prepared(settings, paths, index, tables, seat, interrupted)


def window_for(ready: Prepared) -> MainWindow:
    """Step 5 but showing it, on the GUI thread: the store is attached when the loop first
    turns (at once when the full path opened it)."""
    seat = ready.seat
    window = MainWindow(
        ready.settings, ready.paths, ready.index, ready.tables,
        seat.notices if seat else None, ready.interrupted,
    )  # fmt: skip
    if seat is None:
        QTimer.singleShot(0, window.open_store)  # off the GUI thread (desktop.ui.ops)
    else:
        window.attach_store(seat)
    QTimer.singleShot(0, window.start_telephony)
    return window


def application(argv: Sequence[str], language: str) -> QApplication:
    """The QApplication (an existing one is reused), its translators, style and icon."""
    from PySide6.QtGui import QIcon

    from desktop.paths import resources_dir
    from desktop.ui import i18n, style

    app = QApplication.instance() or QApplication(list(argv))
    assert isinstance(app, QApplication)
    app.setApplicationName("Repli")
    i18n.install(app, language)
    style.apply_font(app)  # the sheet's rules go to the widgets they name (desktop.ui.style)
    if style.wants_contrast(app):  # the system's high contrast, from the first frame
        style.set_theme(app, "contrast")
    app.setWindowIcon(QIcon(str(resources_dir() / "icons" / "repli.svg")))
    return app


def wallboard(data_dir: str | None, language: str, seats_only: bool) -> int:
    """``repli wallboard``: the site's wall screen, full screen, on the site store of this
    PC's configuration (desktop.ui.wallboard)."""
    from desktop.config import load_seat
    from desktop.paths import DataPaths
    from desktop.store.engine import make_site_engine
    from desktop.ui.wallboard import Wallboard

    paths = DataPaths.resolve(data_dir)
    if seats_only and not paths.client and paths.clients():
        return _hall_wall(paths, language)
    settings, _warnings = load_seat(paths)
    url = settings.site_database_url
    if not url:
        print("repli wallboard: this PC has no site database (a sync target of kind site)")
        return 1
    app = application(["repli"], language or settings.language)
    target = next(t.name for t in settings.sync_targets if t.kind == "site")
    client = settings.client_name or settings.client_id
    board = Wallboard(make_site_engine(url), client, target, seats_only)
    board.showFullScreen()
    return int(app.exec())


def _hall_wall(seat: DataPaths, language: str) -> int:
    """The hall's screen on a PC provisioned for several clients: every client's seats,
    each from its own site store (desktop.ui.hall_wall)."""
    from desktop.config import load_seat
    from desktop.site.hall import hall_sites
    from desktop.store.engine import make_site_engine
    from desktop.ui.hall_wall import HallWall

    sites, left_out = hall_sites(seat)
    if not sites:
        print("repli wallboard: no client of this PC has a site database (a sync target of kind"
              " site)" + "".join(f"\n  {c}: {why or 'no site store'}" for c, why in left_out))  # fmt: skip
        return 1
    settings, _warnings = load_seat(seat)
    app = application(["repli"], language or settings.language)
    board = HallWall([(s.client, make_site_engine(s.url)) for s in sites], left_out)
    board.showFullScreen()
    return int(app.exec())


def main(argv: Sequence[str] | None = None, initial_events: Sequence[CallEvent] = ()) -> int:
    """Start the agent window, unless one already serves this seat (then bring it forward).

    ``initial_events`` are screen pops to show once the window is ready (``repli pop``
    started it)."""
    argv = list(sys.argv if argv is None else argv)
    from desktop.config import ConfigError
    from desktop.paths import DataPaths
    from desktop.store.cipher import StoreLocked
    from desktop.store.schema import SchemaTooNew
    from desktop.telephony import instance
    from desktop.ui.client_shift import ClientShift

    try:
        start = client_shift(argv)
    except ConfigError:  # the seat's own config: the window's start below says it
        start = None
    if isinstance(start, ClientShift):  # several clients: the agent chooses at sign-in
        return _run_client_shift(start, initial_events)
    if isinstance(start, Path):  # the seat's one client, or the shift a crash interrupted
        argv = [*argv, "--data-dir", str(start)]
    root = DataPaths.resolve(parse_args(argv).data_dir).root
    running = instance.send(root, {"kind": "show"})
    if running is not None:
        if running.get("ok"):
            print("Repli already runs for this seat: its window was brought forward.")
            return 0
        print(f"Repli already runs for this seat but does not answer ({running.get('error')}):"
              " close it, or end its process, before starting another.")  # fmt: skip
        return 1
    try:
        app, window = build_window(argv)
    except (ConfigError, SchemaTooNew, StoreLocked, OSError) as exc:
        log.error("cannot start: %s", exc)
        if QApplication.instance() is None:
            QApplication(argv)
        QMessageBox.critical(None, "Repli", f"Repli cannot start:\n{exc}")
        return 1
    window.show()
    for event in initial_events:
        QTimer.singleShot(0, lambda event=event: window.intake.deliver(event))
    log.info("agent window ready")
    try:
        return int(app.exec())
    finally:
        if window.seat is not None:
            window.seat.close()


def client_shift(argv: Sequence[str], route_qt_messages: bool = True) -> ClientShift | Path | None:
    """Which window a start opens on a seat whose clients were provisioned (desktop.seat.
    clients): a ClientShift (its sign-in not shown yet) when the agent chooses among several,
    the data directory of the one to open without a choice, or None: this data directory as
    given (``--client ID``, or a seat without clients)."""
    from desktop import config
    from desktop.paths import DataPaths
    from desktop.seat import clients
    from desktop.telephony import instance
    from desktop.ui.client_shift import RUNNING, ClientShift

    args = parse_args(argv)
    seat = DataPaths.resolve(args.data_dir)
    if seat.client or not seat.clients():  # no config read for it: the start reads it next
        return None
    found = clients.entries(seat)
    chosen = clients.opened_at_start(seat, found)
    if chosen is not None:
        return None if chosen.root == seat.root else chosen.root
    settings, _ = config.load_seat(seat)
    application(argv, args.lang or settings.language)

    def prepare(root: Path) -> Prepared | str:  # off the GUI thread (ClientShift.ops)
        if instance.send(root, {"kind": "show"}) is not None:
            return RUNNING
        return prepare_window(str(root))

    if route_qt_messages:
        qInstallMessageHandler(_qt_message)
    return ClientShift(seat, settings.site, settings.seat_id, found, prepare, window_for)


def _run_client_shift(shift: ClientShift, initial_events: Sequence[CallEvent]) -> int:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    waiting = list(initial_events)

    def opened(window: MainWindow) -> None:  # the pops that started Repli: to the first one
        while waiting:
            event = waiting.pop(0)
            QTimer.singleShot(0, lambda event=event: window.intake.deliver(event))

    shift.opened = opened
    shift.show_choice()
    log.info("client sign-in shown (%d clients)", len(shift.entries))
    try:
        return int(app.exec())
    finally:
        shift.shutdown()
        if shift.window is not None and shift.window.seat is not None:
            shift.window.seat.close()


def write_branch_sheets(
    engine: Engine, folder: Path, where: ContactFilter, language: str = "fr", client: str = ""
) -> list[Path]:
    """The branch sheets' PDFs for the command line: Qt writes them, and only this module
    and ``desktop/ui`` may import Qt (the core calls this, never ``desktop.ui``)."""
    from desktop.ui.branch_sheets import write_branch_sheets as write

    return write(engine, folder, where, language, client)


def render_failback(document: dict[str, Any], path: Path, language: str = "fr") -> None:
    """A failback report's PDF or XLSX for the command line (desktop.ui.failback_render)."""
    from desktop.ui.report_files import render

    render(document, path, language)


def self_test() -> int:
    """``repli --self-test``: the app started offscreen on a throwaway data directory: tables
    loaded, database opened and migrated, translations loaded, a French number parsed.
    Exit 0 when all hold (installers and CI run it on the built bundle)."""
    import os
    import tempfile

    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    with tempfile.TemporaryDirectory(prefix="repli-self-test-") as tmp:
        os.environ["REPLI_SYSTEM_CONFIG"] = os.path.join(tmp, "no-system-config.toml")
        with open(os.path.join(tmp, "config.toml"), "w", encoding="utf-8") as config:
            config.write("pop_enabled = false\n")  # never take the port of a running seat
        app, window = build_window(["repli", "--data-dir", tmp], route_qt_messages=False)
        window.show()
        app.processEvents()
        results = _self_checks(window)
        window.close()
        app.processEvents()
        if window.seat is not None:
            window.seat.close()
    for name, ok, detail in results:
        print(f"{'ok  ' if ok else 'FAIL'} {name}: {detail}")
    return 0 if all(ok for _n, ok, _d in results) else 1


def _self_checks(window: MainWindow) -> list[tuple[str, bool, str]]:
    from desktop import phone
    from desktop.store.quickstart import HEAD_REVISION
    from desktop.store.schema import current_revision

    index = window.page.index
    seat = window.seat
    number = phone.normalise("01 99 00 66 77", "FR")
    found = index.search("6677").unique if index else None
    text = window.page.form.save_button.text()
    return [
        ("tables", bool(index and len(index)), f"{len(index) if index else 0} numbers"),
        (
            "database",
            seat is not None and current_revision(seat.engine) == HEAD_REVISION,
            f"schema {current_revision(seat.engine) if seat else 'not open'}",
        ),
        ("translations", text == "Enregistrer (Ctrl+S)", repr(text)),
        (
            "phone numbers",
            number.e164 == "+33199006677" and number.valid,
            f"{number.national} -> {number.e164}",
        ),
        (
            "lookup",
            found is not None and found.branch is not None,
            found.branch.name if found and found.branch else "no branch for 6677",
        ),
        _branch_clock_check(),
        _charts_check(),
    ]


def _branch_clock_check() -> tuple[str, bool, str]:
    """A branch's own clock and holidays need tzdata and the holidays package's calendars."""
    from datetime import datetime

    from desktop import hours
    from desktop.places import Place

    reunion = Place("Indian/Reunion", "RE")
    instant = datetime.fromisoformat("2027-12-20T07:00:00+00:00")  # 11:00 there, a holiday
    state = hours.state_at("Mo-Fr 08:00-17:00; PH off", instant, reunion)
    name = hours.holiday_name(reunion, instant.date(), "fr")
    ok = not state.is_open and state.local_now is not None and state.local_now.hour == 11
    return ("branch clocks", ok and name is not None, f"La Réunion 20/12: {name or 'no holiday'}")


def _charts_check() -> tuple[str, bool, str]:
    """The supervisor's dashboard needs QtCharts (PySide6-Addons): is it in the bundle?"""
    try:
        from PySide6.QtCharts import QChart, QPieSeries
    except ImportError as exc:
        return ("charts", False, str(exc))
    chart = QChart()
    chart.addSeries(QPieSeries())
    return ("charts", len(chart.series()) == 1, "QtCharts loaded")
