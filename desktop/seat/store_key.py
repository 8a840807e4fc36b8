"""Where the key of an encrypted store lives, so that agents never type it.

Each store has an id, written beside it in ``store.json`` (not secret: it names the key and
says where it is kept). The key itself is kept by the operating system:

- ``keyring``: the account's keyring: the Windows Credential Manager (DPAPI, tied to the
  Windows account), the Secret Service on a Linux desktop (GNOME Keyring, KWallet);
- ``file``: a key file readable by the seat's account alone (0600, in a 0700 folder), outside
  the data directory: ``store_key_dir``, else ``REPLI_KEY_DIR``, else the account's config
  folder (``~/.config/repli/store-keys``). Where no keyring runs (a Linux seat without a
  desktop session), ``auto`` takes this one.

A data directory copied elsewhere, or a PC returned to the pool without its keys, gives a
store nobody can read; ``docs/security.md`` says what this protects against and what not.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import re
import sqlite3
import sys
from dataclasses import dataclass
from pathlib import Path

from desktop.files import write_atomically
from desktop.paths import DataPaths
from desktop.store.cipher import CIPHER, KEY_PATTERN, StoreLocked, wipe

KEY_DIR_ENV = "REPLI_KEY_DIR"
SERVICE = "repli"
log = logging.getLogger("repli.store")
STORAGES = ("auto", "keyring", "file")
MAX_STORE_FILE = 4096


@dataclass(frozen=True)
class StoreKey:
    store_id: str
    storage: str  # "keyring" or "file"
    key: str


def key_dir(setting: str = "") -> Path:
    chosen = setting or os.environ.get(KEY_DIR_ENV)
    if chosen:
        return Path(chosen).expanduser()
    from platformdirs import user_config_path

    return user_config_path("repli", appauthor=False) / "store-keys"


def store_file(database: Path) -> Path:
    return database.with_name("store.json")


def read_store_file(database: Path) -> dict[str, str] | None:
    """``store.json`` beside ``database``, or None when there is none."""
    path = store_file(database)
    try:
        raw = path.read_bytes()[: MAX_STORE_FILE + 1]
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise StoreLocked(f"{path}: cannot be read ({exc.strerror})") from None
    try:
        data = json.loads(raw.decode("utf-8")) if len(raw) <= MAX_STORE_FILE else None
    except (UnicodeDecodeError, ValueError):
        data = None
    if (
        not isinstance(data, dict)
        or not _valid_id(data.get("store_id"))
        or data.get("storage") not in ("keyring", "file")
    ):
        raise StoreLocked(f"{path}: damaged (not the store's id and key place): nothing changed")
    client = data.get("client", "")
    return {
        "store_id": str(data["store_id"]),
        "storage": str(data["storage"]),
        "client": client if isinstance(client, str) else "",
    }


# a UUID as str(uuid.uuid4()) writes it (the uuid and secrets modules, and OpenSSL's hashes
# under them, are loaded only to create a key: the first frame reads this file)
_STORE_ID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def _valid_id(value: object) -> bool:
    return isinstance(value, str) and _STORE_ID.fullmatch(value) is not None


def find(database: Path, key_dir_setting: str = "") -> StoreKey | None:
    """The key of the store at ``database``, or None when it has no ``store.json`` (a
    plain store). Raises StoreLocked, saying where, when the key cannot be had."""
    found = read_store_file(database)
    if found is None:
        return None
    store_id, storage = found["store_id"], found["storage"]
    key = _read_keyring(store_id) if storage == "keyring" else _read_file(store_id, key_dir_setting)
    if key is None:
        where = (
            "the account's keyring"
            if storage == "keyring"
            else str(_key_path(store_id, key_dir_setting))
        )
        raise StoreLocked(
            f"{database}: the store is encrypted and its key is not in {where} (another PC or "
            "account, or the key was removed): nothing was changed"
        )
    return StoreKey(store_id, storage, key)


def create(database: Path, storage: str = "auto", key_dir_setting: str = "") -> StoreKey:
    """A new key for the store at ``database``, kept, then named in ``store.json``: a key
    is never named before it is kept, so a crash leaves no store without its key."""

    import secrets
    import uuid

    store_id, key = str(uuid.uuid4()), secrets.token_hex(32)
    chosen = _storage(storage)
    if chosen == "keyring":
        try:
            _write_keyring(store_id, key)
        except StoreLocked as exc:
            if storage != "auto":
                raise
            # a keyring present but locked (an auto-login session, a kiosk account): the seat
            # must start in a disaster, so the key goes to its file, and store.json says so
            log.warning("%s; the store's key is kept in a key file instead", exc)
            chosen = "file"
    if chosen == "file":
        _write_file(store_id, key, key_dir_setting, database.parent)

    client = DataPaths(database.parent).client
    body = {"store_id": store_id, "storage": chosen, "cipher": CIPHER, "client": client}
    write_atomically(store_file(database), (json.dumps(body, indent=1) + "\n").encode())
    return StoreKey(store_id, chosen, key)


def forget(found: StoreKey, key_dir_setting: str = "") -> None:
    """Remove a store's key (the store is unreadable from then on)."""
    if found.storage == "keyring":
        import keyring
        import keyring.errors

        with contextlib.suppress(keyring.errors.PasswordDeleteError):
            keyring.delete_password(SERVICE, _username(found.store_id))
        return
    wipe(_key_path(found.store_id, key_dir_setting))


