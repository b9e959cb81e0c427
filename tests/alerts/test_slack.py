"""The Slack sink: `text` + `blocks`, escaping, Slack's 200 `ok`, the webhook's retry loop."""

from __future__ import annotations

from pydantic import SecretStr

from live_ops.alerts import AlertLevel
from live_ops.alerts.sinks import SlackSink, slack_payload
from tests.alerts.helpers import SECRET_PATH, make_event
from tests.fakes.receiver import Reply


def test_slack_payload_has_text_and_blocks_with_key_fields() -> None:
    payload = slack_payload(make_event(AlertLevel.CRITICAL, code="RISK_LIMIT_VIOLATION_PORTFOLIO"))
    assert set(payload) == {"text", "blocks"}
    assert payload["text"].startswith("[CRITICAL] portfolio RISK_LIMIT_VIOLATION_PORTFOLIO:")
    fields = [f["text"] for block in payload["blocks"] if block["type"] == "section" for f in block.get("fields", [])]
    assert "*Level*\nCRITICAL" in fields and "*Source*\nportfolio" in fields
    assert "*symbol*\nBTC/EUR" in fields and "*ratio*\n84%" in fields and "*limit*\n5,000" in fields
    assert "BTC/EUR exposure 4,200.00 EUR" in payload["blocks"][0]["text"]["text"]


def test_slack_payload_escapes_control_characters() -> None:
    event = make_event(message="P&L <@channel> > limit", symbol="A&B<C>")
    payload = slack_payload(event)
    everything = str(payload)
    assert "P&amp;L &lt;@channel&gt; &gt; limit" in payload["text"]
    assert "A&amp;B&lt;C&gt;" in everything
    assert "<@channel>" not in everything and "A&B" not in everything


def test_slack_sink_posts_payload_and_accepts_ok(receivers, sleeps) -> None:
    rx = receivers()
    rx.default = Reply(200, "ok")
    result = SlackSink(SecretStr(rx.url_for(SECRET_PATH)), index=1, sleep=sleeps).send(make_event())
    assert (result.status, result.sink, result.target) == ("sent", "slack[1]", rx.url)
    body = rx.requests[0].json()
    assert set(body) == {"text", "blocks"} and rx.requests[0].path == SECRET_PATH


def test_slack_sink_reuses_webhook_retries(receivers, sleeps) -> None:
    rx = receivers()
    rx.script(503, Reply(200, "ok"))
    result = SlackSink(SecretStr(rx.url_for("/s")), retries=1, sleep=sleeps).send(make_event())
    assert (result.status, result.attempts, len(sleeps)) == ("sent", 2, 1)


def test_slack_sink_does_not_retry_404_no_service(receivers, sleeps) -> None:
    rx = receivers()
    rx.default = Reply(404, "no_service")
    result = SlackSink(SecretStr(rx.url_for("/s")), sleep=sleeps).send(make_event())
    assert (result.status, result.attempts) == ("failed", 1) and "no_service" in result.detail
