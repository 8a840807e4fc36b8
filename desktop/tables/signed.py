"""Table packs signed at the primary: ``repli tables sign`` and the seat's check.

A signed pack is a pack whose ``manifest.json`` gives its name, version, ``generated_at``, a
``serial`` (a whole number that only increases from one pack to the next) and the sha256 of
every one of its files, with ``manifest.json.minisig`` beside it: the primary's signature of
the manifest (desktop.tables.signing, minisign's format). The signature vouches for the
manifest, the manifest for every file: change a byte anywhere and the seat refuses it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from desktop.files import read_regular, write_replacing
from desktop.tables.csvfile import Problem
from desktop.tables.packfiles import MAX_FILE_BYTES, PACK_FILES
from desktop.tables.signing import SignatureError, public_key, secret_key, sign, verify

SIGNATURE_FILE = "manifest.json.minisig"
DATA_FILES = tuple(name for name in PACK_FILES if name.endswith(".csv"))
MAX_SERIAL = 2**53
MAX_KEY_BYTES = 16 * 1024  # a minisign secret key is two lines, under 300 bytes
MAX_MANIFEST_BYTES = 2**20  # a name, a version, a serial and four digests


@dataclass(frozen=True)
class Signed:
    serial: int
    key_id: str


def check_signature(files: dict[str, bytes], keys: tuple[str, ...]) -> Signed | Problem:
    """The pack's serial and signer, or the one reason it is refused."""
    signature = files.get(SIGNATURE_FILE)
    manifest_bytes = files.get("manifest.json")
    if signature is None or manifest_bytes is None:
        return Problem(SIGNATURE_FILE, 0, "the pack is not signed (no manifest.json.minisig)")
    try:
        known = [public_key(key) for key in keys]
        signer = verify(manifest_bytes, signature.decode("utf-8", "replace"), known)
    except SignatureError as exc:
        return Problem(SIGNATURE_FILE, 0, str(exc))
    try:
        manifest = json.loads(manifest_bytes.decode("utf-8-sig"))
    except (ValueError, UnicodeDecodeError, RecursionError):
        return Problem("manifest.json", 1, "a signed manifest that is not JSON")
    serial = manifest.get("serial") if isinstance(manifest, dict) else None
    if isinstance(serial, bool) or not isinstance(serial, int) or not 0 < serial < MAX_SERIAL:
        return Problem("manifest.json", 1, "a signed pack needs a serial (a whole number > 0)")
    if serial > serial_horizon():
        return Problem("manifest.json", 1, f"serial {serial} is beyond {_BEYOND}")
    listed = manifest.get("sha256")
    listed = listed if isinstance(listed, dict) else {}
    for name in DATA_FILES:
        if name in files and name not in listed:
            return Problem(name, 0, "not covered by the signed manifest's sha256")
    return Signed(serial, signer.id_hex)


def serial_now(now: datetime | None = None) -> int:
    """A serial from the clock (YYYYMMDDHHMMSS, UTC): each signing later than the last."""
    return int((now or datetime.now(UTC)).strftime("%Y%m%d%H%M%S"))


_BEYOND = "tomorrow's clock serial (YYYYMMDDHHMMSS): refused, a seat would take no pack after it"


def serial_horizon(now: datetime | None = None) -> int:
    """The highest serial taken: tomorrow's clock serial. A serial past it (a hand-made one,
    a signing PC whose clock is years ahead) would leave every later pack "older" than it."""
    return serial_now((now or datetime.now(UTC)) + timedelta(days=1))


def sign_pack(
    folder: Path,
    key_file: Path,
    serial: int | None = None,
    version: str | None = None,
    password: Callable[[], str] | None = None,
) -> Signed:
    """Write ``folder``'s manifest (every file's sha256, the serial) and its signature.
    Refuses a serial not above the one the pack's manifest already had. ``password`` is
    asked for when the key is protected by one (a key made by ``minisign -G``)."""
    key = secret_key(read_regular(key_file, MAX_KEY_BYTES).decode("ascii", "replace"), password)
    manifest_path = folder / "manifest.json"
    manifest: dict[str, Any] = {}
    if manifest_path.exists():
        try:
            loaded = json.loads(read_regular(manifest_path, MAX_MANIFEST_BYTES).decode("utf-8-sig"))
        except (ValueError, UnicodeDecodeError, RecursionError):
            raise SignatureError(f"{manifest_path}: not JSON (remove it to sign anew)") from None
        manifest = loaded if isinstance(loaded, dict) else {}
    previous = manifest.get("serial")
    serial = serial if serial is not None else serial_now()
    if isinstance(previous, int) and not isinstance(previous, bool) and serial <= previous:
        raise SignatureError(f"serial {serial} is not above the pack's previous {previous}")
    if not 0 < serial < MAX_SERIAL:
        raise SignatureError("the serial must be a whole number > 0")
    if serial > serial_horizon():
        raise SignatureError(f"serial {serial} is beyond {_BEYOND}")
    manifest["serial"] = serial
    manifest.setdefault("name", folder.name)
    if version is not None:
        manifest["version"] = version
    manifest.setdefault("version", str(serial))
    manifest["generated_at"] = datetime.now(UTC).isoformat(timespec="seconds")
    manifest["sha256"] = {
        name: hashlib.sha256(read_regular(folder / name, MAX_FILE_BYTES)).hexdigest()
        for name in DATA_FILES
        if (folder / name).is_file()
    }
    manifest.pop("files", None)  # the older spelling of sha256
    text = json.dumps(manifest, ensure_ascii=False, indent=2).encode("utf-8") + b"\n"
    comment = f"repli-tables serial:{serial} name:{manifest['name']}"
    signature = sign(text, key, comment.replace("\n", " ")[:200])
    write_replacing(manifest_path, text, mode=0o644)
    write_replacing(folder / SIGNATURE_FILE, signature.encode("utf-8"), mode=0o644)
    return Signed(serial, key.public_key().id_hex)
