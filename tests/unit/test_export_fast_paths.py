"""The exports' fast paths: times written from SQLite's stored text, text cells neutralised
by the database. Each writes exactly what the plain way (a datetime, ``neutralise``) writes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from desktop.supervisor.export import neutralise


@pytest.mark.parametrize("zone", ["Europe/Paris", "Asia/Kolkata", "America/St_Johns", "UTC"])
def test_the_fast_time_cells_write_what_the_datetime_way_writes(
    zone: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The exports read SQLite's stored text and write it without building a datetime (the
    XLSX's with one addition); over DST changes and half-hour zones they write what isoformat
    and the local time would."""
    import random
    import time as clock

    from desktop.supervisor import export as module

    monkeypatch.setenv("TZ", zone)
    clock.tzset()
    module._offset.cache_clear()
    module._french_hour.cache_clear()
    module._utc_hour_offset.cache_clear()
    try:
        rng = random.Random(zone)
        start = datetime(2026, 3, 1, tzinfo=UTC)
        moments = [start + timedelta(seconds=rng.randrange(300 * 86400)) for _ in range(3000)]
        moments += [m.replace(microsecond=rng.choice((0, 1, 999_999))) for m in moments[:500]]
        for moment in moments:
            stored = moment.strftime("%Y-%m-%d %H:%M:%S.%f")  # SQLAlchemy's SQLite text
            assert module._iso_time(stored) == moment.isoformat()
            assert module._iso_time(moment) == moment.isoformat()  # PostgreSQL's datetime
            local = moment.astimezone().strftime("%d/%m/%Y %H:%M:%S")
            assert module._french_time(stored) == local, stored
            assert module._french_time(moment) == local
            naive = moment.astimezone().replace(tzinfo=None)  # the XLSX's date cell
            assert module._xlsx_time(stored) == naive, stored
            assert module._xlsx_time(moment) == naive
    finally:
        monkeypatch.delenv("TZ")
        clock.tzset()
        module._offset.cache_clear()
        module._french_hour.cache_clear()
        module._utc_hour_offset.cache_clear()


TRICKY = ["=1+1", "+33199006677", "+3314455667", "+0199006677", "+33 1 44", "+1234567",
          "+123456", "+12345678901234567", "-5", "@x", "\tTab", "\rCR", "plain", "", "'=x",
          "+33١٤٤٥٥٦٦٧٧", "+½34567", "é=", " =1", "+", "="]  # fmt: skip


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_the_database_neutralises_as_python_does(
    backend: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    """The CSV export has the database neutralise its text cells: on both databases it
    does exactly what ``neutralise`` does, on the values that could tell them apart."""
    from sqlalchemy import create_engine, literal, select

    from desktop.supervisor.export import _neutralised

    url = request.getfixturevalue("site_url") if backend == "postgresql" else "sqlite://"
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            for value in TRICKY:
                got = conn.execute(select(_neutralised(literal(value)))).scalar_one()
                assert got == neutralise(value), repr(value)
    finally:
        engine.dispose()


def test_the_french_numbers_are_shown_as_the_phone_module_shows_them() -> None:
    from desktop import phone
    from desktop.supervisor.export import _french_phone, _xlsx_phone, _xlsx_text

    for stored in ("+33612345678", "+33199006677", "+33800123456", "+33590823691",
                   "+590590823691", "+3361234567", "+33٦12345678", "+4930123456", "=1",
                   "0612345678", "+33 6 12"):  # fmt: skip
        assert _french_phone(stored) == neutralise(phone.display_stored(stored)), stored
        assert _xlsx_phone(stored) == _xlsx_text(phone.display_stored(stored)), stored
