"""``repli doctor``: is this seat ready to take calls? Each check says, in plain words, what
to do about a failure. Qt-free: it reads files, opens the database, binds and connects.
"""

from __future__ import annotations

import shutil
import socket
import sqlite3
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from desktop import config
from desktop.paths import DataPaths, system_config_file, translations_dir

if TYPE_CHECKING:
    from desktop.seat.clients import ClientEntry

MIN_FREE_BYTES = 500 * 1024 * 1024


@dataclass(frozen=True)
class Check:
    name: str
    status: str  # ok | warn | fail
    detail: str
    fix: str = ""


@dataclass
class Report:
    checks: list[Check]

    @property
    def ready(self) -> bool:
        return all(c.status != "fail" for c in self.checks)

    def as_dict(self) -> dict[str, Any]:
        return {"ready": self.ready, "checks": [asdict(c) for c in self.checks]}


def run(paths: DataPaths, from_app: bool = False) -> Report:
    """``from_app``: the window's own check at start. It does not probe the screen-pop port
    or the softphone's control port: the app holds them, and its status bar shows them."""
    checks: list[Check] = []
    try:
        settings, warnings = config.load_seat(paths)
    except config.ConfigError as exc:
        return Report([Check("config", "fail", str(exc), f"correct {paths.config_file}")])
    checks.append(
        Check(
            "config",
            "warn",
            "; ".join(warnings),
            f"remove the unknown keys from {paths.config_file}",
        )
        if warnings
        else Check("config", "ok", _config_summary(paths, settings))
    )
    seat = _open_store(paths, settings, checks)
    if seat is not None:
        for name, check in (("tables", _tables), ("database", _database), ("clock", _clock)):
            checks.append(_safely(name, partial(check, seat)))
        if settings.tables_source:
            checks.append(_safely("tables source", partial(_tables_source, seat)))
        checks += [
            _safely(f"sync {t.name}", partial(_target, t, settings)) for t in settings.sync_targets
        ]
        seat.close()
    checks.append(_disk(paths.root))
    if not from_app:
        checks.append(_pop_port(paths, settings))
        if settings.pop_lan_address:
            checks.append(_site_proxy_intake(paths, settings))
        if settings.softphone_kind:
            checks.append(_softphone(paths, settings))
        if settings.site_proxy_numbers:
            checks.append(_safely("softphone accounts", partial(_softphone_accounts, settings)))
    checks.append(_translations())
    return Report(checks)


def run_clients(seat: DataPaths) -> list[tuple[ClientEntry, Report]]:
    """A seat with clients: every client's report (its tables, key, store, targets), and
    the seat's own data directory's when it still holds a store (id "")."""
    from desktop.seat import clients

    return [(entry, run(DataPaths(entry.root))) for entry in clients.entries(seat)]


def _config_summary(paths: DataPaths, settings: config.Settings) -> str:
    read = [str(f) for f in (system_config_file(), paths.config_file) if f.exists()]
    return (
        f"site {settings.site!r}, seat {settings.seat_id!r}, mode {settings.mode.value}"
        f" ({' + '.join(read) or 'defaults'})"
    )


def _safely(name: str, check: Callable[[], Check]) -> Check:
    try:
        return check()
    except Exception as exc:  # a check that breaks is a failed check, said plainly
        return Check(name, "fail", f"{type(exc).__name__}: {exc}", "see logs/repli.log")


def _open_store(paths: DataPaths, settings: config.Settings, checks: list[Check]) -> Any:
    from desktop.context import SeatContext
    from desktop.store.cipher import StoreLocked
    from desktop.store.schema import SchemaTooNew

    try:
        return SeatContext.open(str(paths.root), settings)
    except SchemaTooNew as exc:
        checks.append(
            Check("database", "fail", str(exc), "install the newer Repli that wrote this database")
        )
    except StoreLocked as exc:
        checks.append(
            Check(
                "database",
                "fail",
                str(exc),
                "restore the key, or run this on the PC and account that made the store",
            )
        )
    except Exception as exc:
        checks.append(
            Check("database", "fail", f"cannot open: {exc}", f"check that {paths.root} is writable")
        )
    return None