def _storage(wanted: str) -> str:
    if wanted not in STORAGES:
        raise StoreLocked(f"store_key_storage must be one of {', '.join(STORAGES)}, not {wanted!r}")
    if wanted != "auto":
        return wanted
    return "keyring" if keyring_runs() else "file"


def keyring_runs() -> bool:
    """A keyring that keeps secrets for this account: on Windows always (Credential
    Manager); on Linux only when a Secret Service answers on the session bus."""
    if sys.platform != "win32" and not os.environ.get("DBUS_SESSION_BUS_ADDRESS"):
        return False  # no session bus: no Secret Service (and no wait to find that out)
    try:
        import keyring
        from keyring.backends import chainer, fail

        backend = keyring.get_keyring()
    except Exception:  # a broken keyring install is no keyring
        return False
    if isinstance(backend, fail.Keyring):
        return False
    if isinstance(backend, chainer.ChainerBackend):
        return bool(backend.backends)
    return True


def _username(store_id: str) -> str:
    return f"store-{store_id}"


LOCKED_KEYRING_HELP = (
    "the account's keyring holds the store's key but is locked or does not answer ({why}). "
    "Unlock it: open the desktop session with the account's password (an automatic login "
    "leaves the keyring locked), or unlock the 'login' keyring in the Passwords and Keys "
    "application; or have the administrator keep the seat's keys in files "
    '(store_key_storage = "file" in the PC-wide configuration) for the stores made from then on'
)


def _read_keyring(store_id: str) -> str | None:
    try:
        import keyring

        key = keyring.get_password(SERVICE, _username(store_id))
    except Exception as exc:  # locked, no backend, D-Bus gone: the key is not to be had
        raise StoreLocked(LOCKED_KEYRING_HELP.format(why=exc)) from None
    return key if key and KEY_PATTERN.fullmatch(key) else None


def _write_keyring(store_id: str, key: str) -> None:
    import keyring

    try:
        keyring.set_password(SERVICE, _username(store_id), key)
    except Exception as exc:
        raise StoreLocked(f"the account's keyring refused the store's key ({exc})") from None


def _key_path(store_id: str, key_dir_setting: str) -> Path:
    return key_dir(key_dir_setting) / f"{store_id}.key"


def _read_file(store_id: str, key_dir_setting: str) -> str | None:
    path = _key_path(store_id, key_dir_setting)
    try:
        info = path.lstat()
        if os.name != "nt" and (info.st_uid != os.getuid() or info.st_mode & 0o077):
            raise StoreLocked(
                f"{path}: the key file must be this account's and readable by it alone "
                f"(mode {info.st_mode & 0o777:o}): it is not used"
            )
        key = path.read_bytes()[:100].decode("ascii", "replace").strip()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise StoreLocked(f"{path}: cannot be read ({exc.strerror})") from None
    return key if KEY_PATTERN.fullmatch(key) else None


def _write_file(store_id: str, key: str, key_dir_setting: str, data_dir: Path) -> None:
    folder = key_dir(key_dir_setting).resolve()
    if folder == data_dir.resolve() or data_dir.resolve() in folder.parents:
        raise StoreLocked(
            f"{folder}: the store's key must be kept outside the data directory "
            f"({data_dir}): a copy of the data directory would carry it"
        )
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        if os.name != "nt":
            folder.chmod(0o700)
        write_atomically(folder / f"{store_id}.key", (key + "\n").encode(), mode=0o600)
    except OSError as exc:  # a file where the folder should be, a read-only disk
        raise StoreLocked(
            f"{folder}: the store's key cannot be kept there ({exc.strerror or exc}): "
            "correct store_key_dir (or REPLI_KEY_DIR); nothing was written"
        ) from None


def for_seat(
    database: Path, encrypt: bool, storage: str = "auto", key_dir_setting: str = ""
) -> StoreKey | None:
    """The key to open the seat's SQLite store at ``database`` with, or None for a plain
    one. With ``encrypt`` (the ``store_encryption`` setting), a new store gets a key and a
    plain one is encrypted in place first, nothing lost; an encrypted store is always opened
    with its key, whatever the setting."""
    from desktop.store.cipher import encrypt_plain, is_plain

    found = find(database, key_dir_setting)
    if found is None:
        if not is_plain(database):
            raise StoreLocked(
                f"{database}: the store is encrypted but {store_file(database).name}, which "
                "names its key, is missing: nothing was changed"
            )
        if not encrypt:
            return None
        _refuse_newer_plain(database)  # a newer Repli's database is left byte for byte as it is
        found = create(database, storage, key_dir_setting)
    elif is_plain(database):
        _refuse_newer_plain(database)
    encrypt_plain(database, found.key)  # nothing to do once it is
    return found


def _refuse_newer_plain(database: Path) -> None:
    from desktop.store.schema import refuse_newer

    if not database.exists() or database.stat().st_size == 0:
        return
    try:
        conn = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
        try:
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        finally:
            conn.close()
    except sqlite3.Error:
        return  # no version yet: the migrations make it
    refuse_newer(row[0] if row else None)
