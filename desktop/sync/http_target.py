"""The HTTP sync target: a JSON batch of contacts POSTed to the CRM (docs/sync-protocol.md).

One call of ``send`` is one batch: it returns what the CRM said about each contact, or raises
``Retryable`` (try again later: timeouts, connection errors, 408, 429, 5xx), ``TooLarge``
(413: split the batch) or ``Misconfigured`` (401, 403, 404, 400, 422: stop and say so).
Transient failures are first retried a few times within the call, with exponential backoff
and full jitter, honouring Retry-After.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from typing import Any

import httpx
from tenacity import (
    RetryCallState,
    retry,
    retry_if_exception_type,
    stop_after_attempt,
    wait_random_exponential,
)

from desktop import __version__
from desktop.config import TargetConfig
from desktop.sync.outbox import Key

log = logging.getLogger("repli.sync.http")
SCHEMA = "repli.contacts/1"
HOLDS_SCHEMA = "repli.holds/1"  # the reconciliation request: which of these pairs it stored
HOLDS_AT_ONCE = 1000
RETRY_STATUSES = {408, 425, 429, 500, 502, 503, 504}
CONFIG_STATUSES = {400, 401, 403, 404, 405, 415, 422}


class Retryable(Exception):
    def __init__(self, reason: str, retry_after: float = 0.0) -> None:
        super().__init__(reason)
        self.retry_after = retry_after


class TooLarge(Exception):
    """413: the batch must be split."""


class Misconfigured(Exception):
    """The target refuses us whatever we send: its URL, token or protocol is wrong."""


class NoReconciliation(Exception):
    """The CRM does not answer the reconciliation request (docs/sync-protocol.md)."""


@dataclass(frozen=True)
class Result:
    status: str  # accepted | duplicate | rejected
    reason: str = ""


def idempotency_key(keys: list[Key]) -> str:
    """The same batch always carries the same key, however often it is resent."""
    text = "\n".join(f"{contact_id}:{revision}" for contact_id, revision in sorted(keys))
    return hashlib.sha256(text.encode()).hexdigest()


class HttpTarget:
    def __init__(self, config: TargetConfig, seat: dict[str, str], attempts: int = 3) -> None:
        self.config = config
        self.seat = seat
        self.attempts = attempts
        self._client = httpx.Client(
            timeout=httpx.Timeout(config.timeout_s),
            headers={
                "Authorization": f"Bearer {config.token}",
                "User-Agent": f"Repli/{__version__}",
            },
        )

    def close(self) -> None:
        self._client.close()

    def send(self, contacts: list[dict[str, Any]]) -> dict[Key, Result]:
        sender = retry(
            retry=retry_if_exception_type(Retryable),
            stop=stop_after_attempt(self.attempts),
            wait=_wait_honouring_retry_after,
            reraise=True,
        )(self._post)
        return sender(contacts)

    def _post(self, contacts: list[dict[str, Any]]) -> dict[Key, Result]:
        keys = [(c["id"], int(c["revision"])) for c in contacts]
        batch_id = idempotency_key(keys)
        body = {
            "schema": SCHEMA,
            "batch_id": batch_id,
            **self.seat,
            "contacts": contacts,
        }
        response = self._post_json(body, {"Idempotency-Key": batch_id})
        status = response.status_code
        if status == 413:
            raise TooLarge(f"413: batch of {len(contacts)} too large")
        if status in RETRY_STATUSES:
            raise Retryable(f"HTTP {status}", _retry_after(response))
        if status in CONFIG_STATUSES:
            raise Misconfigured(f"HTTP {status} from {self.config.url}: {_brief(response)}")
        if not 200 <= status < 300:
            raise Retryable(f"HTTP {status}")
        return _results(response, set(keys))

    def _post_json(self, body: dict[str, Any], headers: dict[str, str] | None = None) -> Any:
        """The CRM's answer to ``body``; Retryable when none came (timeout, connection)."""
        try:
            return self._client.post(self.config.url, json=body, headers=headers)
        except httpx.TimeoutException as exc:
            raise Retryable(
                f"no answer within {self.config.timeout_s:g} s ({type(exc).__name__})"
            ) from None
        except httpx.TransportError as exc:
            raise Retryable(f"connection failed: {exc}") from None

    def holds(self, keys: list[Key]) -> set[Key]:
        """Which of ``keys`` the CRM says it stored (the reconciliation request,
        HOLDS_AT_ONCE pairs a request). Raises NoReconciliation when it does not answer that
        request (an answer without "holds", or 400/404/405/415/422), Retryable when it is
        not reachable now."""
        asker = retry(
            retry=retry_if_exception_type(Retryable),
            stop=stop_after_attempt(self.attempts),
            wait=_wait_honouring_retry_after,
            reraise=True,
        )(self._holds)
        found: set[Key] = set()
        ordered = sorted(set(keys))
        for start in range(0, len(ordered), HOLDS_AT_ONCE):
            found |= asker(ordered[start : start + HOLDS_AT_ONCE])
        return found

    def _holds(self, keys: list[Key]) -> set[Key]:
        body = {
            "schema": HOLDS_SCHEMA,
            **self.seat,
            "keys": [{"id": c, "revision": r} for c, r in keys],
        }
        response = self._post_json(body)
        status = response.status_code
        if status in RETRY_STATUSES or status >= 500:
            raise Retryable(f"HTTP {status}", _retry_after(response))
        if status in (401, 403):
            raise Misconfigured(f"HTTP {status} from {self.config.url}: {_brief(response)}")
        if not 200 <= status < 300:
            raise NoReconciliation(f"HTTP {status}: {_brief(response)}")
        try:
            items = response.json()["holds"]
        except (ValueError, KeyError, TypeError):
            raise NoReconciliation(f'an answer without "holds": {_brief(response)}') from None
        asked, found = set(keys), set()
        for item in items if isinstance(items, list) else []:
            try:
                key = (str(item["id"]), int(item["revision"]))
            except (KeyError, TypeError, ValueError):
                continue
            if key in asked:
                found.add(key)
        return found


def _wait_honouring_retry_after(state: RetryCallState) -> float:
    jitter: float = wait_random_exponential(multiplier=0.5, max=8)(state)
    error = state.outcome.exception() if state.outcome else None
    retry_after = getattr(error, "retry_after", 0.0)
    return max(jitter, min(retry_after, 30.0))


def _retry_after(response: httpx.Response) -> float:
    value = response.headers.get("Retry-After", "")
    try:
        return max(0.0, float(value))
    except ValueError:
        return 0.0


def _brief(response: httpx.Response) -> str:
    return response.text[:200].replace("\n", " ")


def _results(response: httpx.Response, sent: set[Key]) -> dict[Key, Result]:
    """Only what the CRM answered for counts: a contact it did not mention is not delivered."""
    try:
        data = response.json()
        items = data["results"]
    except (ValueError, KeyError, TypeError):
        raise Retryable(f"answer without per-contact results: {_brief(response)}") from None
    found: dict[Key, Result] = {}
    for item in items if isinstance(items, list) else []:
        try:
            key = (str(item["id"]), int(item["revision"]))
            status = str(item["status"])
        except (KeyError, TypeError, ValueError):
            continue
        if key in sent and status in ("accepted", "duplicate", "rejected"):
            found[key] = Result(status, str(item.get("reason", "")))
    missing = len(sent) - len(found)
    if missing:
        log.warning(
            "the CRM answered for %s of %s contacts; the others will be resent",
            len(found),
            len(sent),
        )
    return found
