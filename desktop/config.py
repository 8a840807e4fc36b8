"""Every setting of a seat, declared once, typed, with its default.

The file format (TOML, ``config.toml`` in the data directory) stays at the edge: ``load``
reads it, unknown keys are reported, and a wrong type names the key and what it expected.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from enum import StrEnum
from pathlib import Path
from typing import Any

from desktop.store.site_url import problem_of


class Mode(StrEnum):
    """The seat's operating mode, recorded on every contact."""

    DISASTER = "disaster"
    OVERFLOW = "overflow"
    EXERCISE = "exercise"


class ConfigError(ValueError):
    """The config file is unreadable or a value has the wrong type."""


TARGET_KINDS = ("http", "file", "site")


@dataclass(frozen=True)
class TargetConfig:
    """One sync target (``[[sync_targets]]`` in config.toml)."""

    name: str
    kind: str
    url: str = ""
    token: str = ""
    folder: str = ""  # kind "file": the drop folder (often a network share)
    database_url: str = ""  # kind "site": postgresql+psycopg://user:password@host/database
    exercise: bool = False  # True: this target takes exercise-mode contacts, and only them
    batch_size: int = 100
    timeout_s: float = 10.0


def _targets(raw: Any, source: str) -> tuple[TargetConfig, ...]:
    if not isinstance(raw, list):
        raise ConfigError(f"{source}: sync_targets must be a list of tables ([[sync_targets]])")
    targets = []
    for i, entry in enumerate(raw, 1):
        where = f"{source}: sync_targets #{i}"
        if not isinstance(entry, dict):
            raise ConfigError(f"{where} must be a table")
        known = {f.name for f in fields(TargetConfig)}
        unknown = sorted(set(entry) - known)
        if unknown:
            raise ConfigError(f"{where}: unknown key(s) {', '.join(unknown)}")
        if entry.get("kind") not in TARGET_KINDS:
            raise ConfigError(f"{where}: kind must be one of {', '.join(TARGET_KINDS)}")
        if not str(entry.get("name", "")).strip():
            raise ConfigError(f"{where}: a name is required")
        if entry["kind"] == "site" and not str(entry.get("database_url", "")).startswith(
            "postgresql"
        ):
            raise ConfigError(f"{where} ({entry['name']}): database_url must be a postgresql URL")
        if entry["kind"] == "site" and (problem := problem_of(str(entry["database_url"]))):
            raise ConfigError(f"{where} ({entry['name']}): database_url: {problem}")
        if entry["kind"] == "file" and not str(entry.get("folder", "")).strip():
            raise ConfigError(f"{where} ({entry['name']}): a folder is required")
        if entry["kind"] == "http" and not str(entry.get("url", "")).startswith(
            ("http://", "https://")
        ):
            raise ConfigError(f"{where} ({entry['name']}): url must start with http:// or https://")
        try:
            targets.append(TargetConfig(**entry))
        except TypeError as exc:
            raise ConfigError(f"{where}: {exc}") from None
    names = [t.name for t in targets]
    if len(set(names)) != len(names):
        raise ConfigError(f"{source}: two sync targets have the same name")
    return tuple(targets)


def _setting(default: Any, title: str) -> Any:
    return field(default=default, metadata={"title": title})


