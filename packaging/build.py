#!/usr/bin/env python3
"""Build Repli's bundle and installers.

    python packaging/build.py bundle [--out DIR]                  PyInstaller one-folder bundle
    python packaging/build.py deb --bundle DIR [--out DIR]         Debian package (dpkg-deb)
    python packaging/build.py msi --bundle DIR [--out DIR]         Windows MSI (wixl, or WiX 3)
    python packaging/build.py nsis --bundle DIR [--out DIR]        Windows NSIS installer (makensis)

The installers only wrap a bundle: the Windows ones are meant for a bundle built on Windows
(see packaging/windows/README.md); on Linux they are built around any folder holding a
``repli.exe`` and ``repli-cli.exe`` (CI builds them around a test payload, and inspects them).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path
from xml.sax.saxutils import quoteattr

ROOT = Path(__file__).resolve().parent.parent
HERE = ROOT / "packaging"
NAME = "repli"
MAINTAINER = "Repli maintainers <repli@example.invalid>"
# The system libraries the bundle does not carry (PyInstaller leaves out libc, GL and xcb on
# purpose: they must match the PC's drivers and X server), and a font for Qt to draw with.
# Checked by tests/e2e/test_packaging.py: every library of the bundle resolves in a bare
# Debian once these are installed.
DEB_DEPENDS = [
    "libc6 (>= 2.36)",
    "libgl1",
    "libegl1",
    "libxcb1",
    "libx11-xcb1",
    "libxcb-cursor0",
    "libxcb-icccm4",
    "libxcb-keysyms1",
    "libxcb-shape0",
    "libxkbcommon-x11-0",
    # Qt's Wayland platform plugins, bundled when the build PC has the Wayland client
    # libraries (PyInstaller leaves out a plugin whose libraries it cannot find)
    "libwayland-client0",
    "libwayland-cursor0",
    "libwayland-egl1",
    "libfontconfig1",
    "fonts-dejavu-core",
]
MSI_PARAMETERS = (
    "SITE",
    "SEAT",
    "TABLES",
    "MODE",
    "SYNC_URL",
    "SYNC_TOKEN",
    "SYNC_FOLDER",
    "SYNC_DATABASE",
    "SUPERVISOR_PIN_FILE",
    "CLIENT",
    "CLIENT_NAME",
    "CLIENT_COLOUR",
)
UPGRADE_CODE = "8A0C6F4E-1B6B-4D8E-9C35-2F0D9F4B7A11"  # never changes: MSI upgrades find it
GUID_NAMESPACE = uuid.UUID("5f3c1b9e-0b1d-4c59-9a47-6c1e2d3f4a50")


def version() -> str:
    text = (ROOT / "desktop" / "__init__.py").read_text(encoding="utf-8")
    found = re.search(r'__version__ = "([^"]+)"', text)
    assert found, "desktop/__init__.py has no __version__"
    return found.group(1)


def run(command: list[str], **kwargs: object) -> None:
    print("$", " ".join(command), flush=True)
    subprocess.run(command, check=True, **kwargs)  # type: ignore[call-overload]


# --------------------------------------------------------------------------- bundle


def build_bundle(out: Path) -> Path:
    """The one-folder bundle, then its own self-test."""
    work = Path(tempfile.mkdtemp(prefix="repli-pyinstaller-"))
    try:
        run(
            [
                sys.executable,
                "-m",
                "PyInstaller",
                str(HERE / "repli.spec"),
                "--noconfirm",
                "--log-level",
                "WARN",
                "--distpath",
                str(out),
                "--workpath",
                str(work),
            ]
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)
    bundle = out / NAME
    exe = bundle / ("repli-cli.exe" if os.name == "nt" else NAME)
    run([str(exe), "--self-test"])
    return bundle


# --------------------------------------------------------------------------- .deb


DESKTOP_ENTRY = """[Desktop Entry]
Type=Application
Name=Repli
Comment=Backup-site agent desktop: find the branch called, log every contact
Comment[fr]=Poste agent du site de secours : retrouver l'agence appelée, noter chaque contact
Exec=repli
Icon=repli
Terminal=false
Categories=Office;Telephony;
StartupNotify=true
"""

WRAPPER = """#!/bin/sh
# Repli's command: the bundle lives in /opt/repli; the seat configuration in /etc/repli.
exec /opt/repli/repli "$@"
"""

POSTINST = """#!/bin/sh
set -e
# The agents' group: the PC-wide config, which holds the sync targets' secrets, is readable
# by it alone (0640) once 'repli provision --system' writes it. IT adds the agents' accounts
# (adduser AGENT repli). Kept on purge: files may still name it.
if [ "$1" = "configure" ] && ! getent group repli >/dev/null; then
    groupadd --system repli
