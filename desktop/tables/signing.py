"""Signed table packs: Ed25519 keys and signatures in minisign's format.

The primary signs a pack's ``manifest.json`` (its name, a serial that only increases, when it
was generated and the sha256 of every file); the signature sits beside it as
``manifest.json.minisig``. The manifest's checksums vouch for the files, the signature for the
manifest: a seat that knows the public key can tell a pack from the primary from any other.
The files are minisign's own, so the primary's IT can check a pack with ``minisign -V`` too:

- public key: ``untrusted comment`` line, then base64("Ed" + key id (8 bytes) + key (32));
  ``tables_public_keys`` takes that second line;
- secret key: ``untrusted comment`` line, then base64("Ed" + kdf + "B2" + salt (32) + ops (8)
  + mem (8) + key id + seed and key (64) + BLAKE2b-256 checksum (32)); written without a
  password (kdf 0, as ``minisign -G -W``, which leaves the checksum zeros: such a key is
  checked by its seed giving its public half), readable by its owner only. A key made by
  ``minisign -G`` with a password (kdf "Sc") is read too: its last 104 bytes are XORed with
  scrypt of the password (libsodium's ``crypto_pwhash_scryptsalsa208sha256``: ``_scrypt``);
- signature: ``untrusted comment``, base64("ED" + key id + Ed25519 over BLAKE2b-512 of the
  file) (or "Ed" over the file itself, minisign's legacy form), ``trusted comment: …``, then
  base64(Ed25519 over the signature and the trusted comment).

The cryptography (Ed25519) is the ``cryptography`` package's; only the framing is here.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from desktop.files import write_replacing

MAX_SIGNATURE_BYTES = 4096
# minisign's own scrypt limits (libsodium's "sensitive": 1 GiB); a key asking for more work
# or memory than minisign ever gives is refused rather than computed
MAX_KDF_OPS, MAX_KDF_MEMORY = 33_554_432, 1_073_741_824


class SignatureError(ValueError):
    """A key or a signature that cannot be read, or that does not verify."""


@dataclass(frozen=True)
class PublicKey:
    key_id: bytes
    key: bytes

    @property
    def id_hex(self) -> str:
        return self.key_id[::-1].hex().upper()

    def line(self) -> str:
        return base64.b64encode(b"Ed" + self.key_id + self.key).decode("ascii")


@dataclass(frozen=True)
class SecretKey:
    key_id: bytes
    seed: bytes
    public: bytes

    def public_key(self) -> PublicKey:
        return PublicKey(self.key_id, self.public)


def _b64(text: str, what: str) -> bytes:
    try:
        return base64.b64decode(text.strip(), validate=True)
    except (binascii.Error, ValueError):
        raise SignatureError(f"{what}: not base64") from None


def public_key(text: str) -> PublicKey:
    """A public key from its base64 line, or from a whole minisign .pub file."""
    lines = [line for line in text.strip().splitlines() if line.strip()]
    if not lines:
        raise SignatureError("an empty public key")
    raw = _b64(lines[-1], "the public key")
    if len(raw) != 42 or raw[:2] != b"Ed":
        raise SignatureError("not a minisign Ed25519 public key")
    return PublicKey(raw[2:10], raw[10:])


def _secret_checksum(key_id: bytes, secret: bytes) -> bytes:
    return hashlib.blake2b(b"Ed" + key_id + secret, digest_size=32).digest()


def generate(comment: str = "Repli tables") -> tuple[str, str]:
    """A new key pair: (secret key file, public key file), minisign's texts."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    private = Ed25519PrivateKey.generate()
    seed = private.private_bytes_raw()
    public = private.public_key().public_bytes_raw()
    key_id = os.urandom(8)
    secret = seed + public
    body = (
        b"Ed" + b"\x00\x00" + b"B2" + bytes(32) + bytes(8) + bytes(8)
        + key_id + secret + _secret_checksum(key_id, secret)
    )  # fmt: skip
    pub = PublicKey(key_id, public)
    secret_text = (
        f"untrusted comment: {comment} secret key (no password: keep it on the primary)\n"
        + base64.b64encode(body).decode("ascii")
        + "\n"
    )
    public_text = f"untrusted comment: {comment} public key {pub.id_hex}\n{pub.line()}\n"
    return secret_text, public_text


def secret_key(text: str, password: Callable[[], str] | None = None) -> SecretKey:
    """The key of a minisign secret key file; ``password`` is asked for only when the key is
    protected by one."""
    lines = [line for line in text.strip().splitlines() if line.strip()]
    raw = _b64(lines[-1] if lines else "", "the secret key")
    if len(raw) != 158 or raw[:2] != b"Ed" or raw[4:6] != b"B2":
        raise SignatureError("not a minisign Ed25519 secret key")
    body, protected = raw[54:158], raw[2:4] != b"\x00\x00"
    if protected:
        if raw[2:4] != b"Sc":
            raise SignatureError("a minisign key protected by a method other than scrypt")
        if password is None:
            raise SignatureError("a password-protected minisign key, and no password given")
        ops, memory = (int.from_bytes(raw[i : i + 8], "little") for i in (38, 46))
        stream = _scrypt(password().encode("utf-8"), raw[6:38], ops, memory, len(body))
        body = bytes(a ^ b for a, b in zip(body, stream, strict=True))
    key_id, secret, checksum = body[:8], body[8:72], body[72:104]
    unchecked = not protected and checksum == bytes(32) and _whole(secret)
    if _secret_checksum(key_id, secret) != checksum and not unchecked:
        if protected:
            raise SignatureError("wrong password for the secret key (or a damaged key)")
        raise SignatureError(
            "the secret key's checksum does not match: a damaged key, or one Repli cannot read"
            " (make the key with repli tables keygen)"
        )
    return SecretKey(key_id, secret[:32], secret[32:])


