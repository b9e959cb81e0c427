"""The `webhook` sink: POST the event as JSON, with bounded retries; the seam where httpx is translated.

Retry policy: network errors, 5xx and 429 are retried with exponential backoff (a `Retry-After`
header wins over the backoff); any other 4xx is final, since sending the same request again will
not fix it. The whole delivery, every attempt and wait included, stays inside `deadline_s`;
a server that asks for a longer wait is given up on rather than allowed to stall the caller.
URLs carry tokens: `target`, `detail` and log lines hold the host only.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from typing import Any

import httpx
from pydantic import SecretStr

from live_ops.alerts.events import AlertEvent, redact_text
from live_ops.alerts.sinks.base import DeliveryResult
from live_ops.config.secrets import redact_url

BACKOFF_S = 0.5  # first wait; doubles each retry
MAX_WAIT_S = 10.0  # longest single wait (backoff or Retry-After) a sink accepts
_BODY_SNIPPET = 120


class _HostOnlyUrls(logging.Filter):
    """httpx logs every request with its full URL at INFO: keep scheme://host:port only."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(redact_url(str(a)) if isinstance(a, httpx.URL) else a for a in record.args)
        return True


_httpx_logger = logging.getLogger("httpx")
if not any(isinstance(f, _HostOnlyUrls) for f in _httpx_logger.filters):
    _httpx_logger.addFilter(_HostOnlyUrls())


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Return the wait a `Retry-After` header asks for in seconds (delta or HTTP date), or None."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - (now or datetime.now(timezone.utc))).total_seconds())


def default_deadline(timeout_s: float, retries: int) -> float:
    """Return the time bound of one delivery: every attempt's timeout plus the longest waits between."""
    return (retries + 1) * timeout_s + retries * MAX_WAIT_S


class WebhookSink:
    """POSTs `payload(event)` as JSON to one URL; 2xx is delivered."""

    kind = "webhook"

    def __init__(
        self,
        url: SecretStr,
        *,
        index: int = 0,
        timeout_s: float = 3.0,
        retries: int = 2,
        deadline_s: float | None = None,
        backoff_s: float = BACKOFF_S,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self._url = url
        self.name = f"{self.kind}[{index}]"
        self.target = redact_url(url)
        self.timeout_s = timeout_s
        self.retries = retries
        self.deadline_s = default_deadline(timeout_s, retries) if deadline_s is None else deadline_s
        self.backoff_s = backoff_s
        self.sleep = sleep
        self.clock = clock
        self.transport = transport

    def payload(self, event: AlertEvent) -> dict[str, Any]:
        """Return the JSON body for `event`: the event itself."""
        return event.model_dump(mode="json")

    def send(self, event: AlertEvent) -> DeliveryResult:
        """POST the event with retries inside the deadline; return sent or failed (never raises)."""
        body = self.payload(event)
        started = self.clock()
        deadline = started + self.deadline_s
        attempts = 0
        detail = ""

        def result(status: str, text: str) -> DeliveryResult:
            return DeliveryResult(self.name, self.target, status, attempts=attempts, detail=text,  # type: ignore[arg-type]
                                  duration_ms=(self.clock() - started) * 1000)

        with httpx.Client(follow_redirects=False, transport=self.transport) as client:
            while True:
                remaining = deadline - self.clock()
                if remaining <= 0:
                    return result("failed", f"{detail}; gave up: {self.deadline_s:g}s time bound reached")
                attempts += 1
                retry_after: float | None = None
                try:
                    response = client.post(self._url.get_secret_value(), json=body,
                                           timeout=min(self.timeout_s, remaining))
                except httpx.UnsupportedProtocol as exc:
                    return result("failed", f"{type(exc).__name__}: {redact_text(str(exc))}")
                except (httpx.HTTPError, httpx.InvalidURL) as exc:
                    detail = f"{type(exc).__name__}: {redact_text(str(exc)) or 'no detail'}"
                    retryable = isinstance(exc, httpx.TransportError)
                else:
                    if response.is_success:
                        return result("sent", f"HTTP {response.status_code}")
                    status = response.status_code
                    detail = f"HTTP {status}: {redact_text(response.text[:_BODY_SNIPPET].strip())}".rstrip(": ")
                    retryable = status >= 500 or status == 429
                    retry_after = parse_retry_after(response.headers.get("Retry-After"))
                if not retryable:
                    return result("failed", f"{detail} (not retried)")
                if attempts > self.retries:
                    return result("failed", f"{detail} (after {attempts} attempts)")
                wait = retry_after if retry_after is not None else self.backoff_s * 2 ** (attempts - 1)
                if wait > MAX_WAIT_S or self.clock() + wait >= deadline:
                    return result("failed", f"{detail}; a retry in {wait:g}s would pass the time bound")
                self.sleep(wait)
