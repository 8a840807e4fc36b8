"""A real PostgreSQL server for the tests: initdb and pg_ctl from Debian's postgresql
package, run as the ``postgres`` user (PostgreSQL refuses root), in a temporary folder, on a
loopback address of its own (a random one of 127.0.0.0/8: a program that takes ports on
127.0.0.1 meanwhile cannot collide with it) and a port free there; stopped (by pg_ctl) at
the end."""

from __future__ import annotations

import glob
import os
import random
import shutil
import socket
import subprocess
from pathlib import Path


def binaries() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return Path(found[-1]).parent if found else None


class Postgres:
    def __init__(self, folder: Path) -> None:
        bin_dir = binaries()
        assert bin_dir is not None, (
            "PostgreSQL is needed: apt-get install postgresql (dev.py does it)"
        )
        self.bin = bin_dir
        self.folder = folder
        self.data = folder / "data"
        self.host = (
            f"127.{random.randint(1, 254)}.{random.randint(1, 254)}.{random.randint(1, 254)}"
        )
        with socket.socket() as probe:
            probe.bind((self.host, 0))
            self.port = int(probe.getsockname()[1])

    def _as_postgres(self, *command: str) -> subprocess.CompletedProcess[str]:
        prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        return subprocess.run([*prefix, *command], capture_output=True, text=True, check=True)

    def start(self, **settings: str) -> Postgres:
        """Started; ``settings`` are server settings (``fsync="on"``, ``max_connections="400"``:
        a benchmark's site database), fsync off by default (the tests)."""
        self.folder.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres")
        if not self.data.exists():
            self._as_postgres(
                str(self.bin / "initdb"), "-D", str(self.data), "-A", "trust", "-U", "repli"
            )
        self._as_postgres(
            str(self.bin / "pg_ctl"),
            "-D",
            str(self.data),
            "-l",
            str(self.folder / "log"),
            "-w",
            "-o",
            f"-p {self.port} -k {self.folder} -c listen_addresses={self.host} "
            + " ".join(f"-c {k}={v}" for k, v in {"fsync": "off", **settings}.items()),
            "start",
        )
        return self

    def stop(self, mode: str = "fast", remove: bool = False) -> None:
        """Stopped; ``remove``: its folder (data, log, socket) deleted too, as a benchmark's
        server in a folder of its own must be (each left hundreds of MB in /tmp)."""
        self._as_postgres(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "stop")
        if remove:
            shutil.rmtree(self.folder, ignore_errors=True)

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://repli@{self.host}:{self.port}/{database}"

    def create_database(self, name: str) -> str:
        import psycopg

        with psycopg.connect(
            f"host={self.host} port={self.port} user=repli dbname=postgres", autocommit=True
        ) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)
