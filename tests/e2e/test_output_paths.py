"""A path given to write to is never replaced when it is not a file: ``-o /dev/null`` as root
once replaced the system's null device with a regular file. Device nodes are made with
``mknod`` in the test's own folder, never the system's."""

from __future__ import annotations

import os
import socket
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from desktop.files import UnsafeOutput, output_file, write_output, write_replacing
from tests.e2e.test_export_cli import fill
from tests.helpers.cli import repli

ROOT_ONLY = pytest.mark.skipif(os.geteuid() != 0, reason="mknod needs root (CI runs as root)")


def null_node(folder: Path) -> Path:
    node = folder / "null"
    os.mknod(node, stat.S_IFCHR | 0o666, os.stat(os.devnull).st_rdev)
    return node


@ROOT_ONLY
def test_an_export_to_a_null_device_writes_through_it(tmp_path: Path) -> None:
    seat = tmp_path / "seat"
    fill(seat, "S1", 3)
    node = null_node(tmp_path)
    done = repli(seat, "export", "--format", "csv", "-o", str(node))
    assert done.returncode == 0, done.stderr
    assert stat.S_ISCHR(os.lstat(node).st_mode)  # still the device, not a 0600 file
    assert os.lstat(node).st_rdev == os.stat(os.devnull).st_rdev


@ROOT_ONLY
def test_a_link_to_a_null_device_is_written_through_and_kept(tmp_path: Path) -> None:
    node = null_node(tmp_path)
    link = tmp_path / "link"
    link.symlink_to(node)
    write_output(link, b"x")
    assert link.is_symlink() and stat.S_ISCHR(os.lstat(node).st_mode)


@ROOT_ONLY
def test_a_disk_or_another_device_is_refused_and_left_alone(tmp_path: Path) -> None:
    disk = tmp_path / "disk"
    os.mknod(disk, stat.S_IFBLK | 0o600, os.makedev(7, 250))  # a loop device's numbers
    memory = tmp_path / "mem"
    os.mknod(memory, stat.S_IFCHR | 0o600, os.makedev(1, 1))  # /dev/mem's numbers
    for node, kind in ((disk, "disk"), (memory, "device")):
        with pytest.raises(UnsafeOutput, match=kind):
            write_output(node, b"x")
        assert not stat.S_ISREG(os.lstat(node).st_mode)
        seat = tmp_path / f"seat-{kind}"
        done = repli(seat, "export", "--format", "csv", "-o", str(node))
        assert done.returncode == 1
        assert f"{node}: a " in done.stderr and "refused" in done.stderr
        assert "Traceback" not in done.stderr
        assert not stat.S_ISREG(os.lstat(node).st_mode)


def test_a_folder_or_a_socket_is_refused_with_where_and_what(tmp_path: Path) -> None:
    folder = tmp_path / "folder"
    folder.mkdir()
    (folder / "kept").write_text("kept")
    where = tmp_path / "s"
    listening = socket.socket(socket.AF_UNIX)
    listening.bind(str(where))
    try:
        for path, what in ((folder, "a folder"), (where, "a socket")):
            done = repli(tmp_path / "seat", "export", "--format", "csv", "-o", str(path))
            assert done.returncode == 1, done.stdout
            assert f"repli export: {path}: {what}, not a file: refused" in done.stderr
        assert (folder / "kept").read_text() == "kept"
        assert stat.S_ISSOCK(os.lstat(where).st_mode)
    finally:
        listening.close()


def test_a_fifo_is_written_through_to_its_reader(tmp_path: Path) -> None:
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    seat = tmp_path / "seat"
    fill(seat, "S1", 2)
    read: list[bytes] = []

    def reader() -> None:
        with open(fifo, "rb") as f:
            read.append(f.read())

    thread = threading.Thread(target=reader)
    thread.start()
    done = repli(seat, "export", "--format", "jsonl", "-o", str(fifo))
    thread.join(30)
    assert done.returncode == 0, done.stderr
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert read and read[0].count(b"\n") == 4  # the header, two contacts, the end


def test_a_fifo_no_one_reads_is_said_at_once(tmp_path: Path) -> None:
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    done = repli(tmp_path / "seat", "export", "--format", "csv", "-o", str(fifo))
    assert done.returncode == 1
    assert "a FIFO that no program reads" in done.stderr
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_standard_output_takes_the_data_and_the_summary_goes_to_stderr(tmp_path: Path) -> None:
    seat = tmp_path / "seat"
    fill(seat, "S1", 2)
    for name in ("-", "/dev/stdout"):
        done = repli(seat, "export", "--format", "jsonl", "-o", name)
        assert done.returncode == 0, done.stderr
        lines = done.stdout.splitlines()
        assert len(lines) == 4 and '"header"' in lines[0]
        assert "2 contacts" in done.stderr


def test_stdout_redirected_to_a_file_is_written_not_replaced(tmp_path: Path) -> None:
    """``/dev/stdout`` is a link: writing it through the process's stream, never renaming
    over the link in /dev (as root) nor opening the file again from its start."""
    target = tmp_path / "out.txt"
    target.write_bytes(b"before\n")
    code = (
        "import sys; from desktop.files import write_output;"
        "sys.stdout.write('head\\n'); write_output('/dev/stdout', b'body\\n')"
    )
    with target.open("ab") as out:
        subprocess.run([sys.executable, "-c", code], stdout=out, check=True)
    assert target.read_bytes() == b"before\nhead\nbody\n"
    assert os.path.islink("/dev/stdout") or not os.path.exists("/dev/stdout.tmp")


def test_a_configuration_or_key_is_never_written_through_a_fifo(tmp_path: Path) -> None:
    fifo = tmp_path / "config.toml"
    os.mkfifo(fifo)
    with pytest.raises(UnsafeOutput, match="a FIFO, not a file"):
        write_replacing(fifo, b"x")
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    keys = tmp_path / "keys"
    keys.mkdir()
    os.mkfifo(keys / "repli-tables.key")
    done = repli(tmp_path / "seat", "tables", "keygen", "--out", str(keys))
    assert done.returncode != 0 and "repli-tables.key" in done.stderr
    assert "Traceback" not in done.stderr
    assert stat.S_ISFIFO(os.lstat(keys / "repli-tables.key").st_mode)


def test_a_regular_file_is_still_replaced_atomically(tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    target.write_bytes(b"old")
    with output_file(target, 0o600) as f:
        f.write(b"new")
    assert target.read_bytes() == b"new"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_a_signed_report_is_refused_anywhere_but_a_file(tmp_path: Path) -> None:
    """Its signature lies beside it, and it is signed from what was written: ``-``, a FIFO
    (whose reader could hold it for ever) or a folder is refused before anything is written."""
    seat = tmp_path / "seat"
    fill(seat, "S1", 3)
    assert repli(seat, "report", "keygen", "--out", str(tmp_path / "keys")).returncode == 0
    fifo = tmp_path / "report.json"
    os.mkfifo(fifo)
    for out in ("-", str(fifo), str(tmp_path)):
        done = repli(seat, "report", "failback", "--since", "2026-01-01", "--until", "2026-01-02",
                     "--key", str(tmp_path / "keys" / "repli-site.key"), "-o", out)  # fmt: skip
        assert done.returncode != 0 and "a signed report is written to a file" in done.stderr
        assert "Traceback" not in done.stderr and done.stdout == ""
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert not list(tmp_path.rglob("*.minisig")) and not Path("-.minisig").exists()
