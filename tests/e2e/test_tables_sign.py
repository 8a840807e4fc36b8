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
