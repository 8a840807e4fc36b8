"""The bundle's entry point: the ``repli`` command."""

import multiprocessing
import sys

if __name__ == "__main__":
    # A bundle's worker processes (a large pack's numbers are checked, and its lookup
    # index built, in others; a large merge's revisions are checked in them) start
    # here too: they are spawned, not forked, on every system (desktop.phone), and this
    # hands them to their work instead of starting Repli again (PyInstaller's rule for
    # multiprocessing).
    multiprocessing.freeze_support()
    from desktop.cli import main

    sys.exit(main())
