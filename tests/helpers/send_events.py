"""Send screen-pop requests over real HTTP, from a process of its own (as a softphone would).

    python -m tests.helpers.send_events PORT TOKEN REQUESTS_JSON

REQUESTS_JSON is a list of {"method", "path", "body" (object or raw string), "headers",
"token": false to send none}. Prints one status per request.
"""

from __future__ import annotations

import http.client
import json
import sys


def send(port: int, token: str, request: dict[str, object]) -> int:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    headers = {"Content-Type": "application/json", **dict(request.get("headers") or {})}  # type: ignore[call-overload]
    if request.get("token", True):
        headers.setdefault("Authorization", f"Bearer {token}")
    body = request.get("body")
    data = (
        body.encode()
        if isinstance(body, str)
        else json.dumps(body).encode()
        if body is not None
        else None
    )
    conn.request(
        str(request.get("method", "POST")),
        str(request.get("path", "/v1/call-events")),
        data,
        headers,
    )
    status = conn.getresponse().status
    conn.close()
    return status


def main() -> None:
    port, token, requests = int(sys.argv[1]), sys.argv[2], json.loads(sys.argv[3])
    print(" ".join(str(send(port, token, r)) for r in requests), flush=True)


if __name__ == "__main__":
    main()