@dataclass(frozen=True)
class Settings:
    """The seat configuration. Titles are shown by ``repli doctor`` and the docs."""

    site: str = _setting("Site de secours", "Site name")
    client_id: str = _setting("", "The client company this data is for (its folder's name)")
    client_name: str = _setting("", "The client company's name, in the window's top band")
    client_colour: str = _setting("", "The client's colour in the top band (#rrggbb)")
    seat_id: str = _setting("seat-1", "Seat identifier")
    mode: Mode = _setting(Mode.DISASTER, "Operating mode: disaster, overflow or exercise")
    region: str = _setting("FR", "Default phone region (ISO 3166 code)")
    language: str = _setting("fr", "Interface language: fr or en")
    tables_max_age_days: int = _setting(30, "Warn when the active tables are older (days)")
    draft_delay_ms: int = _setting(400, "Delay before a change is written to the draft (ms)")
    database_url: str = _setting("", "SQLAlchemy URL; empty means SQLite in the data dir")
    store_encryption: bool = _setting(
        True, "Encrypt the seat's SQLite store (SQLCipher) with a key the OS keeps; PC-wide only"
    )
    store_key_storage: str = _setting(
        "auto", "Where the store's key is kept: auto (the OS keyring, else a file), keyring, file"
    )
    store_key_dir: str = _setting(
        "", "Folder of the key files, outside the data dir (empty: ~/.config/repli/store-keys)"
    )
    pop_enabled: bool = _setting(True, "Listen for screen pops from the telephony")
    pop_port: int = _setting(47811, "Port of the screen-pop endpoint on 127.0.0.1 (0: any)")
    pop_token: str = _setting("", "Screen-pop token; empty: one is made for the seat")
    pop_lan_address: str = _setting(
        "", "Also listen on this LAN address, for the site proxy only (empty: loopback only)"
    )
    pop_lan_allow: tuple[str, ...] = _setting(
        (), "The site proxy's addresses, the only ones pop_lan_address accepts"
    )
    pop_lan_secret: str = _setting(
        "", "The site's secret that signs the proxy's notifications (the PC-wide file only)"
    )
    softphone_kind: str = _setting("", "Softphone control port to listen to: '' (none) or baresip")
    softphone_host: str = _setting("127.0.0.1", "Host of the softphone's control port")
    softphone_port: int = _setting(4444, "Port of the softphone's control port")
    softphone_accounts: str = _setting(
        "", "The softphone's accounts file, for repli doctor (baresip: ~/.baresip/accounts)"
    )
    site_proxy_numbers: str = _setting(
        "", "The site proxy's --numbers file (request-uri mode), for repli doctor"
    )
    sync_targets: tuple[TargetConfig, ...] = _setting((), "Where contacts are delivered")
    tables_pack: str = _setting("", "The PC's table pack, imported at start when it changes")
    report_signing_key: str = _setting(
        "", "The site's minisign secret key that signs failback reports (repli report keygen)"
    )
    supervisor_pin_hash: str = _setting(
        "", "Salted hash of the supervisor PIN (repli supervisor set-pin)"
    )
    retention_days: int = _setting(
        1095,
        "Purge delivered contacts this many days after the contact (the CNIL's reference for"
        " customer records: 3 years; 0: keep); the PC-wide file (or the client's) only",
    )
    exercise_retention_days: int = _setting(
        30, "Purge exercise contacts this many days after the contact (0: keep); PC-wide only"
    )
    tables_source: str = _setting(
        "", "Where the primary publishes its signed packs: an http(s):// URL or a folder"
    )
    tables_public_keys: tuple[str, ...] = _setting(
        (), "Public keys (minisign) whose signed packs the seat accepts; the PC-wide file only"
    )
    tables_check_every: int = _setting(300, "Seconds between two checks of tables_source")
    tables_accept_unsigned: bool = _setting(
        False, "Accept unsigned packs by hand (repli tables import) although keys are set"
    )

    @property
    def site_database_url(self) -> str:
        """The site database this seat delivers to (its first target of kind site), or ""."""
        return next((t.database_url for t in self.sync_targets if t.kind == "site"), "")


# Settings that only the administrator's place may give: an agent who could write them
# could replace the supervisor's PIN with one of their own.
# The same for the keys that vouch for the table packs: an agent's own key would let any
# pack through.
# Encryption at rest is the administrator's decision, not the agent's.
# How long personal data is kept is the data controller's decision, carried out by the
# administrator: an agent could otherwise keep every contact for ever (0), or purge early.
ADMIN_ONLY = (
    "supervisor_pin_hash",
    "tables_public_keys",
    "pop_lan_secret",
    "store_encryption",
    "retention_days",
    "exercise_retention_days",
)


def load(path: Path, system: Path | None = None) -> tuple[Settings, list[str]]:
    """Read ``system`` (the PC-wide file, if any) then ``path`` (the seat's), the seat's keys
    winning; absent files give the defaults. ``ADMIN_ONLY`` keys come from the PC-wide file
    alone, and only when no account but the administrator can write it. Returns the settings
    and warnings (unknown keys, admin-only keys ignored)."""
    return load_layers([system] if system else [], [path])


def load_layers(systems: list[Path], seats: list[Path]) -> tuple[Settings, list[str]]:
    """``load`` over several files: the PC-wide ones (``systems``, where admin-only keys
    may be), then the seat's own, each later file's keys winning."""
    from desktop.files import not_admin_only

    raw: dict[str, Any] = {}
    sources = []
    notes: list[str] = []
    for layer in [*systems, *seats]:
        if not _present(layer):
            continue
        values = read_toml(layer)
        untrusted = not_admin_only(layer) if layer in systems else "the seat's own file"
        for key in ADMIN_ONLY:
            if key in values and untrusted:
                del values[key]
                notes.append(
                    f"{layer}: {key} ignored ({untrusted}): only the PC-wide config, "
                    "writable by the administrator alone, may hold it"
                )
        raw.update(values)
        sources.append(str(layer))
    settings, warnings = from_mapping(raw, source=" + ".join(sources) or "defaults")
    return settings, notes + warnings


def load_seat(paths: Any) -> tuple[Settings, list[str]]:
    """The settings of the seat whose data directory is ``paths`` (a DataPaths): the
    PC-wide file first, then the seat's own. For a client's directory: the PC-wide file, the
    client's PC-wide file, the seat's own file, then the client's on the seat; its
    ``client_id`` is the directory's."""
    from desktop.paths import system_client_file, system_config_file

    client = paths.client
    if not client:
        return load(paths.config_file, system_config_file())
    settings, warnings = load_layers(
        [system_config_file(), system_client_file(client)],
        [paths.seat_root / "config.toml", paths.config_file],
    )
    return replace(settings, client_id=client), warnings


