"""Tables that follow the primary: how fast a publish reaches the seats, and what a check
that finds nothing new costs; each figure beside a reference from the same run.

    .venv/bin/python benchmarks/tables_follow.py [--seats 30]

- through the site database (PostgreSQL, started here): the supervisor publishes once; each
  seat checks every SITE_EVERY_S seconds from a random phase, as the windows do, and takes
  the pack; the time from the publish to the last seat on it (goal < 10 s for 30 seats),
  beside one seat's check and activation alone;
- through HTTP (a server on 127.0.0.1 with ETag): a check that finds nothing new, in
  requests, in disk writes and in time, beside a bare conditional GET to the same server.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import sys
import tempfile
import threading
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from desktop.context import SeatContext  # noqa: E402
from desktop.tables.follow import check, publish  # noqa: E402
from desktop.tables.signed import sign_pack  # noqa: E402
from desktop.tables.signing import write_key_pair  # noqa: E402
from desktop.tables.site_packs import publish_to_site  # noqa: E402
from desktop.ui.tables_follow import SITE_EVERY_S  # noqa: E402
from tests.helpers.postgres import Postgres  # noqa: E402

DEMO = ROOT / "lookup_tables" / "demo"


def seat(folder: Path, source: str, site_url: str, public: str) -> SeatContext:
    folder.mkdir(parents=True)
    (folder / "config.toml").write_text(
        f'pop_port = 0\ntables_source = "{source}"\n'
        + (
            f'[[sync_targets]]\nname = "site"\nkind = "site"\ndatabase_url = "{site_url}"\n'
            if site_url
            else ""
        ),
        encoding="utf-8",
    )
    context = SeatContext.open(str(folder))
    context.settings = replace(context.settings, tables_public_keys=(public,))
    return context


def site_run(root: Path, seats: int, secret: Path, public: str) -> None:
    from desktop.store.schema import open_migrated

    server = Postgres(Path(tempfile.mkdtemp(prefix="repli-pg-"))).start()
    try:
        url = server.create_database("site")
        site = open_migrated(url)
        contexts = [seat(root / f"s{n}", "site", url, public) for n in range(seats)]
        alone = contexts.pop()
        pack = root / "pack"
        shutil.copytree(DEMO, pack)
        sign_pack(pack, secret, serial=100)
        publish_to_site(site, pack, "bench")
        t0 = time.perf_counter()
        check(alone.paths, alone.settings, alone.engine, activate=True)
        one = time.perf_counter() - t0
        second = root / "pack2"
        shutil.copytree(DEMO, second)
        sign_pack(second, secret, serial=101)
        done: list[float] = []
        stop = threading.Event()
        lock = threading.Lock()

        def follow(context: SeatContext, phase: float, published: list[float]) -> None:
            stop.wait(phase)
            while not stop.is_set():
                outcome = check(context.paths, context.settings, context.engine, activate=True)
                if outcome.changed and outcome.serial == 101:
                    with lock:
                        done.append(time.perf_counter() - published[0])
                    return
                stop.wait(SITE_EVERY_S)

        published = [0.0]
        threads = [
            threading.Thread(target=follow, args=(c, random.uniform(0, SITE_EVERY_S), published))
            for c in contexts
        ]
        for thread in threads:
            thread.start()
        time.sleep(SITE_EVERY_S + 1)  # every seat polling, on the old pack (100 is new to them)
        done.clear()
        published[0] = time.perf_counter()
        publish_to_site(site, second, "bench")
        deadline = time.perf_counter() + 60
        while len(done) < len(contexts) and time.perf_counter() < deadline:
            time.sleep(0.05)
        stop.set()
        for thread in threads:
            thread.join()
        print(
            f"site database: {len(done)} of {len(contexts)} seats on the new pack, the last "
            f"{max(done):.1f} s after the publish (median {statistics.median(done):.1f} s; "
            f"checks every {SITE_EVERY_S} s); reference: one seat's check and activation "
            f"{one * 1000:.0f} ms"
        )
        for context in [*contexts, alone]:
            context.close()
        site.dispose()
    finally:
        server.stop(remove=True)


def http_run(root: Path, secret: Path, public: str) -> None:
    import hashlib
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    import httpx

    www = root / "www"
    pack = root / "http-pack"
    shutil.copytree(DEMO, pack)
    sign_pack(pack, secret, serial=200)
    publish(pack, www)
    requests: list[str] = []

    class Handler(SimpleHTTPRequestHandler):
        def log_message(self, *_args: object) -> None:
            pass

        def do_GET(self) -> None:
            requests.append(self.path)
            data = Path(self.translate_path(self.path)).read_bytes()
            etag = '"' + hashlib.sha256(data).hexdigest()[:16] + '"'
            if self.headers.get("If-None-Match") == etag:
                self.send_response(304)
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("ETag", etag)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    server = ThreadingHTTPServer(("127.0.0.1", 0), lambda *a: Handler(*a, directory=str(www)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    context = seat(root / "http-seat", url, "", public)
    client = httpx.Client(timeout=10)
    check(context.paths, context.settings, context.engine, activate=True, client=client)
    state = context.paths.root / "tables-follow.json"
    written = state.stat().st_mtime_ns
    requests.clear()
    times = []
    for _ in range(50):
        t0 = time.perf_counter()
        check(context.paths, context.settings, context.engine, client=client)
        times.append(time.perf_counter() - t0)
    per_check = len(requests) / 50
    etag = client.get(url + "current.json").headers["ETag"]
    bare = []
    for _ in range(50):
        t0 = time.perf_counter()
        client.get(url + "current.json", headers={"If-None-Match": etag})
        bare.append(time.perf_counter() - t0)
    print(
        f"HTTP, nothing new: {per_check:.0f} request(s) a check, state file written: "
        f"{'no' if state.stat().st_mtime_ns == written else 'YES'}, median "
        f"{statistics.median(times) * 1000:.1f} ms; reference: a bare conditional GET "
        f"{statistics.median(bare) * 1000:.1f} ms"
    )
    client.close()
    context.close()
    server.shutdown()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seats", type=int, default=30)
    args = parser.parse_args(argv)
    root = Path(tempfile.mkdtemp(prefix="repli-follow-"))
    os.environ.setdefault("REPLI_SYSTEM_CONFIG", str(root / "no-system.toml"))
    try:
        secret, public_file = write_key_pair(root / "keys")
        public = public_file.read_text().splitlines()[-1]
        http_run(root, secret, public)
        site_run(root, args.seats + 1, secret, public)
    finally:
        shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
