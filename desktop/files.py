"""Writing a file so that a crash or a full disk never leaves half of it."""

from __future__ import annotations

import os
import re
import stat
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO


@contextmanager
def atomic_file(path: Path, mode: int = 0o600) -> Iterator[BinaryIO]:
    """A binary file to write in place of ``path``: written beside it under a temporary
    name, flushed and fsynced, then renamed over it when the block ends without error.
    Readers see the old file or the new one, never a part; on any error the temporary file
    is removed and the error raised. ``mode``: the new file's permissions (0o600, the owner
    only, unless said otherwise).

    The temporary name is random and created exclusively (``mkstemp``: O_CREAT|O_EXCL, no
    link followed), so that in a shared folder another account cannot make the write land
    in a file of its choosing; the rename replaces a link at ``path``, never its target."""
    import tempfile

    fd, name = tempfile.mkstemp(prefix=f".{path.name[:40]}.", suffix=".tmp", dir=path.parent)
    temporary = Path(name)
    try:
        if hasattr(os, "fchmod"):  # mkstemp makes it 0600; the mode asked for, exactly
            os.fchmod(fd, mode)
        with os.fdopen(fd, "wb") as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


class UnsafeOutput(OSError):
    """A path given to write to that is neither a file to replace nor a stream to write
    through: a folder, a socket, a disk, a device other than a terminal or the null device,
    or a FIFO that no program reads."""


STANDARD_OUTPUT = "-"
# the links to a stream of this process: written through that descriptor (a copy of it),
# never opened anew (a redirected file would be written from its start) nor replaced
_OWN_STREAM = re.compile(r"/dev/(stdout|stderr|fd/([0-9]{1,4}))|/proc/self/fd/([0-9]{1,4})")
_STREAMS = {"stdout": 1, "stderr": 2}


@contextmanager
def output_file(path: Path | str, mode: int = 0o600) -> Iterator[BinaryIO]:
    """A binary file to write what a person asked for at ``path`` (``-o PATH``).

    A regular file, a link to one, or nothing yet: written with :func:`atomic_file` (the
    rename replaces the path, never a link's target). ``-``, ``/dev/stdout``, ``/dev/stderr``
    and ``/dev/fd/N``: written to that stream of this process. A FIFO, a terminal or the null
    device (or a link to one): written through, never replaced. Anything else (a folder, a
    socket, a disk, another device) raises :class:`UnsafeOutput`, and nothing is touched: as
    root, ``-o /dev/null`` once replaced the system's null device with a regular file."""
    fd = _stream_to_write_through(Path(path))
    if fd is None:
        with atomic_file(Path(path), mode) as f:
            yield f
        return
    with os.fdopen(fd, "wb") as f:
        yield f
        f.flush()


def write_output(path: Path | str, data: bytes, mode: int = 0o600) -> Path:
    """``data`` written to ``path`` with :func:`output_file`."""
    with output_file(path, mode) as f:
        f.write(data)
    return Path(path)


def write_replacing(path: Path, data: bytes, mode: int = 0o600) -> Path:
    """``data`` written to ``path`` with :func:`atomic_file`, where only a regular file (or a
    link to one, or nothing) may be: a configuration, a key, a pack's file. Anything else
    there raises :class:`UnsafeOutput` and is left as it was."""
    info = _target(path)
    if info is not None:
        raise _refused(path, info)
    return write_atomically(path, data, mode)


def check_output(path: Path | str) -> None:
    """Raises :class:`UnsafeOutput` when :func:`output_file` would refuse ``path``, before
    any work is done for it; opens nothing."""
    if _own_stream(Path(path)) is None:
        info = _target(Path(path))
        if info is not None:
            _writable_through(Path(path), info)


def is_standard_stream(path: Path | str) -> bool:
    """Whether ``path`` names this process's standard output or error (where a command's
    summary line must then not go)."""
    return _own_stream(Path(path)) in (1, 2)


def _own_stream(path: Path) -> int | None:
    """The descriptor of this process's that ``path`` names (``-``: standard output), or
    None when it names none."""
    text = str(path)
    if text == STANDARD_OUTPUT:
        return 1
    found = _OWN_STREAM.fullmatch(text)
    if found is None:
        return None
    name, number, proc = found.groups()
    return _STREAMS[name] if name in _STREAMS else int(number or proc)


def _target(path: Path) -> os.stat_result | None:
    """What ``path`` is, through a link, when it is not a file to replace; None when nothing
    is there (or a dangling link), a regular file, or a link to one (the link is replaced,
    as a file is)."""
    try:
        info = os.lstat(path)
        if stat.S_ISLNK(info.st_mode):
            info = os.stat(path)
    except FileNotFoundError:
        return None
    return None if stat.S_ISREG(info.st_mode) else info


def _writable_through(path: Path, info: os.stat_result) -> None:
    if stat.S_ISFIFO(info.st_mode):
        return
    if stat.S_ISCHR(info.st_mode) and (_is_null(info) or _is_terminal(info)):
        return
    raise _refused(path, info)