def _tables(seat: Any) -> Check:
    from desktop.tables import shared

    pc_pack = seat.settings.tables_pack
    if pc_pack and not Path(pc_pack).exists():
        return Check(
            "tables",
            "fail",
            f"the PC's table pack {pc_pack} is missing",
            "provision the PC again: repli provision --system --tables PACK",
        )
    if shared.needs_import(seat.paths, pc_pack):
        return Check(
            "tables", "warn", f"the PC's pack {pc_pack} changed", "start Repli: it imports it"
        )
    status = seat.tables_status()
    if status is None:
        return Check("tables", "fail", "no active table pack", "repli tables import PACK")
    if seat.load_index() is None:
        return Check("tables", "fail", "the active pack cannot be loaded", "import the pack again")
    age = status.age_days()
    text = f"{status.info.name} {status.info.version}: {status.counts['numbers']} numbers, {age:.0f} day(s) old"
    if status.is_stale(seat.settings.tables_max_age_days):
        return Check(
            "tables",
            "warn",
            text,
            "ask the primary site for a fresh pack, then repli tables import PACK",
        )
    return Check("tables", "ok", text)


def _tables_source(seat: Any) -> Check:
    """What the seat's last check of tables_source found (desktop.tables.follow)."""
    from desktop.tables.follow import FollowState

    settings = seat.settings
    if not settings.tables_public_keys:
        return Check(
            "tables source",
            "fail",
            f"{settings.tables_source}: no key to verify its packs",
            "give the primary's public key in the PC-wide config: tables_public_keys",
        )
    state = FollowState.load(seat.paths)
    status = seat.tables_status()
    serial = status.info.serial if status is not None else None
    running = f"serial {serial}" if serial else "an unsigned pack"
    if state.unreachable_since:
        return Check(
            "tables source",
            "warn",
            f"{settings.tables_source} unreachable since {state.unreachable_since}: {state.failure}"
            f" (running {running})",
            "check the network path to the primary's publication",
        )
    if state.failure:
        return Check(
            "tables source",
            "fail",
            f"the last pack offered was refused: {state.failure} (running {running})",
            "ask the primary to publish a correctly signed pack",
        )
    if not state.last_success:  # a seat just started checks it within seconds
        return Check("tables source", "ok", f"{settings.tables_source}: not checked yet")
    offered = f", the source offers {state.offered_serial}" if state.offered_serial else ""
    return Check(
        "tables source",
        "ok",
        f"running {running}{offered}; last checked {state.last_check or state.last_success}",
    )


def _database(seat: Any) -> Check:
    from desktop.store.quickstart import HEAD_REVISION
    from desktop.store.schema import current_revision

    engine = seat.engine
    if current_revision(engine) != HEAD_REVISION:
        return Check(
            "database", "fail", "schema not migrated", "start Repli once: it migrates the database"
        )
    if engine.dialect.name != "sqlite":
        with engine.connect() as conn:
            conn.exec_driver_sql("SELECT 1")
        return Check("database", "ok", f"{engine.dialect.name}, schema {HEAD_REVISION}")
    with engine.connect() as conn:  # the pragmas as every connection of Repli gets them
        integrity = conn.exec_driver_sql("PRAGMA integrity_check").scalar()
        journal = conn.exec_driver_sql("PRAGMA journal_mode").scalar()
        synchronous = conn.exec_driver_sql("PRAGMA synchronous").scalar()
    problems = []
    from desktop.store.cipher import connect_store, dbapi

    try:
        probe = connect_store(seat.paths.database, seat.key, timeout=5, isolation_level=None)
        try:
            probe.execute("BEGIN IMMEDIATE")  # takes the write lock: the file is writable
            probe.execute("ROLLBACK")
        finally:
            probe.close()
    except (sqlite3.Error, dbapi().Error) as exc:
        problems.append(f"not writable: {exc}")
    if integrity != "ok":
        problems.append(f"integrity check: {integrity}")
    if journal != "wal" or synchronous != 2:
        problems.append(f"journal_mode={journal}, synchronous={synchronous} (want wal, 2=FULL)")
    if problems:
        return Check(
            "database",
            "fail",
            "; ".join(problems),
            f"check {seat.paths.root}; keep a copy and call support",
        )
    state = f"writable, schema {HEAD_REVISION}, integrity ok, WAL, synchronous=FULL"
    if seat.key is None:
        return Check(
            "database",
            "warn",
            f"{state}; NOT encrypted (store_encryption = false)",
            "callers' data is readable by whoever copies the file: set store_encryption = true",
        )
    place = "the account's keyring" if seat.key_storage == "keyring" else "a key file"
    return Check("database", "ok", f"{state}; encrypted (SQLCipher, key in {place})")


