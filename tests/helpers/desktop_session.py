"""A private Linux desktop for a screen reader's view of the real window: an X server (Xvfb,
on a display number it picks free), a session bus of its own, the AT-SPI bus on it, and the
AT-SPI events read by ``atspi_listen.py`` (the system's Python, with Debian's pyatspi).

Keys are typed with xdotool into the window, as a person's keyboard would type them; nothing
of this reaches the machine's own desktop or bus.
"""

from __future__ import annotations

import json
import os
import queue
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
LISTENER = Path(__file__).with_name("atspi_listen.py")
BUS_LAUNCHER = Path("/usr/libexec/at-spi-bus-launcher")
SYSTEM_PYTHON = "/usr/bin/python3"
NEEDED = {
    "Xvfb": "xvfb",
    "xdotool": "xdotool",
    "dbus-daemon": "dbus-daemon",
}


# a session bus that starts no service on demand: the machine's gnome-keyring would be
# started for the store's key and wait for a password nobody types
BUS_CONFIG = """<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:dir={dir}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
"""


def missing_programs() -> list[str]:
    """The Debian packages this session needs and does not find (dev.py installs them)."""
    missing = [pkg for program, pkg in NEEDED.items() if not shutil.which(program)]
    if not BUS_LAUNCHER.exists():
        missing.append("at-spi2-core")
    found = subprocess.run([SYSTEM_PYTHON, "-c", "import pyatspi"], capture_output=True)
    if found.returncode != 0:
        missing.append("python3-pyatspi")
    return missing


def _read_fd(command: list[str], env: dict[str, str]) -> tuple[subprocess.Popen[bytes], str]:
    """Start ``command`` with ``{fd}`` replaced by a pipe it writes one line to (Xvfb's
    display number, dbus-daemon's address); returns the process and that line."""
    read, write = os.pipe()
    process = subprocess.Popen(
        [part.replace("{fd}", str(write)) for part in command],
        pass_fds=(write,),
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write)
    with os.fdopen(read) as pipe:
        line = pipe.readline().strip()
    if not line:
        process.kill()
        raise RuntimeError(f"{command[0]} did not start")
    return process, line


