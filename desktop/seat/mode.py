"""The seat's and the site's mode, switched one way from every front end: the supervision's
exercise tab (the seat's switch and the site-wide one, on the site database it holds open)
and ``repli mode`` call ``switch_mode``.

The seat's mode lives in its config file; the site's, for every seat that delivers to the
site database, in that database (``desktop.supervisor.site_mode``). A running window is told
through the single-instance socket and shows the new mode at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from desktop import config
from desktop.config import Mode
from desktop.paths import DataPaths

if TYPE_CHECKING:
    from sqlalchemy import Engine


class ModeError(ValueError):
    """An unknown mode, or a site switch on a seat without a site database."""


@dataclass(frozen=True)
class ModeChange:
    mode: str
    config_file: Path
    site: bool = False  # the site database's mode was set too
    window_told: bool = False  # a running window shows it now


def seat_mode(paths: DataPaths) -> str:
    """The seat's mode as its configuration says now (a window hears that it changed and
    reads it here, off its GUI thread)."""

    settings, _warnings = config.load_seat(paths)
    return settings.mode.value


def check_mode(mode: str) -> str:
    try:
        return Mode(mode.strip().lower()).value
    except ValueError:
        choices = ", ".join(m.value for m in Mode)
        raise ModeError(f"unknown mode {mode[:20]!r}: one of {choices}") from None


def switch_mode(
    paths: DataPaths,
    mode: str,
    site_url: str = "",
    actor: str = "",
    tell_window: bool = True,
    site_engine: Engine | None = None,
) -> ModeChange:
    """The seat's mode written to its config, and the site's with ``site_url`` (or on
    ``site_engine``, a site database already open); a running window of this seat is told
    unless ``tell_window`` is False (the window itself)."""
    from desktop.seat.provision import update_config
    from desktop.supervisor.site_mode import set_site_mode

    wanted = check_mode(mode)
    if site_engine is not None:
        set_site_mode(site_engine, wanted, actor or "repli mode")
    elif site_url:
        from desktop.store.schema import open_migrated

        engine = open_migrated(site_url)
        try:
            set_site_mode(engine, wanted, actor or "repli mode")
        finally:
            engine.dispose()
    target, _warnings = update_config(paths, {"mode": wanted})
    told = False
    if tell_window:
        from desktop.telephony import instance

        told = instance.send(paths.root, {"kind": "mode", "mode": wanted}) is not None
    return ModeChange(wanted, target, bool(site_url or site_engine), told)
