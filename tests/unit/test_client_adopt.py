"""A one-client seat's data given to a named client, in place: refused under a Repli that
still has the store open (a real second process: locks are per process), and finished by
running it again after a power cut between its steps."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from desktop.context import SeatContext
from desktop.paths import DataPaths
from desktop.seat import clients, store_key
from desktop.store.cipher import StoreLocked
from tests.unit.test_store_encryption import PLAIN, _all, filled, held_open


def provisioned(seat: Path, client: str) -> DataPaths:
    paths = DataPaths.resolve(seat, client).ensure()
    paths.config_file.write_text('client_name = "Pompes Funèbres du Sud"\n')
    return paths


def test_a_store_in_use_is_not_given_away_under_the_repli_that_holds_it(tmp_path: Path) -> None:
    own = filled(tmp_path / "seat", PLAIN)
    own.close()
    target = provisioned(tmp_path / "seat", "pompes-sud")
    with held_open(own.paths.database) as let_go:
        with pytest.raises(StoreLocked, match="in use by another"):
            clients.adopt(DataPaths.resolve(tmp_path / "seat"), "pompes-sud")
        assert own.paths.database.exists() and not target.database.exists()
        assert let_go() == "wrote"
    took = clients.adopt(DataPaths.resolve(tmp_path / "seat"), "pompes-sud")
    assert (took.contacts, took.encrypted) == (20, True)  # encrypted at its first opening


def test_a_power_cut_between_the_steps_is_finished_by_running_it_again(tmp_path: Path) -> None:
    own = filled(tmp_path / "seat")  # encrypted: its store.json names its key
    own.close()
    target = provisioned(tmp_path / "seat", "pompes-sud")
    os.replace(own.paths.database, target.database)  # the cut: moved, store.json not yet
    took = clients.adopt(DataPaths.resolve(tmp_path / "seat"), "pompes-sud")
    assert took.contacts == 20 and not store_key.store_file(own.paths.database).exists()
    seat = SeatContext.open(str(target.root))
    try:
        assert seat.key is not None and len(_all(seat)) == 20
    finally:
        seat.close()


def test_a_client_with_a_store_of_its_own_is_not_overwritten(tmp_path: Path) -> None:
    filled(tmp_path / "seat").close()
    target = provisioned(tmp_path / "seat", "pompes-sud")
    filled(target.root).close()
    with pytest.raises(clients.AdoptRefused, match="merge them into it"):
        clients.adopt(DataPaths.resolve(tmp_path / "seat"), "pompes-sud")
    assert DataPaths.resolve(tmp_path / "seat").database.exists()
