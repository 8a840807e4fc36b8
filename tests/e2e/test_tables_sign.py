"""``repli tables sign`` with a key made by the real ``minisign -G``, protected by a password
(minisign's default): the password from standard input or a file; a wrong one changes
nothing."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from desktop.exits import EXIT_REFUSED
from tests.conftest import DEMO_PACK

MINISIGN = shutil.which("minisign")


def sign(
    tmp_path: Path, pack: Path, key: Path, *args: str, stdin: str = ""
) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "desktop", "--data-dir", str(tmp_path / "seat"),
               "tables", "sign", str(pack), "--key", str(key), *args]  # fmt: skip
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run(
        command, input=stdin, capture_output=True, text=True, env=env, timeout=120
    )


def test_a_pack_is_signed_with_a_password_protected_minisign_key(tmp_path: Path) -> None:
    assert MINISIGN, "minisign is missing: dev.py test installs it (Debian package minisign)"
    key, public = tmp_path / "primary.key", tmp_path / "primary.pub"
    made = subprocess.run(
        [MINISIGN, "-G", "-p", str(public), "-s", str(key)],
        input="le mot de passe\nle mot de passe\n", capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    assert "encrypted secret key" in key.read_text()  # protected, as minisign -G makes it
    pack = tmp_path / "pack"
    shutil.copytree(DEMO_PACK, pack)
    (pack / "manifest.json").write_text(json.dumps({"name": "Réseau primaire"}), "utf-8")

    done = sign(tmp_path, pack, key, "--serial", "5", stdin="le mot de passe\n")
    assert done.returncode == 0, done.stderr
    assert "serial 5" in done.stdout
    checked = subprocess.run(
        [MINISIGN, "-V", "-m", str(pack / "manifest.json"), "-p", str(public)],
        capture_output=True, text=True, timeout=30,
    )  # fmt: skip
    assert checked.returncode == 0 and "serial:5" in checked.stdout, checked.stderr

    signed = {
        name: (pack / name).read_bytes() for name in ("manifest.json", "manifest.json.minisig")
    }
    wrong = tmp_path / "password.txt"
    wrong.write_text("un autre mot de passe\n", encoding="utf-8")
    refused = sign(tmp_path, pack, key, "--serial", "6", "--password-file", str(wrong))
    assert refused.returncode == EXIT_REFUSED
    assert "wrong password" in refused.stderr and "Traceback" not in refused.stderr
    assert {name: (pack / name).read_bytes() for name in signed} == signed
    empty = sign(tmp_path, pack, key, "--serial", "6", stdin="")
    assert empty.returncode == EXIT_REFUSED and "none was given" in empty.stderr, empty.stderr


def test_a_key_or_manifest_that_is_not_one_is_refused_and_the_pack_left_as_it_was(
    tmp_path: Path,
) -> None:
    """A FIFO as the key (nobody writes to it), a key of a gigabyte, a manifest that is not
    UTF-8: each is refused with its path, at once, and the pack's files are left as they
    were."""
    pack = tmp_path / "pack"
    shutil.copytree(DEMO_PACK, pack)
    (pack / "manifest.json").write_bytes(b'{"name": "R\xe9seau"}')  # Latin-1, not UTF-8
    before = {p.name: p.read_bytes() for p in pack.iterdir()}
    fifo, huge, good = tmp_path / "fifo.key", tmp_path / "huge.key", tmp_path / "good"
    os.mkfifo(fifo)
    with huge.open("wb") as f:
        f.truncate(2**30)  # sparse: no disk taken
    made = sign(tmp_path, pack, good, stdin="")  # no such key yet: refused as missing
    assert made.returncode == EXIT_REFUSED and str(good) in made.stderr, made.stderr
    for key, reason in ((fifo, "not a regular file"), (huge, "over 16 KiB")):
        refused = sign(tmp_path, pack, key, "--serial", "7")
        assert refused.returncode == EXIT_REFUSED, refused.stderr
        assert f"{key}: {reason}" in refused.stderr and "Traceback" not in refused.stderr
    keygen = subprocess.run(
        [sys.executable, "-m", "desktop", "--data-dir", str(tmp_path / "seat"), "tables",
         "keygen", "--out", str(good)],
        capture_output=True, text=True, timeout=120,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )  # fmt: skip
    assert keygen.returncode == 0, keygen.stderr
    secret = next(good.glob("*.key"))
    damaged = sign(tmp_path, pack, secret, "--serial", "7")
    assert damaged.returncode == EXIT_REFUSED
    assert "manifest.json: not JSON" in damaged.stderr and "Traceback" not in damaged.stderr
    assert {p.name: p.read_bytes() for p in pack.iterdir()} == before


def test_a_key_made_without_a_password_by_minisign_signs(tmp_path: Path) -> None:
    """``minisign -G -W`` writes a checksum of zeros, which it never checks: Repli called such
    a key "damaged"; a real damage (its public half altered) is still refused."""
    import base64

    assert MINISIGN, "minisign is missing: dev.py test installs it (Debian package minisign)"
    key, public = tmp_path / "primary.key", tmp_path / "primary.pub"
    made = subprocess.run([MINISIGN, "-G", "-W", "-p", str(public), "-s", str(key)],
                          capture_output=True, text=True, timeout=120)  # fmt: skip
    assert made.returncode == 0, made.stderr
    pack = tmp_path / "pack"
    shutil.copytree(DEMO_PACK, pack)
    (pack / "manifest.json").write_text(json.dumps({"name": "Réseau primaire"}), "utf-8")
    done = sign(tmp_path, pack, key, "--serial", "7")
    assert done.returncode == 0, done.stderr
    checked = subprocess.run(
        [MINISIGN, "-V", "-m", str(pack / "manifest.json"), "-p", str(public)],
        capture_output=True, text=True, timeout=30,
    )  # fmt: skip
    assert checked.returncode == 0, checked.stderr

    lines = key.read_text().splitlines()
    raw = bytearray(base64.b64decode(lines[-1]))
    raw[100] ^= 0xFF  # a byte of its public half
    damaged = tmp_path / "damaged.key"
    damaged.write_text("\n".join([*lines[:-1], base64.b64encode(bytes(raw)).decode()]) + "\n")
    refused = sign(tmp_path, pack, damaged, "--serial", "8")
    assert refused.returncode == EXIT_REFUSED and "damaged key" in refused.stderr
