"""Shared fixtures. Every test gets its own data directory; Qt runs offscreen."""

from __future__ import annotations

import itertools
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop.context import SeatContext
from tests.helpers.postgres import Postgres, binaries

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parent.parent
DEMO_PACK = ROOT / "lookup_tables" / "demo"


@pytest.fixture(autouse=True)
def isolated_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No test touches the real user directories: data dir and HOME are temporary."""
    data = tmp_path / "data"
    data.mkdir()
    # Any free port: tests run windows side by side. Tests add settings by appending.
    (data / "config.toml").write_text("pop_port = 0\n")
    monkeypatch.setenv("REPLI_DATA_DIR", str(data))
    monkeypatch.setenv("REPLI_SYSTEM_CONFIG", str(tmp_path / "etc" / "config.toml"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "home" / "share"))
    return data


@pytest.fixture(autouse=True)
def site_connections_closed() -> Iterator[None]:
    """Each test's site databases' shared engines (make_site_engine) closed after it: their
    kept connection must not outlive the test's database; and the backoff a failing site
    started ended."""
    yield
    from desktop.store.engine import dispose_site_engines
    from desktop.store.site_calls import BACKOFF

    dispose_site_engines()
    BACKOFF.succeeded()  # the process's backoff after a failing site: not the next test's


@pytest.fixture
def data_dir(isolated_dirs: Path) -> Path:
    return isolated_dirs


@pytest.fixture
def demo_copy(tmp_path: Path) -> Path:
    """A writable copy of the demo pack, for tests that break it."""
    target = tmp_path / "pack"
    shutil.copytree(DEMO_PACK, target)
    return target


@pytest.fixture
def seat(data_dir: Path) -> Iterator[SeatContext]:
    """The seat's store opened with its tables: the one seat fixture, of one type."""
    context = SeatContext.open(str(data_dir))
    context.ensure_tables()
    yield context
    context.close()


_site_numbers = itertools.count()


@pytest.fixture(scope="session")
def postgres() -> Iterator[Postgres]:
    """A real PostgreSQL server for the tests that need a site database (one per session)."""
    if binaries() is None:
        pytest.fail(
            "PostgreSQL is needed: apt-get install postgresql (dev.py test does it as root)"
        )
    # Not under pytest's tmp root: that is private to this user, and the server runs as postgres.
    folder = Path(tempfile.mkdtemp(prefix="repli-pg-"))
    server = Postgres(folder).start()
    yield server
    server.stop()
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="session")
def site_cluster() -> Iterator[object]:
    """A highly available site store (3 etcd members, 2 PostgreSQL nodes under Patroni), from
    the files ``repli site config`` writes; once a session, each test leaves it whole."""
    from tests.helpers.patroni import SiteCluster, available

    if why := available():
        pytest.fail(why)
    cluster = SiteCluster.create()
    try:
        yield cluster.start()
    finally:
        cluster.stop()


@pytest.fixture
def site_url(postgres: Postgres) -> str:
    """A new, empty site database."""
    return postgres.create_database(f"site{next(_site_numbers)}")
