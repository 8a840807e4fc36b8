"""The file-drop target on a real file system: complete batches, a read-only share, a full disk.

The fault tests mount a small tmpfs (they need root, as CI and dev.py run them)."""

from __future__ import annotations

import csv
import hashlib
import json
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop import config
from desktop.contacts import ContactData
from desktop.context import SeatContext
from desktop.store import contacts as store
from desktop.sync import outbox, worker
from desktop.sync.file_target import FileDropTarget


@pytest.fixture(autouse=True)
def quick_backoff(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(worker, "BACKOFF_BASE_S", 0.001)
    monkeypatch.setattr(worker, "BACKOFF_CAP_S", 0.01)


def seat_dropping_into(folder: Path, data_dir: Path) -> SeatContext:
    seat = SeatContext.open(str(data_dir))
    target = config.TargetConfig("share", "file", folder=str(folder), batch_size=100)
    seat.settings = config.Settings(seat_id="B-07", sync_targets=(target,))
    return seat


def save(seat: SeatContext, count: int, notes: str = "") -> set[tuple[str, int]]:
    keys = set()
    for i in range(count):
        contact = ContactData(agent="A", seat_id="B-07", caller_name=f"Appelant {i}", notes=notes)
        keys.add((store.save_contact(seat.engine, contact, "A").contact.id, 1))
    return keys


def imported(folder: Path) -> list[tuple[str, int]]:
    """What an importer takes: only batches whose manifest checks out."""
    found = []
    for manifest_path in sorted(folder.glob("*.manifest.json")):
        manifest = json.loads(manifest_path.read_text())
        for name, expected in manifest["files"].items():
            data = (folder / name).read_bytes()
            assert (
                len(data) == expected["bytes"]
                and hashlib.sha256(data).hexdigest() == expected["sha256"]
            )
        stem = manifest_path.name.removesuffix(".manifest.json")
        lines = [json.loads(line) for line in (folder / f"{stem}.jsonl").read_text().splitlines()]
        rows = list(csv.DictReader((folder / f"{stem}.csv").open(encoding="utf-8", newline="")))
        assert [r["id"] for r in rows] == [c["id"] for c in lines] and len(lines) == manifest[
            "count"
        ]
        found += [(c["id"], int(c["revision"])) for c in lines]
    return found


def test_batches_are_complete_files_with_a_manifest(tmp_path: Path, data_dir: Path) -> None:
    folder = tmp_path / "share"
    folder.mkdir()
    seat = seat_dropping_into(folder, data_dir)
    keys = save(seat, 250)
    worker.run_once(seat.engine, seat.settings)
    got = imported(folder)
    assert sorted(got) == sorted(keys) and len(got) == len(set(got))
    assert len(list(folder.glob("*.manifest.json"))) == 3
    assert not list(folder.glob(".*.tmp"))
    assert outbox.counts(seat.engine)["share"] == {"delivered": 250}


def test_a_batch_sent_again_is_recognised(tmp_path: Path) -> None:
    target = FileDropTarget(
        config.TargetConfig("share", "file", folder=str(tmp_path)), {"seat_id": "S"}
    )
    batch = [{"id": "a", "revision": 1}, {"id": "b", "revision": 2}]
    assert {r.status for r in target.send(batch).values()} == {"accepted"}
    assert {r.status for r in target.send(batch).values()} == {"duplicate"}
    assert len(list(tmp_path.glob("*.jsonl"))) == 1


def test_a_client_seats_batches_name_their_client(tmp_path: Path) -> None:
    """File-drop batches and their manifests named neither the client's id nor its name."""
    seat = {"seat_id": "S", "site": "Lyon", "client": "pompes-sud", "client_name": "PF Sud"}
    target = FileDropTarget(config.TargetConfig("share", "file", folder=str(tmp_path)), seat)
    target.send([{"id": "a", "revision": 1}])
    (manifest,) = tmp_path.glob("*.manifest.json")
    body = json.loads(manifest.read_text())
    assert (body["client"], body["client_name"]) == ("pompes-sud", "PF Sud")
    (lines,) = tmp_path.glob("*.jsonl")
    assert json.loads(lines.read_text().splitlines()[0])["client"] == "pompes-sud"
    (table,) = tmp_path.glob("*.csv")
    assert next(csv.DictReader(table.open(encoding="utf-8")))["client"] == "pompes-sud"


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root (CI runs as root)")
    mount_point = tmp_path / "share"
    mount_point.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(mount_point)],
        capture_output=True,
        text=True,
    )
    if done.returncode:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", str(mount_point)], check=False)


def remount(point: Path, options: str) -> None:
    subprocess.run(["mount", "-o", f"remount,{options}", str(point)], check=True)


def test_a_read_only_share_then_writable_again(small_disk: Path, data_dir: Path) -> None:
    seat = seat_dropping_into(small_disk, data_dir)
    keys = save(seat, 120)
    remount(small_disk, "ro")
    (target,) = worker.run_once(seat.engine, seat.settings).targets
    assert target.state == "failing" and "Read-only" in target.error
    assert list(small_disk.iterdir()) == []
    remount(small_disk, "rw")
    for _ in range(5):
        worker.run_once(seat.engine, seat.settings)
    assert sorted(imported(small_disk)) == sorted(keys)
    assert outbox.counts(seat.engine)["share"] == {"delivered": 120}


def test_a_full_disk_leaves_no_half_batch(small_disk: Path, data_dir: Path) -> None:
    seat = seat_dropping_into(small_disk, data_dir)
    keys = save(seat, 300, notes="x" * 2000)  # ~600 kB of contacts for a 256 kB disk
    reports = [worker.run_once(seat.engine, seat.settings).targets[0] for _ in range(3)]
    assert reports[-1].state == "failing" and "No space left" in reports[-1].error
    partial = imported(small_disk)  # what landed is complete and checks out
    assert not list(small_disk.glob(".*.tmp"))
    stems = {p.name.split(".")[0] for p in small_disk.iterdir()}
    assert all((small_disk / f"{s}.manifest.json").exists() for s in stems)
    remount(small_disk, "size=8m")
    for _ in range(5):
        worker.run_once(seat.engine, seat.settings)
    everything = imported(small_disk)
    assert sorted(everything) == sorted(keys) and len(everything) == len(set(everything))
    assert set(partial) <= set(everything)
