"""The one way from the window to the core (desktop.ui.ops): off the GUI thread, in order,
stale results dropped in one place, what changed broadcast once the work is done."""

from __future__ import annotations

import functools
import threading

from PySide6.QtCore import QCoreApplication
from pytestqt.qtbot import QtBot

from desktop.changes import CONTACTS, DRAFTS, NOTHING, Changed, Changes
from desktop.ui.ops import Ops, changes_hub


def test_work_runs_off_the_gui_thread_in_order_and_says_what_changed(qtbot: QtBot) -> None:
    ops = Ops()
    threads: list[bool] = []
    results: list[object] = []
    heard: list[Changes] = []
    changes_hub().changed.connect(heard.append)
    try:

        def work(n: int) -> Changed[int]:
            threads.append(threading.current_thread() is threading.main_thread())
            return Changed(n, CONTACTS if n == 4 else NOTHING)

        for n in range(5):
            ops.run(functools.partial(work, n), results.append)
        with qtbot.waitSignal(ops.idle):
            pass
        assert results == [0, 1, 2, 3, 4] and threads == [False] * 5
        assert heard == [CONTACTS]  # only the op that changed something is heard
        ops.run(lambda: Changed("kept", DRAFTS), results.append)
        ops.run(lambda: "a plain value", results.append)  # changed nothing: nothing heard
        qtbot.waitUntil(lambda: not ops.busy)
        assert results[-2:] == ["kept", "a plain value"] and heard == [CONTACTS, DRAFTS]
    finally:
        changes_hub().changed.disconnect(heard.append)
        ops.shutdown()


def test_a_newer_op_with_the_same_key_makes_the_older_result_stale(qtbot: QtBot) -> None:
    ops = Ops()
    gate = threading.Event()
    shown: list[str] = []
    ops.run(lambda: "old" if gate.wait(5) else "late", shown.append, key="caller")
    ops.run(lambda: "new", shown.append, key="caller")
    gate.set()
    qtbot.waitUntil(lambda: not ops.busy)
    assert shown == ["new"]
    ops.run(lambda: "forgotten" if gate.wait(5) else "late", shown.append, key="caller")
    ops.forget("caller")  # the agent typed on: what is on its way is no longer wanted
    qtbot.waitUntil(lambda: not ops.busy)
    assert shown == ["new"]
    ops.shutdown()


def test_failures_are_reported_and_nothing_is_delivered_after_shutdown(qtbot: QtBot) -> None:
    ops = Ops()
    failed: list[Exception] = []
    ops.run(lambda: 1 / 0, failed=failed.append)
    qtbot.waitUntil(lambda: not ops.busy)
    assert isinstance(failed[0], ZeroDivisionError)
    late: list[object] = []
    ran = threading.Event()
    ops.run(lambda: ran.set(), late.append)
    ops.shutdown()  # the work still runs (a draft must reach the disk), its result is dropped
    assert ran.is_set()
    QCoreApplication.sendPostedEvents()  # its result, queued to this thread, is handled now
    assert late == []
    ops.run(lambda: late.append("never"), late.append)
    QCoreApplication.sendPostedEvents()
    assert late == []