def _clock(seat: Any) -> Check:
    now = datetime.now(UTC)
    with seat.engine.connect() as conn:
        latest = conn.exec_driver_sql("SELECT max(updated_at) FROM contacts").scalar()
    if now.year < 2025:
        return Check(
            "clock", "fail", f"the clock says {now:%Y-%m-%d}", "set the date and time of this PC"
        )
    if latest:
        last = datetime.fromisoformat(str(latest))
        last = last if last.tzinfo else last.replace(tzinfo=UTC)
        if last - now > timedelta(minutes=5):
            return Check(
                "clock",
                "fail",
                f"a contact was saved at {last:%Y-%m-%d %H:%M} UTC, after now",
                "the clock went backwards: set the date and time of this PC",
            )
    return Check("clock", "ok", f"{now:%Y-%m-%d %H:%M} UTC")


def _target(target: config.TargetConfig, settings: config.Settings) -> Check:
    name = f"sync {target.name}"
    if target.kind == "file":
        probe = Path(target.folder) / ".repli-doctor-probe"
        try:
            probe.write_bytes(b"probe")
            probe.unlink()
        except OSError as exc:
            return Check(
                name,
                "fail",
                f"{target.folder}: {exc.strerror or exc}",
                "check the share is mounted and writable",
            )
        return Check(name, "ok", f"{target.folder} writable")
    if target.kind == "site":
        return _site(name, target.database_url)
    import httpx

    try:
        answer = httpx.post(
            target.url,
            json={"schema": "repli.contacts/1", "batch_id": "doctor", "contacts": []},
            headers={"Authorization": f"Bearer {target.token}"},
            timeout=target.timeout_s,
        )
    except httpx.HTTPError as exc:
        return Check(name, "fail", f"{target.url}: {exc}", "check the network link and the URL")
    if answer.status_code in (401, 403):
        return Check(
            name,
            "fail",
            f"{target.url}: HTTP {answer.status_code}",
            "the token is wrong: fix sync_targets.token",
        )
    if answer.status_code >= 400:
        return Check(
            name,
            "fail",
            f"{target.url}: HTTP {answer.status_code}",
            "check the URL with the CRM team",
        )
    return Check(name, "ok", f"{target.url} answers and accepts the token")


def _disk(root: Path) -> Check:
    free = shutil.disk_usage(root).free
    text = f"{free / 1024**3:.1f} GB free in {root}"
    if free < MIN_FREE_BYTES:
        return Check("disk", "warn", text, "free some disk space: a full disk stops saves")
    return Check("disk", "ok", text)


def _pop_port(paths: DataPaths, settings: config.Settings) -> Check:
    if not settings.pop_enabled:
        return Check("screen pop", "ok", "disabled in the config")
    from desktop.telephony import instance

    if instance.send(paths.root, {"kind": "ping"}, timeout=1.0) is not None:
        return Check(
            "screen pop", "ok", f"port {settings.pop_port}: Repli is running and listening"
        )
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", settings.pop_port))
        except OSError:
            return Check(
                "screen pop",
                "fail",
                f"port {settings.pop_port} is taken by another program",
                "free the port, or set another pop_port and give the telephony the new URL",
            )
    return Check("screen pop", "ok", f"port {settings.pop_port} free")


def _site(name: str, url: str) -> Check:
    """Every host of the site store asked: a writable leader answers (a standby answering
    alone is not "ok"), the URL lists every host and asks for the writable one, the
    replication is synchronous."""
    from desktop.store.site_probe import probe
    from desktop.store.site_url import problem_of

    found = probe(url)
    if found.problems:
        down = "; ".join(f"{h.address}: {h.detail}" for h in found.hosts if h.role == "down")
        return Check(
            name,
            "fail",
            "; ".join([*found.problems, *([down] if down else [])]),
            "give every host of the site in database_url, with target_session_attrs=read-write"
            if problem_of(url)
            else "check the site store's servers (patronictl list on one of them)",
        )
    if found.warnings:
        return Check(name, "warn", "; ".join([*found.warnings, found.summary()]))
    return Check(name, "ok", f"site store: {found.summary()}")


