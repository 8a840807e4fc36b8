"""Every notice the core raises has its line in the agent window's banner."""

from __future__ import annotations

import re
from pathlib import Path

from pytestqt.qtbot import QtBot

from desktop.ui.notice_banner import KNOWN, NoticeBanner

DESKTOP = Path(__file__).resolve().parents[2] / "desktop"


def raised_by_the_core() -> set[str]:
    found: set[str] = set()
    for source in DESKTOP.rglob("*.py"):
        text = source.read_text(encoding="utf-8")
        found |= set(re.findall(r'notices\.append\("([a-z-]+)"\)', text))
        found |= set(re.findall(r'notice\.add\("([a-z-]+)"\)', text))
    return found


def test_each_notice_the_core_raises_is_known_and_shown(qtbot: QtBot) -> None:
    raised = raised_by_the_core()
    assert {"pc-pack-imported", "pc-pack-refused", "demo-pack-imported"} <= raised
    assert raised <= set(KNOWN), raised - set(KNOWN)
    banner = NoticeBanner(None, 30)
    qtbot.addWidget(banner)
    banner.refresh()
    lines_before = len(banner.text().splitlines())  # "no lookup tables"
    for notice in KNOWN:
        one = NoticeBanner(None, 30)
        qtbot.addWidget(one)
        one.store_error = "disk full"
        one.add(notice)
        extra = len(one.text().splitlines()) - lines_before
        # a pack imported or followed is named from its tables: without tables, no line
        assert extra == (0 if notice in ("pc-pack-imported", "tables-followed") else 1), notice
