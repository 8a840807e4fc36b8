"""The store's key in a real Secret Service: gnome-keyring on a D-Bus session of its own, as
a Linux desktop session runs it, and the real ``repli``. The key is kept there and nowhere
on disk, found again by the account's next session, and another account's keyring does not
have it: every command then says so in one line, the store left as it was."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

SESSION = (  # the login keyring unlocked with the account's password, as a desktop login does
    'eval "$(printf %s "$KEYRING_PASSWORD" | gnome-keyring-daemon --unlock --components=secrets)"'
    ' && exec "$@"'
)


def in_session(
    home: Path, data_dir: Path, *args: str, session: str = SESSION
) -> subprocess.CompletedProcess[str]:
    """``repli ARGS`` in a fresh desktop session of the account whose home is ``home``,
    its keyring started by ``session`` (unlocked with the account's password by default)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DBUS_", "DISPLAY"))}
    env.update(
        HOME=str(home),
        XDG_DATA_HOME=str(home / ".local" / "share"),  # where gnome-keyring keeps keyrings
        XDG_CONFIG_HOME=str(home / ".config"),
        KEYRING_PASSWORD="the account's password",
        QT_QPA_PLATFORM="offscreen",
    )
    env.pop("REPLI_KEY_DIR", None)
    command = ["dbus-run-session", "--", "sh", "-c", session, "sh",
               sys.executable, "-m", "desktop", "--data-dir", str(data_dir), *args]  # fmt: skip
    return subprocess.run(command, capture_output=True, text=True, env=env, timeout=120)


def test_the_key_is_kept_by_the_secret_service_and_only_there(
    data_dir: Path, tmp_path: Path
) -> None:
    claire = tmp_path / "claire"
    claire.mkdir()
    made = in_session(claire, data_dir, "doctor", "--json")
    checks = {c["name"]: c for c in json.loads(made.stdout)["checks"]}
    assert checks["database"]["status"] == "ok", made.stderr
    assert "key in the account's keyring" in checks["database"]["detail"]
    store = json.loads((data_dir / "store.json").read_text())
    assert store["storage"] == "keyring"
    assert list(tmp_path.rglob("*.key")) == []  # no key file: the keyring holds it…
    assert (claire / ".local" / "share" / "keyrings" / "login.keyring").is_file()  # …sealed

    again = in_session(claire, data_dir, "sync", "--status")  # her next session: found
    assert again.returncode == 0, again.stderr

    database = data_dir / "repli.sqlite3"
    before = hashlib.sha256(database.read_bytes()).hexdigest()
    other = tmp_path / "other-account"
    other.mkdir()
    refused = in_session(other, data_dir, "sync", "--status")
    assert refused.returncode == 1 and "Traceback" not in refused.stderr
    assert "its key is not in the account's keyring" in refused.stderr
    assert hashlib.sha256(database.read_bytes()).hexdigest() == before


LOCKED = 'eval "$(gnome-keyring-daemon --start --components=secrets)" && exec "$@"'


def in_locked_session(home: Path, data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """``repli ARGS`` in a session whose keyring runs but stays locked (an automatic login:
    no password was given to unlock it; no display, so its unlock prompt fails at once)."""
    return in_session(home, data_dir, *args, session=LOCKED)


def test_a_locked_keyring_never_stops_a_seat_from_starting(tmp_path: Path) -> None:
    """An auto-login session's keyring runs but will not unlock: repli refused to start
    ("keyring refused the store's key"). A new store's key goes to its file instead; a key
    already in the locked keyring is said in plain words, with how to unlock or move it."""
    claire = tmp_path / "claire"
    claire.mkdir()
    first, second = tmp_path / "first", tmp_path / "second"
    made = in_session(claire, first, "doctor", "--json")  # her login keyring, with its key
    assert json.loads((first / "store.json").read_text())["storage"] == "keyring", made.stderr

    started = in_locked_session(claire, second, "doctor", "--json")
    checks = {c["name"]: c for c in json.loads(started.stdout)["checks"]}
    assert checks["database"]["status"] == "ok", started.stdout + started.stderr
    assert json.loads((second / "store.json").read_text())["storage"] == "file"
    assert list((claire / ".config").rglob("*.key")), "the key went to its file"

    locked = in_locked_session(claire, first, "sync", "--status")
    assert locked.returncode == 1 and "Traceback" not in locked.stderr
    assert "is locked or does not answer" in locked.stderr
    assert "Unlock it" in locked.stderr and 'store_key_storage = "file"' in locked.stderr
