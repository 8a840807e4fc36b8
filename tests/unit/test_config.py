from pathlib import Path

import pytest

from desktop import config


def test_absent_file_gives_defaults(tmp_path: Path) -> None:
    settings, warnings = config.load(tmp_path / "none.toml")
    assert settings == config.Settings()
    assert settings.mode is config.Mode.DISASTER
    assert warnings == []


def test_values_are_typed_and_unknown_keys_warned(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('mode = "exercise"\nseat_id = "B12"\ncolour = "red"\ntables_max_age_days = 7\n')
    settings, warnings = config.load(path)
    assert settings.mode is config.Mode.EXERCISE
    assert settings.seat_id == "B12"
    assert settings.tables_max_age_days == 7
    assert warnings == [f"{path}: unknown setting 'colour' ignored"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('mode = "panic"', "mode must be one of disaster, overflow, exercise"),
        ("tables_max_age_days = true", "tables_max_age_days must be int"),
        ("seat_id = 3", "seat_id must be str"),
        ("mode = ", "config.toml"),
    ],
)
def test_bad_values_name_the_key(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "config.toml"
    path.write_text(text + "\n")
    with pytest.raises(config.ConfigError, match=message):
        config.load(path)


def test_round_trip_through_toml(tmp_path: Path) -> None:
    original = config.Settings(
        site='Site "B"', seat_id="S-7", mode=config.Mode.OVERFLOW, pop_enabled=False, pop_port=0
    )
    path = tmp_path / "config.toml"
    path.write_text(config.to_toml(original))
    assert config.load(path)[0] == original


def test_the_seat_file_overrides_the_pc_wide_one(tmp_path: Path) -> None:
    system = tmp_path / "etc.toml"
    system.write_text('site = "Site Lyon"\nseat_id = "generic"\nmode = "overflow"\n')
    seat = tmp_path / "config.toml"
    seat.write_text('seat_id = "B-07"\n')
    settings, warnings = config.load(seat, system)
    assert (settings.site, settings.seat_id, settings.mode) == (
        "Site Lyon",
        "B-07",
        config.Mode.OVERFLOW,
    )
    assert warnings == []
    assert config.load(tmp_path / "none.toml", system)[0].seat_id == "generic"
