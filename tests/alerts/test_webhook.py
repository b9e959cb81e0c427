"""The webhook sink against a real local receiver: payload, retries, Retry-After, time bounds."""

from __future__ import annotations

import time

from pydantic import SecretStr

from live_ops.alerts.sinks import WebhookSink, parse_retry_after
from tests.alerts.helpers import SECRET_PATH, T0, Sleeps, assert_no_secret, make_event
from tests.fakes.receiver import Reply, refused_url


def _sink(url: str, sleeps: Sleeps, **kw) -> WebhookSink:
    kw.setdefault("timeout_s", 1.0)
    kw.setdefault("retries", 2)
    return WebhookSink(SecretStr(url), sleep=sleeps, **kw)


def test_webhook_posts_event_json(receivers, sleeps) -> None:
    rx = receivers()
    result = _sink(rx.url_for(SECRET_PATH), sleeps).send(make_event())
    assert (result.status, result.attempts, result.sink, result.target) == ("sent", 1, "webhook[0]", rx.url)
    (request,) = rx.requests
    assert request.headers["Content-Type"] == "application/json"
    body = request.json()
    assert set(body) >= {"ts", "level", "source", "code", "message", "context"}
    assert body["level"] == "WARNING" and body["code"] == "RISK_LIMIT_WARNING_PORTFOLIO"
    assert body["context"] == {"limit": 5000.0, "value": 4200.0, "ratio": 0.84, "symbol": "BTC/EUR"}
    assert body["ts"] == "2025-03-03T07:00:00Z"


def test_webhook_retries_5xx_with_exponential_backoff(receivers, sleeps) -> None:
    rx = receivers()
    rx.script(500, 502, 200)
    result = _sink(rx.url_for("/h"), sleeps, backoff_s=0.5).send(make_event())
    assert (result.status, result.attempts, len(rx.requests)) == ("sent", 3, 3)
    assert sleeps == [0.5, 1.0]


def test_webhook_gives_up_after_retries(receivers, sleeps) -> None:
    rx = receivers()
    rx.default = Reply(500, "boom")
    result = _sink(rx.url_for(SECRET_PATH), sleeps, retries=2).send(make_event())
    assert (result.status, result.attempts, len(rx.requests)) == ("failed", 3, 3)
    assert "HTTP 500" in result.detail
    assert_no_secret(repr(result))


def test_webhook_does_not_retry_400(receivers, sleeps) -> None:
    rx = receivers()
    rx.default = Reply(400, "invalid_payload")
    result = _sink(rx.url_for("/h"), sleeps).send(make_event())
    assert (result.status, result.attempts, len(rx.requests), sleeps) == ("failed", 1, 1, [])
    assert "not retried" in result.detail and "invalid_payload" in result.detail


def test_webhook_honours_retry_after_on_429(receivers, sleeps) -> None:
    rx = receivers()
    rx.script(Reply(429, "slow down", {"Retry-After": "3"}), 200)
    result = _sink(rx.url_for("/h"), sleeps, timeout_s=1.0).send(make_event())
    assert (result.status, result.attempts) == ("sent", 2)
    assert sleeps == [3.0]


def test_webhook_gives_up_when_retry_after_exceeds_its_bound(receivers, sleeps) -> None:
    rx = receivers()
    rx.script(Reply(429, "", {"Retry-After": "3600"}), 200)
    result = _sink(rx.url_for("/h"), sleeps).send(make_event())
    assert (result.status, len(rx.requests), sleeps) == ("failed", 1, [])
    assert "time bound" in result.detail


def test_webhook_retries_refused_connection(sleeps) -> None:
    result = _sink(refused_url(SECRET_PATH), sleeps, retries=2).send(make_event())
    assert (result.status, result.attempts) == ("failed", 3)
    assert "ConnectError" in result.detail
    assert_no_secret(repr(result))


def test_webhook_slower_than_timeout_fails_within_its_bound(receivers, sleeps) -> None:
    rx = receivers()
    rx.slow()  # released by the fixture at teardown
    started = time.monotonic()
    result = _sink(rx.url_for("/h"), sleeps, timeout_s=0.2, retries=1).send(make_event())
    elapsed = time.monotonic() - started
    assert (result.status, result.attempts, len(rx.requests)) == ("failed", 2, 2)
    assert "Timeout" in result.detail
    assert elapsed < 2.0


def test_webhook_deadline_caps_all_attempts(receivers, sleeps) -> None:
    rx = receivers()
    rx.slow()
    started = time.monotonic()
    result = _sink(rx.url_for("/h"), sleeps, timeout_s=0.3, retries=5, deadline_s=0.5).send(make_event())
    assert result.status == "failed" and time.monotonic() - started < 1.5
    assert len(rx.requests) <= 2


def test_parse_retry_after_seconds_and_http_date() -> None:
    assert parse_retry_after("7") == 7.0
    assert parse_retry_after("Mon, 03 Mar 2025 07:00:30 GMT", now=T0) == 30.0
    assert parse_retry_after("soon") is None and parse_retry_after(None) is None
