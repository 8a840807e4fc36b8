"""What encryption at rest costs where an agent waits, beside references from the same run.

    .venv/bin/python benchmarks/encrypted_store.py [--saves 300] [--contacts 100000]

- saving a contact on an encrypted store (SQLCipher) against the same save on a plain store
  and against a bare sqlite3 insert+commit with the same pragmas (goal: encrypted within 2x
  the bare reference). The three are taken in turn, save after save, so that the machine's
  noise falls on all three alike;
- opening the store (what a start pays) encrypted against plain;
- encrypting a plain store of ``--contacts`` contacts in place (an upgrade's one-off cost)
  against copying the file.
No test asserts any of this: machines are noisy, read the ratios.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def ms(seconds: float) -> str:
    return f"{seconds * 1000:8.2f} ms"


def line(what: str, value: str, reference: str, note: str) -> None:
    print(f"{what:<44} {value}   {reference}   {note}", flush=True)


def seats(work: Path) -> tuple[object, object]:
    from desktop import config
    from desktop.context import SeatContext

    encrypted = SeatContext.open(str(work / "encrypted"))
    settings = replace(config.Settings(), store_encryption=False)
    plain = SeatContext.open(str(work / "plain"), settings)
    assert encrypted.key is not None and plain.key is None
    return encrypted, plain


def bench_save(work: Path, count: int) -> None:
    from desktop.store import contacts as store
    from tests.helpers.save_reference import bare_save, bare_table, bench_contact

    encrypted, plain = seats(work)
    conn = bare_table(work / "bare.sqlite3")
    times: dict[str, list[float]] = {"encrypted": [], "plain": [], "bare": []}
    for i in range(count):
        for name, seat in (("encrypted", encrypted), ("plain", plain)):
            contact = bench_contact(i)
            start = time.perf_counter()
            store.save_contact(seat.engine, contact, "bench")  # type: ignore[attr-defined]
            times[name].append(time.perf_counter() - start)
        times["bare"].append(bare_save(conn, i))
    conn.close()
    median = {name: statistics.median(values) for name, values in times.items()}
    line(
        "save a contact, encrypted store, median",
        ms(median["encrypted"]),
        ms(median["bare"]),
        f"(reference: bare sqlite3 insert+commit; ratio {median['encrypted'] / median['bare']:.2f}x,"
        " goal 2x)",
    )
    line(
        "save a contact, plain store, median",
        ms(median["plain"]),
        ms(median["bare"]),
        f"(ratio {median['plain'] / median['bare']:.2f}x; encrypted/plain "
        f"{median['encrypted'] / median['plain']:.2f}x)",
    )
    for seat in (encrypted, plain):
        seat.close()  # type: ignore[attr-defined]


def bench_open(work: Path) -> None:
    from desktop import config
    from desktop.context import SeatContext

    plain_settings = replace(config.Settings(), store_encryption=False)
    times: dict[str, list[float]] = {"encrypted": [], "plain": []}
    for _ in range(20):
        for name, settings in (("encrypted", None), ("plain", plain_settings)):
            start = time.perf_counter()
            seat = SeatContext.open(str(work / name), settings)
            with seat.engine.connect() as conn:
                conn.exec_driver_sql("SELECT count(*) FROM contacts").scalar()
            times[name].append(time.perf_counter() - start)
            seat.close()
    enc, plain = (statistics.median(times[n]) for n in ("encrypted", "plain"))
    line(
        "open the store and read it, median",
        ms(enc),
        ms(plain),
        f"(reference: the same, plain store; ratio {enc / plain:.2f}x)",
    )


def bench_encrypt_in_place(work: Path, contacts: int) -> None:
    from desktop import config
    from desktop.context import SeatContext
    from desktop.store.cipher import encrypt_plain

    folder = work / "upgrade"
    seat = SeatContext.open(str(folder), replace(config.Settings(), store_encryption=False))
    with seat.engine.begin() as conn:
        conn.exec_driver_sql(
            "CREATE TABLE filler AS WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 "
            f"FROM n WHERE i < {contacts}) SELECT i, printf('Appelant %d, notes %s', i, "
            "hex(randomblob(150))) AS data FROM n"
        )
    seat.close()
    database = folder / "repli.sqlite3"
    size = database.stat().st_size
    start = time.perf_counter()
    shutil.copyfile(database, work / "copy.sqlite3")
    copied = time.perf_counter() - start
    start = time.perf_counter()
    assert encrypt_plain(database, "ab" * 32)
    took = time.perf_counter() - start
    line(
        f"encrypt a {size / 2**20:.0f} MiB plain store in place",
        ms(took),
        ms(copied),
        f"(reference: copying the file; ratio {took / copied:.1f}x; once, at the upgrade)",
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--saves", type=int, default=300)
    parser.add_argument("--contacts", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="repli-bench-") as tmp:
        work = Path(tmp)
        import os

        os.environ["REPLI_KEY_DIR"] = str(work / "keys")
        os.environ["REPLI_SYSTEM_CONFIG"] = str(work / "none.toml")
        bench_save(work, args.saves)
        bench_open(work)
        bench_encrypt_in_place(work, args.contacts)


if __name__ == "__main__":
    main()
