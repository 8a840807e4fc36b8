"""The seat's local secrets: the screen-pop token and the single-instance key.

Kept in the data directory, readable by the owner only, created on first use.
"""

from __future__ import annotations

import secrets
from pathlib import Path

from desktop.files import write_atomically

TOKEN_FILE = "pop-token"
INSTANCE_KEY_FILE = "instance.key"


def _secret(path: Path, make: str) -> str:
    try:
        existing = path.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        existing = ""
    if existing:
        return existing
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(path, (make + "\n").encode(), mode=0o600)
    return make


def pop_token(root: Path, configured: str = "") -> str:
    """The token telephony must present: the configured one, else one made for this seat."""
    return configured or _secret(root / TOKEN_FILE, secrets.token_urlsafe(24))


def instance_key(root: Path) -> bytes:
    return _secret(root / INSTANCE_KEY_FILE, secrets.token_hex(32)).encode()
