"""Nothing crosses between clients: random contacts saved for three clients of one seat,
then every way out of a client's store (its history and search, its draft, its dashboard,
its exports, its sync deliveries, a merge) checked to return that client's contacts alone.

Each contact's caller carries a canary name that says whose it is; a single canary of one
client found under another fails the test, whatever path leaked it."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop import config
from desktop.contacts import ContactData
from desktop.context import SeatContext
from desktop.paths import DataPaths
from desktop.store import contacts as store
from desktop.store import history
from desktop.store.history import ContactFilter
from desktop.supervisor import dashboard, export, merge
from desktop.sync.worker import run_once

CLIENTS = ("assur-ouest", "pompes-sud", "mutuelle-est")

# (client, a word of the caller's name, the caller's last digits)
contact = st.tuples(
    st.sampled_from(range(len(CLIENTS))),
    st.text(alphabet="abcdefghjkmnpqrstuvwxyz", min_size=1, max_size=8),
    st.integers(min_value=0, max_value=99_999_999),
)


def canary(client: int, i: int, word: str) -> str:
    return f"Canari{client}x{i}x{word}"


def provision(seat: Path) -> dict[str, DataPaths]:
    found = {}
    for client in CLIENTS:
        paths = DataPaths.resolve(seat, client).ensure()
        drop = seat.parent / f"drop-{client}"
        drop.mkdir()
        paths.config_file.write_text(
            f'client_name = "{client.title()}"\n'
            f'[[sync_targets]]\nname = "share"\nkind = "file"\nfolder = "{drop}"\n'
        )
        found[client] = paths
    return found


@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(st.lists(contact, min_size=1, max_size=12))
def test_no_way_out_of_a_clients_store_returns_another_clients_contact(
    isolated_dirs: Path, saved: list[tuple[int, str, int]]
) -> None:
    with tempfile.TemporaryDirectory(dir=isolated_dirs.parent) as tmp:
        seat = Path(tmp) / "seat"
        clients = provision(seat)
        contexts = {c: SeatContext.open(str(p.root)) for c, p in clients.items()}
        try:
            mine: dict[str, set[str]] = {c: set() for c in CLIENTS}
            for i, (number, word, digits) in enumerate(saved):
                name, owner = canary(number, i, word), CLIENTS[number]
                store.save_contact(contexts[owner].engine, ContactData(
                    agent="Claire", seat_id="B-07", caller_name=name,
                    caller_number=f"+336{digits:08d}", branch_id="AG00001",
                ), "Claire")  # fmt: skip
                mine[owner].add(name)
            for n, client in enumerate(CLIENTS):  # a half-typed contact each
                store.save_draft(contexts[client].engine, ContactData(caller_name=f"Draft{n}"))
                mine[client].add(f"Draft{n}")
            everyone = set().union(*mine.values())
            for client in CLIENTS:
                others = everyone - mine[client]
                _check_client(contexts[client], clients[client], mine[client], others, seat)
            _check_merges_refused(contexts, clients, Path(tmp))
        finally:
            for context in contexts.values():
                context.close()


def _check_client(
    context: SeatContext, paths: DataPaths, mine: set[str], others: set[str], seat: Path
) -> None:
    engine = context.engine
    saved_mine = {n for n in mine if not n.startswith("Draft")}
    listed = {r.caller_name for r in history.page(engine, ContactFilter(), 0, 1000)}
    assert listed == saved_mine
    for name in others:
        where = ContactFilter(text=name)
        where.ready(engine)
        assert history.count(engine, where) == 0, f"{name} found under {paths.client}"
    draft = store.load_draft(engine)
    assert draft is not None and draft.caller_name in mine
    assert dashboard.figures(engine, ContactFilter()).total == len(saved_mine)

    settings_, _ = config.load_seat(paths)
    for fmt in ("jsonl", "csv", "xlsx"):
        out = seat.parent / f"{paths.client}.{fmt}"
        export.export(engine, out, fmt, ContactFilter(), source=export.export_source(settings_))
        if fmt == "xlsx":  # a zip: its cells read back
            book = openpyxl.load_workbook(out, read_only=True)
            written = "\n".join(str(v) for row in book.active.iter_rows(values_only=True)
                                for v in row).encode()  # fmt: skip
            book.close()
        else:
            written = out.read_bytes()
        assert not any(n.encode() in written for n in others), f"{fmt} of {paths.client}"
        assert all(n.encode() in written for n in saved_mine)
    header = json.loads((seat.parent / f"{paths.client}.jsonl").read_text().splitlines()[0])
    assert header["client"] == paths.client

    report = run_once(engine, settings_)
    assert [t.state for t in report.targets] == ["ok"]
    drop = seat.parent / f"drop-{paths.client}"
    delivered = b"".join(f.read_bytes() for f in drop.rglob("*") if f.is_file())
    assert not any(n.encode() in delivered for n in others), f"sync of {paths.client}"
    assert all(n.encode() in delivered for n in saved_mine)


def _check_merges_refused(
    contexts: dict[str, SeatContext], clients: dict[str, DataPaths], tmp: Path
) -> None:
    for client in CLIENTS:
        for other in CLIENTS:
            if other == client:
                continue
            engine = contexts[client].engine
            before = dashboard.figures(engine, ContactFilter()).total
            with pytest.raises(merge.MergeError, match=f"client '{other}'"):
                merge.merge_files(engine, [tmp / f"{other}.jsonl"], client)
            with pytest.raises(merge.MergeError, match=f"client '{other}'"):
                merge.merge_files(engine, [clients[other].database], client)
            assert dashboard.figures(engine, ContactFilter()).total == before
