"""Recovery time: from the package on disk to the first contact saved in the real window.

    sudo .venv/bin/python benchmarks/recovery_time.py [--deb build/dist/repli_*.deb]

What the IT person and the first agent do on a bare backup PC, timed step by step:
1. install the .deb (dpkg -i);
2. provision the seat (`repli provision --system` with the table pack);
3. check it (`repli doctor`);
4. start the window on a screen (Xvfb) and, with the keyboard only (xdotool): sign in, type
   four digits, Enter, the caller's number, Tab, a name, F5 (call type), Ctrl+S, until the
   contact is in the seat's database.
Goal: under 2 minutes. The reference, measured in the same run, is a bare copy of the bundle
folder (what any installation must at least do). Without --deb the script builds the bundle
and the .deb first (not timed). Needs root (dpkg), Xvfb and xdotool. The package is purged
at the end; the machine's /etc/repli is restored if it existed.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "lookup_tables" / "demo"
PROVISION = [
    "repli",
    "provision",
    "--system",
    "--site",
    "Bench",
    "--seat",
    "B-01",
    "--tables",
    str(DEMO),
]


def timed(label: str, command: list[str], env: dict[str, str] | None = None) -> float:
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, env=env)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{label} failed:\n{done.stdout}\n{done.stderr}")
    print(f"  {label:<34} {elapsed:7.2f} s")
    return elapsed


def build_deb() -> Path:
    out = Path(tempfile.mkdtemp(prefix="repli-recovery-build-"))
    build = [sys.executable, str(ROOT / "packaging" / "build.py")]
    subprocess.run([*build, "bundle", "--out", str(out)], check=True, capture_output=True)
    done = subprocess.run(
        [*build, "deb", "--bundle", str(out / "repli"), "--out", str(out)],
        check=True,
        capture_output=True,
        text=True,
    )
    return Path(done.stdout.strip().splitlines()[-1])


def xdo(display: str, *args: str) -> str:
    done = subprocess.run(
        ["xdotool", *args], capture_output=True, text=True, env={**os.environ, "DISPLAY": display}
    )
    return done.stdout.strip()


def first_contact(home: Path, display: str) -> float:
    """Start the installed `repli` on ``display`` and log a call with the keyboard."""
    env = {
        "PATH": os.environ["PATH"],
        "HOME": str(home),
        "DISPLAY": display,
        "XDG_DATA_HOME": str(home / ".local" / "share"),
        "XDG_RUNTIME_DIR": str(home),
    }
    database = home / ".local" / "share" / "repli" / "repli.sqlite3"
    start = time.perf_counter()
    window = subprocess.Popen(["repli"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        window_id = xdo(display, "search", "--sync", "--onlyvisible", "--name", "Repli")
        ready = time.perf_counter()
        xdo(display, "windowfocus", "--sync", window_id.splitlines()[0])  # no window manager
        time.sleep(0.3)  # the sign-in field takes the focus with the first frame
        for keys in (
            ["type", "--delay", "30", "Claire"],
            ["key", "Return"],
            ["type", "--delay", "30", "6881"],
            ["key", "Return"],
            ["type", "--delay", "30", "0612345678"],
            ["key", "Tab"],
            ["type", "--delay", "30", "Mme Durand"],
            ["key", "F5"],  # the call type, by its hotkey
            ["key", "ctrl+s"],
        ):
            xdo(display, *keys)
        while time.perf_counter() - start < 120:
            if database.exists() and saved_contacts(database, home):
                break
            time.sleep(0.05)
        else:
            raise SystemExit("no contact saved within 2 minutes")
        saved = time.perf_counter()
    finally:
        window.terminate()
        window.wait(10)
    print(f"  {'window on screen':<34} {ready - start:7.2f} s")
    print(f"  {'signed in, call logged, saved':<34} {saved - ready:7.2f} s  (typing at 30 ms/key)")
    return saved - start


def saved_contacts(database: Path, home: Path) -> int:
    """The contacts in the seat's store: encrypted (with the key the installed Repli keeps
    for that account, in a key file: no keyring runs here) or plain."""
    sys.path.insert(0, str(ROOT))
    from desktop.seat import store_key
    from desktop.store import cipher

    try:
        found = store_key.find(database, str(home / ".config" / "repli" / "store-keys"))
        conn = cipher.connect_store(database, found.key if found else None)
    except (cipher.StoreLocked, sqlite3.Error):  # its key being written: looked at again
        return 0
    try:
        return int(conn.execute("SELECT count(*) FROM contacts").fetchone()[0])
    except (sqlite3.Error, cipher.dbapi().Error):
        return 0
    finally:
        conn.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--deb", type=Path, help="the package (default: build one first)")
    args = parser.parse_args()
    if os.geteuid() != 0:
        raise SystemExit("needs root (dpkg -i)")
    for program in ("Xvfb", "xdotool"):
        if shutil.which(program) is None:
            raise SystemExit(f"{program} is missing: apt-get install xvfb xdotool")
    deb = args.deb or build_deb()
    etc = Path("/etc/repli")
    scratch = Path(tempfile.mkdtemp(prefix="repli-recovery-etc-"))
    saved_etc = scratch / "etc-repli"
    if etc.exists():
        shutil.copytree(etc, saved_etc)
    home = Path(tempfile.mkdtemp(prefix="repli-recovery-home-"))
    display = ":97"
    xvfb = subprocess.Popen(["Xvfb", display, "-screen", "0", "1400x900x24", "-nolisten", "tcp"])
    time.sleep(0.5)
    print(f"recovery time, {deb.name} ({deb.stat().st_size / 1e6:.0f} MB):")
    try:
        env = {
            k: v
            for k, v in os.environ.items()
            if k not in ("REPLI_SYSTEM_CONFIG", "REPLI_DATA_DIR")
        }
        env["HOME"] = str(home)
        env["XDG_DATA_HOME"] = str(home / ".local" / "share")
        total = timed("install (dpkg -i)", ["dpkg", "-i", str(deb)])
        total += timed(
            "provision (site, seat, tables)",
            PROVISION,
            env,
        )
        total += timed("doctor", ["repli", "doctor"], env)
        total += first_contact(home, display)
        reference_dir = Path(tempfile.mkdtemp())
        reference = timed(
            "reference: copy of /opt/repli", ["cp", "-a", "/opt/repli", str(reference_dir)]
        )
        shutil.rmtree(reference_dir)
        print(f"  {'TOTAL package -> first contact':<34} {total:7.2f} s   (goal < 120 s)")
        print(f"  whole recovery / bare copy of the bundle: {total / reference:.0f}x")
    finally:
        subprocess.run(["dpkg", "--purge", "repli"], capture_output=True)
        xvfb.terminate()
        shutil.rmtree(home, ignore_errors=True)
        if saved_etc.exists():
            shutil.copytree(saved_etc, etc, dirs_exist_ok=True)
        shutil.rmtree(scratch, ignore_errors=True)
        if args.deb is None and deb.parent.name.startswith("repli-recovery-build-"):
            shutil.rmtree(deb.parent, ignore_errors=True)  # the bundle and package built here
    return 0


if __name__ == "__main__":
    sys.exit(main())
