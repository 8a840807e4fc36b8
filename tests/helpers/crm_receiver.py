"""A primary CRM for the tests: a real HTTP server on 127.0.0.1 that speaks the sync
protocol (docs/sync-protocol.md), deduplicates by (id, revision), and misbehaves on demand.

Faults, chosen per request by ``plan(request_number)``:
  "ok", "500", "503", "429" (with Retry-After: 1), "drop" (stores the batch, then closes the
  connection without answering), "slow" (stores, then answers after the client gave up),
  "413" (refuses batches over ``max_batch``). Contacts whose caller_name starts with
  "REJECT" are always rejected with a reason.

It answers the reconciliation request ("repli.holds/1": which of these pairs it stored) from
what it stored, unless ``answers_holds`` is False (then 422, as a CRM that does not know it).
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

Key = tuple[str, int]


class CrmReceiver:
    def __init__(self, token: str = "crm-token", plan: Callable[[int], str] = lambda _n: "ok",
                 max_batch: int = 10_000, slow_s: float = 3.0) -> None:  # fmt: skip
        self.token = token
        self.plan = plan
        self.max_batch = max_batch
        self.slow_s = slow_s
        self.stored: dict[Key, dict[str, Any]] = {}
        self.received = 0  # contacts received, duplicates included
        self.requests = 0
        self.faults: dict[str, int] = {}
        self.batch_ids: list[str] = []
        self.answers_holds = True
        self.holds_all = False  # answers every pair asked about as held
        self.holds_asked = 0  # pairs asked about
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_port}/contacts"

    def __enter__(self) -> CrmReceiver:
        threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        ).start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    def take(self, batch: dict[str, Any]) -> list[dict[str, Any]]:
        results = []
        with self._lock:
            self.batch_ids.append(str(batch.get("batch_id")))
            for contact in batch["contacts"]:
                key = (contact["id"], int(contact["revision"]))
                self.received += 1
                if str(contact.get("caller_name", "")).startswith("REJECT"):
                    results.append({"id": key[0], "revision": key[1], "status": "rejected",
                                    "reason": "caller name refused by the CRM"})  # fmt: skip
                elif key in self.stored:
                    results.append({"id": key[0], "revision": key[1], "status": "duplicate"})
                else:
                    self.stored[key] = contact
                    results.append({"id": key[0], "revision": key[1], "status": "accepted"})
        return results


def _handler(crm: CrmReceiver) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *_args: object) -> None:
            pass

        def do_POST(self) -> None:
            with crm._lock:
                crm.requests += 1
                number = crm.requests
            fault = crm.plan(number)
            crm.faults[fault] = crm.faults.get(fault, 0) + 1
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            if self.headers.get("Authorization") != f"Bearer {crm.token}":
                return self._answer(401, {"error": "bad token"})
            if fault in ("500", "503"):
                return self._answer(int(fault), {"error": "server trouble"})
            if fault == "429":
                return self._answer(429, {"error": "slow down"}, {"Retry-After": "1"})
            batch = json.loads(body)
            if batch.get("schema") == "repli.holds/1":
                return self._holds(batch)
            if len(batch["contacts"]) > crm.max_batch:
                return self._answer(413, {"error": "batch too large"})
            results = crm.take(batch)
            if fault == "drop":  # stored, but the answer never reaches the seat
                self.close_connection = True
                self.connection.shutdown(2)
                return None
            if fault == "slow":
                time.sleep(crm.slow_s)
            return self._answer(200, {"results": results})

        def _holds(self, request: dict[str, Any]) -> None:
            if not crm.answers_holds:
                return self._answer(422, {"error": "unknown schema"})
            with crm._lock:
                asked = [(str(k["id"]), int(k["revision"])) for k in request["keys"]]
                crm.holds_asked += len(asked)
                held = [
                    {"id": c, "revision": r}
                    for c, r in asked
                    if crm.holds_all or (c, r) in crm.stored
                ]
            return self._answer(200, {"holds": held})

        def _answer(
            self, status: int, body: dict[str, Any], headers: dict[str, str] | None = None
        ) -> None:
            data = json.dumps(body).encode()
            try:
                self.send_response(status)
                for key, value in (headers or {}).items():
                    self.send_header(key, value)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (timeout): the batch is stored all the same

    return Handler


def main() -> None:
    """``python -m tests.helpers.crm_receiver PORT TOKEN [--holds-all]``: serve until killed
    (benchmarks); port 0 takes a free one; prints the URL. ``--holds-all``: answers every
    reconciliation request as holding every pair (a CRM that lost nothing)."""
    import sys

    port, token = int(sys.argv[1]), sys.argv[2]
    crm = CrmReceiver(token)
    crm.holds_all = "--holds-all" in sys.argv
    crm._server.server_close()
    crm._server = ThreadingHTTPServer(("127.0.0.1", port), _handler(crm))
    crm._server.daemon_threads = True
    print(f"http://127.0.0.1:{crm._server.server_port}/contacts", flush=True)
    crm._server.serve_forever(poll_interval=0.05)


if __name__ == "__main__":
    main()