class Session:
    def __init__(self, env: dict[str, str]) -> None:
        self.env = env
        self.events: queue.Queue[dict[str, Any]] = queue.Queue()
        self.seen: list[dict[str, Any]] = []

    def repli(self, data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
        """A ``repli`` command beside the window, in the same session (its key file and its
        window's socket are found through the session's runtime folder)."""
        return subprocess.run(
            [sys.executable, "-m", "desktop", "--data-dir", str(data_dir), *args],
            cwd=ROOT,
            env={**self.env, "QT_QPA_PLATFORM": "offscreen"},
            capture_output=True,
            text=True,
            timeout=120,
        )

    def xdotool(self, *args: str) -> str:
        done = subprocess.run(
            ["xdotool", *args], env=self.env, capture_output=True, text=True, timeout=30
        )
        return done.stdout.strip()

    def window(self, name: str, timeout: float = 90) -> str:
        """The id of the visible window whose title holds ``name``, focused."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = self.xdotool("search", "--onlyvisible", "--name", name).split()
            if found:
                self.xdotool("windowfocus", "--sync", found[0])
                return found[0]
            time.sleep(0.2)
        raise TimeoutError(f"no window named {name!r} after {timeout} s")

    def type(self, text: str) -> None:
        self.xdotool("type", "--delay", "60", text)

    def key(self, *keys: str) -> float:
        """Press each key; returns the monotonic time just before the last one."""
        at = time.monotonic()
        for key in keys:
            at = time.monotonic()
            self.xdotool("key", key)
        return at

    def wait_for(
        self, wanted: Callable[[dict[str, Any]], bool], timeout: float = 20
    ) -> dict[str, Any]:
        """The first event since the last wait that ``wanted`` takes (each kept in ``seen``)."""
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                said = [e.get("data") for e in self.seen[-15:]]
                raise TimeoutError(f"not received in {timeout} s; last events: {said}")
            try:
                event = self.events.get(timeout=left)
            except queue.Empty:
                continue
            self.seen.append(event)
            if wanted(event):
                return event

    def drain(self, seconds: float = 1.0) -> list[dict[str, Any]]:
        """What comes in the next ``seconds`` (nothing more expected)."""
        got = []
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            try:
                got.append(self.events.get(timeout=left))
            except queue.Empty:
                break
        self.seen += got
        return got

    def tree(self, what: str = "tree") -> list[dict[str, Any]]:
        """The listener's ``tree`` (interactive objects) or ``focused`` (objects that say
        they are focused) of Repli's windows."""
        done = subprocess.run(
            [SYSTEM_PYTHON, str(LISTENER), what],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        lines = [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
        assert lines and lines[-1]["kind"] == "done", done.stderr[-2000:]
        return [line for line in lines if line["kind"] == "object"]


@contextmanager
def desktop_session(tmp: Path) -> Iterator[Session]:
    """Xvfb, a session bus and the AT-SPI bus, with the events listener reading it."""
    missing = missing_programs()
    assert not missing, f"install these Debian packages: {' '.join(missing)} (dev.py does)"
    base = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DISPLAY", "WAYLAND_DISPLAY", "DBUS_SESSION_BUS_ADDRESS", "AT_SPI_BUS")
    }
    base["XDG_RUNTIME_DIR"] = str(tmp)
    processes: list[subprocess.Popen[Any]] = []
    try:
        xvfb, display = _read_fd(
            ["Xvfb", "-displayfd", "{fd}", "-screen", "0", "1366x768x24", "-nolisten", "tcp"],
            base,
        )
        processes.append(xvfb)
        env = {**base, "DISPLAY": f":{display}"}
        config = tmp / "session-bus.conf"
        config.write_text(BUS_CONFIG.replace("{dir}", str(tmp)))
        bus, address = _read_fd(
            ["dbus-daemon", f"--config-file={config}", "--nofork", "--print-address={fd}"], env
        )
        processes.append(bus)
        env["DBUS_SESSION_BUS_ADDRESS"] = address
        processes.append(
            subprocess.Popen(
                [str(BUS_LAUNCHER), "--launch-immediately"],
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        )
        session = Session(env)
        listener = subprocess.Popen(
            [SYSTEM_PYTHON, str(LISTENER), "events"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        processes.append(listener)

        def read() -> None:
            assert listener.stdout is not None
            for line in listener.stdout:
                if line.startswith("{"):
                    session.events.put(json.loads(line))

        threading.Thread(target=read, daemon=True).start()
        session.wait_for(lambda e: e["kind"] == "ready", timeout=60)
        yield session
    finally:
        for process in reversed(processes):
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()


def start_repli(session: Session, data_dir: Path, *args: str) -> subprocess.Popen[str]:
    """The real ``repli`` window on the session's display, its accessibility on."""
    env = {
        **session.env,
        "QT_QPA_PLATFORM": "xcb",
        "QT_LINUX_ACCESSIBILITY_ALWAYS_ON": "1",
        "REPLI_ANNOUNCE": "",  # the route Linux takes by default
    }
    return subprocess.Popen(
        [sys.executable, "-m", "desktop", "--data-dir", str(data_dir), *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )


# speech-dispatcher's generic module, writing each utterance to a file instead of a sound card
SPEECHD_CONFIG = """CommunicationMethod "unix_socket"
SocketPath "default"
Timeout 0
LogLevel 3
AudioOutputMethod "libao"
AddModule "capture" "sd_generic" "capture.conf"
DefaultModule capture
LanguageDefaultModule "fr" "capture"
LanguageDefaultModule "en" "capture"
DefaultLanguage "fr"
"""
CAPTURE_MODULE = """GenericExecuteSynth "printf '%s\\n' \\'$DATA\\' >> {said}"
AddVoice "fr" "male1" "fr"
AddVoice "en" "male1" "en"
GenericLanguage "fr" "fr" "utf-8"
GenericLanguage "en" "en" "utf-8"
DefaultVoice "fr"
"""


@contextmanager
def orca_speaking(session: Session, tmp: Path) -> Iterator[Path]:
    """Orca itself on the session, its speech going through a speech-dispatcher of the
    session's own whose output module writes what it would say to a file (yielded); libao's
    null driver stands for the sound card."""
    missing = [p for p in ("orca", "speech-dispatcher") if not shutil.which(p)]
    if not Path("/usr/lib/speech-dispatcher-modules/sd_generic").exists():
        missing.append("speech-dispatcher's modules")
    assert not missing, f"install these Debian packages: {' '.join(missing)} (dev.py does)"
    said = tmp / "said.txt"
    said.touch()
    config = tmp / "speechd"
    (config / "modules").mkdir(parents=True, exist_ok=True)
    (config / "speechd.conf").write_text(SPEECHD_CONFIG)
    (config / "modules" / "capture.conf").write_text(CAPTURE_MODULE.replace("{said}", str(said)))
    home = tmp / "home"
    home.mkdir(exist_ok=True)
    (home / ".libao").write_text("default_driver=null\n")
    env = {
        **session.env,
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_DATA_HOME": str(home / ".local" / "share"),
        "XDG_CACHE_HOME": str(home / ".cache"),
    }
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    speechd = subprocess.Popen(
        ["speech-dispatcher", "-s", "-t", "0", "-C", str(config), "-L", str(tmp)],
        env=env,
        **quiet,  # type: ignore[call-overload]
    )
    orca: subprocess.Popen[bytes] | None = None
    try:
        socket = Path(session.env["XDG_RUNTIME_DIR"]) / "speech-dispatcher" / "speechd.sock"
        _wait(socket.exists, 30, "speech-dispatcher's socket")
        orca = subprocess.Popen(
            ["orca", "--replace", f"--debug-file={tmp / 'orca.log'}"],
            env=env,
            **quiet,  # type: ignore[call-overload]
        )
        _wait(lambda: said.read_text(encoding="utf-8").strip() != "", 60, "Orca's first words")
        yield said
    finally:
        for process in (orca, speechd):
            if process is None:
                continue
            process.terminate()
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:  # Orca 43 may wait on its speech to the end
                process.kill()
                process.wait(timeout=10)


def _wait(condition: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(f"{what}: not there after {timeout} s")
        time.sleep(0.1)