def _whole(secret: bytes) -> bool:
    """A key ``minisign -G -W`` wrote (no password: a checksum of zeros, which minisign never
    checks) is sound when its seed gives its public half, as libsodium lays the two out."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    public = Ed25519PrivateKey.from_private_bytes(secret[:32]).public_key()
    return public.public_bytes(Encoding.Raw, PublicFormat.Raw) == secret[32:]


def _scrypt(password: bytes, salt: bytes, ops: int, memory: int, length: int) -> bytes:
    """libsodium's ``crypto_pwhash_scryptsalsa208sha256``, which minisign uses: its
    ``pickparams`` turns the work and memory limits into scrypt's N, r and p."""
    if ops > MAX_KDF_OPS or memory > MAX_KDF_MEMORY:
        raise SignatureError("the secret key asks for more scrypt work than minisign's")
    ops, r = max(ops, 32768), 8
    by_ops = ops < memory // 32
    most = ops // (r * 4) if by_ops else memory // (r * 128)
    n_log2 = 1
    while n_log2 < 63 and (1 << n_log2) <= most // 2:
        n_log2 += 1
    n = 1 << n_log2
    p = 1 if by_ops else min((ops // 4) // n, 0x3FFFFFFF) // r
    try:
        return hashlib.scrypt(
            password, salt=salt, n=n, r=r, p=p, maxmem=128 * r * (n + p + 2), dklen=length
        )
    except (ValueError, MemoryError) as exc:
        raise SignatureError(f"the secret key's password could not be checked: {exc}") from None


def sign(
    data: bytes,
    key: SecretKey,
    trusted_comment: str,
    untrusted_comment: str = "signature from a Repli tables key",
) -> str:
    """The .minisig text for ``data`` (prehashed, as minisign 0.11 signs)."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    if "\n" in trusted_comment or "\r" in trusted_comment:
        raise SignatureError("a trusted comment is one line")
    private = Ed25519PrivateKey.from_private_bytes(key.seed)
    digest = hashlib.blake2b(data, digest_size=64).digest()
    signature = private.sign(digest)
    global_signature = private.sign(signature + trusted_comment.encode("utf-8"))
    return (
        f"untrusted comment: {untrusted_comment}\n"
        + base64.b64encode(b"ED" + key.key_id + signature).decode("ascii")
        + f"\ntrusted comment: {trusted_comment}\n"
        + base64.b64encode(global_signature).decode("ascii")
        + "\n"
    )


def verify(data: bytes, signature_text: str, keys: list[PublicKey]) -> PublicKey:
    """The key that signed ``data``; raises SignatureError saying why not."""
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    if len(signature_text) > MAX_SIGNATURE_BYTES:
        raise SignatureError("the signature file is too long")
    lines = signature_text.splitlines()
    if len(lines) < 4 or not lines[2].startswith("trusted comment: "):
        raise SignatureError("not a minisign signature")
    raw = _b64(lines[1], "the signature")
    if len(raw) != 74 or raw[:2] not in (b"Ed", b"ED"):
        raise SignatureError("not a minisign Ed25519 signature")
    key_id, signature = raw[2:10], raw[10:]
    known = [k for k in keys if k.key_id == key_id]
    if not known:
        shown = key_id[::-1].hex().upper()
        raise SignatureError(f"signed with an unknown key ({shown}): not one of tables_public_keys")
    key = Ed25519PublicKey.from_public_bytes(known[0].key)
    message = data if raw[:2] == b"Ed" else hashlib.blake2b(data, digest_size=64).digest()
    try:
        key.verify(signature, message)
        comment = lines[2][len("trusted comment: ") :].encode("utf-8")
        key.verify(_b64(lines[3], "the global signature"), signature + comment)
    except InvalidSignature:
        raise SignatureError("the signature does not match: a forged or altered pack") from None
    return known[0]


def write_key_pair(folder: Path, name: str = "repli-tables") -> tuple[Path, Path]:
    """``name.key`` (its owner only) and ``name.pub`` in ``folder``; never over an old key."""
    secret_text, public_text = generate()
    secret_path, public_path = folder / f"{name}.key", folder / f"{name}.pub"
    for path in (secret_path, public_path):
        if path.exists():
            raise SignatureError(f"{path} exists: a key is never overwritten")
    folder.mkdir(parents=True, exist_ok=True)
    write_replacing(secret_path, secret_text.encode("ascii"), mode=0o600)
    write_replacing(public_path, public_text.encode("ascii"), mode=0o644)
    return secret_path, public_path
