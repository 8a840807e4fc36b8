"""``repli clients``: the client companies of a seat, each with its own data directory
(``SEAT/clients/ID``: its store and key, its tables, targets, mode, PIN and retention), and
their removal once everything was delivered.

A seat's own data directory, without ``--client``, is the seat's one client as before.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import shutil
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from desktop import config, shift
from desktop.files import write_atomically
from desktop.paths import DataPaths

log = logging.getLogger("repli.clients")


@dataclass
class ClientState:
    id: str
    name: str
    colour: str
    contacts: int = 0
    undelivered: int = 0  # revisions not yet delivered to every target (or no target at all)
    targets: list[str] = field(default_factory=list)
    tables: str = ""
    encrypted: bool = False
    problem: str = ""  # why the store could not be read

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def states(seat: DataPaths) -> list[ClientState]:
    return [state(DataPaths.resolve(seat.seat_root, client)) for client in seat.clients()]


def state(paths: DataPaths) -> ClientState:
    from desktop.context import SeatContext
    from desktop.store.cipher import StoreLocked
    from desktop.store.schema import SchemaTooNew

    settings, _ = config.load_seat(paths)
    found = ClientState(paths.client, settings.client_name or paths.client, settings.client_colour)
    found.targets = [t.name for t in settings.sync_targets]
    try:
        seat = SeatContext.open(str(paths.root), settings)
    except (StoreLocked, SchemaTooNew, config.ConfigError) as exc:
        found.problem = str(exc)
        return found
    try:
        found.encrypted = seat.key is not None
        status = seat.tables_status()
        found.tables = f"{status.info.name} {status.info.version}" if status else ""
        found.contacts, found.undelivered = _counts(seat.engine, settings)
    finally:
        seat.close()
    return found


def _counts(engine: Any, settings: config.Settings) -> tuple[int, int]:
    from sqlalchemy import func, select

    from desktop.store.models import ContactRevisionRow, ContactRow
    from desktop.sync.status import sync_status

    with engine.connect() as conn:
        contacts = int(conn.execute(select(func.count()).select_from(ContactRow)).scalar() or 0)
        revisions = int(
            conn.execute(select(func.count()).select_from(ContactRevisionRow)).scalar() or 0
        )
    if not settings.sync_targets:
        return contacts, revisions  # delivered nowhere: all of it would be lost
    targets = sync_status(engine, settings)["targets"]  # what was saved since, queued first
    undelivered = sum(
        int(t["counts"].get("pending", 0)) + int(t["counts"].get("rejected", 0))
        for t in targets.values()
    )
    return contacts, undelivered


class RemoveRefused(RuntimeError):
    """A client whose contacts are not all delivered (without --force)."""


def removable(seat: DataPaths, client: str, force: bool = False) -> ClientState:
    """The state of a client about to be removed; RemoveRefused while a revision is not
    delivered to every target, or its store cannot be read, unless ``force`` (then the
    caller says what is lost)."""
    if client not in seat.clients():
        raise RemoveRefused(f"this seat has no client {client!r}")
    found = state(DataPaths.resolve(seat.seat_root, client))
    if found.problem and not force:
        raise RemoveRefused(f"{client}: its store cannot be read ({found.problem}): --force")
    if found.undelivered and not force:
        raise RemoveRefused(
            f"{client}: {found.undelivered} revision(s) of {found.contacts} contact(s) are not "
            f"delivered to every target ({', '.join(found.targets) or 'none configured'}): "
            "run repli sync first, or --force to lose them"
        )
    return found


def erase(seat: DataPaths, client: str) -> None:
    """Erase a client's data from this seat (``removable`` said yes): every file of its
    folder overwritten then removed, its key forgotten, its folder gone."""
    from desktop.seat import store_key
    from desktop.store.cipher import StoreLocked, release, wipe

    paths = DataPaths.resolve(seat.seat_root, client)
    settings, _ = config.load_seat(paths)
    try:
        key = store_key.find(paths.database, settings.store_key_dir)
    except StoreLocked:  # a damaged store.json: the files go all the same
        key = None
    if paths.database.exists():  # a window or command of the client has it open: refused
        try:
            release(paths.database, key.key if key else None, "erased")
        except StoreLocked as exc:
            raise RemoveRefused(str(exc)) from None
        except Exception as exc:
            log.warning(
                "%s: not released before erasure (%s): erased all the same", paths.database, exc
            )
    for path in sorted(paths.root.rglob("*")):
        if path.is_file() and not path.is_symlink():
            wipe(path)
    if key is not None:
        store_key.forget(key, settings.store_key_dir)
    shutil.rmtree(paths.root, ignore_errors=True)


# --- which client's window a shift opens ------------------------------------------------

LAST_CLIENT_FILE = "last-client"


@dataclass(frozen=True)
class ClientEntry:
    """A client the agent may choose at sign-in (``id`` "": the seat's own data directory)."""

    id: str
    name: str
    colour: str
    root: Path
    problem: str = ""  # its config cannot be read: chosen, the window says why
    site_url: str = ""  # its site store (the hall's wall screen reads each client's)


def entries(seat: DataPaths) -> list[ClientEntry]:
    """The seat's clients, from their config files alone (no store opened: the sign-in is
    on screen at once), and the seat's own data directory when it holds a store: a seat
    that served one client before its clients were provisioned keeps that data reachable."""
    found = []
    own = DataPaths.resolve(seat.seat_root)
    if own.database.exists():
        found.append(_entry(own))
    found += [_entry(DataPaths.resolve(seat.seat_root, client)) for client in seat.clients()]
    return found


def _entry(paths: DataPaths) -> ClientEntry:
    try:
        settings, _ = config.load_seat(paths)
    except config.ConfigError as exc:
        return ClientEntry(paths.client, paths.client, "", paths.root, str(exc))
    return ClientEntry(
        paths.client,
        display_name(settings),
        settings.client_colour,
        paths.root,
        site_url=settings.site_database_url,
    )


def display_name(settings: config.Settings) -> str:
    """What the agent reads for a client: its name, else its id, else (the seat's own
    data) the site's."""
    return settings.client_name or settings.client_id or settings.site


def opened_at_start(seat: DataPaths, found: list[ClientEntry]) -> ClientEntry | None:
    """The client whose window opens without a choice: the only one, or the one whose shift
    a crash interrupted (it resumes under the same agent, with its draft). None: the agent
    chooses."""

    if len(found) == 1:
        return found[0]
    return next((e for e in found if shift.interrupted(e.root) is not None), None)


def last_chosen(seat: DataPaths) -> str:
    try:
        return (seat.seat_root / LAST_CLIENT_FILE).read_text(encoding="utf-8").strip()[:64]
    except (OSError, UnicodeDecodeError):
        return ""


def remember_chosen(seat: DataPaths, client: str) -> None:
    """The next sign-in offers the client chosen last (a shift is usually the same client)."""

    with contextlib.suppress(OSError):  # a convenience only: the agent chooses again
        write_atomically(seat.seat_root / LAST_CLIENT_FILE, client.encode())


# --- a one-client seat's data becomes a named client's ---------------------------------


class AdoptRefused(RuntimeError):
    """The seat's own data cannot become this client's (said why, nothing changed)."""


def adopt(seat: DataPaths, client: str) -> ClientState:
    """The seat's own data (a seat that served one client before its clients were named)
    becomes ``client``'s, in place: its store is moved into the client's directory, on the
    same disk, with what names its key, nothing copied, nothing lost; the client's store is
    then opened as every start opens it (migrated, encrypted in place when it was plain).

    Refused while another Repli has the store open, when the client already has a store of
    its own (merge the seat's JSON Lines export into it instead), or when there is nothing
    to adopt. A power cut between the steps is finished by running it again."""
    from desktop.seat import store_key
    from desktop.store.cipher import CIPHER, fsync_dir, release

    own = DataPaths.resolve(seat.seat_root)
    target = DataPaths.resolve(seat.seat_root, client)
    if client not in seat.clients():
        raise AdoptRefused(
            f"this seat has no client {client!r}: provision it first "
            f"(repli provision --client {client} --client-name NAME …)"
        )
    own_file, target_file = (
        store_key.store_file(own.database),
        store_key.store_file(target.database),
    )
    if not own.database.exists() and not own_file.exists():
        raise AdoptRefused(f"{own.root}: this seat holds no data of its own to give to {client}")
    if own.database.exists():
        if target.database.exists() or target_file.exists():
            raise AdoptRefused(
                f"{client} has a store of its own already: export the seat's own contacts "
                f"(repli export --format jsonl -o FILE) and merge them into it "
                f"(repli --client {client} merge FILE) instead"
            )
        settings, _ = config.load_seat(own)
        found = store_key.find(own.database, settings.store_key_dir)
        release(own.database, found.key if found else None, "given to a client")
        os.replace(own.database, target.database)  # one rename: it is in one place or the other
        fsync_dir(target.root)
        fsync_dir(own.root)
    if own_file.exists():
        data = {**(store_key.read_store_file(own.database) or {}), "cipher": CIPHER}
        data["client"] = client
        write_atomically(target_file, (json.dumps(data, indent=1) + "\n").encode())
        own_file.unlink()
    interrupted = shift.interrupted(own.root)
    if interrupted is not None:  # the shift a crash interrupted resumes in the client's window
        shift.begin(target.root, interrupted.agent, interrupted.since)
        shift.end(own.root)
    return state(target)
