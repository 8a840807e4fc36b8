"""The supervisor PIN: stored as a salted scrypt hash (never in clear), wrong PINs rate limited.

The hash lives in the PC-wide configuration only (``supervisor_pin_hash``; a seat's own
config.toml is ignored for it, and so is a PC-wide file another account than the
administrator could write: desktop.config.ADMIN_ONLY), written as the administrator by
``repli supervisor set-pin`` or ``repli provision --system --supervisor-pin-file``. A hash
with scrypt parameters below N=2^15, r=8 is refused. The failed attempts
are kept in the data directory (``supervisor-lock.json``), so closing the window or restarting
Repli does not reset the wait: after ``FREE_ATTEMPTS`` wrong PINs each further one waits
``FIRST_WAIT`` seconds, doubled each time, up to ``MAX_WAIT``.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from desktop.files import write_atomically

SCHEME = "scrypt"
N, R, P = 2**15, 8, 1  # ~0.1 s and 32 MiB per attempt: slow for an offline guesser
# A stored hash with cheaper parameters is refused (a hand-written one made to be guessed
# fast), and so is one too costly to check (a PIN prompt must not take minutes or GiB).
MIN_N, MAX_N, MIN_R, MAX_R, MAX_P, SALT_BYTES, DIGEST_BYTES = 2**15, 2**17, 8, 16, 4, 16, 32
MIN_LENGTH, MAX_LENGTH = 6, 64
FREE_ATTEMPTS = 3
FIRST_WAIT, MAX_WAIT = 30.0, 15 * 60.0


class PinError(ValueError):
    """A PIN that cannot be set (too short, too long, not digits or letters)."""


def check_new_pin(pin: str) -> str:
    pin = pin.strip()
    if not MIN_LENGTH <= len(pin) <= MAX_LENGTH:
        raise PinError(f"the PIN must have {MIN_LENGTH} to {MAX_LENGTH} characters")
    if not pin.isalnum():
        raise PinError("the PIN must be made of digits and letters only")
    if len(set(pin)) == 1 or pin in "0123456789" or pin in "9876543210":
        raise PinError("the PIN is too easy to guess (one digit repeated, or a run)")
    return pin


def hash_pin(pin: str, salt: bytes | None = None) -> str:
    salt = salt if salt is not None else os.urandom(16)
    digest = _scrypt(pin, salt, N, R, P)
    b64 = base64.b64encode
    return f"{SCHEME}${N}${R}${P}${b64(salt).decode()}${b64(digest).decode()}"


def stored_problem(stored: str) -> str | None:
    """Why ``stored`` is not a PIN hash this version accepts, or None."""
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        n_, r_, p_ = int(n), int(r), int(p)
        salt_bytes = base64.b64decode(salt, validate=True)
        digest_bytes = base64.b64decode(digest, validate=True)
    except (ValueError, TypeError):
        return "not a PIN hash written by repli supervisor set-pin"
    if scheme != SCHEME:
        return f"unknown scheme {scheme!r}"
    if not (MIN_N <= n_ <= MAX_N and n_ & (n_ - 1) == 0 and MIN_R <= r_ <= MAX_R):
        return (
            f"scrypt parameters N={n_}, r={r_} below the minimum N=2^15, r=8 (or above the maximum)"
        )
    if not 1 <= p_ <= MAX_P or len(salt_bytes) < SALT_BYTES or len(digest_bytes) != DIGEST_BYTES:
        return "scrypt parallelism, salt or digest length outside the accepted range"
    return None


def verify_pin(pin: str, stored: str) -> bool:
    if stored_problem(stored) is not None:
        return False
    _scheme, n, r, p, salt, digest = stored.split("$")
    expected = base64.b64decode(digest)
    actual = _scrypt(pin.strip(), base64.b64decode(salt), int(n), int(r), int(p))
    return hmac.compare_digest(actual, expected)


def _scrypt(pin: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(
        pin.encode("utf-8"), salt=salt, n=n, r=r, p=p, maxmem=2 * 128 * r * n * p + 2**20, dklen=32
    )


@dataclass(frozen=True)
class Attempt:
    ok: bool
    wait: float = 0.0  # seconds before the next attempt is accepted (0: now)
    refused_unchecked: bool = False  # True: too early, the PIN was not even checked


class Journal(Protocol):
    """Where the count of wrong PINs is kept."""

    def load(self) -> tuple[int, float]: ...  # failures, time of the last one

    def save(self, failures: int, last: float) -> None: ...


class PinGate:
    """Checks PINs against ``stored`` with the persistent rate limit in ``lock_file`` and in
    each of ``journals`` (the seat's database): the wait is the longest any of them says,
    so that deleting or editing the lock file does not reset it."""

    def __init__(
        self,
        stored: str,
        lock_file: Path,
        clock: Callable[[], float] = time.time,
        journals: tuple[Journal, ...] = (),
    ) -> None:
        self.stored = stored
        self.lock_file = lock_file
        self.clock = clock
        self.journals = journals

    @property
    def configured(self) -> bool:
        return bool(self.stored) and stored_problem(self.stored) is None

    def wait(self) -> float:
        failures, last = self._state()
        if failures < FREE_ATTEMPTS:
            return 0.0
        delay = min(MAX_WAIT, FIRST_WAIT * 2.0 ** (failures - FREE_ATTEMPTS))
        return max(0.0, last + delay - self.clock())

    def attempt(self, pin: str) -> Attempt:
        if not self.configured:
            return Attempt(False)
        early = self.wait()
        if early > 0:
            return Attempt(False, early, refused_unchecked=True)
        if verify_pin(pin, self.stored):
            self._save(0, 0.0)
            return Attempt(True)
        failures, _last = self._state()
        self._save(failures + 1, self.clock())
        return Attempt(False, self.wait())

    def _state(self) -> tuple[int, float]:
        states = [self._file_state(), *(j.load() for j in self.journals)]
        return max(states)

    def _file_state(self) -> tuple[int, float]:
        try:
            data = json.loads(self.lock_file.read_text(encoding="utf-8"))
            return int(data["failures"]), float(data["last"])
        except (OSError, ValueError, KeyError, TypeError, OverflowError):
            return 0, 0.0

    def _save(self, failures: int, last: float) -> None:
        text = json.dumps({"failures": failures, "last": last})
        write_atomically(self.lock_file, text.encode(), mode=0o600)
        for journal in self.journals:
            journal.save(failures, last)


def read_pin_file(path: Path) -> str:
    """The PIN written in ``path`` (first line), for provisioning without a command line that
    shows it."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise PinError(f"{path}: {exc}") from exc
    return check_new_pin(lines[0] if lines else "")