fi
"""

POSTRM = """#!/bin/sh
set -e
# The PC-wide seat configuration and table pack are written by 'repli provision --system',
# not by dpkg:
# removed on purge only. The agents' data (their home directories) is never touched.
if [ "$1" = "purge" ]; then
    rm -f /etc/repli/config.toml /etc/repli/.config.toml.tmp
    rm -rf /etc/repli/tables
    rmdir /etc/repli 2>/dev/null || true
fi
"""


def build_deb(bundle: Path, out: Path) -> Path:
    """/opt/repli (the bundle), /usr/bin/repli, the desktop entry and icon, /etc/repli."""
    if not (bundle / NAME).is_file():
        raise SystemExit(f"{bundle}: not a Linux bundle (no {NAME} executable)")
    arch = subprocess.run(
        ["dpkg", "--print-architecture"], capture_output=True, text=True, check=True
    ).stdout.strip()
    stage = Path(tempfile.mkdtemp(prefix="repli-deb-"))
    try:
        root = stage / "root"
        shutil.copytree(bundle, root / "opt" / NAME, symlinks=True)
        _write(root / "usr/bin/repli", WRAPPER, 0o755)
        _write(root / "usr/share/applications/repli.desktop", DESKTOP_ENTRY)
        icon = root / "usr/share/icons/hicolor/scalable/apps/repli.svg"
        icon.parent.mkdir(parents=True)
        shutil.copy2(ROOT / "resources/icons/repli.svg", icon)
        _write(root / "usr/share/doc/repli/README.deployment.md", (HERE / "README.md").read_text())
        (root / "etc/repli").mkdir(parents=True)
        size_kb = sum(f.lstat().st_size for f in root.rglob("*") if not f.is_dir()) // 1024
        control = "\n".join(
            [
                f"Package: {NAME}",
                f"Version: {version()}",
                f"Architecture: {arch}",
                f"Maintainer: {MAINTAINER}",
                f"Installed-Size: {size_kb}",
                f"Depends: {', '.join(DEB_DEPENDS)}",
                "Section: comm",
                "Priority: optional",
                "Homepage: https://example.invalid/repli",
                "Description: agent desktop of a call center's backup site",
                " Finds, from the dialled number or its last four digits, which branch was",
                " called and why, and logs every contact safely until it is synced back to",
                " the primary CRM. Configure a seat with 'repli provision --system'; check it",
                " with 'repli doctor'.",
                "",
            ]
        )
        _write(root / "DEBIAN/control", control)
        _write(root / "DEBIAN/postinst", POSTINST, 0o755)
        _write(root / "DEBIAN/postrm", POSTRM, 0o755)
        out.mkdir(parents=True, exist_ok=True)
        deb = out / f"{NAME}_{version()}_{arch}.deb"
        # zstd: 3x faster to build than xz for a few MB more; every dpkg of a glibc-2.36
        # system (Debian 12, Ubuntu 22.04+) reads it
        run(["dpkg-deb", "--root-owner-group", "-Zzstd", "--build", str(root), str(deb)])
        return deb
    finally:
        shutil.rmtree(stage, ignore_errors=True)


def _write(path: Path, text: str, mode: int = 0o644) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    path.chmod(mode)


# --------------------------------------------------------------------------- Windows


def _windows_bundle(bundle: Path) -> None:
    for exe in ("repli.exe", "repli-cli.exe"):
        if not (bundle / exe).is_file():
            raise SystemExit(f"{bundle}: not a Windows bundle (no {exe})")


def wix_files_fragment(bundle: Path) -> tuple[str, str]:
    """Directory and Component elements for every file of the bundle, with stable GUIDs (so
    an upgrade replaces the same components), and the ComponentGroup that lists them."""
    lines: list[str] = []
    components: list[str] = []

    def ident(prefix: str, relative: str) -> str:
        return f"{prefix}_{uuid.uuid5(GUID_NAMESPACE, relative).hex[:24]}"

    def walk(folder: Path, depth: int) -> None:
        pad = "  " * depth
        for entry in sorted(folder.iterdir()):
            relative = entry.relative_to(bundle).as_posix()
            if entry.is_dir():
                lines.append(
                    f"{pad}<Directory Id={quoteattr(ident('d', relative))} Name={quoteattr(entry.name)}>"
                )
                walk(entry, depth + 1)
                lines.append(f"{pad}</Directory>")
            else:
                cid = ident("c", relative)
                guid = str(uuid.uuid5(GUID_NAMESPACE, "component:" + relative)).upper()
                source = f"bundle/{relative}"  # relative to the build folder (wixl wants it)
                file_id = "RepliCliExe" if relative == "repli-cli.exe" else ident("f", relative)
                if relative == "repli.exe":
                    file_id = "RepliExe"
                lines.append(f"{pad}<Component Id={quoteattr(cid)} Guid={quoteattr(guid)}>")
                lines.append(
                    f"{pad}  <File Id={quoteattr(file_id)} Name={quoteattr(entry.name)} "
                    f'Source={quoteattr(source)} KeyPath="yes"/>'
                )
                lines.append(f"{pad}</Component>")
                components.append(cid)

    walk(bundle, 5)
    refs = "\n".join(f'      <ComponentRef Id="{c}"/>' for c in components)
    return "\n".join(lines), refs


def build_msi(bundle: Path, out: Path) -> Path:
    """An MSI from packaging/windows/repli.wxs: wixl on Linux, candle/light (WiX 3) on
    Windows. Silent parameters: SITE, SEAT, TABLES, MODE, SYNC_URL, SYNC_TOKEN, SYNC_FOLDER,
    SYNC_DATABASE, SUPERVISOR_PIN_FILE, CLIENT, CLIENT_NAME, CLIENT_COLOUR (see
    packaging/windows/README.md)."""
    _windows_bundle(bundle)
    files, refs = wix_files_fragment(bundle)
    template = (HERE / "windows" / "repli.wxs").read_text(encoding="utf-8")
    source = (
        template.replace("@VERSION@", version())
        .replace("@UPGRADE_CODE@", UPGRADE_CODE)
        .replace("@ICON@", "repli.ico")
        .replace("<!-- @FILES@ -->", files)
        .replace("<!-- @COMPONENT_REFS@ -->", refs)
    )
    out.mkdir(parents=True, exist_ok=True)
    msi = out / f"Repli-{version()}-x64.msi"
    with tempfile.TemporaryDirectory(prefix="repli-wix-") as tmp:
        folder = Path(tmp)  # the sources name files relative to it: bundle/…, repli.ico
        (folder / "repli.wxs").write_text(source, encoding="utf-8")
        shutil.copy2(HERE / "windows" / "repli.ico", folder / "repli.ico")
        (folder / "bundle").symlink_to(bundle, target_is_directory=True)
        if shutil.which("wixl"):
            run(
                ["wixl", "-D", "Compiler=wixl", "--arch", "x64", "-o", str(msi), "repli.wxs"],
                cwd=folder,
            )
            _secure_properties(msi)
        else:  # WiX 3 on Windows
            run(
                ["candle", "-dCompiler=wix3", "-arch", "x64", "-o", "repli.wixobj", "repli.wxs"],
                cwd=folder,
            )
            run(["light", "-o", str(msi), "repli.wixobj"], cwd=folder)
    return msi


def _secure_properties(msi: Path) -> None:
    """Add the silent-install parameters to SecureCustomProperties (what WiX 3 does for
    Secure="yes"), so that a managed install passes them to its elevated part."""
    table = subprocess.run(
        ["msiinfo", "export", str(msi), "Property"], capture_output=True, text=True, check=True
    ).stdout
    current = dict(line.split("\t", 1) for line in table.splitlines()[3:] if "\t" in line)
    names = [n for n in current.get("SecureCustomProperties", "").split(";") if n]
    names += [p for p in MSI_PARAMETERS if p not in names]
    value = ";".join(names)
    run(
        [
            "msibuild",
            str(msi),
            "-q",
            f"UPDATE `Property` SET `Value` = '{value}' WHERE `Property` = 'SecureCustomProperties'",
        ]
    )


def build_nsis(bundle: Path, out: Path) -> Path:
    """A setup .exe from packaging/windows/repli.nsi (makensis runs on Linux and Windows).
    Silent: ``Repli-setup.exe /S /SITE=… /SEAT=… /TABLES=…`` (see packaging/windows/README.md)."""
    _windows_bundle(bundle)
    out.mkdir(parents=True, exist_ok=True)
    setup = out / f"Repli-{version()}-setup.exe"
    run(
        [
            "makensis",
            "-V2",
            f"-DVERSION={version()}",
            f"-DPAYLOAD={bundle}",
            f"-DOUTFILE={setup}",
            f"-DICON={ROOT / 'packaging' / 'windows' / 'repli.ico'}",
            str(HERE / "windows" / "repli.nsi"),
        ]
    )
    return setup


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("what", choices=("bundle", "deb", "msi", "nsis"))
    parser.add_argument("--bundle", type=Path, help="the bundle folder (deb, msi, nsis)")
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "dist")
    args = parser.parse_args(argv)
    if args.what == "bundle":
        print(build_bundle(args.out))
        return 0
    if args.bundle is None:
        parser.error(f"{args.what} needs --bundle DIR")
    builder = {"deb": build_deb, "msi": build_msi, "nsis": build_nsis}[args.what]
    print(builder(args.bundle.resolve(), args.out.resolve()))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
