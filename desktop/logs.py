"""Logging: one named logger per area, a rotating file in the seat's log directory."""

from __future__ import annotations

import logging
import logging.handlers
import sys
import threading
from pathlib import Path

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def setup(log_dir: Path, level: int = logging.INFO) -> Path:
    """Send the ``repli`` loggers to ``log_dir/repli.log`` (replacing an earlier file)."""
    log_dir.mkdir(parents=True, exist_ok=True)
    target = log_dir / "repli.log"
    root = logging.getLogger("repli")
    for handler in list(root.handlers):
        if isinstance(handler, logging.handlers.RotatingFileHandler):
            if Path(handler.baseFilename) == target:
                return target
            root.removeHandler(handler)
            handler.close()
    handler = logging.handlers.RotatingFileHandler(
        target, maxBytes=2_000_000, backupCount=5, encoding="utf-8"
    )
    handler.setFormatter(logging.Formatter(FORMAT))
    root.addHandler(handler)
    root.setLevel(level)
    _route_uncaught()
    return target


def _route_uncaught() -> None:
    """Uncaught exceptions, of the main thread and of every other, go to the log too: a
    windowed bundle has no stderr to print them to."""

    if getattr(sys.excepthook, "_repli", False):
        return
    crashes = logging.getLogger("repli.crash")
    previous_sys, previous_thread = sys.excepthook, threading.excepthook

    def on_main(kind: type[BaseException], value: BaseException, trace: object) -> None:
        crashes.critical("uncaught exception", exc_info=(kind, value, trace))  # type: ignore[arg-type]
        previous_sys(kind, value, trace)  # type: ignore[arg-type]

    def on_thread(args: threading.ExceptHookArgs) -> None:
        name = args.thread.name if args.thread is not None else "?"
        crashes.critical(
            "uncaught exception in thread %s",
            name,
            exc_info=(args.exc_type, args.exc_value, args.exc_traceback),  # type: ignore[arg-type]
        )
        previous_thread(args)

    on_main._repli = True  # type: ignore[attr-defined]
    sys.excepthook = on_main
    threading.excepthook = on_thread
