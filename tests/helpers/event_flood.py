"""A telephony flooding the screen-pop endpoint at a steady rate, from a process of its own.

    python -m tests.helpers.event_flood PORT TOKEN RATE SECONDS

Each call sends ringing, answered and ended (every 10th call repeats its ringing), the calls
overlapping. Prints one JSON line: what was sent and the statuses received.
"""

from __future__ import annotations

import http.client
import json
import sys
import time
from collections import Counter


def events(count: int) -> list[dict[str, str]]:
    out: list[dict[str, str]] = []
    call = 0
    while len(out) < count:
        call_id = f"flood-{call}"
        called = f"01 43 65 {call % 100:02d} {call // 100 % 100:02d}"
        out.append(
            {"event": "ringing", "call_id": call_id, "called": called, "caller": "0612345678"}
        )
        if call % 10 == 0:
            out.append({"event": "ringing", "call_id": call_id, "called": called})
        out.append({"event": "answered", "call_id": call_id})
        out.append({"event": "ended", "call_id": call_id})
        call += 1
    return out[:count]


def main() -> None:
    port, token, rate, seconds = (
        int(sys.argv[1]),
        sys.argv[2],
        float(sys.argv[3]),
        float(sys.argv[4]),
    )
    planned = events(int(rate * seconds))
    statuses: Counter[int] = Counter()
    start = time.monotonic()
    for i, event in enumerate(planned):
        delay = start + i / rate - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        conn.request("POST", "/v1/call-events", json.dumps(event),
                     {"Authorization": f"Bearer {token}", "Content-Type": "application/json"})  # fmt: skip
        statuses[conn.getresponse().status] += 1
        conn.close()
    per_call = Counter(e["call_id"] for e in planned)
    print(json.dumps({"sent": len(planned), "seconds": time.monotonic() - start,
                      "statuses": statuses, "per_call": per_call}), flush=True)  # fmt: skip


if __name__ == "__main__":
    main()
