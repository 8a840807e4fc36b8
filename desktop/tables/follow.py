"""Tables that follow the primary: ``repli tables publish`` on the primary's side, the seat's
check of its ``tables_source`` on the other.

A published folder (a network share, or what an HTTP server serves)::

    current.json        {"format": 1, "serial": N, "name": …, "version": …,
                         "path": "packs/N/", "files": [the pack's files]}
    packs/N/…           the signed pack N, complete before current.json names it

The seat reads ``current.json`` (over HTTP with ``If-None-Match`` / ``If-Modified-Since``:
a check that finds nothing new is one conditional request and writes nothing), and when it
names a serial above the active pack's it downloads the pack (each file bounded), verifies
the signature and every checksum against ``tables_public_keys``, validates the whole pack as
an import does, and stages it in the store (written, not active). The window activates a
staged pack between two calls (desktop.ui.tables_follow); ``repli tables pull`` at once.
Whatever fails (unreachable, forged, damaged, invalid, older) leaves the active pack as it
is and is kept, with its reason, in ``tables-follow.json`` for the status bar, ``repli
tables status`` and ``repli doctor``.
"""

from __future__ import annotations

import json
import re
import shutil
import threading
import time
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from desktop import files
from desktop.files import TooLarge, make_shared_folders, write_atomically
from desktop.tables.packfiles import MAX_FILE_BYTES, PACK_FILES, read_pack_files

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from desktop.config import Settings
    from desktop.paths import DataPaths
    from desktop.store.quickstart import PackStatus

POINTER = "current.json"
STATE_FILE = "tables-follow.json"
STAGING = "tables-staging"
SITE_SOURCE = "site"  # tables_source for the site database (desktop.tables.site_packs)
MAX_POINTER_BYTES = 64 * 1024
PUBLISHED_FOLDER_MODE = 0o755  # a publication is public: its files are signed, not secret
# A download's whole answer within this, whatever the server does (a byte every few seconds
# keeps each read under httpx's 10 s timeout, and headers can trickle too): then it is cut.
POINTER_DEADLINE_S = 30.0
FILE_DEADLINE_S = 300.0  # MAX_FILE_BYTES at ~2 Mbit/s; a real pack is ~4 MB
KEEP_PUBLISHED = 5
_PACK_PATH = re.compile(r"packs/([0-9]{1,16})/")


class FollowError(Exception):
    """A check that could not bring a newer pack: ``kind`` says which way it failed."""

    def __init__(self, kind: str, reason: str) -> None:
        super().__init__(reason)
        self.kind = kind  # unreachable, refused, invalid


# --- the primary's side ---------------------------------------------------------------


@dataclass(frozen=True)
class Published:
    serial: int
    folder: Path
    removed: list[int]


