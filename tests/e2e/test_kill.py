"""SIGKILL at random moments: every contact reported saved is there, the database is intact,
and the contact being typed when the process died is either saved or a draft, never lost."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.helpers.store_file import open_store

ROOT = Path(__file__).resolve().parents[2]
KILLS = 25


def run_and_kill(data_dir: Path, rng: random.Random) -> list[str]:
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.helpers.save_loop", str(data_dir)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert process.stdout is not None
    first = process.stdout.readline()  # the loop is running
    time.sleep(rng.uniform(0.0, 0.4))
    os.kill(process.pid, signal.SIGKILL)
    rest = process.stdout.read()
    process.wait()
    return [first, *rest.splitlines()]


def test_sigkill_loses_nothing(tmp_path: Path) -> None:
    rng = random.Random(int(os.environ.get("REPLI_KILL_SEED", "7")))
    data_dir = tmp_path / "seat"
    reported_saved: set[str] = set()
    for _ in range(KILLS):
        lines = [line.strip() for line in run_and_kill(data_dir, rng) if line.strip()]
        reported_saved |= {line.split()[1] for line in lines if line.startswith("saved ")}
        last = lines[-1]
        db = open_store(data_dir / "repli.sqlite3")
        try:
            assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
            stored = {r[0] for r in db.execute("SELECT id FROM contacts")}
            drafts = {r[0] for r in db.execute("SELECT contact_id FROM drafts")}
            revisions = db.execute("SELECT count(*) FROM contact_revisions").fetchone()[0]
            outbox = db.execute("SELECT count(*) FROM outbox").fetchone()[0]
        finally:
            db.close()
        assert reported_saved <= stored
        assert revisions == outbox == len(stored)  # a save is all or nothing
        if last.startswith("draft "):
            in_flight = last.split()[1]
            # Killed between draft and save: exactly one of them exists.
            assert (in_flight in stored) != (in_flight in drafts)
        assert len(drafts) <= 1
    assert len(reported_saved) > KILLS
