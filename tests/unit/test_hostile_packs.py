"""A table pack as an attacker or an interrupted copy leaves it: every case is refused with
``file:line`` and the reason, in bounded time and memory, and nothing is activated."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

import pytest

from desktop.tables import packfiles
from desktop.tables.validate import PackError, read_pack
from tests.helpers.packs import CALL_TYPES, NUMBERS, csv_text, write_pack


def problems_of(path: Path) -> list[str]:
    with pytest.raises(PackError) as caught:
        read_pack(path)
    return [str(p) for p in caught.value.problems]


def test_a_numbers_file_with_only_its_header_is_refused(tmp_path: Path) -> None:
    folder = write_pack(tmp_path / "p", manifest=False)
    (folder / "numbers.csv").write_text("number,branch_id,call_type,label\r\n")
    assert problems_of(folder) == [
        "numbers.csv:1: no rows under the header: an empty table (a cut copy?)"
    ]


def test_a_file_cut_in_the_middle_of_a_line_is_refused_without_a_checksum(tmp_path: Path) -> None:
    folder = write_pack(tmp_path / "p", manifest=False)
    data = (folder / "numbers.csv").read_bytes()
    (folder / "numbers.csv").write_bytes(data[: len(data) - 9])  # an interrupted copy
    (problem,) = problems_of(folder)
    assert problem.startswith("numbers.csv:4: the file ends in the middle of a line")


def test_a_file_without_its_last_line_end_is_accepted_when_the_manifest_vouches(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "p"
    write_pack(folder, manifest=False)
    data = (folder / "numbers.csv").read_bytes().rstrip(b"\r\n")
    (folder / "numbers.csv").write_bytes(data)
    write_pack(folder, numbers=NUMBERS)  # rewrites the files and a manifest with checksums
    (folder / "numbers.csv").write_bytes(data)
    import hashlib
    import json

    manifest = json.loads((folder / "manifest.json").read_text())
    manifest["sha256"]["numbers.csv"] = hashlib.sha256(data).hexdigest()
    (folder / "manifest.json").write_text(json.dumps(manifest))
    assert len(read_pack(folder).pack.numbers) == 3


def test_nul_padding_and_control_characters_are_refused_with_their_line(tmp_path: Path) -> None:
    folder = write_pack(tmp_path / "p", manifest=False)
    data = (folder / "numbers.csv").read_bytes()
    (folder / "numbers.csv").write_bytes(data + b"\x00" * 64 + b"\r\n")  # what a crash leaves
    types = [{**CALL_TYPES[0], "label": "Familles\x1bendeuillées"}, CALL_TYPES[1]]
    (folder / "call_types.csv").write_text(csv_text(types))
    problems = problems_of(folder)
    assert "numbers.csv:5: control character U+0000 in a cell" in problems
    assert "call_types.csv:2: control character U+001B in a cell" in problems


def test_symbolic_links_in_a_pack_are_refused(tmp_path: Path) -> None:
    folder = write_pack(tmp_path / "p", manifest=False)
    secret = tmp_path / "secret.txt"
    secret.write_text("root:$6$hash\n")
    (folder / "partners.csv").unlink()
    (folder / "partners.csv").symlink_to(secret)
    (folder / "readme.txt").symlink_to("/etc/shadow")
    reading_problems = problems_of(folder)
    assert reading_problems == ["partners.csv:0: a symbolic link: refused"]


def test_fifos_devices_and_unknown_files(tmp_path: Path) -> None:
    folder = write_pack(tmp_path / "p", manifest=False)
    (folder / "partners.csv").unlink()
    os.mkfifo(folder / "partners.csv")  # would hang a plain read for ever
    assert problems_of(folder) == ["partners.csv:0: not a regular file: refused"]
    os.mkfifo(tmp_path / "fifo")
    assert problems_of(tmp_path / "fifo") == [
        f"{tmp_path / 'fifo'}:0: not a folder nor a .zip file (a device, FIFO or socket)"
    ]
    assert problems_of(Path("/dev/zero"))[0].endswith(
        "not a folder nor a .zip file (a device, FIFO or socket)"
    )
    (folder / "partners.csv").unlink()
    (folder / "notes.docx").write_bytes(b"x")
    assert read_pack(folder).warnings[0] == "notes.docx: not a file of a table pack, ignored"


def test_a_zip_bomb_is_refused_before_it_is_inflated(tmp_path: Path) -> None:
    folder = write_pack(tmp_path / "p", manifest=False)
    bomb = tmp_path / "bomb.zip"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        for file in folder.iterdir():
            if file.name != "partners.csv":
                archive.write(file, file.name)
        with archive.open("partners.csv", "w", force_zip64=True) as entry:
            block = b"0" * 2**20
            for _ in range(packfiles.MAX_FILE_BYTES // len(block) + 1):
                entry.write(block)
    assert bomb.stat().st_size < 2**20
    (problem,) = problems_of(bomb)
    assert problem.startswith("partners.csv:0: inflates to") and "over 64 MiB" in problem


def marked_encrypted(data: bytes, name: bytes) -> bytes:
    """The archive with ``name``'s entry flagged encrypted, as a password-protected zip has
    it (zipfile writes no encryption itself): bit 0 of the flags of its local header and of
    its central directory record."""
    out = bytearray(data)
    for signature, flags_at, name_at in ((b"PK\x03\x04", 6, 30), (b"PK\x01\x02", 8, 46)):
        start = 0
        while (start := out.find(signature, start)) >= 0:
            if out[start + name_at : start + name_at + len(name)] == name:
                out[start + flags_at] |= 0x1
            start += 4
    return bytes(out)


def test_encrypted_or_unreadable_zip_entries(tmp_path: Path) -> None:
    folder = write_pack(tmp_path / "p", manifest=False)
    archive_path = tmp_path / "pack.zip"
    with zipfile.ZipFile(archive_path, "w") as archive:
        for file in folder.iterdir():
            archive.write(file, file.name)
    archive_path.write_bytes(marked_encrypted(archive_path.read_bytes(), b"partners.csv"))
    assert problems_of(archive_path) == ["partners.csv:0: encrypted: a pack must be a plain .zip"]
    broken = tmp_path / "broken.zip"
    broken.write_bytes(archive_path.read_bytes()[:200])
    assert problems_of(broken)[0].startswith(f"{broken}:0: unreadable pack:")


@pytest.mark.parametrize(
    ("manifest", "expected"),
    [
        ('{"sha256": ["numbers.csv"]}', "manifest.json:1: sha256 must be an object"),
        ('{"sha256": {"numbers.csv": 7}}', "manifest.json:1: the sha256 of numbers.csv is not 64"),
        ("[" * 100_000 + "]" * 100_000, "manifest.json:1: unreadable manifest: nested too deeply"),
        ('{"generated_at": "2999-01-01T00:00:00Z"}', "manifest.json:1: generated_at '2999-01-01"),
        ('{"generated_at": "yesterday"}', "manifest.json:1: generated_at 'yesterday' is not"),
        ('{"name": {"a": 1}}', "manifest.json:1: name must be a text"),
    ],
)
def test_odd_manifests_are_refused_with_the_reason(
    tmp_path: Path, manifest: str, expected: str
) -> None:
    folder = write_pack(tmp_path / "p", manifest=False)
    (folder / "manifest.json").write_text(manifest)
    assert any(p.startswith(expected) for p in problems_of(folder)), problems_of(folder)


@pytest.mark.parametrize("priority", ["²", "9" * 5000, str(10**20), "1.5", "-"])
def test_priorities_out_of_range_are_refused(tmp_path: Path, priority: str) -> None:
    types = [{**CALL_TYPES[0], "priority": priority}, CALL_TYPES[1]]
    folder = write_pack(tmp_path / "p", call_types=types, manifest=False)
    problems = problems_of(folder)
    assert any(
        p.startswith("call_types.csv:2: priority") and "-999 to 999" in p for p in problems
    ), problems


def test_utf16_is_named_not_reported_as_missing_columns(tmp_path: Path) -> None:
    folder = write_pack(tmp_path / "p", manifest=False)
    text = (folder / "branches.csv").read_text()
    (folder / "branches.csv").write_bytes(text.encode("utf-16"))
    assert problems_of(folder) == [
        "branches.csv:1: UTF-16 text: save it as CSV UTF-8 (or Windows-1252) instead"
    ]


def test_a_line_break_in_the_pack_path_cannot_split_a_report(tmp_path: Path) -> None:
    odd = tmp_path / "pack\nnumbers.csv:1: fake"
    (problem,) = problems_of(odd)
    assert "\n" not in problem and problem.endswith(":0: no such file or folder")
