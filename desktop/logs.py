"""Logging: one named logger per area, a rotating file in the seat's log directory."""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def setup(log_dir: Path, level: int = logging.INFO) -> None:
    root = logging.getLogger("repli")
    if any(isinstance(h, logging.handlers.RotatingFileHandler) for h in root.handlers):
        return
    log_dir.mkdir(parents=True, exist_ok=True)
    handler = logging.handlers.RotatingFileHandler(
        log_dir / "repli.log", maxBytes=2_000_000, backupCount=5, encoding="utf-8"
    )
    handler.setFormatter(logging.Formatter(FORMAT))
    root.addHandler(handler)
    root.setLevel(level)
