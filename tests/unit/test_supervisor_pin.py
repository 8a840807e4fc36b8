"""The supervisor PIN: a salted slow hash, never the PIN itself; wrong PINs wait longer."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.supervisor import pin


def test_hash_is_salted_and_verifies_only_the_right_pin() -> None:
    first, second = pin.hash_pin("482913"), pin.hash_pin("482913")
    assert first != second  # salted
    assert "482913" not in first
    assert first.startswith("scrypt$32768$8$1$")
    assert pin.verify_pin("482913", first)
    assert not pin.verify_pin("482914", first)
    assert not pin.verify_pin("482913", "garbage")
    assert not pin.verify_pin("482913", "")


@pytest.mark.parametrize("bad", ["12345", "111111", "123456", "12 34 56", "abc-def"])
def test_weak_or_malformed_pins_are_refused(bad: str) -> None:
    with pytest.raises(pin.PinError):
        pin.check_new_pin(bad)


def test_wrong_pins_wait_longer_and_the_wait_survives_a_restart(tmp_path: Path) -> None:
    now = [1000.0]
    lock = tmp_path / "supervisor-lock.json"
    stored = pin.hash_pin("731905")
    gate = pin.PinGate(stored, lock, clock=lambda: now[0])
    for _ in range(pin.FREE_ATTEMPTS - 1):
        assert gate.attempt("000001") == pin.Attempt(False, 0.0)
    third = gate.attempt("000002")
    assert not third.ok and third.wait == pin.FIRST_WAIT
    # a new gate (the window reopened, Repli restarted) still waits
    again = pin.PinGate(stored, lock, clock=lambda: now[0])
    refused = again.attempt("731905")
    assert refused.refused_unchecked and not refused.ok  # even the right PIN waits
    now[0] += pin.FIRST_WAIT
    fourth = again.attempt("000003")
    assert fourth.wait == 2 * pin.FIRST_WAIT  # doubled
    now[0] += 10_000
    assert again.attempt("731905").ok
    assert again.wait() == 0.0 and again.attempt("000004").wait == 0.0  # counter reset


def test_no_pin_configured_never_opens(tmp_path: Path) -> None:
    gate = pin.PinGate("", tmp_path / "lock.json")
    assert not gate.configured
    assert not gate.attempt("").ok


def test_pin_file_first_line(tmp_path: Path) -> None:
    f = tmp_path / "pin.txt"
    f.write_text("  902174  \nignored\n")
    assert pin.read_pin_file(f) == "902174"
    with pytest.raises(pin.PinError, match="No such file"):
        pin.read_pin_file(tmp_path / "missing.txt")


def test_deleting_the_lock_file_does_not_reset_the_wait(seat: object, tmp_path: Path) -> None:
    from desktop.store.pin_journal import AuditJournal

    now = [1000.0]
    lock = tmp_path / "supervisor-lock.json"
    stored = pin.hash_pin("731905")
    journal = AuditJournal(seat.engine, "Claire")  # type: ignore[attr-defined]
    gate = pin.PinGate(stored, lock, clock=lambda: now[0], journals=(journal,))
    for _ in range(pin.FREE_ATTEMPTS):
        gate.attempt("000001")
    assert gate.wait() == pin.FIRST_WAIT
    lock.unlink()  # what an agent tried
    lock.write_text('{"failures": 0, "last": 0}')
    again = pin.PinGate(stored, lock, clock=lambda: now[0], journals=(journal,))
    assert again.wait() == pin.FIRST_WAIT
    assert again.attempt("731905").refused_unchecked
