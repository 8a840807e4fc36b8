"""Signatures in minisign's format: ours verify with the real minisign and minisign's with
ours; a changed byte, an unknown key, a damaged file are refused with the reason."""

from __future__ import annotations

import base64
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from desktop import config
from desktop.tables import signing
from desktop.tables.signing import SignatureError

MINISIGN = shutil.which("minisign")


def test_a_signature_verifies_and_any_change_is_refused(tmp_path: Path) -> None:
    secret_file, public_file = signing.write_key_pair(tmp_path)
    key = signing.secret_key(secret_file.read_text())
    public = signing.public_key(public_file.read_text())
    data = b'{"serial": 3}\n'
    signature = signing.sign(data, key, "repli-tables serial:3")
    assert signing.verify(data, signature, [public]) == public
    with pytest.raises(SignatureError, match="does not match"):
        signing.verify(data.replace(b"3", b"4"), signature, [public])
    lines = signature.splitlines()
    lines[2] = "trusted comment: repli-tables serial:9"  # the comment is signed too
    with pytest.raises(SignatureError, match="does not match"):
        signing.verify(data, "\n".join(lines), [public])
    other = signing.public_key(signing.generate()[1])
    with pytest.raises(SignatureError, match="unknown key"):
        signing.verify(data, signature, [other])
    with pytest.raises(SignatureError, match="not a minisign signature"):
        signing.verify(data, "garbage", [public])
    with pytest.raises(SignatureError, match="never overwritten"):
        signing.write_key_pair(tmp_path)  # a key is never replaced by accident
    assert secret_file.stat().st_mode & 0o077 == 0


def test_the_format_is_minisigns(tmp_path: Path) -> None:
    assert MINISIGN, "minisign is missing: dev.py test installs it (Debian package minisign)"
    secret_file, public_file = signing.write_key_pair(tmp_path)
    message = tmp_path / "manifest.json"
    message.write_bytes(b'{"name": "Primaire", "serial": 7}\n')
    text = signing.sign(message.read_bytes(), signing.secret_key(secret_file.read_text()), "s:7")
    (tmp_path / "manifest.json.minisig").write_text(text)
    checked = subprocess.run(
        [MINISIGN, "-V", "-m", str(message), "-p", str(public_file)],
        capture_output=True, text=True, timeout=30,
    )  # fmt: skip
    assert checked.returncode == 0 and "s:7" in checked.stdout, checked.stderr
    # and the other way: minisign signs with our key, we verify
    other = tmp_path / "other.txt"
    other.write_text("from minisign\n")
    signed = subprocess.run(
        [MINISIGN, "-S", "-s", str(secret_file), "-m", str(other), "-t", "by minisign"],
        capture_output=True, text=True, timeout=30, stdin=subprocess.DEVNULL,
    )  # fmt: skip
    assert signed.returncode == 0, signed.stderr
    public = signing.public_key(public_file.read_text())
    minisig = (tmp_path / "other.txt.minisig").read_text()
    assert signing.verify(other.read_bytes(), minisig, [public]) == public


def test_the_seat_takes_keys_from_the_pc_wide_file_only(tmp_path: Path) -> None:
    _secret, public = signing.generate()
    line = public.splitlines()[-1]
    seat, system = tmp_path / "seat.toml", tmp_path / "system.toml"
    seat.write_text(f'tables_public_keys = ["{line}"]\n')
    settings, notes = config.load(seat, None)
    assert settings.tables_public_keys == () and any("tables_public_keys" in n for n in notes)
    system.write_text(f'tables_public_keys = ["{line}"]\n')
    system.chmod(0o644)
    settings, _notes = config.load(seat, system)
    assert settings.tables_public_keys == (line,)
    system.write_text('tables_public_keys = ["not a key"]\n')
    with pytest.raises(config.ConfigError, match="tables_public_keys, key 1"):
        config.load(seat, system)


def test_keys_rotate_old_and_new_side_by_side(tmp_path: Path) -> None:
    import shutil

    from desktop.tables.packfiles import read_pack_files
    from desktop.tables.signed import Signed, check_signature, sign_pack
    from tests.conftest import DEMO_PACK

    old_secret, old_public = signing.write_key_pair(tmp_path / "old")
    new_secret, new_public = signing.write_key_pair(tmp_path / "new")
    old_line = old_public.read_text().splitlines()[-1]
    new_line = new_public.read_text().splitlines()[-1]
    pack = tmp_path / "pack"
    shutil.copytree(DEMO_PACK, pack)
    sign_pack(pack, new_secret, serial=5)
    files = read_pack_files(pack).files
    both = check_signature(files, (old_line, new_line))
    assert isinstance(both, Signed) and both.serial == 5
    assert both.key_id == signing.public_key(new_line).id_hex
    refused = check_signature(files, (old_line,))  # the old key alone does not vouch for it
    assert not isinstance(refused, Signed) and "unknown key" in refused.message
    sign_pack(pack, old_secret, serial=6)
    assert isinstance(check_signature(read_pack_files(pack).files, (old_line, new_line)), Signed)


def _protected(plain: str, password: str, ops: int = 32768, memory: int = 8 << 20) -> str:
    """An unprotected key file protected the way ``minisign -G`` protects one ("Sc", salt,
    limits, the last 104 bytes XORed with scrypt of the password), with small limits."""
    raw = base64.b64decode(plain.splitlines()[-1])
    salt = os.urandom(32)
    stream = signing._scrypt(password.encode("utf-8"), salt, ops, memory, 104)
    body = bytes(a ^ b for a, b in zip(raw[54:], stream, strict=True))
    limits = ops.to_bytes(8, "little") + memory.to_bytes(8, "little")
    raw = b"Ed" + b"Sc" + b"B2" + salt + limits + body
    return "untrusted comment: protected\n" + base64.b64encode(raw).decode("ascii") + "\n"


def test_a_password_protected_key_is_read_with_its_password_only() -> None:
    plain = signing.generate()[0]
    key = signing.secret_key(plain)
    protected = _protected(plain, "mot de passe é")
    assert signing.secret_key(protected, lambda: "mot de passe é") == key
    with pytest.raises(SignatureError, match="wrong password"):
        signing.secret_key(protected, lambda: "mot de passe e")
    with pytest.raises(SignatureError, match="no password given"):
        signing.secret_key(protected)

    def never() -> str:
        raise AssertionError("a key without a password asked for one")

    assert signing.secret_key(plain, never) == key
    # a key asking for more scrypt work or memory than minisign's is refused, not computed
    for ops, memory in [(1 << 40, 8 << 20), (32768, 1 << 40)]:
        hostile = base64.b64decode(protected.splitlines()[-1])
        hostile = (
            hostile[:38] + ops.to_bytes(8, "little") + memory.to_bytes(8, "little") + hostile[54:]
        )
        text = "c\n" + base64.b64encode(hostile).decode("ascii")
        with pytest.raises(SignatureError, match="more scrypt work"):
            signing.secret_key(text, lambda: "mot de passe é")
