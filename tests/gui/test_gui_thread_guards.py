"""The guards of every GUI test see what they claim: SQL, a file or a socket used by the
window's code on the GUI thread once a window is shown fails the test (tests/gui/conftest.py).
Each is planted here, seen, then taken back so that this test passes."""

from __future__ import annotations

import contextlib
import socket

from desktop.ui import style
from desktop.ui.main_window import MainWindow
from tests.gui.conftest import Guards, engine_of


def test_sql_a_file_and_a_socket_on_the_gui_thread_are_each_caught(
    window: MainWindow, gui_thread_guards: Guards
) -> None:
    guards = gui_thread_guards
    assert guards.sql.armed and guards.io.armed  # the window was shown
    assert guards.sql.offences == [] and guards.io.offences == []

    # a file read by the window's code: the style sheet read again, uncached
    style._sheet.__wrapped__("contrast")
    (what, where) = guards.io.offences[-1]
    assert what.startswith("open ") and what.endswith("repli-contrast.qss")
    assert where.startswith("desktop/ui/style.py:")

    # SQL run by the window's code: a history page read on the GUI thread
    from desktop.store.history import ContactFilter, page

    # (the call compiled as if written in the window's code, which is what the guard watches)
    caller = compile("page(engine, ContactFilter(), 0, 10)", style.__file__, "eval")
    eval(caller, {"page": page, "engine": engine_of(window), "ContactFilter": ContactFilter})
    assert guards.sql.offences and "desktop/ui/style.py" in guards.sql.offences[-1][1]

    # a socket connected by the window's code (nobody listens: refused at once)
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    port = server.getsockname()[1]
    server.close()
    connect = compile("socket.create_connection(('127.0.0.1', port), 1)", style.__file__, "eval")
    with contextlib.suppress(OSError):
        eval(connect, {"socket": socket, "port": port})
    assert any(what.startswith("socket.connect") for what, _where in guards.io.offences)

    guards.sql.offences.clear()  # planted: taken back, so that this test passes
    guards.io.offences.clear()
