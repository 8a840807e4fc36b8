"""A client's data directory and settings: SEAT/clients/ID, the seat's settings under the
client's own, the client's PC-wide file (its PIN) for it alone."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from desktop import config
from desktop.paths import BadClient, DataPaths, system_client_file


def test_a_clients_directory_is_under_the_seats_and_knows_its_client(tmp_path: Path) -> None:
    paths = DataPaths.resolve(tmp_path / "seat", "pompes-sud")
    assert paths.root == (tmp_path / "seat" / "clients" / "pompes-sud").resolve()
    assert paths.client == "pompes-sud" and paths.seat_root == (tmp_path / "seat").resolve()
    assert DataPaths.resolve(tmp_path / "seat").client == ""
    assert paths.clients() == []  # not provisioned: no config yet
    paths.ensure().config_file.write_text('client_name = "Sud"\n')
    assert DataPaths.resolve(tmp_path / "seat").clients() == ["pompes-sud"]


@pytest.mark.parametrize("bad", ["", "../etc", "Pompes", "a/b", "x" * 33, "-lead"])
def test_a_client_id_is_checked(tmp_path: Path, bad: str) -> None:
    if bad == "":
        assert DataPaths.resolve(tmp_path).client == ""
        return
    with pytest.raises(BadClient, match="not a client id"):
        DataPaths.resolve(tmp_path, bad)


def test_the_clients_settings_layer_over_the_seats_and_its_pin_is_its_own(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    system = tmp_path / "etc" / "config.toml"
    monkeypatch.setenv("REPLI_SYSTEM_CONFIG", str(system))
    system.parent.mkdir()
    system.write_text('site = "Lyon secours"\n')
    client_file = system_client_file("pompes-sud")
    client_file.parent.mkdir()
    client_file.write_text('supervisor_pin_hash = "scrypt$client-sud"\nmode = "overflow"\n')
    for path in (system, client_file):
        os.chmod(path, 0o644)
    seat = DataPaths.resolve(tmp_path / "seat").ensure()
    seat.config_file.write_text('seat_id = "B-07"\nmode = "exercise"\n')
    sud = DataPaths.resolve(tmp_path / "seat", "pompes-sud").ensure()
    sud.config_file.write_text(
        'client_name = "Pompes Funèbres du Sud"\nsupervisor_pin_hash = "scrypt$agent"\n'
    )
    settings, warnings = config.load_seat(sud)
    assert (settings.site, settings.seat_id, settings.client_id) == (
        "Lyon secours", "B-07", "pompes-sud")  # fmt: skip
    assert settings.client_name == "Pompes Funèbres du Sud"
    assert settings.supervisor_pin_hash == "scrypt$client-sud"  # not the agent's own file's
    assert any("supervisor_pin_hash ignored" in w for w in warnings)
    assert settings.mode.value == "exercise"  # the seat's own file wins over the PC-wide ones
    own, _ = config.load_seat(seat)
    assert own.supervisor_pin_hash == "" and own.client_id == ""  # nothing of the client's
