"""The bundle's entry point: the ``repli`` command."""

import sys

from desktop.cli import main

sys.exit(main())
