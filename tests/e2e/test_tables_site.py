"""A pack published once for the whole site, through the real PostgreSQL site database:
``repli tables import PACK --site`` by the supervisor, then 30 seats (threads, each with its
own store) following it, every one verifying it and ending on the new version; a seat that
was off catches up; an unsigned or older pack is refused at publication."""

from __future__ import annotations

import os
import shutil
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path

import pytest

from desktop.context import SeatContext
from desktop.tables.follow import check
from desktop.tables.signed import sign_pack
from desktop.tables.signing import write_key_pair
from tests.conftest import DEMO_PACK
from tests.helpers.cli import repli

SEATS = 30


def configure(data_dir: Path, site_url: str) -> None:
    data_dir.mkdir(parents=True, exist_ok=True)
    (data_dir / "config.toml").write_text(
        f'pop_port = 0\ntables_source = "site"\n'
        f'[[sync_targets]]\nname = "site"\nkind = "site"\ndatabase_url = "{site_url}"\n',
        encoding="utf-8",
    )


def test_thirty_seats_follow_one_publish_for_the_site(tmp_path: Path, site_url: str) -> None:
    secret, public = write_key_pair(tmp_path / "keys")
    system = Path(os.environ["REPLI_SYSTEM_CONFIG"])
    system.parent.mkdir(parents=True, exist_ok=True)
    system.write_text(f'tables_public_keys = ["{public.read_text().splitlines()[-1]}"]\n')
    supervisor = tmp_path / "supervisor"
    configure(supervisor, site_url)

    unsigned = repli(supervisor, "tables", "import", str(DEMO_PACK), "--site")
    assert unsigned.returncode != 0 and "not signed" in unsigned.stderr
    pack = tmp_path / "pack"
    shutil.copytree(DEMO_PACK, pack)
    sign_pack(pack, secret, serial=40, version="site-40")
    published = repli(supervisor, "tables", "import", str(pack), "--site")
    assert published.returncode == 0 and "published serial 40" in published.stdout, published.stderr
    again = repli(supervisor, "tables", "import", str(pack), "--site")
    assert again.returncode != 0 and "not above the site's 40" in again.stderr

    seats = []
    for number in range(SEATS):
        folder = tmp_path / f"seat{number:02d}"
        configure(folder, site_url)
        seat = SeatContext.open(str(folder))
        seats.append(replace_settings(seat, number))

    def follow(seat: SeatContext) -> int:
        outcome = check(seat.paths, seat.settings, seat.engine, activate=True)
        status = seat.tables_status()
        assert outcome.changed and status is not None
        return int(status.info.serial or 0)

    with ThreadPoolExecutor(max_workers=8) as pool:
        serials = list(pool.map(follow, seats[:-1]))  # the last seat is off for now
    assert serials == [40] * (SEATS - 1)
    for seat in seats[:-1]:
        status = seat.tables_status()
        assert status is not None and status.info.version == "site-40" and status.info.signed_by
        assert check(seat.paths, seat.settings, seat.engine).note == "up to date"

    # a second publish; the seat that was off comes back and takes the newest directly
    second = tmp_path / "pack2"
    shutil.copytree(DEMO_PACK, second)
    sign_pack(second, secret, serial=41, version="site-41")
    assert repli(supervisor, "tables", "import", str(second), "--site").returncode == 0
    late = seats[-1]
    assert late.tables_status() is None
    assert follow(late) == 41
    for seat in seats:
        seat.close()


def replace_settings(seat: SeatContext, number: int) -> SeatContext:
    seat.settings = replace(seat.settings, seat_id=f"seat-{number:02d}")
    return seat


def test_a_site_pack_over_the_bound_is_refused_unread(
    tmp_path: Path, site_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A 300 MB blob (a hand-made row) was read whole at every check before its refusal:
    its size is asked first. The bound is lowered here to the demo's size, standing for it."""
    from sqlalchemy import delete, insert

    from desktop.contacts import utc_now
    from desktop.store.models import SitePackRow
    from desktop.store.schema import open_migrated
    from desktop.tables import site_packs

    engine = open_migrated(site_url)
    try:
        with engine.begin() as conn:
            conn.execute(insert(SitePackRow).values(
                serial=999_999, name="énorme", version="x", published_at=utc_now(),
                published_by="test", files=b"\0" * 4096,
            ))  # fmt: skip
        monkeypatch.setattr(site_packs, "MAX_ZIP_BYTES", 1024)
        with pytest.raises(site_packs.SitePackError, match="over 0 MiB"):
            site_packs.download(engine, 999_999, tmp_path / "staging")
        assert not (tmp_path / "staging").exists()
    finally:
        with engine.begin() as conn:  # the site database is the session's: left as it was
            conn.execute(delete(SitePackRow).where(SitePackRow.serial == 999_999))
        engine.dispose()
