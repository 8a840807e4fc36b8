"""The command line's start: ``repli lookup 6881`` on a seat with the demo pack, beside
``python -c "import sqlite3"`` in the same run (goal: 4x at most), and optionally the same
command from another checkout (the code before a change).

    .venv/bin/python benchmarks/cli_start.py [--runs 15] [--old /path/to/other/checkout]

Bytecode is compiled first, as an installed Repli has it. No test asserts any of this:
machines are noisy, read the ratios.
"""

from __future__ import annotations

import argparse
import compileall
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def timed(command: list[str], cwd: Path, env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, cwd=cwd, env=env, check=True, capture_output=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--old", type=Path, help="another checkout to time beside this one")
    args = parser.parse_args()
    checkouts = [ROOT] + ([args.old] if args.old else [])
    for checkout in checkouts:
        compileall.compile_dir(checkout / "desktop", quiet=1)
    with tempfile.TemporaryDirectory(prefix="repli-cli-") as tmp:
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
        seat = Path(tmp) / "seat"
        command = [sys.executable, "-m", "desktop", "--data-dir", str(seat), "lookup", "6881"]
        for checkout in checkouts:  # the demo pack imported, the store made: a seat in use
            subprocess.run(command, cwd=checkout, env=env, check=True, capture_output=True)
        reference = [sys.executable, "-c", "import sqlite3"]
        times: dict[str, list[float]] = {"reference": []}
        for _ in range(args.runs):
            times["reference"].append(timed(reference, ROOT, env))
            for checkout in checkouts:
                times.setdefault(str(checkout), []).append(timed(command, checkout, env))
        base = statistics.median(times["reference"])
        print(f'python -c "import sqlite3", median of {args.runs}: {base * 1000:.0f} ms')
        for checkout in checkouts:
            took = statistics.median(times[str(checkout)])
            label = "this checkout" if checkout == ROOT else f"{checkout}"
            print(
                f"repli lookup 6881 ({label}), median: {took * 1000:.0f} ms, "
                f"{took / base:.1f}x the reference (goal 4x)"
            )


if __name__ == "__main__":
    main()
