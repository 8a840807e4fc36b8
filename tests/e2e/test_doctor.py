"""``repli doctor``: the real command says whether the seat is ready, and what to do."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

from tests.helpers.crm_receiver import CrmReceiver


def doctor(data_dir: Path) -> tuple[int, dict[str, object]]:
    done = subprocess.run(
        [sys.executable, "-m", "desktop", "--data-dir", str(data_dir), "doctor", "--json"],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ},
    )
    return done.returncode, json.loads(done.stdout)


def by_name(report: dict[str, object]) -> dict[str, dict[str, str]]:
    checks: list[dict[str, str]] = report["checks"]  # type: ignore[assignment]
    return {c["name"]: c for c in checks}


def test_a_fresh_seat_on_the_demo_tables_is_ready(data_dir: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "desktop", "--data-dir", str(data_dir), "lookup", "6881"],
        capture_output=True,
        check=True,
        timeout=120,
    )
    code, report = doctor(data_dir)
    checks = by_name(report)
    assert code == 0 and report["ready"] is True
    assert (
        checks["database"]["status"] == "ok" and "synchronous=FULL" in checks["database"]["detail"]
    )
    assert checks["tables"]["status"] == "ok" and "Réseau démo" in checks["tables"]["detail"]
    assert {"config", "clock", "disk", "screen pop", "translations"} <= set(checks)


def test_what_is_wrong_is_said_with_what_to_do(data_dir: Path, tmp_path: Path) -> None:
    taken = socket.socket()
    taken.bind(("127.0.0.1", 0))
    taken.listen()
    with CrmReceiver() as crm:
        (data_dir / "config.toml").write_text(
            f"pop_port = {taken.getsockname()[1]}\n"
            f'[[sync_targets]]\nname = "crm"\nkind = "http"\nurl = "{crm.url}"\ntoken = "wrong"\n'
            f'[[sync_targets]]\nname = "share"\nkind = "file"\nfolder = "{tmp_path / "missing"}"\n'
        )
        code, report = doctor(data_dir)
    taken.close()
    checks = by_name(report)
    assert code == 1 and report["ready"] is False
    assert (
        checks["screen pop"]["status"] == "fail"
        and "taken by another program" in checks["screen pop"]["detail"]
    )
    assert checks["sync crm"]["status"] == "fail" and "token is wrong" in checks["sync crm"]["fix"]
    assert checks["sync share"]["status"] == "fail" and "mounted" in checks["sync share"]["fix"]
    assert (
        checks["tables"]["status"] == "fail"
        and checks["tables"]["fix"] == "repli tables import PACK"
    )


def test_a_broken_config_is_named(data_dir: Path) -> None:
    (data_dir / "config.toml").write_text('mode = "panic"\n')
    code, report = doctor(data_dir)
    checks: list[dict[str, str]] = report["checks"]  # type: ignore[assignment]
    (check,) = checks
    assert code == 1 and check["name"] == "config" and "mode must be one of" in check["detail"]


def test_the_site_proxy_intake_is_checked(data_dir: Path) -> None:
    with socket.socket() as probe:  # a port free on 127.0.0.2 for the check's bind
        probe.bind(("127.0.0.2", 0))
        port = probe.getsockname()[1]
    (data_dir / "config.toml").write_text(
        f'pop_port = {port}\npop_lan_address = "127.0.0.2"\npop_lan_allow = ["127.0.0.3"]\n'
    )
    _code, report = doctor(data_dir)
    check = by_name(report)["site proxy intake"]
    assert check["status"] == "ok" and "for 127.0.0.3 only" in check["detail"]
    (data_dir / "config.toml").write_text(
        f'pop_port = {port}\npop_lan_address = "192.0.2.10"\npop_lan_allow = ["127.0.0.3"]\n'
    )  # an address of the documentation range: not this PC's
    _code, report = doctor(data_dir)
    check = by_name(report)["site proxy intake"]
    assert check["status"] == "fail" and "own LAN address" in check["fix"]


def test_the_softphone_accounts_are_checked_against_the_proxys_numbers(
    data_dir: Path, tmp_path: Path
) -> None:
    """Request-uri mode: a number the proxy may put in the request URI without an account on
    the softphone would ring nothing but a 404; the doctor names it."""
    numbers, accounts = tmp_path / "numbers.txt", tmp_path / "accounts"
    numbers.write_text("# the site's numbers\n0199006881\n0590823691\n")
    accounts.write_text("<sip:seat1@10.0.0.21>;regint=0\n<sip:0199006881@10.0.0.21>;regint=0\n")
    with (data_dir / "config.toml").open("a") as config:
        config.write(f'site_proxy_numbers = "{numbers}"\nsoftphone_accounts = "{accounts}"\n')
    _code, report = doctor(data_dir)
    check = by_name(report)["softphone accounts"]
    assert check["status"] == "fail" and "1 of the proxy's 2 numbers" in check["detail"]
    assert "0590823691" in check["detail"]
    with accounts.open("a") as more:
        more.write("<sip:0590823691@10.0.0.21>;regint=0\n")
    _code, report = doctor(data_dir)
    assert by_name(report)["softphone accounts"]["status"] == "ok"
