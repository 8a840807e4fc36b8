"""Two clients of one backup center, each with its own database on the site PostgreSQL
(its own role, CONNECT refused to every other): the real ``repli`` provisions each client
with its database, syncs, and each site database receives its client's contacts alone."""

from __future__ import annotations

import itertools
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import create_engine, text

from tests.e2e.test_clients import provision, save
from tests.helpers.cli import repli
from tests.helpers.postgres import Postgres

CLIENTS = {"pompes-sud": "Sud", "assur-nord": "Nord"}


_numbers = itertools.count(1)
_made: set[str] = set()


def _numbers_used(role: str) -> bool:
    """Whether a database of this client was made already in this session."""
    used = role in _made
    _made.add(role)
    return used


def client_database(postgres: Postgres, client: str) -> str:
    """A database owned by the client's own role, that no other role may connect to."""
    role = client.replace("-", "_")
    name = f"site_{role}" + (f"_{next(_numbers)}" if _numbers_used(role) else "")
    with psycopg.connect(
        f"host={postgres.host} port={postgres.port} user=repli dbname=postgres", autocommit=True
    ) as conn:  # the server is the session's: a role another test made is this one's too
        if conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (role,)).fetchone() is None:
            conn.execute(f'CREATE ROLE "{role}" LOGIN')
        conn.execute(f'CREATE DATABASE "{name}" OWNER "{role}"')
        conn.execute(f'REVOKE CONNECT ON DATABASE "{name}" FROM PUBLIC')
    return f"postgresql+psycopg://{role}@{postgres.host}:{postgres.port}/{name}"


def names_in(url: str) -> list[str]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(text("SELECT data FROM contact_revisions ORDER BY contact_id"))
            return sorted(str(r[0]) for r in rows)
    finally:
        engine.dispose()


def test_each_clients_contacts_reach_its_own_site_database_only(
    data_dir: Path, postgres: Postgres
) -> None:
    urls = {client: client_database(postgres, client) for client in CLIENTS}
    for client, url in urls.items():
        provision(data_dir, client, f"Client {CLIENTS[client]}", "#1f7a3a", "--sync-database", url)
    save(data_dir, "pompes-sud", "Appelant Sud", 3)
    save(data_dir, "assur-nord", "Appelant Nord", 2)
    for client in CLIENTS:
        synced = repli(data_dir, "--client", client, "sync", "--once")
        assert synced.returncode == 0, synced.stderr

    sud, nord = names_in(urls["pompes-sud"]), names_in(urls["assur-nord"])
    assert len(sud) == 3 and all("Appelant Sud" in row for row in sud)
    assert len(nord) == 2 and all("Appelant Nord" in row for row in nord)
    assert not any("Nord" in row for row in sud) and not any("Sud" in row for row in nord)

    # one client's role cannot even connect to the other's database
    crossed = urls["pompes-sud"].rsplit("/", 1)[0] + "/site_assur_nord"
    with pytest.raises(Exception, match="permission denied for database"):
        names_in(crossed)
    listed = repli(data_dir, "clients", "--json")
    assert listed.returncode == 0 and '"undelivered": 0' in listed.stdout
