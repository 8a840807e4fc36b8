"""The command line's way to the Qt layer: starting the window (``repli``, ``repli pop`` with
no window running, ``repli --self-test``), the wall screens, and the PDFs and workbooks Qt
writes for ``repli export --branch-sheets`` and ``repli report``. The only module outside the
window's code that imports ``desktop.app`` (tests/unit/test_architecture.py)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from desktop.telephony.events import CallEvent


def start(data_dir: str | None, language: str | None, events: Sequence[CallEvent] = ()) -> int:
    """The agent window (with the call that started it, if any)."""
    from desktop.app import main  # noqa: TID251 - the entry point's own

    argv = ["repli"] + (["--data-dir", data_dir] if data_dir else [])
    argv += ["--lang", language] if language else []
    return main(argv, initial_events=events)


def self_test() -> int:
    from desktop.app import self_test  # noqa: TID251 - the entry point's own

    return self_test()


def wallboard(data_dir: str | None, language: str, seats_only: bool) -> int:
    from desktop.app import wallboard  # noqa: TID251 - the entry point's own

    return wallboard(data_dir, language, seats_only)


def render_failback(document: dict[str, Any], path: Path, language: str) -> None:
    """A failback or drill report's PDF or XLSX, written by the Qt layer (its translations)."""
    from desktop.app import render_failback  # noqa: TID251 - the entry point's own

    render_failback(document, path, language)


def branch_sheets(engine: Any, folder: Path, where: Any, language: str, client: str) -> list[Path]:
    """The branch sheets' PDFs, written by Qt."""
    from desktop.app import write_branch_sheets  # noqa: TID251 - the entry point's own

    return write_branch_sheets(engine, folder, where, language, client)
