"""Real baresip processes (and SIPp) on 127.0.0.1, for the softphone tests.

Each instance gets its own config folder, SIP port and ctrl_tcp port, audio through the
aubridge module (no sound card), and is stopped by its PID.
"""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from desktop.telephony.baresip import netstring

SIPP_SCENARIOS = Path(__file__).parent / "sipp"


def free_port(kind: int = socket.SOCK_STREAM) -> int:
    with socket.socket(socket.AF_INET, kind) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def free_sip_port() -> int:
    """A port P free for UDP and TCP, with P+1 free for TCP too: baresip listens on P for UDP
    and TCP and on P+1 for TLS (a port free for UDP only, or a taken P+1, once stopped it at
    start). Another program can still take them before baresip binds: ``Baresip.start``
    then tries other ports."""
    while True:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as udp:
            udp.bind(("127.0.0.1", 0))
            port = int(udp.getsockname()[1])
            if port >= 65535:
                continue
            neighbours = ((port, socket.SOCK_STREAM), (port + 1, socket.SOCK_STREAM),
                          (port + 1, socket.SOCK_DGRAM))  # fmt: skip
            if all(_free(number, kind) for number, kind in neighbours):
                return port


def _free(port: int, kind: int) -> bool:
    with socket.socket(socket.AF_INET, kind) as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def require(program: str) -> str:
    found = shutil.which(program)
    assert found, f"{program} is needed: apt-get install baresip-core sip-tester (dev.py does it)"
    return found


@dataclass
class Baresip:
    folder: Path
    account: str
    sip_port: int
    ctrl_port: int
    process: subprocess.Popen[bytes] | None = None
    numbers: tuple[str, ...] = ()  # more accounts, one per number it takes calls for
    answer: str = ""  # "auto": it answers every call itself

    def start(self, timeout: float = 15.0, tries: int = 5) -> Baresip:
        """Started and ready; when its SIP ports were taken meanwhile by another program,
        started again on other ones (the control port, which Repli was told, is kept)."""
        for attempt in range(tries):
            if self._start_once(timeout):
                return self
            assert attempt < tries - 1, (self.folder / "baresip.log").read_text()
            self.sip_port = free_sip_port()
        return self

    def _start_once(self, timeout: float) -> bool:
        self.folder.mkdir(parents=True, exist_ok=True)
        mode = f";answermode={self.answer}" if self.answer else ""
        (self.folder / "accounts").write_text(
            "".join(
                f"<sip:{user}@127.0.0.1:{self.sip_port}>;regint=0{mode}\n"
                for user in (self.account, *self.numbers)
            )
        )
        (self.folder / "config").write_text(
            "poll_method epoll\n"
            f"sip_listen 127.0.0.1:{self.sip_port}\n"
            "audio_player aubridge,nil\naudio_source aubridge,nil\naudio_alert aubridge,nil\n"
            "module_path /usr/lib/baresip/modules\n"
            "module g711.so\nmodule aubridge.so\n"
            "module_app account.so\nmodule_app menu.so\nmodule_app ctrl_tcp.so\n"
            f"ctrl_tcp_listen 127.0.0.1:{self.ctrl_port}\n"
        )
        log = (self.folder / "baresip.log").open("wb")
        self.process = subprocess.Popen([require("baresip"), "-f", str(self.folder)],
                                        stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)  # fmt: skip
        deadline = time.monotonic() + timeout
        while b"baresip is ready." not in (self.folder / "baresip.log").read_bytes():
            if self.process.poll() is not None:
                return False  # it could not bind its ports (the log says which)
            assert time.monotonic() < deadline, "baresip did not start"
            time.sleep(0.05)
        return True

    def command(self, command: str, params: str = "") -> None:
        """A command through its control port (the tests hold the caller's port only)."""
        with socket.create_connection(("127.0.0.1", self.ctrl_port), timeout=5) as conn:
            conn.sendall(
                netstring(json.dumps({"command": command, "params": params, "token": "t"}).encode())
            )
            time.sleep(0.2)

    def dial(self, callee: Baresip, number: str) -> None:
        self.command("dial", f"sip:{number}@127.0.0.1:{callee.sip_port}")

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)


def sipp_invite_to_only(
    callee: Baresip, called: str, caller: str, service: str
) -> subprocess.CompletedProcess[str]:
    """An INVITE to ``service`` (the seat account) with the dialled number only in To."""
    return subprocess.run(
        [require("sipp"), "-sf", str(SIPP_SCENARIOS / "to_only.xml"), "-m", "1",
         "-i", "127.0.0.1", "-p", str(free_sip_port()), "-s", service,
         "-key", "called", called, "-key", "caller", caller, "-timeout", "20", "-nostdin",
         "-trace_err", f"127.0.0.1:{callee.sip_port}"],
        capture_output=True, text=True, timeout=60, cwd=callee.folder,
    )  # fmt: skip
