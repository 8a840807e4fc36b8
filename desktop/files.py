"""Writing a file so that a crash or a full disk never leaves half of it."""

from __future__ import annotations

import os
import stat
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
