#!/usr/bin/env python3
"""Bootstrap and run Repli from a checkout, with nothing but Python 3.11+.

    python3 dev.py start [repli args]   start the agent window on the demo tables
    python3 dev.py test [pytest args]   lint, type-check and run the whole test suite (then
                                        its date-sensitive tests again on three other dates)

It creates ``.venv`` beside this file, installs Repli with its test tools into it (again only
when pyproject.toml changed), and on Linux checks the system libraries Qt needs (GL, EGL,
xkbcommon, fontconfig, dbus, xcb-cursor): as root with apt-get it installs the missing ones,
otherwise it names them. ``test`` also needs the real programs some tests drive: the
softphone (Debian's baresip-core and sip-tester), a PostgreSQL server (postgresql, which
the tests start themselves as the postgres user; patroni, etcd-server and pgbouncer for the
highly available site store) and the accessibility stack a screen reader
reads (at-spi2-core, python3-pyatspi, Xvfb, xdotool, orca, speech-dispatcher), installed the
same way.
"""

from __future__ import annotations

import ctypes.util
import glob
import hashlib
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")
STAMP = VENV / ".repli-installed"
# library name for ctypes -> Debian package providing it
QT_SYSTEM_LIBS = {
    "GL": "libgl1",
    "EGL": "libegl1",
    "xkbcommon": "libxkbcommon0",
    "xkbcommon-x11": "libxkbcommon-x11-0",
    "fontconfig": "libfontconfig1",
    "dbus-1": "libdbus-1-3",
    "xcb-cursor": "libxcb-cursor0",
    "xcb-icccm": "libxcb-icccm4",
    "xcb-keysyms": "libxcb-keysyms1",
    "xcb-shape": "libxcb-shape0",
}


def main(argv: list[str]) -> int:
    if sys.version_info < (3, 11):  # noqa: UP036 (this script must say so on older Pythons)
        print("Repli needs Python 3.11 or newer", file=sys.stderr)
        return 2
    if not argv or argv[0] not in ("start", "test"):
        print(__doc__)
        return 2
    ensure_system_libraries()
    ensure_venv()
    command, rest = argv[0], argv[1:]
    if command == "start":
        return run([str(BIN / "repli"), *rest])
    return test(rest)


TEST_PROGRAMS = {
    "baresip": "baresip-core",  # the softphone
    "sipp": "sip-tester",
    "wixl": "wixl",  # the installers' tests build an MSI and an NSIS installer…
    "msiinfo": "msitools",
    "makensis": "nsis",
    "7zz": "7zip",  # …and look inside them
    "debootstrap": "debootstrap",  # a bare Debian to install the .deb into
    "faketime": "faketime",  # repli lookup at fixed instants, on another clock than the machine's
    "minisign": "minisign",  # the signed table packs' format, checked with the real program
    "kamailio": "kamailio",  # the backup site's SIP proxy, as Repli configures it
    "gnome-keyring-daemon": "gnome-keyring",  # a real Secret Service for the store's key…
    "dbus-run-session": "dbus-daemon",  # …on its own session bus
    "Xvfb": "xvfb",  # the window as a screen reader sees it: an X server of its own…
    "xdotool": "xdotool",  # …the agent's keys typed into it…
    "orca": "orca",  # …and what the screen reader says of it…
    "speech-dispatcher": "speech-dispatcher",  # …written down by its speech server
    "soffice": "libreoffice-calc-nogui",  # the XLSX export read back by LibreOffice itself
    "patroni": "patroni",  # the site store that survives its server: PostgreSQL under Patroni…
    "etcd": "etcd-server",  # …whose leader lease is kept in etcd…
    "pgbouncer": "pgbouncer",  # …and the pooler in front of it
}


def ensure_system_libraries() -> None:
    if sys.platform.startswith("linux"):
        missing = {pkg for lib, pkg in QT_SYSTEM_LIBS.items() if not ctypes.util.find_library(lib)}
        install_debian_packages(sorted(missing), "the system libraries Qt needs")


