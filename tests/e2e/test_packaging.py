"""The bundle and the installers, built for real: the PyInstaller bundle and its self-test; the
.deb installed on this machine and into a bare Debian (debootstrap), run and removed; the
Windows MSI (wixl) and NSIS installer (makensis) built around a test payload and inspected.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BUILD = [sys.executable, str(ROOT / "packaging" / "build.py")]
DEBIAN_MIRROR = "http://deb.debian.org/debian"
CACHE = Path("/var/cache/repli-tests")  # the bare Debian and its packages, kept between runs

needs_root = pytest.mark.skipif(
    os.name != "posix" or os.geteuid() != 0, reason="installs packages: needs root"
)


def build(*args: str) -> Path:
    done = subprocess.run([*BUILD, *args], capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return Path(done.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real one-folder bundle (build.py runs its self-test before returning)."""
    return build("bundle", "--out", str(tmp_path_factory.mktemp("dist")))


@pytest.fixture(scope="module")
def deb(bundle: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build("deb", "--bundle", str(bundle), "--out", str(tmp_path_factory.mktemp("deb")))


def test_bundle_carries_what_it_needs_and_passes_its_self_test(bundle: Path) -> None:
    done = subprocess.run(
        [str(bundle / "repli"), "--self-test"], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stdout + done.stderr
    for check in ("tables", "database", "translations", "phone numbers", "lookup"):
        assert f"ok   {check}:" in done.stdout
    internal = bundle / "_internal"
    assert (internal / "lookup_tables" / "demo").is_dir()
    assert (internal / "resources" / "translations" / "repli_fr.qm").is_file()
    assert not list(internal.rglob("libQt6Qml*")), "QML is not used and must be left out"
    assert not list(internal.rglob("platformthemes")), "the GTK theme needs GTK: left out"
    qt_translations = {p.name for p in internal.rglob("qt*_*.qm")}
    assert qt_translations <= {"qtbase_fr.qm", "qt_fr.qm"}


def test_the_bundle_checks_a_large_packs_numbers_in_worker_processes(
    bundle: Path, tmp_path: Path
) -> None:
    """20,000 numbers in a shape the quick check leaves to phonenumbers are checked in
    spawned worker processes (desktop.phone): in the bundle, each worker starts the bundle
    again, and its entry point must hand it to its work (multiprocessing.freeze_support)."""
    pack = tmp_path / "pack"
    shutil.copytree(ROOT / "lookup_tables" / "demo", pack)
    rows = [f"+33 1 {40 + i // 10000:02d} {i % 10000:04d} 00,AG00001,,Ligne" for i in range(20_500)]
    (pack / "numbers.csv").write_text("number,branch_id,call_type,label\n" + "\n".join(rows) + "\n")
    (pack / "manifest.json").unlink()
    done = subprocess.run(
        [str(bundle / "repli"), "--data-dir", str(tmp_path / "seat"), "tables", "import", str(pack)],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    assert "20500" in done.stdout.replace(",", "").replace("\u202f", "").replace(" ", ""), (
        done.stdout
    )
    # a worker that started Repli instead of its work says so (usage:), and the numbers
    # are then checked in the main process (desktop.phone): the import would still pass
    assert "Traceback" not in done.stderr and "usage:" not in done.stderr, done.stderr
    assert "workers stopped" not in done.stderr, done.stderr


@needs_root
def test_deb_installs_runs_and_is_removed_cleanly(deb: Path, tmp_path: Path) -> None:
    info = subprocess.run(["dpkg-deb", "--field", str(deb)], capture_output=True, text=True)
    fields = dict(re.findall(r"^([\w-]+): (.*)$", info.stdout, flags=re.M))
    assert fields["Package"] == "repli"
    for library in ("libgl1", "libegl1", "libxcb1", "libxcb-cursor0", "libxkbcommon-x11-0"):
        assert library in fields["Depends"]
    assert subprocess.run(["dpkg", "-s", "repli"], capture_output=True).returncode != 0, (
        "a repli package is already installed here; remove it first"
    )
    etc = Path("/etc/repli/config.toml")
    try:
        installed = subprocess.run(["dpkg", "-i", str(deb)], capture_output=True, text=True)
        assert installed.returncode == 0, installed.stdout + installed.stderr
        assert shutil.which("repli") == "/usr/bin/repli"
        assert Path("/usr/share/applications/repli.desktop").is_file()
        assert Path("/usr/share/icons/hicolor/scalable/apps/repli.svg").is_file()
        test = subprocess.run(["repli", "--self-test"], capture_output=True, text=True, timeout=60)
        assert test.returncode == 0, test.stdout + test.stderr
        # the installed command provisions the PC-wide file that every agent account reads
        env = {k: v for k, v in os.environ.items() if k != "REPLI_SYSTEM_CONFIG"}
        data = tmp_path / "agent"
        provisioned = subprocess.run(
            ["repli", "--data-dir", str(data), "provision", "--system"]  # noqa: RUF005
            + [
                "--site",
                "Lyon",
                "--seat",
                "B-07",
                "--tables",
                str(ROOT / "lookup_tables" / "demo"),
            ],
            capture_output=True,
            text=True,
            env=env,
            timeout=60,
        )
        assert provisioned.returncode == 0, provisioned.stderr
        written = tomllib.loads(etc.read_text())
        assert written["seat_id"] == "B-07"
        assert Path(written["tables_pack"]).parent == Path("/etc/repli/tables")
        doctor = subprocess.run(
            ["repli", "--data-dir", str(data), "doctor", "--json"],
            capture_output=True,
            text=True,
            env=env,
            timeout=60,
        )
        config_check = json.loads(doctor.stdout)["checks"][0]
        assert config_check["detail"] == (
            "site 'Lyon', seat 'B-07', mode disaster (/etc/repli/config.toml)"
        )
    finally:
        purged = subprocess.run(["dpkg", "--purge", "repli"], capture_output=True, text=True)
    assert purged.returncode == 0, purged.stderr
    assert not Path("/opt/repli").exists()
    assert not Path("/usr/bin/repli").exists()
    assert not etc.exists() and not etc.parent.exists()
    assert data.exists()  # an agent's data is never removed with the program


@pytest.fixture
def bare_debian(tmp_path: Path) -> Iterator[Path]:
    """A copy of a bare Debian 12 (debootstrap minbase, made once and kept in CACHE), with
    /proc mounted and the downloaded packages kept in CACHE between runs."""
    base = CACHE / "bookworm-minbase"
    if not (base / "usr" / "bin" / "apt-get").exists():
        if shutil.which("debootstrap") is None:
            pytest.fail("debootstrap is missing: apt-get install debootstrap")
        shutil.rmtree(base, ignore_errors=True)
        made = subprocess.run(
            ["debootstrap", "--variant=minbase", "bookworm", str(base), DEBIAN_MIRROR],
            capture_output=True,
            text=True,
            timeout=1200,
        )
        assert made.returncode == 0, made.stdout[-2000:] + made.stderr[-2000:]
    root = tmp_path / "debian"
    subprocess.run(["cp", "-a", str(base), str(root)], check=True)
    archives = CACHE / "apt-archives"
    (archives / "partial").mkdir(parents=True, exist_ok=True)
    mounts = [root / "proc", root / "var" / "cache" / "apt" / "archives"]
    subprocess.run(["mount", "-t", "proc", "proc", str(mounts[0])], check=True)
    subprocess.run(["mount", "--bind", str(archives), str(mounts[1])], check=True)
    try:
        yield root
    finally:
        for mount in reversed(mounts):
            subprocess.run(["umount", "-l", str(mount)], check=False)
        shutil.rmtree(root, ignore_errors=True)


def in_chroot(root: Path, command: str, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    env = {"PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "DEBIAN_FRONTEND": "noninteractive"}
    return subprocess.run(
        ["chroot", str(root), "sh", "-c", command],
        capture_output=True,
        text=True,
        env=env,
        timeout=timeout,
    )


@needs_root
def test_deb_in_a_bare_debian_brings_what_qt_needs(deb: Path, bare_debian: Path) -> None:
    shutil.copy2(deb, bare_debian / "tmp" / deb.name)
    assert in_chroot(bare_debian, "test -e /usr/lib/x86_64-linux-gnu/libEGL.so.1").returncode
    installed = in_chroot(
        bare_debian,
        f"apt-get update -qq && apt-get install -y -qq --no-install-recommends /tmp/{deb.name}",
    )
    assert installed.returncode == 0, installed.stdout[-3000:] + installed.stderr[-3000:]
    test = in_chroot(bare_debian, "repli --self-test")
    assert test.returncode == 0, test.stdout + test.stderr
    # every library of the bundle (the xcb platform plugin included) resolves, with the
    # bundle's own folders first as its launcher sets them: the Depends line is complete
    missing = in_chroot(
        bare_debian,
        "L=$(find /opt/repli -name '*.so*' -printf '%h:' | tr -s ':'); "
        "find /opt/repli -name '*.so*' -type f | LD_LIBRARY_PATH=$L xargs ldd | grep 'not found' | sort -u",
    )
    assert missing.stdout.strip() == "", missing.stdout
    assert (
        in_chroot(
            bare_debian, "test -f /opt/repli/_internal/PySide6/Qt/plugins/platforms/libqxcb.so"
        ).returncode
        == 0
    )
    removed = in_chroot(bare_debian, "apt-get purge -y -qq repli")
    assert removed.returncode == 0, removed.stderr
    assert not (bare_debian / "opt" / "repli").exists()
    assert not (bare_debian / "usr" / "bin" / "repli").exists()


@pytest.fixture
def windows_payload(tmp_path: Path) -> Path:
    """What a Windows bundle looks like, small: the two executables and a nested folder."""
    payload = tmp_path / "payload"
    (payload / "_internal" / "PySide6" / "plugins" / "platforms").mkdir(parents=True)
    (payload / "repli.exe").write_bytes(b"MZ test payload: the window")
    (payload / "repli-cli.exe").write_bytes(b"MZ test payload: the command line")
    (payload / "_internal" / "base_library.zip").write_bytes(b"PK")
    (payload / "_internal" / "PySide6" / "Qt6Core.dll").write_bytes(b"MZ")
    (payload / "_internal" / "PySide6" / "plugins" / "platforms" / "qwindows.dll").write_bytes(
        b"MZ"
    )
    return payload


def msi_table(msi: Path, table: str) -> list[list[str]]:
    done = subprocess.run(
        ["msiinfo", "export", str(msi), table], capture_output=True, text=True, check=True
    )
    return [line.split("\t") for line in done.stdout.splitlines()[3:]]


def test_msi_carries_the_payload_and_provisions_from_silent_parameters(
    windows_payload: Path, tmp_path: Path, data_dir: Path
) -> None:
    msi = build("msi", "--bundle", str(windows_payload), "--out", str(tmp_path / "out"))
    files = {row[2].split("|")[-1] for row in msi_table(msi, "File")}
    assert files == {
        "repli.exe",
        "repli-cli.exe",
        "base_library.zip",
        "Qt6Core.dll",
        "qwindows.dll",
    }
    properties = dict((row[0], row[1]) for row in msi_table(msi, "Property"))
    secure = properties["SecureCustomProperties"].split(";")
    for name in ("SITE", "SEAT", "TABLES", "SYNC_URL", "SYNC_TOKEN", "SUPERVISOR_PIN_FILE",
                 "CLIENT", "CLIENT_NAME"):  # fmt: skip
        assert name in secure
    assert "SYNC_TOKEN" in properties["MsiHiddenProperties"]
    (action,) = [row for row in msi_table(msi, "CustomAction") if row[0] == "Provision"]
    assert action[2] == "RepliCliExe"
    assert int(action[1]) & 0x400 and int(action[1]) & 0x800  # deferred, not impersonated
    sequence = {row[0]: row for row in msi_table(msi, "InstallExecuteSequence")}
    assert sequence["Provision"][1] == "SITE AND SEAT AND NOT REMOVE"
    assert int(sequence["InstallFiles"][2]) < int(sequence["Provision"][2])

    # The command line the MSI runs, formatted as Windows Installer would with some of the
    # properties set and the others empty, is accepted by the real `repli provision`.
    given = {"SITE": "Lyon secours", "SEAT": "B-07", "MODE": "exercise"}
    run_as_the_msi(action[3], given, data_dir)
    config = tomllib.loads((data_dir / "config.toml").read_text())
    assert (config["site"], config["seat_id"], config["mode"]) == (
        "Lyon secours",
        "B-07",
        "exercise",
    )
    assert "sync_targets" not in config  # empty properties are not settings

    # the same installer making the PC a client company's seat: CLIENT and its name, colour
    given |= {"CLIENT": "pompes-sud", "CLIENT_NAME": "Pompes Funèbres du Sud",
              "CLIENT_COLOUR": "#1f7a3a"}  # fmt: skip
    run_as_the_msi(action[3], given, data_dir)
    client = tomllib.loads((data_dir / "clients" / "pompes-sud" / "config.toml").read_text())
    assert (client["client_name"], client["client_colour"]) == ("Pompes Funèbres du Sud", "#1f7a3a")


def run_as_the_msi(template: str, given: dict[str, str], data_dir: Path) -> None:
    """The custom action's command line formatted as Windows Installer would (the given
    properties set, the others empty), run by the real ``repli`` (on this seat's own config:
    not --system)."""
    command = re.sub(r"\[(\w+)\]", lambda m: given.get(m.group(1), ""), template)
    done = subprocess.run(
        [sys.executable, "-m", "desktop", "--data-dir", str(data_dir)]
        + [a for a in shlex.split(command) if a != "--system"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr


def test_nsis_installer_carries_the_payload(windows_payload: Path, tmp_path: Path) -> None:
    setup = build("nsis", "--bundle", str(windows_payload), "--out", str(tmp_path / "out"))
    assert setup.read_bytes()[:2] == b"MZ"
    listing = subprocess.run(["7zz", "l", str(setup)], capture_output=True, text=True, check=True)
    for name in ("repli.exe", "repli-cli.exe", "_internal/PySide6/Qt6Core.dll", "uninstall.exe"):
        assert name in listing.stdout
    script = (ROOT / "packaging" / "windows" / "repli.nsi").read_text()
    for parameter in ("SITE", "SEAT", "TABLES", "SYNC_URL", "SYNC_TOKEN", "SUPERVISOR_PIN_FILE"):
        assert f"OptionArgument {parameter} --" in script
