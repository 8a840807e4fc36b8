"""``repli export`` and ``repli merge``, the real command: two seats' exports merged; branch
sheets read back with a PDF text extractor."""

from __future__ import annotations

import json
import os
import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path

from pypdf import PdfReader

from desktop.contacts import ContactData
from desktop.context import SeatContext
from desktop.store import contacts as store
from tests.helpers.cli import repli

T0 = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)


def fill(data_dir: Path, seat_id: str, count: int) -> None:
    seat = SeatContext.open(str(data_dir))
    try:
        for i in range(count):
            contact = ContactData(
                seat_id=seat_id,
                agent=f"Agent {seat_id}",
                caller_name=f"Appelant {seat_id}-{i}",
                caller_number="+33612345678",
                subject="Message pour l'agence" if i % 2 else "Rappel demandé",
                notes="=1+1 dicté par l'appelant" if i == 0 else "",
                outcome="message" if i % 2 else "callback",
                callback_at=None if i % 2 else T0 + timedelta(hours=i),
                branch_id="AG00001" if i % 3 else "AG00002",
                branch_name="Paris Centre" if i % 3 else "Lyon Part-Dieu",
                call_type="OBS",
            )
            store.save_contact(seat.engine, contact, contact.agent)
    finally:
        seat.close()


def test_two_seats_exported_then_merged(tmp_path: Path) -> None:
    one, two, site = tmp_path / "one", tmp_path / "two", tmp_path / "supervisor"
    fill(one, "S1", 7)
    fill(two, "S2", 5)
    for seat in (one, two):
        done = repli(seat, "export", "--format", "jsonl", "-o", str(seat / "export.jsonl"))
        assert done.returncode == 0, done.stderr
        assert stat.S_IMODE((seat / "export.jsonl").stat().st_mode) == 0o600
    merged = repli(site, "merge", "--json", str(one / "export.jsonl"), str(two / "repli.sqlite3"))
    assert merged.returncode == 0, merged.stderr
    report = json.loads(merged.stdout)
    assert (report["new"], report["present"], report["conflicting"]) == (12, 0, 0)
    again = json.loads(repli(site, "merge", "--json", str(one / "export.jsonl")).stdout)
    assert (again["new"], again["present"]) == (0, 7)

    # a truncated export is refused with the reason, and nothing changes
    cut = tmp_path / "cut.jsonl"
    cut.write_bytes((one / "export.jsonl").read_bytes()[:-30])
    refused = repli(site, "merge", str(cut))
    assert refused.returncode == 1
    assert "truncated" in refused.stderr and "nothing was changed" in refused.stderr

    csv_out = tmp_path / "all.csv"
    done = repli(site, "export", "--format", "csv", "--dialect", "excel-fr", "-o", str(csv_out))
    assert done.returncode == 0, done.stderr
    assert "12 contacts" in done.stdout
    assert "'=1+1 dicté" in csv_out.read_text(encoding="utf-8-sig")

    only_s2 = repli(
        site, "export", "--seat", "S2", "--format", "xlsx", "-o", str(tmp_path / "s2.xlsx")
    )
    assert "5 contacts" in only_s2.stdout


def test_branch_sheets_list_messages_and_callbacks_per_branch(tmp_path: Path) -> None:
    seat = tmp_path / "seat"
    fill(seat, "S1", 6)
    sheets = tmp_path / "sheets"
    done = repli(seat, "export", "--branch-sheets", str(sheets), "--since", "2020-01-01")
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in sheets.iterdir()) == ["AG00001.pdf", "AG00002.pdf"]
    pages = PdfReader(sheets / "AG00002.pdf").pages
    text = " ".join(" ".join(page.extract_text() for page in pages).split())
    assert "Lyon Part-Dieu" in text
    assert "Appelant S1-0" in text and "Appelant S1-3" in text  # i % 3 == 0
    assert "Appelant S1-1" not in text  # another branch
    assert "06 12 34 56 78" in text
    assert "Rappel demandé" in text
    assert "contacts reçus par le site de secours : 2 depuis le 01/01/2020" in text  # French
    assert stat.S_IMODE((sheets / "AG00001.pdf").stat().st_mode) == 0o600


def test_export_with_a_bad_date_says_what_to_write(tmp_path: Path) -> None:
    done = repli(
        tmp_path / "seat", "export", "--since", "22/11/2026", "-o", str(tmp_path / "x.csv")
    )
    assert done.returncode == 2
    assert "write 2026-11-22" in done.stderr
    assert not (tmp_path / "x.csv").exists()


def test_purge_and_erase_from_the_command_line(tmp_path: Path) -> None:
    seat = tmp_path / "seat"
    fill(seat, "S1", 3)
    by_default = repli(seat, "purge")  # 3 years, the CNIL's reference; exercise 30 days
    assert by_default.returncode == 0 and "0 delivered contacts" in by_default.stdout
    system = Path(os.environ["REPLI_SYSTEM_CONFIG"])  # the administrator keeps everything
    system.parent.mkdir(parents=True, exist_ok=True)
    system.write_text("retention_days = 0\nexercise_retention_days = 0\n")
    refused = repli(seat, "purge")
    assert refused.returncode == 2 and "no retention period" in refused.stderr
    done = repli(seat, "purge", "--days", "30")
    assert done.returncode == 0 and done.stdout.startswith("0 delivered contacts"), done.stderr
    dry = repli(seat, "erase", "--name", "appelant s1-1")
    assert dry.returncode == 0 and "1 contacts would be erased" in dry.stdout
    erased = repli(seat, "erase", "--name", "appelant s1-1", "--yes")
    assert erased.returncode == 0 and erased.stdout.startswith("1 contacts erased"), erased.stderr
    out = tmp_path / "after.csv"
    repli(seat, "export", "-o", str(out))
    assert "Appelant S1-1" not in out.read_text() and "Appelant S1-2" in out.read_text()
