"""Writing a file so that a crash or a full disk never leaves half of it."""

from __future__ import annotations

import os
from pathlib import Path


def write_atomically(path: Path, data: bytes, mode: int = 0o644) -> Path:
    """Write beside ``path`` under a temporary name, flush and fsync, then rename over it:
    readers see the old file or the new one, never a part. On failure the temporary file is
    removed and the error raised. ``mode`` is the new file's permissions (0o600 for secrets)."""
    temporary = path.with_name(f".{path.name}.tmp")
    try:
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(temporary, path)
    except OSError:
        temporary.unlink(missing_ok=True)
        raise
    return path
