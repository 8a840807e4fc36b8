"""The files of a table pack, read as a hostile source: its known files only, regular files
only, with a size bound checked before anything is read.

A pack is a folder or a .zip holding ``branches.csv``, ``numbers.csv``, ``call_types.csv``,
``partners.csv`` and ``manifest.json``. Anything else in it is ignored, with a warning. A
symbolic link, a FIFO or a device is refused (read as root by the installer, a link to
/etc/shadow would otherwise be read, or published, and a FIFO would hang the import); a file
or a zip entry over ``MAX_FILE_BYTES`` is refused before it is inflated (a 4 MB zip can hold
gigabytes); compressed entries other than deflate and encrypted ones are refused.
"""

from __future__ import annotations

import os
import stat
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from desktop.files import NotARegularFile, TooLarge, read_regular
from desktop.tables.csvfile import Problem

PACK_FILES = (
    "branches.csv",
    "numbers.csv",
    "call_types.csv",
    "partners.csv",
    "manifest.json",
    "manifest.json.minisig",  # the primary's signature of the manifest (desktop.tables.signed)
)
MAX_FILE_BYTES = 64 * 2**20  # 100,000 numbers take ~4 MB; this is far beyond any real pack
MAX_ZIP_BYTES = 256 * 2**20
_READABLE_METHODS = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA)


class PackFilesError(ValueError):
    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


@dataclass
class PackFiles:
    files: dict[str, bytes]
    warnings: list[str] = field(default_factory=list)


def shown(path: Path | str) -> str:
    """A path as a message names it: no line break can split a ``file:line`` report."""
    text = str(path)
    return text.encode("unicode_escape").decode("ascii") if not text.isprintable() else text


def read_pack_files(path: Path) -> PackFiles:
    """The pack's known files, by lower-case name; raises PackFilesError with each reason."""
    try:
        info = path.stat()
    except OSError as exc:
        reason = "no such file or folder" if isinstance(exc, FileNotFoundError) else exc.strerror
        raise PackFilesError([Problem(shown(path), 0, str(reason))]) from None
    if stat.S_ISDIR(info.st_mode):
        return _folder(path)
    if not stat.S_ISREG(info.st_mode):
        raise PackFilesError(
            [Problem(shown(path), 0, "not a folder nor a .zip file (a device, FIFO or socket)")]
        )
    if info.st_size > MAX_ZIP_BYTES:
        raise PackFilesError([Problem(shown(path), 0, f"over {MAX_ZIP_BYTES // 2**20} MiB")])
    return _archive(path)


def _folder(path: Path) -> PackFiles:
    found: dict[str, bytes] = {}
    warnings: list[str] = []
    problems: list[Problem] = []
    try:
        entries = sorted(os.scandir(path), key=lambda e: e.name)
    except OSError as exc:
        raise PackFilesError(
            [Problem(shown(path), 0, f"unreadable pack: {exc.strerror}")]
        ) from None
    for entry in entries:
        name = entry.name.lower()
        if name not in PACK_FILES:
            warnings.append(f"{shown(entry.name)}: not a file of a table pack, ignored")
            continue
        if entry.is_symlink():
            problems.append(Problem(shown(entry.name), 0, "a symbolic link: refused"))
            continue
        if name in found:
            problems.append(Problem(shown(entry.name), 0, f"a second {name} (another case)"))
            continue
        try:
            found[name] = _regular_file(Path(entry.path))
        except PackFilesError as exc:
            problems += exc.problems
    if problems:
        raise PackFilesError(problems)
    return PackFiles(found, warnings)


def _regular_file(path: Path) -> bytes:
    """Opened without following a link and without waiting on a FIFO, checked, then read
    within the bound."""
    try:
        return read_regular(path, MAX_FILE_BYTES)
    except NotARegularFile:
        raise PackFilesError(
            [Problem(shown(path.name), 0, "not a regular file: refused")]
        ) from None
    except TooLarge:
        raise PackFilesError([_too_big(path.name)]) from None
    except OSError as exc:
        raise PackFilesError(
            [Problem(shown(path.name), 0, f"unreadable: {exc.strerror}")]
        ) from None


def _too_big(name: str) -> Problem:
    return Problem(shown(name), 0, f"over {MAX_FILE_BYTES // 2**20} MiB: not a table of a pack")


def _archive(path: Path) -> PackFiles:
    found: dict[str, bytes] = {}
    warnings: list[str] = []
    problems: list[Problem] = []
    try:
        with zipfile.ZipFile(path) as archive:
            for item in archive.infolist():
                name = Path(item.filename).name.lower()
                if item.is_dir():
                    continue
                if name not in PACK_FILES:
                    warnings.append(f"{shown(item.filename)}: not a file of a table pack, ignored")
                    continue
                problem = _entry_problem(item, name in found)
                if problem:
                    problems.append(Problem(shown(item.filename), 0, problem))
                    continue
                with archive.open(item) as entry:
                    data = entry.read(MAX_FILE_BYTES + 1)  # the header's size may lie
                if len(data) > MAX_FILE_BYTES:
                    problems.append(_too_big(item.filename))
                    continue
                found[name] = data
    except (OSError, zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError) as exc:
        raise PackFilesError([Problem(shown(path), 0, f"unreadable pack: {exc}")]) from None
    except NotImplementedError as exc:  # a compression method zipfile cannot read
        raise PackFilesError([Problem(shown(path), 0, f"unreadable pack: {exc}")]) from None
    if problems:
        raise PackFilesError(problems)
    return PackFiles(found, warnings)


def _entry_problem(item: zipfile.ZipInfo, duplicate: bool) -> str | None:
    if duplicate:
        return "a second file of that name in the archive"
    if item.flag_bits & 0x1:
        return "encrypted: a pack must be a plain .zip"
    if item.compress_type not in _READABLE_METHODS:
        return f"compressed with method {item.compress_type}, which Repli cannot read: use deflate"
    if item.file_size > MAX_FILE_BYTES:
        return f"inflates to {item.file_size} bytes: over {MAX_FILE_BYTES // 2**20} MiB"
    if stat.S_ISLNK(item.external_attr >> 16):
        return "a symbolic link: refused"
    return None
