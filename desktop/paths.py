"""Where resources, tables, data and logs live.

Everything the seat writes lives under one data directory: ``--data-dir``, else
``REPLI_DATA_DIR``, else platformdirs' user data directory. Read-only resources (the demo
pack, translations, icons) live beside the package in a checkout, a wheel or a bundle.
"""

from __future__ import annotations

import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path

APP_NAME = "repli"
DATA_DIR_ENV = "REPLI_DATA_DIR"


def _source_root() -> Path:
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        return Path(frozen_root)
    return Path(__file__).resolve().parent.parent


def resources_dir() -> Path:
    return _source_root() / "resources"


def translations_dir() -> Path:
    return resources_dir() / "translations"


def demo_pack_dir() -> Path:
    return _source_root() / "lookup_tables" / "demo"


SYSTEM_CONFIG_ENV = "REPLI_SYSTEM_CONFIG"


def system_config_file() -> Path:
    """The seat configuration an installer writes for every user of the PC (read first; the
    data directory's config.toml overrides it)."""
    override = os.environ.get(SYSTEM_CONFIG_ENV)
    if override:
        return Path(override)
    if sys.platform == "win32":
        return Path(os.environ.get("PROGRAMDATA", r"C:\ProgramData")) / "Repli" / "config.toml"
    return Path("/etc/repli/config.toml")


def system_clients_dir() -> Path:
    """The clients' PC-wide settings, one file each, beside the PC-wide config."""
    return system_config_file().parent / CLIENTS


def system_client_file(client: str) -> Path:
    """A client's PC-wide settings (its PIN, its keys)."""
    return system_clients_dir() / f"{client}.toml"


CLIENT_ID = re.compile(r"[a-z0-9][a-z0-9-]{0,31}")
CLIENTS = "clients"


class BadClient(ValueError):
    """Not a client id, or a client this seat does not have."""


def check_client_id(client: str) -> str:
    if not CLIENT_ID.fullmatch(client):
        raise BadClient(
            f"{client!r} is not a client id: 1 to 32 lower-case letters, digits and dashes"
        )
    return client


def default_data_dir() -> Path:
    from platformdirs import user_data_path

    return user_data_path(APP_NAME, appauthor=False)


@dataclass(frozen=True)
class DataPaths:
    """The files of one seat's data directory, or of one of its clients': a client's data
    directory is ``SEAT/clients/ID``, with its own store, key, config and logs, and the
    seat's config under its own (desktop.config.load_seat)."""

    root: Path

    @classmethod
    def resolve(cls, data_dir: str | os.PathLike[str] | None = None, client: str = "") -> DataPaths:
        chosen = data_dir or os.environ.get(DATA_DIR_ENV) or default_data_dir()
        seat = Path(chosen).expanduser().resolve()
        return cls(seat / CLIENTS / check_client_id(client) if client else seat)

    @property
    def client(self) -> str:
        """The client this directory is for ("" for a seat's own, one-client directory)."""
        name = self.root.name
        return name if self.root.parent.name == CLIENTS and CLIENT_ID.fullmatch(name) else ""

    @property
    def seat_root(self) -> Path:
        return self.root.parent.parent if self.client else self.root

    def clients(self) -> list[str]:
        """The clients of this seat, by id: those provisioned for this account
        (``SEAT/clients/ID/config.toml``) and those provisioned PC-wide (``--system``: the
        client's PC-wide file, which every agent account of the PC takes)."""
        found = set()
        folder = self.seat_root / CLIENTS
        if folder.is_dir():
            found |= {
                p.name
                for p in folder.iterdir()
                if CLIENT_ID.fullmatch(p.name) and (p / "config.toml").is_file()
            }
        system = system_clients_dir()
        try:
            if system.is_dir():
                found |= {p.stem for p in system.glob("*.toml") if CLIENT_ID.fullmatch(p.stem)}
        except PermissionError:
            pass  # a PC-wide folder this account cannot read: the config's loading says so
        return sorted(found)

    @property
    def database(self) -> Path:
        return self.root / "repli.sqlite3"

    @property
    def config_file(self) -> Path:
        return self.root / "config.toml"

    @property
    def supervisor_lock(self) -> Path:
        return self.root / "supervisor-lock.json"

    @property
    def logs(self) -> Path:
        return self.root / "logs"

    @property
    def database_url(self) -> str:
        return f"sqlite:///{self.database}"

    def ensure(self) -> DataPaths:
        """The directory and its log folder, private to this account (0700, files 0600):
        the database, its journal, the logs and the secrets hold callers' personal data and
        the seat's tokens. An installation made before that is tightened here."""
        self.root.mkdir(mode=0o700, parents=True, exist_ok=True)
        self.logs.mkdir(mode=0o700, exist_ok=True)
        if os.name != "nt":
            _private(self.root, 0o700)
            _private(self.logs, 0o700)
            for entry in [*self.root.iterdir(), *self.logs.iterdir()]:
                if entry.is_file() and not entry.is_symlink():
                    _private(entry, 0o600)
        return self


def _private(path: Path, mode: int) -> None:
    try:
        info = path.lstat()
        if info.st_uid == os.getuid() and info.st_mode & 0o777 & ~mode:
            path.chmod(mode)
    except OSError:
        pass  # not ours, or gone: repli doctor says what it finds
