"""``repli wallboard`` as IT starts it on a PC with nothing to show: one line that says why
(and, for the hall, which clients were looked at), never a window on nothing."""

from __future__ import annotations

from pathlib import Path

from tests.helpers.cli import repli


def test_a_pc_without_a_site_store_says_so(tmp_path: Path) -> None:
    done = repli(tmp_path, "wallboard")
    assert done.returncode == 1
    assert "this PC has no site database" in done.stdout
    assert "Traceback" not in done.stderr


def test_the_hall_names_the_clients_it_looked_at(tmp_path: Path) -> None:
    for client, name in (("pompes-sud", "Pompes Sud"), ("assur-nord", "Assur Nord")):
        folder = tmp_path / "clients" / client
        folder.mkdir(parents=True)
        (folder / "config.toml").write_text(f'client_name = "{name}"\n', encoding="utf-8")
    done = repli(tmp_path, "wallboard", "--seats-only")
    assert done.returncode == 1
    assert "no client of this PC has a site database" in done.stdout
    assert "Assur Nord: no site store" in done.stdout and "Pompes Sud: no site store" in done.stdout
    assert "Traceback" not in done.stderr