def _present(path: Path) -> bool:
    """Whether a configuration file is there; one this account may not even look for (a
    PC-wide folder made 0700) is a ConfigError that says what to do, not a traceback."""
    try:
        return path.exists()
    except PermissionError:
        raise ConfigError(
            f"{path}: this account may not read its folder (mode 0700?): the administrator "
            f"makes {path.parent} readable by the agents (chmod 755 {path.parent})"
        ) from None


def read_toml(path: Path) -> dict[str, Any]:
    import tomllib

    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:  # TOMLDecodeError is a ValueError
        raise ConfigError(f"{path}: {exc}") from exc


def from_mapping(raw: dict[str, Any], source: str = "config") -> tuple[Settings, list[str]]:
    known = {f.name: f for f in fields(Settings)}
    values: dict[str, Any] = {}
    warnings = []
    for key, value in raw.items():
        if key not in known:
            warnings.append(f"{source}: unknown setting {key!r} ignored")
            continue
        if key == "sync_targets":
            values[key] = _targets(value, source)
            continue
        if key == "tables_public_keys":
            values[key] = _public_keys(value, source)
            continue
        if key == "client_colour" and not _colour(value):
            raise ConfigError(f"{source}: client_colour must be #rrggbb, not {value!r}")
        if key == "store_key_storage":
            from desktop.seat.store_key import STORAGES

            if value not in STORAGES:
                raise ConfigError(f"{source}: store_key_storage must be {', '.join(STORAGES)}")
        if key in ("pop_lan_address", "pop_lan_allow"):
            values[key] = _addresses(key, value, source)
            continue
        values[key] = _coerce(key, value, type(getattr(Settings(), key)), source)
    settings = replace(Settings(), **values)
    if settings.pop_lan_address and not settings.pop_lan_allow:
        raise ConfigError(
            f"{source}: pop_lan_address needs pop_lan_allow (the site proxy's addresses):"
            " the seat never listens on the LAN for anyone"
        )
    return settings, warnings


def _colour(value: Any) -> bool:
    import re

    return isinstance(value, str) and (value == "" or bool(re.fullmatch(r"#[0-9a-fA-F]{6}", value)))


def _addresses(key: str, value: Any, source: str) -> Any:
    """IP addresses (IPv4 or IPv6), one for pop_lan_address, a list for pop_lan_allow."""
    import ipaddress

    many = key == "pop_lan_allow"
    items = value if many else [value]
    if (many and not isinstance(value, list)) or not all(isinstance(v, str) for v in items):
        raise ConfigError(f"{source}: {key} must be {'a list of ' if many else ''}IP address text")
    checked = []
    for item in items:
        if not item.strip() and not many:
            return ""
        try:
            checked.append(str(ipaddress.ip_address(item.strip())))
        except ValueError:
            raise ConfigError(f"{source}: {key}: {item!r} is not an IP address") from None
    return tuple(checked) if many else checked[0]


def _public_keys(value: Any, source: str) -> tuple[str, ...]:
    from desktop.tables.signing import SignatureError, public_key

    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{source}: tables_public_keys must be a list of texts")
    if len(value) > 16:
        raise ConfigError(f"{source}: tables_public_keys holds at most 16 keys")
    for number, key in enumerate(value, 1):
        try:
            public_key(key)
        except SignatureError as exc:
            raise ConfigError(f"{source}: tables_public_keys, key {number}: {exc}") from None
    return tuple(v.strip() for v in value)


def _coerce(key: str, value: Any, expected: type, source: str) -> Any:
    if expected is Mode:
        try:
            return Mode(str(value).lower())
        except ValueError:
            choices = ", ".join(m.value for m in Mode)
            raise ConfigError(f"{source}: {key} must be one of {choices}, not {value!r}") from None
    if (expected is int and isinstance(value, bool)) or not isinstance(value, expected):
        raise ConfigError(f"{source}: {key} must be {expected.__name__}, not {value!r}")
    return value


def to_toml(settings: Settings, only: set[str] | None = None) -> str:
    """The settings as TOML, each with its title; ``only`` writes just those keys (a seat
    file must not repeat the defaults over a PC-wide file)."""
    lines = []
    for f in fields(Settings):
        value = getattr(settings, f.name)
        if f.name == "sync_targets" or (only is not None and f.name not in only):
            continue  # targets are written as [[sync_targets]] tables below
        rendered = _toml_value(value)
        lines.append(f"# {f.metadata['title']}\n{f.name} = {rendered}")
    for target in settings.sync_targets:
        lines.append("[[sync_targets]]")
        for f in fields(TargetConfig):
            value = getattr(target, f.name)
            lines.append(f"{f.name} = {_toml_value(value)}")
    return "\n".join(lines) + "\n"


def _toml_value(value: object) -> str:
    if isinstance(value, tuple):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    return _toml_string(str(value))


def _toml_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