def _refused(path: Path, info: os.stat_result) -> UnsafeOutput:
    return UnsafeOutput(f"{path}: {_kind(info)}, not a file: refused (nothing was written)")


def _stream_to_write_through(path: Path) -> int | None:
    """A descriptor to write ``path`` through, or None when it is to be replaced."""
    number = _own_stream(path)
    if number is not None:
        (sys.stdout if number == 1 else sys.stderr).flush()
        try:
            return os.dup(number)
        except OSError as exc:
            raise UnsafeOutput(f"{path}: no such stream ({exc.strerror})") from None
    info = _target(path)
    if info is None:
        return None
    _writable_through(path, info)
    try:  # non-blocking: a FIFO no one reads is said at once, instead of waiting forever
        fd = os.open(path, os.O_WRONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except OSError:
        if stat.S_ISFIFO(info.st_mode):
            raise UnsafeOutput(f"{path}: a FIFO that no program reads: nothing written") from None
        raise
    opened = os.fstat(fd)
    if (opened.st_dev, opened.st_ino) != (info.st_dev, info.st_ino):  # changed meanwhile
        os.close(fd)
        raise UnsafeOutput(f"{path}: changed while it was opened: nothing written")
    if hasattr(os, "set_blocking"):
        os.set_blocking(fd, True)
    return fd


def _is_null(info: os.stat_result) -> bool:
    try:
        return info.st_rdev == os.stat(os.devnull).st_rdev
    except OSError:
        return False


def _is_terminal(info: os.stat_result) -> bool:
    """A terminal by its device numbers (Linux: ttys 4, /dev/tty 5, pseudo-terminals
    136-143), never by opening it: opening some devices acts (a watchdog starts)."""
    if not hasattr(os, "major"):  # Windows: its console is no device path one writes to
        return False
    return os.major(info.st_rdev) in {4, 5, *range(136, 144)}


def _kind(info: os.stat_result) -> str:
    mode = info.st_mode
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISBLK(mode):
        return "a disk (block device)"
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISCHR(mode):
        return "a device other than a terminal or the null device"
    return "not a regular file"


class NotARegularFile(OSError):
    """A link, a FIFO, a device or a folder where a file was to be read."""


class TooLarge(OSError):
    """A file over the bound it is read within."""


def read_regular(path: Path, limit: int) -> bytes:
    """At most ``limit`` bytes of ``path``, opened without following a link and without
    waiting on a FIFO, then checked to be a regular file: a FIFO or a device would make the
    reader wait or read forever, a link could show a file its owner cannot read."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    with os.fdopen(os.open(path, flags | getattr(os, "O_BINARY", 0)), "rb") as f:
        info = os.fstat(f.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise NotARegularFile(f"{path}: not a regular file: refused")
        if info.st_size > limit:
            raise TooLarge(f"{path}: over {limit // 1024} KiB")
        data = f.read(limit + 1)
    if len(data) > limit:
        raise TooLarge(f"{path}: over {limit // 1024} KiB")
    return data


def write_atomically(path: Path, data: bytes, mode: int = 0o600) -> Path:
    """``data`` written to ``path`` with :func:`atomic_file`."""
    with atomic_file(path, mode) as f:
        f.write(data)
    return path


def make_shared_folders(folder: Path, mode: int = 0o755) -> None:
    """``folder`` and each missing folder above it, made ``mode`` whatever the umask (Repli's
    is 077): a PC-wide folder the agents' accounts must read (``/etc/repli``, its tables).
    A folder that exists is left as it is."""
    missing = []
    for item in (folder, *folder.parents):
        if item.is_dir():
            break
        missing.append(item)
    for item in reversed(missing):
        item.mkdir(exist_ok=True)
        item.chmod(mode)


def safe_name(text: str, keep: str = "-_", limit: int = 80, fallback: str = "") -> str:
    """``text`` as part of a file name on any system: letters, digits and ``keep``, the rest
    replaced by "_", at most ``limit`` characters; ``fallback`` when nothing is left."""
    return "".join(c if c.isalnum() or c in keep else "_" for c in text)[:limit] or fallback


def not_admin_only(path: Path) -> str | None:
    """Why ``path`` could be rewritten by an account other than the administrator's (root),
    or None when only the administrator can: it and its folder are owned by root and
    writable by no one else. On Windows the installer's ACLs on ProgramData are the control.
    """
    if os.name == "nt":
        return None
    for item in (path, path.parent):
        try:
            info = item.stat()
        except OSError as exc:
            return f"{item}: {exc.strerror or exc}"
        if info.st_uid != 0:
            return f"{item} is owned by uid {info.st_uid}, not by the administrator (root)"
        if info.st_mode & 0o022:
            return f"{item} is writable by other accounts (mode {info.st_mode & 0o777:o})"
    return None