def _site_proxy_intake(paths: DataPaths, settings: config.Settings) -> Check:
    """The site proxy's way to this seat: its LAN address is this PC's, and the listener
    there answers (the running Repli), or could (the port is free)."""
    from desktop.telephony import instance

    name, where = "site proxy intake", f"{settings.pop_lan_address}:{settings.pop_port}"
    allowed = ", ".join(settings.pop_lan_allow)
    if instance.send(paths.root, {"kind": "ping"}, timeout=1.0) is not None:
        try:
            with socket.create_connection((settings.pop_lan_address, settings.pop_port), 2):
                return Check(name, "ok", f"{where} answers, for {allowed} only")
        except OSError as exc:
            return Check(
                name,
                "fail",
                f"{where}: {exc.strerror or exc}",
                "see logs/repli.log: the LAN listener did not start",
            )
    with socket.socket() as probe:
        try:
            probe.bind((settings.pop_lan_address, settings.pop_port))
        except OSError as exc:
            return Check(
                name,
                "fail",
                f"{where}: {exc.strerror or exc}",
                "pop_lan_address must be this PC's own LAN address, and the port free",
            )
    return Check(name, "ok", f"{where} free, for {allowed} only (Repli is not running)")


def _softphone_accounts(settings: config.Settings) -> Check:
    """Request-uri mode: the site proxy puts a number of its --numbers file in the request URI;
    a softphone with no account for it answers 404 (the proxy then leaves the call on the
    seat's line, with no branch). Every number needs an account, spelled the same."""
    from desktop.telephony.baresip import user_part
    from desktop.telephony.site_proxy import ProxyConfigError, read_numbers

    name = "softphone accounts"
    where = Path(settings.softphone_accounts or "~/.baresip/accounts").expanduser()
    try:
        numbers = read_numbers(Path(settings.site_proxy_numbers).expanduser())
    except ProxyConfigError as exc:
        return Check(name, "fail", f"site_proxy_numbers: {exc}", "give the proxy's --numbers file")
    try:
        with where.open(encoding="utf-8", errors="replace") as handle:
            lines = handle.readlines(1_000_000)
    except OSError as exc:
        return Check(name, "fail", f"{where}: {exc.strerror or exc}", "set softphone_accounts")
    users = {user_part(line.split(">", 1)[0]) for line in lines if line.strip().startswith("<")}
    missing = [number for number in numbers if number not in users]
    if missing:
        shown = ", ".join(missing[:5]) + (" …" if len(missing) > 5 else "")
        return Check(
            name,
            "fail",
            f"{len(missing)} of the proxy's {len(numbers)} numbers have no account in {where}: "
            f"{shown}",
            "add an account per number, spelled as in the proxy's --numbers file",
        )
    return Check(name, "ok", f"an account for each of the proxy's {len(numbers)} numbers")


def _softphone(paths: DataPaths, settings: config.Settings) -> Check:
    name = f"softphone {settings.softphone_kind}"
    from desktop.telephony import instance

    if instance.send(paths.root, {"kind": "ping"}, timeout=1.0) is not None:
        # Only one client may hold a softphone's control port: the running app is that
        # client, and its status bar shows the connection.
        return Check(name, "ok", "held by the running Repli (see its status bar)")
    try:
        socket.create_connection(
            (settings.softphone_host, settings.softphone_port), timeout=2
        ).close()
    except OSError as exc:
        return Check(
            name,
            "fail",
            f"{settings.softphone_host}:{settings.softphone_port}: {exc.strerror or exc}",
            "start the softphone, with its control port enabled (docs/telephony.md)",
        )
    return Check(
        name, "ok", f"control port {settings.softphone_host}:{settings.softphone_port} answers"
    )


def _translations() -> Check:
    qm = translations_dir() / "repli_fr.qm"
    if not qm.exists() or qm.stat().st_size < 100:
        return Check(
            "translations", "fail", f"{qm} missing", "reinstall Repli (the French UI needs it)"
        )
    return Check("translations", "ok", str(qm))
