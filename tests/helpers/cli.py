"""The real ``repli`` command, run as a subprocess on a data directory (offscreen)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def repli(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    command = [sys.executable, "-m", "desktop", "--data-dir", str(data_dir), *args]
    return subprocess.run(command, capture_output=True, text=True, env=env, timeout=120)