def ensure_test_programs() -> None:
    if sys.platform.startswith("linux"):
        missing = {pkg for program, pkg in TEST_PROGRAMS.items() if not shutil.which(program)}
        if not glob.glob("/usr/lib/postgresql/*/bin/initdb"):  # the site-database tests' server
            missing.add("postgresql")
        if not glob.glob("/usr/lib/*/kamailio/modules/http_client.so"):  # the proxy tells seats
            missing.add("kamailio-utils-modules")
        if not Path("/usr/libexec/at-spi-bus-launcher").exists():  # the accessibility bus…
            missing.add("at-spi2-core")
        if not glob.glob("/usr/lib/python3/dist-packages/pyatspi"):  # …read as Orca reads it
            missing.add("python3-pyatspi")
        if not glob.glob("/usr/lib/*/speech-dispatcher/spd_libao.so"):  # a null sound card
            missing.add("speech-dispatcher-audio-plugins")
        install_debian_packages(sorted(missing), "the programs the tests drive")


def install_debian_packages(packages: list[str], why: str) -> None:
    if not packages:
        return
    if os.geteuid() == 0 and shutil.which("apt-get"):
        print(f"installing {why}: {' '.join(packages)}")
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "update", "-qq"], check=False, env=env)
        subprocess.run(["apt-get", "install", "-y", "-qq", *packages], check=False, env=env)
    else:
        print(f"{why} need these Debian packages: {' '.join(packages)} (install them as root)")


def ensure_venv() -> None:
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if STAMP.exists() and STAMP.read_text() == wanted and PYTHON.exists():
        return
    if not PYTHON.exists():
        print(f"creating {VENV}")
        venv.create(VENV, with_pip=True)
    print("installing Repli and its test tools into .venv")
    subprocess.run(
        [
            str(PYTHON),
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "-e",
            f"{ROOT}[test,packaging]",
        ],
        check=True,
    )
    STAMP.write_text(wanted)


LINTED = ["desktop", "tests", "benchmarks", "lookup_tables", "tools", "packaging", "dev.py"]


def test(pytest_args: list[str]) -> int:
    os.chdir(ROOT)
    ensure_test_programs()
    ruff = [str(PYTHON), "-m", "ruff"]
    for step in (
        [*ruff, "check", *LINTED],
        [*ruff, "format", "--check", *LINTED],
        [str(PYTHON), "-m", "mypy"],
    ):
        code = run(step)
        if code:
            return code
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    code = run([str(PYTHON), "-m", "pytest", *pytest_args], env=env)
    if code or pytest_args:
        return code
    return on_other_dates(env)


# The tests whose answers depend on the date (marked ``dates``) run again on other days: a
# new year just past midnight, a leap day late in the evening, a public holiday in summer
# time. The clock starts there and runs (libfaketime), monotonic time is left alone.
OTHER_DATES = ("2027-01-01 00:20:00", "2028-02-29 23:40:00", "2027-07-14 10:00:00")


def on_other_dates(env: dict[str, str]) -> int:
    faketime = shutil.which("faketime")
    if faketime is None:
        print("faketime is missing: the date-sensitive tests ran on today's date only")
        return 1
    for when in OTHER_DATES:
        dated = {**env, "FAKETIME_DONT_FAKE_MONOTONIC": "1", "FAKETIME_DONT_RESET": "1"}
        print(f"the date-sensitive tests on {when}", flush=True)
        code = run([faketime, when, str(PYTHON), "-m", "pytest", "-q", "-m", "dates"], env=dated)
        if code:
            return code
    return 0


def run(command: list[str], env: dict[str, str] | None = None) -> int:
    print("$", " ".join(Path(c).name if i == 0 else c for i, c in enumerate(command)), flush=True)
    return subprocess.run(command, env=env).returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