def publish(pack: Path, dest: Path, keep: int = KEEP_PUBLISHED) -> Published:
    """Copy the signed pack ``pack`` under ``dest/packs/SERIAL/``, then point
    ``dest/current.json`` at it (atomically: a seat never sees a half-copied pack), and keep
    the last ``keep`` versions."""
    from desktop.tables.signed import SIGNATURE_FILE

    files = read_pack_files(pack).files
    if SIGNATURE_FILE not in files:
        raise FollowError("refused", f"{pack}: not signed (repli tables sign PACK --key FILE)")
    manifest = json.loads(files["manifest.json"].decode("utf-8-sig"))
    serial = manifest.get("serial") if isinstance(manifest, dict) else None
    if not isinstance(serial, int) or isinstance(serial, bool) or serial <= 0:
        raise FollowError("refused", f"{pack}: its manifest has no serial")
    current = _read_pointer_file(dest)
    if current is not None and serial <= int(current["serial"]):
        raise FollowError(
            "refused", f"serial {serial} is not above the published {current['serial']}"
        )
    packs = dest / "packs"
    make_shared_folders(packs, PUBLISHED_FOLDER_MODE)  # a web server's account reads them
    staging = packs / f".incoming-{serial}"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir()
    staging.chmod(PUBLISHED_FOLDER_MODE)  # whatever the umask (Repli's is 077)
    final = packs / str(serial)
    try:
        for name, data in files.items():
            write_atomically(staging / name, data, mode=0o644)
        staging.rename(final)
    except OSError:  # a full or failing share: the last publication stays as it was
        shutil.rmtree(staging, ignore_errors=True)
        raise
    pointer = {
        "format": 1,
        "serial": serial,
        "name": str(manifest.get("name", "")),
        "version": str(manifest.get("version", "")),
        "path": f"packs/{serial}/",
        "files": sorted(files),
        "published_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    write_atomically(dest / POINTER, json.dumps(pointer, indent=2).encode(), mode=0o644)
    kept = sorted((int(p.name) for p in packs.iterdir() if p.name.isdigit()), reverse=True)
    removed = [s for s in kept[keep:] if s != serial]
    for old in removed:
        shutil.rmtree(packs / str(old), ignore_errors=True)
    return Published(serial, final, removed)


def _read_pointer_file(dest: Path) -> dict[str, Any] | None:
    path = dest / POINTER
    if not path.exists():
        return None
    try:
        data = files.read_regular(path, MAX_POINTER_BYTES)
    except TooLarge:
        raise FollowError("invalid", f"{path}: over {MAX_POINTER_BYTES // 1024} KiB") from None
    return _pointer(data, str(path))


def _pointer(data: bytes, where: str) -> dict[str, Any]:
    if len(data) > MAX_POINTER_BYTES:
        raise FollowError("invalid", f"{where}: over {MAX_POINTER_BYTES // 1024} KiB")
    try:
        pointer = json.loads(data.decode("utf-8"))
    except (ValueError, UnicodeDecodeError, RecursionError):
        raise FollowError("invalid", f"{where}: not JSON") from None
    if not isinstance(pointer, dict):
        raise FollowError("invalid", f"{where}: not a JSON object")
    serial, path, files = pointer.get("serial"), pointer.get("path"), pointer.get("files")
    if isinstance(serial, bool) or not isinstance(serial, int) or serial <= 0:
        raise FollowError("invalid", f"{where}: no serial")
    match = _PACK_PATH.fullmatch(path) if isinstance(path, str) else None
    if match is None or int(match.group(1)) != serial:
        raise FollowError("invalid", f"{where}: path must be packs/{serial}/")
    if not isinstance(files, list) or not all(f in PACK_FILES for f in files):
        raise FollowError("invalid", f"{where}: files must name a pack's files only")
    if len(set(files)) != len(files):  # 4,000 times the same file: one check downloaded 4 GiB
        raise FollowError("invalid", f"{where}: files names a file twice")
    return pointer


# --- the seat's side ------------------------------------------------------------------


@dataclass
class FollowState:
    """What the seat knows of its source (``tables-follow.json`` in the data directory)."""

    source: str = ""
    etag: str = ""
    last_modified: str = ""
    last_check: str = ""
    last_success: str = ""
    last_failure: str = ""
    failure: str = ""
    unreachable_since: str = ""
    offered_serial: int = 0  # the serial current.json last named
    staged_pack: int = 0  # a pack written, waiting for the next call
    staged_serial: int = 0
    staged_version: str = ""
    skip_up_to: int = 0  # ``repli tables rollback``: this serial and older are not taken again
    reset_below: int = 0  # ``repli tables reset``: while it is active, a lower serial may come
    history: list[str] = field(default_factory=list)

    @classmethod
    def load(cls, paths: DataPaths) -> FollowState:
        try:
            raw = json.loads((paths.root / STATE_FILE).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return cls()
        known = {k: v for k, v in raw.items() if k in cls.__dataclass_fields__}
        try:
            return cls(**known)
        except TypeError:
            return cls()

    def save(self, paths: DataPaths) -> None:
        self.history = self.history[-20:]
        data = json.dumps(asdict(self), indent=2, ensure_ascii=False).encode()
        write_atomically(paths.root / STATE_FILE, data, mode=0o600)


@dataclass(frozen=True)
class Outcome:
    changed: bool  # a newer pack was staged (or, with ``activate``, is active)
    serial: int = 0
    version: str = ""
    pack_id: int = 0
    note: str = ""


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def check(
    paths: DataPaths,
    settings: Settings,
    engine: Engine,
    activate: bool = False,
    client: Any = None,
    site_engine: Engine | None = None,
) -> Outcome:
    """One check of ``tables_source`` (a URL, a folder, or ``site``: the site database,
    ``site_engine`` when the caller holds it open): a newer, verified pack is staged
    (``activate``: made active at once, ``repli tables pull``). Raises FollowError with the
    reason, which is also kept in the state file."""
    state = FollowState.load(paths)
    source = settings.tables_source.strip()
    if not source:
        raise FollowError("invalid", "no tables_source is configured")
    if state.source != source:  # another source: forget what the old one said
        state = FollowState(source=source, skip_up_to=state.skip_up_to, history=state.history)
    before = asdict(state)
    try:
        if source == SITE_SOURCE:
            outcome = _check_site(paths, settings, engine, state, site_engine)
        else:
            outcome = _check(paths, settings, engine, state, source, client)
        if outcome.changed and activate:
            outcome = activate_staged(paths, engine, state)
    except FollowError as exc:
        now = _now()
        # what current.json said counts only once its pack came: the next check asks again
        state.etag, state.last_modified = before["etag"], before["last_modified"]
        state.last_check, state.last_failure, state.failure = now, now, str(exc)
        if exc.kind == "unreachable" and not state.unreachable_since:
            state.unreachable_since = now
        state.history.append(f"{now} {exc.kind}: {exc}")
        state.save(paths)
        raise
    state.last_check = state.last_success = _now()
    state.unreachable_since = state.failure = ""
    if outcome.changed or _differs(before, asdict(state)):
        state.save(paths)  # a check that found nothing new writes nothing
    return outcome


def _differs(before: dict[str, Any], after: dict[str, Any]) -> bool:
    ignored = ("last_check", "last_success")
    return {k: v for k, v in before.items() if k not in ignored} != {
        k: v for k, v in after.items() if k not in ignored
    }


def _check_site(
    paths: DataPaths,
    settings: Settings,
    engine: Engine,
    state: FollowState,
    site_engine: Engine | None,
) -> Outcome:
    from sqlalchemy.exc import SQLAlchemyError

    from desktop.store.schema import ensure_site_schema
    from desktop.store.site_calls import READ_BOUND_S, bounded, describe
    from desktop.tables import site_packs

    url = settings.site_database_url
    if site_engine is None and not url:
        raise FollowError("invalid", "tables_source is site, but no site database is configured")
    try:
        if site_engine is None:
            from desktop.store.engine import make_site_engine

            site_engine = make_site_engine(url)  # the process's, shared: kept
        with bounded(site_engine):
            ensure_site_schema(site_engine)
            pointer = site_packs.site_pointer(site_engine)
        if pointer is None:
            return Outcome(False, note="the site has no published pack")
        decided = _decide(engine, state, pointer)
        if isinstance(decided, Outcome):
            return decided
        staging = paths.root / STAGING
        with bounded(site_engine, READ_BOUND_S):  # a pack of a few MB
            zipped = site_packs.download(site_engine, int(pointer["serial"]), staging)
    except SQLAlchemyError as exc:
        problem = describe(exc, url)
        raise FollowError("unreachable" if problem.retryable else "invalid", problem.text) from None
    except site_packs.SitePackError as exc:
        raise FollowError("invalid", str(exc)) from None
    try:
        return _stage(paths, settings, engine, state, zipped, decided)
    finally:
        zipped.unlink(missing_ok=True)


def _decide(engine: Engine, state: FollowState, pointer: dict[str, Any]) -> Outcome | int:
    """What the pointer's serial means against the active pack: an Outcome when there is
    nothing to fetch, else the active serial (0 for an unsigned pack)."""
    serial = int(pointer["serial"])
    state.offered_serial = serial
    current = _active_serial(engine, state)
    if state.staged_pack and state.staged_serial >= serial:
        return Outcome(False, state.staged_serial, state.staged_version, state.staged_pack)
    if serial <= state.skip_up_to:
        return Outcome(False, note=f"serial {serial} was rolled back: not taken again")
    if serial < current:
        raise FollowError(
            "refused", f"the source offers serial {serial}, older than the active {current}"
        )
    if serial == current:
        return Outcome(False, serial, note="up to date")
    return current


def _check(
    paths: DataPaths,
    settings: Settings,
    engine: Engine,
    state: FollowState,
    source: str,
    client: Any,
) -> Outcome:
    pointer = _fetch_pointer(source, state, client)
    if pointer is None:
        return Outcome(False, note="not modified")
    decided = _decide(engine, state, pointer)
    if isinstance(decided, Outcome):
        return decided
    current = decided
    folder = _download(paths, source, pointer, client)
    return _stage(paths, settings, engine, state, folder, current)


def _stage(
    paths: DataPaths,
    settings: Settings,
    engine: Engine,
    state: FollowState,
    folder: Path,
    current: int,
) -> Outcome:
    from desktop.store.tables import import_pack
    from desktop.tables.validate import PackError, read_pack

    try:
        reading = read_pack(
            folder, settings.region, public_keys=settings.tables_public_keys, require_signed=True
        )
    except PackError as exc:
        first = exc.problems[0] if exc.problems else "refused"
        more = f" (and {len(exc.problems) - 1} more)" if len(exc.problems) > 1 else ""
        raise FollowError("refused", f"{first}{more}") from None
    info = reading.pack.info
    assert info.serial is not None
    if info.serial <= current:
        raise FollowError("refused", f"serial {info.serial} is not newer than {current}")
    pack_id = import_pack(engine, reading.pack, settings.region, activate=False)
    state.staged_pack, state.staged_serial, state.staged_version = (
        pack_id,
        info.serial,
        info.version,
    )
    state.history.append(f"{_now()} staged serial {info.serial} ({info.version})")
    return Outcome(True, info.serial, info.version, pack_id)


def activate_staged(paths: DataPaths, engine: Engine, state: FollowState | None = None) -> Outcome:
    """The staged pack made active (between two calls); the state forgets it."""
    from desktop.store.tables import activate_pack

    state = state or FollowState.load(paths)
    if not state.staged_pack:
        return Outcome(False, note="nothing staged")
    current = _active_serial(engine, state)
    pack_id, serial, version = state.staged_pack, state.staged_serial, state.staged_version
    state.staged_pack = state.staged_serial = 0
    state.staged_version = ""
    if serial <= current:
        state.save(paths)
        raise FollowError("refused", f"serial {serial} is not newer than the active {current}")
    try:
        activate_pack(engine, pack_id)
    except LookupError as exc:
        state.save(paths)
        raise FollowError("invalid", str(exc)) from None
    state.reset_below = 0
    state.history.append(f"{_now()} activated serial {serial} ({version})")
    state.save(paths)
    return Outcome(True, serial, version, pack_id)


def _active_serial(engine: Engine, state: FollowState) -> int:
    """The active pack's serial, against which a pack offered must be newer; 0 (any serial)
    after ``reset`` while the pack active then stays active."""
    current = _serial_of_active(engine)
    return 0 if state.reset_below and current == state.reset_below else current


def _serial_of_active(engine: Engine) -> int:
    """The active pack's serial; 0 for none, or for an unsigned pack."""
    from desktop.store.tables import active_status

    active = active_status(engine)
    return active.info.serial if active is not None and active.info.serial else 0


def reset(paths: DataPaths, engine: Engine) -> str:
    """The follower starts afresh (``repli tables reset``, the administrator's): the rolled
    back serials are forgotten, nothing stays staged, and the next pack the source offers is
    taken even if its serial is below the active one (a pack signed with an absurd serial
    once froze a seat for good). Returns what was reset, for the audit line."""
    state = FollowState.load(paths)
    current = _serial_of_active(engine)
    said = (
        f"follower reset: active serial {current or 'none'}, "
        f"skip_up_to {state.skip_up_to}, staged {state.staged_serial or 'none'}"
    )
    state.skip_up_to = state.staged_pack = state.staged_serial = state.offered_serial = 0
    state.staged_version = state.etag = state.last_modified = state.failure = ""
    state.reset_below = current
    state.history.append(f"{_now()} {said}")
    state.save(paths)
    return said


def rollback(paths: DataPaths, engine: Engine) -> PackStatus:
    """Back to the pack kept from before; the rolled-back serial is not taken again."""
    from desktop.store.tables import activate_pack, active_status, previous_pack

    active = active_status(engine)
    previous = previous_pack(engine)
    if active is None or previous is None:
        raise FollowError("invalid", "no previous pack is kept on this seat")
    status = activate_pack(engine, previous)
    state = FollowState.load(paths)
    if active.info.serial:
        state.skip_up_to = max(state.skip_up_to, active.info.serial)
    state.staged_pack = state.staged_serial = 0
    state.history.append(
        f"{_now()} rolled back from {active.info.version} to {status.info.version}"
    )
    state.save(paths)
    return status


# --- reading a source -----------------------------------------------------------------


def _is_http(source: str) -> bool:
    return source.startswith(("http://", "https://"))


_ABANDON = threading.Event()  # the window closes: no check waits on a folder any more


def abandon_reads() -> None:
    """Every folder read in flight is given up at once (the window is closing)."""
    _ABANDON.set()


def _read_in_time(path: Path, limit: int, deadline: float) -> bytes:
    """``path`` read as a regular file within ``limit`` bytes and ``deadline`` seconds, or a
    FollowError that says why not (too large: invalid; unreadable or silent: unreachable). The
    read runs on a thread of its own, left behind if it hangs (a hung network share blocks
    in the kernel, where nothing can interrupt it): the check goes on, and so does closing
    the window (a FIFO as current.json, or a hung share, once hung both for good)."""

    found: list[bytes | BaseException] = []
    done = threading.Event()

    def read() -> None:
        try:
            found.append(files.read_regular(path, limit))  # (a hung share, in the tests)
        except BaseException as exc:  # handed to the waiting check
            found.append(exc)
        done.set()

    threading.Thread(target=read, name="repli-tables-read", daemon=True).start()
    end = time.monotonic() + deadline
    while not done.wait(0.1):
        if _ABANDON.is_set() or time.monotonic() > end:
            raise FollowError("unreachable", f"{path}: no answer within {deadline:.0f} s")
    if isinstance(found[0], TooLarge):
        raise FollowError("invalid", f"{path}: over {limit // 1024} KiB") from None
    if isinstance(found[0], OSError):
        reason = f"{path}: {found[0].strerror}" if found[0].strerror else str(found[0])
        raise FollowError("unreachable", reason) from None
    if isinstance(found[0], BaseException):
        raise found[0]
    return found[0]


def _fetch_pointer(source: str, state: FollowState, client: Any) -> dict[str, Any] | None:
    """current.json, or None when it did not change since the last check."""
    if not _is_http(source):
        data = _read_in_time(Path(source) / POINTER, MAX_POINTER_BYTES, POINTER_DEADLINE_S)
        return _pointer(data, f"{source}/{POINTER}")
    import httpx

    headers = {}
    if state.etag:
        headers["If-None-Match"] = state.etag
    if state.last_modified:
        headers["If-Modified-Since"] = state.last_modified
    url = source.rstrip("/") + "/" + POINTER
    try:
        with _client(client) as http:
            status, answered, data = _bounded_get(
                http, url, MAX_POINTER_BYTES, POINTER_DEADLINE_S, headers, "invalid"
            )
    except httpx.HTTPError as exc:
        raise FollowError("unreachable", f"{url}: {exc}") from None
    if status == 304:
        return None
    if status != 200:
        raise FollowError("unreachable", f"{url}: HTTP {status}")
    pointer = _pointer(data, url)
    state.etag = answered.get("ETag", "")
    state.last_modified = answered.get("Last-Modified", "")
    return pointer


class _client:
    """The caller's httpx client (kept open between checks), else a short-lived one."""

    def __init__(self, given: Any) -> None:
        self.given = given
        self.own: Any = None

    def __enter__(self) -> Any:
        if self.given is not None:
            return self.given
        import httpx

        self.own = httpx.Client(timeout=httpx.Timeout(10.0), follow_redirects=False)
        return self.own

    def __exit__(self, *_exc: object) -> None:
        if self.own is not None:
            self.own.close()


def _download(paths: DataPaths, source: str, pointer: dict[str, Any], client: Any) -> Path:
    """The pack the pointer names, copied into the seat's staging folder (from a folder
    source too: each file read within a bound of size and time, so that a hung share holds
    up neither the check nor the window)."""
    staging = paths.root / STAGING / str(pointer["serial"])
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True, mode=0o700)
    if not _is_http(source):
        folder = Path(source) / str(pointer["path"])
        for name in pointer["files"]:
            data = _read_in_time(folder / name, MAX_FILE_BYTES, FILE_DEADLINE_S)
            write_atomically(staging / name, data, mode=0o600)
        _clear_other_staging(paths, staging)
        return staging
    import httpx

    base = source.rstrip("/") + "/" + str(pointer["path"])
    try:
        with _client(client) as http:
            for name in pointer["files"]:
                status, _headers, data = _bounded_get(
                    http, base + name, MAX_FILE_BYTES, FILE_DEADLINE_S
                )
                if status != 200:
                    raise FollowError("unreachable", f"{base + name}: HTTP {status}")
                write_atomically(staging / name, data, mode=0o600)
    except httpx.HTTPError as exc:
        raise FollowError("unreachable", f"{base}: {exc}") from None
    _clear_other_staging(paths, staging)
    return staging


def _clear_other_staging(paths: DataPaths, staging: Path) -> None:
    for old in (paths.root / STAGING).iterdir():
        if old != staging:
            shutil.rmtree(old, ignore_errors=True)


def _bounded_get(
    http: Any,
    url: str,
    limit: int,
    deadline_s: float,
    headers: dict[str, str] | None = None,
    too_big: str = "refused",
) -> tuple[int, Any, bytes]:
    """The status, headers and body (a 200's only) of a GET, read as it comes: refused
    (``too_big``) past ``limit`` bytes, and cut when the whole answer has not come within
    ``deadline_s``: a timer closes the client's connections, which ends any read. (A client
    so closed cannot be used again: desktop.ui.tables_follow makes a new one.)"""
    expired = threading.Event()

    def expire() -> None:
        expired.set()
        http.close()

    timer = threading.Timer(deadline_s, expire)
    timer.daemon = True
    timer.start()
    try:
        with http.stream("GET", url, headers=headers or {}) as answer:
            if answer.status_code != 200:
                return answer.status_code, answer.headers, b""
            chunks, size = [], 0
            for chunk in answer.iter_bytes():
                size += len(chunk)
                if size > limit:
                    raise FollowError(too_big, f"{url}: over {_size(limit)}")
                chunks.append(chunk)
            return 200, answer.headers, b"".join(chunks)
    except FollowError:
        raise
    except Exception:
        if expired.is_set():
            raise FollowError(
                "unreachable", f"{url}: no whole answer within {deadline_s:.0f} s"
            ) from None
        raise
    finally:
        timer.cancel()


def _size(limit: int) -> str:
    return f"{limit // 2**20} MiB" if limit >= 2**20 else f"{limit // 1024} KiB"
