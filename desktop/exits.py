"""The exit codes of every ``repli`` command, in one place."""

EXIT_OK = 0  # done
EXIT_REFUSED = 1  # refused: a rejected pack, a seat not ready, a file that cannot be merged
EXIT_USAGE = 2  # bad usage or input
