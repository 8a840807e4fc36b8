"""What only the administrator may set stays the administrator's: the supervisor PIN comes
from the PC-wide config alone, from a file no other account can write, with a costly hash;
the PC's published table pack holds the pack's own files and nothing they link to."""

from __future__ import annotations

import base64
import hashlib
import os
from pathlib import Path

import pytest

from desktop import config
from desktop.supervisor import pin
from desktop.tables import shared
from tests.helpers.packs import write_pack

pytestmark = pytest.mark.skipif(
    os.geteuid() != 0, reason="root-owned files are made by the administrator: run as root"
)


def system_file(tmp_path: Path, text: str) -> Path:
    folder = tmp_path / "etc"
    folder.mkdir(exist_ok=True)
    folder.chmod(0o755)
    path = folder / "config.toml"
    path.write_text(text)
    path.chmod(0o644)
    return path


def test_the_seat_config_cannot_give_the_pin(tmp_path: Path) -> None:
    seat = tmp_path / "seat.toml"
    seat.write_text(f'supervisor_pin_hash = "{pin.hash_pin("482913")}"\n')
    system = system_file(tmp_path, f'supervisor_pin_hash = "{pin.hash_pin("739105")}"\n')
    settings, warnings = config.load(seat, system)
    assert pin.verify_pin("739105", settings.supervisor_pin_hash)
    assert not pin.verify_pin("482913", settings.supervisor_pin_hash)
    assert any("supervisor_pin_hash ignored (the seat's own file)" in w for w in warnings)


@pytest.mark.parametrize("weakness", ["group-writable", "other owner", "open folder"])
def test_a_pc_wide_file_another_account_could_write_gives_no_pin(
    tmp_path: Path, weakness: str
) -> None:
    system = system_file(tmp_path, f'supervisor_pin_hash = "{pin.hash_pin("739105")}"\n')
    if weakness == "group-writable":
        system.chmod(0o664)
    elif weakness == "other owner":
        os.chown(system, 1000, 1000)
    else:
        system.parent.chmod(0o777)
    settings, warnings = config.load(tmp_path / "none.toml", system)
    assert settings.supervisor_pin_hash == ""
    assert any("supervisor_pin_hash ignored" in w for w in warnings)


def cheap_hash(secret: str, n: int, r: int) -> str:
    salt = b"0123456789abcdef"
    digest = hashlib.scrypt(secret.encode(), salt=salt, n=n, r=r, p=1, dklen=32)
    b64 = base64.b64encode
    return f"scrypt${n}${r}$1${b64(salt).decode()}${b64(digest).decode()}"


@pytest.mark.parametrize(("n", "r"), [(2, 1), (2**10, 8), (2**15, 1)])
def test_a_hand_written_hash_with_cheap_parameters_is_refused(n: int, r: int) -> None:
    stored = cheap_hash("739105", n, r)
    assert pin.stored_problem(stored) is not None
    assert not pin.verify_pin("739105", stored)
    assert not pin.PinGate(stored, Path("/nonexistent")).configured


def test_a_hash_too_costly_to_check_is_refused_without_computing_it() -> None:
    assert pin.stored_problem("scrypt$1073741824$8$1$MDEyMzQ1Njc4OWFiY2RlZg==$" + "A" * 44)


def test_the_published_pack_holds_its_own_files_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REPLI_SYSTEM_CONFIG", str(tmp_path / "etc" / "config.toml"))
    pack = write_pack(tmp_path / "pack")
    secret = tmp_path / "shadow"
    secret.write_text("root:$6$hash\n")
    (pack / "readme.txt").symlink_to(secret)  # would be published world-readable
    (pack / "home").symlink_to(tmp_path)  # would be copied whole
    warnings = shared.publish(pack, "site-1")
    published = tmp_path / "etc" / "tables" / "site-1"
    assert sorted(p.name for p in published.iterdir()) == sorted(
        ["branches.csv", "numbers.csv", "call_types.csv", "partners.csv", "manifest.json"]
    )
    assert not any(p.is_symlink() for p in published.iterdir())
    assert {oct(p.stat().st_mode & 0o777) for p in published.iterdir()} == {"0o644"}
    assert "readme.txt: not a file of a table pack, ignored" in warnings


def test_a_pack_file_that_is_a_link_is_not_published(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REPLI_SYSTEM_CONFIG", str(tmp_path / "etc" / "config.toml"))
    pack = write_pack(tmp_path / "pack", manifest=False)
    (pack / "partners.csv").unlink()
    (pack / "partners.csv").symlink_to("/etc/shadow")
    from desktop.tables.packfiles import PackFilesError

    with pytest.raises(PackFilesError, match="a symbolic link: refused"):
        shared.publish(pack, "site-1")
    assert not (tmp_path / "etc" / "tables" / "site-1").exists()


@pytest.mark.parametrize("group", [None, 0])
def test_the_pc_wide_config_is_for_the_agents_group_when_there_is_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, group: int | None
) -> None:
    from desktop.seat import provision

    monkeypatch.setattr(provision, "_agents_group", lambda: group)
    target = tmp_path / "etc" / "config.toml"
    provision._write(target, '[[sync_targets]]\nname = "crm"\nkind = "http"\n'
                     'url = "http://127.0.0.1:9/"\ntoken = "secret"\n', shared=True)  # fmt: skip
    assert target.stat().st_mode & 0o777 == (0o644 if group is None else 0o640)
    warning = provision.shared_config_warning(target)
    assert (warning is not None) == (group is None)
    if warning:
        assert "crm" in warning and "addgroup --system repli" in warning
