"""What a seat writes is its account's alone: the data directory 0700, the database, its
journal, the logs and the secrets 0600, an older installation tightened at the next start;
atomic writes never follow a link another account planted; crashes reach the log."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from desktop.files import write_atomically
from tests.helpers.cli import repli


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_the_data_directory_is_private_and_an_old_one_is_tightened(data_dir: Path) -> None:
    data_dir.chmod(0o755)  # as Repli 0.2 left it
    (data_dir / "config.toml").chmod(0o644)
    (data_dir / "logs").mkdir(mode=0o755)
    (data_dir / "logs" / "repli.log").write_text("an older log\n")
    (data_dir / "logs" / "repli.log").chmod(0o644)
    done = repli(data_dir, "lookup", "6881")
    assert done.returncode == 0, done.stderr
    saved = repli(data_dir, "erase", "--number", "0612345678", "--yes")  # writes the store
    assert saved.returncode in (0, 1), saved.stderr
    assert mode(data_dir) == 0o700 and mode(data_dir / "logs") == 0o700
    for name in ("repli.sqlite3", "config.toml", "logs/repli.log"):
        assert mode(data_dir / name) == 0o600, name
    for journal in ("repli.sqlite3-wal", "repli.sqlite3-shm"):
        if (data_dir / journal).exists():
            assert mode(data_dir / journal) == 0o600, journal


def test_an_atomic_write_replaces_a_planted_link_not_its_target(tmp_path: Path) -> None:
    shared = tmp_path / "exports"
    shared.mkdir()
    victim = tmp_path / "victim.csv"
    victim.write_text("the victim's own file\n")
    (shared / ".export.csv.tmp").symlink_to(victim)  # the old predictable temporary name
    (shared / "export.csv").symlink_to(victim)
    write_atomically(shared / "export.csv", b"new export\n")
    assert victim.read_text() == "the victim's own file\n"
    assert not (shared / "export.csv").is_symlink()
    assert (shared / "export.csv").read_bytes() == b"new export\n"
    assert mode(shared / "export.csv") == 0o600


@pytest.mark.filterwarnings("ignore::pytest.PytestUnhandledThreadExceptionWarning")
def test_uncaught_exceptions_of_threads_reach_the_log(tmp_path: Path) -> None:
    import threading

    from desktop import logs

    target = logs.setup(tmp_path / "logs")
    thread = threading.Thread(target=lambda: 1 / 0, name="worker-x")
    thread.start()
    thread.join()
    for handler in __import__("logging").getLogger("repli").handlers:
        handler.flush()
    text = target.read_text()
    assert "uncaught exception in thread worker-x" in text and "ZeroDivisionError" in text


def test_the_pc_wide_config_says_when_every_account_can_read_its_secrets(
    data_dir: Path,
) -> None:
    done = repli(
        data_dir, "provision", "--system", "--site", "S", "--seat", "1",
        "--sync-url", "http://127.0.0.1:9/x", "--sync-token", "t0k3n",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    system = Path(os.environ["REPLI_SYSTEM_CONFIG"])
    import grp

    try:
        group = grp.getgrnam("repli")
    except KeyError:
        assert mode(system) == 0o644
        assert "every account of this PC can read it" in done.stdout + done.stderr
    else:
        assert mode(system) == 0o640 and system.stat().st_gid == group.gr_gid
