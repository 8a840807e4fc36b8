"""Logging: one named logger per area, a rotating file in the seat's log directory."""

from __future__ import annotations

import logging
import logging.handlers
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
    return target
