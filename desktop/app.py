"""The GUI entry point.

``main(argv)`` starts the agent window in this order, and the code below follows it:

1. arguments (``--data-dir``, ``--lang``) and the data paths;
2. logging to a rotating file in the seat's log directory (Qt's messages routed into it);
3. the seat config (``config.toml``);
4. the QApplication (an existing one is reused);
5. the translators (French by default, English on request);
6. the database: schema check or migration, the active tables (the demo pack on first start)
   and the lookup index;
7. the window, then the event loop.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

from PySide6.QtCore import QtMsgType, qInstallMessageHandler
from PySide6.QtWidgets import QApplication

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


def build_window(argv: Sequence[str], route_qt_messages: bool = True):  # type: ignore[no-untyped-def]
    """Steps 1 to 7 but the event loop: returns (app, window, seat).

    Tests pass ``route_qt_messages=False`` so that pytest-qt keeps Qt's messages (a Qt
    warning fails a test)."""
    from desktop import logs
    from desktop.paths import DataPaths, resources_dir

    args = parse_args(argv)
    paths = DataPaths.resolve(args.data_dir).ensure()
    logs.setup(paths.logs)
    if route_qt_messages:
        qInstallMessageHandler(_qt_message)
    from desktop.context import SeatContext

    seat = SeatContext.open(str(paths.root))
    app = QApplication.instance() or QApplication(list(argv))
    assert isinstance(app, QApplication)
    app.setApplicationName("Repli")
    from desktop.ui import i18n

    i18n.install(app, args.lang or seat.settings.language)
    style = resources_dir() / "styles" / "repli.qss"
    if style.exists():
        app.setStyleSheet(style.read_text(encoding="utf-8"))
    seat.ensure_tables()
    index = seat.load_index()
    from desktop.ui.main_window import MainWindow

    window = MainWindow(seat, index, seat.tables_status(), seat.notices)
    return app, window, seat


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv if argv is None else argv)
    app, window, seat = build_window(argv)
    window.show()
    log.info("agent window ready")
    try:
        return int(app.exec())
    finally:
        seat.close()
