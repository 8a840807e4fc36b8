"""Tables that follow the primary, with the real command: a key made, packs signed and
published to a folder and to a real HTTP server on 127.0.0.1, a seat pulling them; forged,
damaged, older and unknown-key packs refused with the active pack untouched."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import threading
from collections.abc import Iterator
from email.utils import formatdate
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar

import pytest

from tests.conftest import DEMO_PACK
from tests.helpers.cli import repli


def status(data_dir: Path) -> dict[str, Any]:
    done = repli(data_dir, "tables", "status", "--json")
    assert done.returncode == 0, done.stderr
    return dict(json.loads(done.stdout))


def signed_pack(tmp_path: Path, name: str, key: Path, serial: int, version: str = "") -> Path:
    pack = tmp_path / name
    shutil.copytree(DEMO_PACK, pack)
    (pack / "manifest.json").write_text(json.dumps({"name": "Réseau primaire"}), "utf-8")
    done = repli(
        tmp_path, "tables", "sign", str(pack), "--key", str(key), "--serial", str(serial),
        "--version", version or f"v{serial}",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return pack


@pytest.fixture
def keys(tmp_path: Path) -> tuple[Path, str]:
    done = repli(tmp_path, "tables", "keygen", "--out", str(tmp_path / "keys"))
    assert done.returncode == 0, done.stderr
    public = (tmp_path / "keys" / "repli-tables.pub").read_text().splitlines()[-1]
    assert (tmp_path / "keys" / "repli-tables.key").stat().st_mode & 0o077 == 0
    return tmp_path / "keys" / "repli-tables.key", public


def seat_follows(data_dir: Path, source: str, public: str) -> None:
    """The PC-wide file holds the key (an agent's own file may not), the seat the source."""
    system = Path(os.environ["REPLI_SYSTEM_CONFIG"])
    system.parent.mkdir(parents=True, exist_ok=True)
    system.write_text(f'tables_public_keys = ["{public}"]\n', encoding="utf-8")
    with (data_dir / "config.toml").open("a", encoding="utf-8") as config:
        config.write(f'tables_source = "{source}"\n')


def test_a_signed_pack_is_followed_from_a_folder_and_bad_ones_change_nothing(
    tmp_path: Path, data_dir: Path, keys: tuple[Path, str]
) -> None:
    key, public = keys
    share = tmp_path / "share"
    first = signed_pack(tmp_path, "p10", key, 10)
    assert repli(tmp_path, "tables", "publish", str(first), str(share)).returncode == 0
    seat_follows(data_dir, str(share), public)

    pulled = repli(data_dir, "tables", "pull")
    assert pulled.returncode == 0, pulled.stderr
    assert "activated serial 10" in pulled.stdout
    now = status(data_dir)
    assert now["serial"] == 10 and now["version"] == "v10" and now["signed_by"]
    assert now["tables_source"] == str(share) and now["failure"] is None
    again = repli(data_dir, "tables", "pull")
    assert again.returncode == 0 and "up to date" in again.stdout

    # a file changed after signing: the checksum says so, nothing changes
    damaged = signed_pack(tmp_path, "p11", key, 11)
    with (damaged / "numbers.csv").open("a", encoding="utf-8") as numbers:
        numbers.write("0199999999,AG00001,,\n")
    assert repli(tmp_path, "tables", "publish", str(damaged), str(share)).returncode == 0
    refused = repli(data_dir, "tables", "pull")
    assert refused.returncode != 0 and "checksum mismatch" in refused.stderr
    assert status(data_dir)["serial"] == 10
    assert "checksum mismatch" in status(data_dir)["failure"]

    # signed by a key the seat does not know
    other = tmp_path / "other"
    assert repli(tmp_path, "tables", "keygen", "--out", str(other)).returncode == 0
    forged = signed_pack(tmp_path, "p12", other / "repli-tables.key", 12)
    assert repli(tmp_path, "tables", "publish", str(forged), str(share)).returncode == 0
    refused = repli(data_dir, "tables", "pull")
    assert "unknown key" in refused.stderr and status(data_dir)["serial"] == 10

    # a manifest altered after signing (its serial raised): the signature does not match
    altered = signed_pack(tmp_path, "p13", key, 13)
    manifest = json.loads((altered / "manifest.json").read_text("utf-8"))
    manifest["serial"] = 14
    (altered / "manifest.json").write_text(json.dumps(manifest), "utf-8")
    assert repli(tmp_path, "tables", "publish", str(altered), str(share)).returncode == 0
    refused = repli(data_dir, "tables", "pull")
    assert "does not match" in refused.stderr and status(data_dir)["serial"] == 10

    # an older pack put back on the share (a replay) is refused too
    pointer = json.loads((share / "current.json").read_text())
    older = signed_pack(tmp_path, "p9", key, 9)
    shutil.copytree(older, share / "packs" / "9")
    pointer.update(serial=9, path="packs/9/")
    (share / "current.json").write_text(json.dumps(pointer))
    refused = repli(data_dir, "tables", "pull")
    assert "older than the active 10" in refused.stderr and status(data_dir)["serial"] == 10

    # and by hand: with a key set, an unsigned pack is refused as well
    by_hand = repli(data_dir, "tables", "import", str(DEMO_PACK))
    assert by_hand.returncode != 0 and "not signed" in by_hand.stderr


class Primary(SimpleHTTPRequestHandler):
    """A published folder over HTTP, with ETag and Last-Modified; ``fail`` makes it answer
    500, ``truncate`` cut a file short mid-download."""

    fail = False
    truncate = False
    requests: ClassVar[list[tuple[str, str]]] = []

    def log_message(self, *_args: Any) -> None:
        pass

    def do_GET(self) -> None:
        Primary.requests.append((self.path, self.headers.get("If-None-Match", "")))
        if Primary.fail:
            self.send_error(500)
            return
        path = Path(self.translate_path(self.path))
        if not path.is_file():
            self.send_error(404)
            return
        data = path.read_bytes()
        etag = '"' + hashlib.sha256(data).hexdigest()[:16] + '"'
        if self.headers.get("If-None-Match") == etag:
            self.send_response(304)
            self.send_header("ETag", etag)
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("ETag", etag)
        self.send_header("Last-Modified", formatdate(path.stat().st_mtime, usegmt=True))
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if Primary.truncate and path.name == "numbers.csv":
            self.wfile.write(data[: len(data) // 2])
            self.close_connection = True
            return
        self.wfile.write(data)


@pytest.fixture
def primary(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    root = tmp_path / "www"
    root.mkdir()

    def handler(*args: Any) -> Primary:
        return Primary(*args, directory=str(root))

    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    Primary.fail = Primary.truncate = False
    Primary.requests = []
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/", root
    finally:
        server.shutdown()
        server.server_close()


def test_a_pack_is_followed_over_http_with_conditional_requests(
    tmp_path: Path, data_dir: Path, keys: tuple[Path, str], primary: tuple[str, Path]
) -> None:
    key, public = keys
    url, root = primary
    assert (
        repli(
            tmp_path, "tables", "publish", str(signed_pack(tmp_path, "a", key, 20)), str(root)
        ).returncode
        == 0
    )
    seat_follows(data_dir, url, public)
    pulled = repli(data_dir, "tables", "pull")
    assert pulled.returncode == 0 and "activated serial 20" in pulled.stdout, pulled.stderr

    # nothing new: one conditional request, answered 304, and no file written on the seat
    state = data_dir / "tables-follow.json"
    written = state.stat().st_mtime_ns
    Primary.requests.clear()
    again = repli(data_dir, "tables", "pull")
    assert again.returncode == 0 and "not modified" in again.stdout
    assert len(Primary.requests) == 1 and Primary.requests[0][1]  # with If-None-Match
    assert state.stat().st_mtime_ns == written

    # the primary down: the seat keeps its pack and says since when
    Primary.fail = True
    down = repli(data_dir, "tables", "pull")
    assert down.returncode != 0 and "unreachable" in down.stderr
    seen = status(data_dir)
    assert seen["serial"] == 20 and seen["unreachable_since"] and "500" in seen["failure"]
    doctor = json.loads(repli(data_dir, "doctor", "--json").stdout)
    (source,) = [c for c in doctor["checks"] if c["name"] == "tables source"]
    assert source["status"] == "warn" and "unreachable since" in source["detail"]
    assert "running serial 20" in source["detail"]

    # back, with a newer pack whose download is cut short: refused, then taken once whole
    Primary.fail = False
    assert (
        repli(
            tmp_path, "tables", "publish", str(signed_pack(tmp_path, "b", key, 21)), str(root)
        ).returncode
        == 0
    )
    Primary.truncate = True
    cut = repli(data_dir, "tables", "pull")
    assert cut.returncode != 0 and status(data_dir)["serial"] == 20
    Primary.truncate = False
    whole = repli(data_dir, "tables", "pull")
    assert whole.returncode == 0 and "activated serial 21" in whole.stdout, whole.stderr
    assert status(data_dir)["unreachable_since"] is None

    # rollback: the previous pack again, and the rolled-back serial is not taken again
    back = repli(data_dir, "tables", "rollback")
    assert back.returncode == 0 and "v20" in back.stdout
    assert status(data_dir)["serial"] == 20
    stays = repli(data_dir, "tables", "pull")
    assert stays.returncode == 0 and status(data_dir)["serial"] == 20


@pytest.fixture
def tmpfs(tmp_path: Path) -> Iterator[Path]:
    """A real tmpfs of 2 MiB (mounted as root, as the CI and dev.py test run)."""
    import subprocess

    assert os.geteuid() == 0, "the tmpfs share is mounted as root (dev.py test runs as root)"
    mount = tmp_path / "tmpfs"
    mount.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(mount)], check=True)
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def test_a_full_share_keeps_the_last_publication_and_a_read_only_one_is_followed(
    tmp_path: Path, data_dir: Path, keys: tuple[Path, str], tmpfs: Path
) -> None:
    import subprocess

    key, public = keys
    share = tmpfs / "repli-tables"
    first = signed_pack(tmp_path, "f1", key, 60)
    assert repli(tmp_path, "tables", "publish", str(first), str(share)).returncode == 0
    pointer = (share / "current.json").read_bytes()
    # a pack too big for what is left of the share: the publication fails, nothing changes
    big = signed_pack(tmp_path, "f2", key, 61)
    (big / "branches.csv").write_bytes((big / "branches.csv").read_bytes() + b" " * (3 * 2**20))
    full = repli(tmp_path, "tables", "publish", str(big), str(share))
    assert full.returncode != 0 and "No space left" in full.stderr
    assert (share / "current.json").read_bytes() == pointer
    # the seat reads the share mounted read-only, and takes the last good publication
    subprocess.run(["mount", "-o", "remount,ro", str(tmpfs)], check=True)
    seat_follows(data_dir, str(share), public)
    pulled = repli(data_dir, "tables", "pull")
    assert pulled.returncode == 0 and "activated serial 60" in pulled.stdout, pulled.stderr


def test_an_absurd_serial_is_refused_and_a_frozen_follower_can_be_reset(
    tmp_path: Path, data_dir: Path, keys: tuple[Path, str]
) -> None:
    """A pack signed with serial 2^53-1 froze a seat for good (every later pack "older"),
    through key rotation and rollback, until a hand edit."""
    from sqlalchemy import select

    from desktop.context import SeatContext
    from desktop.store.models import AuditRow
    from desktop.tables.signed import serial_now

    key, public = keys
    pack = tmp_path / "absurd"
    shutil.copytree(DEMO_PACK, pack)
    (pack / "manifest.json").write_text(json.dumps({"name": "Réseau primaire"}), "utf-8")
    refused = repli(tmp_path, "tables", "sign", str(pack), "--key", str(key),
                    "--serial", str(2**53 - 1))  # fmt: skip
    assert refused.returncode != 0 and "beyond tomorrow's clock serial" in refused.stderr

    # a serial already active high (an old primary's clock serial): the primary starts again
    # at 1 after a rebuild; the seat refuses it as older until the administrator resets it
    share = tmp_path / "share"
    serial = serial_now()  # today's: valid on any date the suite runs
    high = signed_pack(tmp_path, "high", key, serial)
    assert repli(tmp_path, "tables", "publish", str(high), str(share)).returncode == 0
    seat_follows(data_dir, str(share), public)
    assert repli(data_dir, "tables", "pull").returncode == 0
    shutil.rmtree(share)
    low = signed_pack(tmp_path, "low", key, 1)
    assert repli(tmp_path, "tables", "publish", str(low), str(share)).returncode == 0
    older = repli(data_dir, "tables", "pull")
    assert older.returncode != 0 and "older than the active" in older.stderr
    done = repli(data_dir, "tables", "reset")
    assert done.returncode == 0, done.stderr
    assert f"follower reset: active serial {serial}" in done.stdout
    pulled = repli(data_dir, "tables", "pull")
    assert pulled.returncode == 0 and "activated serial 1" in pulled.stdout, pulled.stderr
    assert status(data_dir)["serial"] == 1
    seat = SeatContext.open(str(data_dir))
    try:
        with seat.engine.connect() as conn:
            actions = conn.execute(select(AuditRow.action, AuditRow.detail)).all()
    finally:
        seat.close()
    assert any(a == "tables-follow-reset" and str(serial) in d for a, d in actions)


def test_a_publication_is_readable_by_a_web_server_and_a_pointer_naming_a_file_twice_is_refused(
    tmp_path: Path, data_dir: Path, keys: tuple[Path, str]
) -> None:
    key, public = keys
    share = tmp_path / "share"
    pack = signed_pack(tmp_path, "p3", key, 3)
    done = repli(tmp_path, "tables", "publish", str(pack), str(share))  # under Repli's umask 077
    assert done.returncode == 0, done.stderr
    for folder in (share, share / "packs", share / "packs" / "3"):
        assert folder.stat().st_mode & 0o755 == 0o755, folder  # a web server's account reads
    for file in (share / "current.json", *(share / "packs" / "3").iterdir()):
        assert file.stat().st_mode & 0o444 == 0o444, file
    pointer = json.loads((share / "current.json").read_text())
    pointer["files"] = pointer["files"] * 200  # 4,000 names: one check downloaded 4 GiB
    (share / "current.json").write_text(json.dumps(pointer))
    seat_follows(data_dir, str(share), public)
    refused = repli(data_dir, "tables", "pull")
    assert refused.returncode != 0 and "names a file twice" in refused.stderr


def test_a_folder_source_that_blocks_is_refused_at_once_with_the_reason(
    tmp_path: Path, data_dir: Path, keys: tuple[Path, str]
) -> None:
    """A current.json that is a FIFO made ``repli tables pull`` wait for ever (a plain
    open()), and the window then never exited on close."""
    key, public = keys
    share = tmp_path / "share"
    share.mkdir()
    os.mkfifo(share / "current.json")
    seat_follows(data_dir, str(share), public)
    refused = repli(data_dir, "tables", "pull")
    assert refused.returncode != 0 and "not a regular file" in refused.stderr
    published = repli(tmp_path, "tables", "publish", str(signed_pack(tmp_path, "p1", key, 1)),
                      str(share))  # fmt: skip
    assert published.returncode != 0 and "not a regular file" in published.stderr
    assert "Traceback" not in published.stderr


def test_a_read_that_hangs_is_given_up_and_closing_never_waits(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A hung network share blocks a read in the kernel, which nothing here can make: the
    reader is held on an event instead, standing for it."""
    import threading
    import time

    from desktop import files
    from desktop.tables import follow

    held = threading.Event()
    monkeypatch.setattr(files, "read_regular", lambda _p, _l: held.wait(60) and b"")
    started = time.monotonic()
    with pytest.raises(follow.FollowError, match="no answer within 1 s"):
        follow._read_in_time(tmp_path / "current.json", 100, 1.0)
    given_up: list[str] = []

    def check() -> None:  # a check of the window's follower, waiting on the hung share
        try:
            follow._read_in_time(tmp_path / "x", 100, 600.0)
        except follow.FollowError as exc:
            given_up.append(str(exc))

    waiting = threading.Thread(target=check)
    waiting.start()
    follow.abandon_reads()  # the window closes
    waiting.join(10)
    held.set()
    follow._ABANDON.clear()
    assert not waiting.is_alive() and given_up and time.monotonic() - started < 60
