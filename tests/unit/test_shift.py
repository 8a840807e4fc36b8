from datetime import UTC, datetime, timedelta
from pathlib import Path

from desktop import shift


def test_a_shift_survives_until_ended(tmp_path: Path) -> None:
    start = datetime(2026, 11, 22, 8, tzinfo=UTC)
    shift.begin(tmp_path, "Claire", start)
    resumed = shift.interrupted(tmp_path, start + timedelta(hours=3))
    assert resumed == shift.Shift("Claire", start)
    assert shift.interrupted(tmp_path, start + timedelta(hours=13)) is None
    shift.end(tmp_path)
    assert shift.interrupted(tmp_path, start) is None


def test_a_damaged_shift_file_is_ignored(tmp_path: Path) -> None:
    (tmp_path / shift.FILE_NAME).write_text("{not json")
    assert shift.interrupted(tmp_path) is None
    (tmp_path / shift.FILE_NAME).write_text('{"agent": "", "since": "2026-11-22T08:00:00+00:00"}')
    assert shift.interrupted(tmp_path) is None
