"""The `apprise` sink (SPEC §10) against local receivers through Apprise's json:// and form:// schemes."""

from __future__ import annotations

import json
from urllib.parse import parse_qs

from pydantic import SecretStr

from live_ops.alerts import AlertHistory, AlertLevel, Dispatcher, build_sinks
from live_ops.alerts.sinks.apprise import AppriseSink, redact_any_url
from live_ops.config.models import AlertsConfig
from live_ops.config.secrets import redact_url
from tests.alerts.helpers import SECRET_PATH, assert_no_secret, make_event


def _apprise_url(scheme: str, http_url: str) -> str:
    return http_url.replace("http://", f"{scheme}://", 1)


def test_apprise_json_target_receives_a_breach_alert(receivers, history: AlertHistory, sleeps) -> None:
    rx = receivers()
    config = AlertsConfig(sinks=["apprise"], apprise_urls=[_apprise_url("json", rx.url_for(SECRET_PATH))])
    dispatcher = Dispatcher.from_config(config, history=history, sleep=sleeps)
    event = make_event(AlertLevel.CRITICAL, code="RISK_LIMIT_VIOLATION_PORTFOLIO")
    (outcome,) = dispatcher.dispatch([event])
    (delivery,) = outcome.deliveries
    assert (delivery.sink, delivery.status) == ("apprise[0]", "sent")
    assert delivery.target == rx.url.replace("http://", "json://")
    body = rx.requests[0].json()
    assert body["title"] == "[CRITICAL] portfolio RISK_LIMIT_VIOLATION_PORTFOLIO" and body["type"] == "failure"
    assert event.message in body["message"]
    stored = history.query(since=event.ts)[0]
    assert stored.deliveries[0]["status"] == "sent"
    assert_no_secret(json.dumps(stored.deliveries) + repr(dispatcher.sinks))


def test_apprise_form_target_receives_the_alert(receivers, sleeps) -> None:
    rx = receivers()
    sink = AppriseSink(SecretStr(_apprise_url("form", rx.url_for("/hook"))), sleep=sleeps)
    assert sink.send(make_event()).status == "sent"
    form = parse_qs(rx.requests[0].body.decode())
    assert form["title"] == ["[WARNING] portfolio RISK_LIMIT_WARNING_PORTFOLIO"]


def test_apprise_failure_is_retried_then_sent(receivers, sleeps) -> None:
    rx = receivers()
    rx.script(500)
    sink = AppriseSink(SecretStr(_apprise_url("json", rx.url_for("/x"))), retries=2, sleep=sleeps)
    result = sink.send(make_event())
    assert (result.status, result.attempts) == ("sent", 2) and sleeps == [0.5]


def test_apprise_dead_target_fails_after_retries_without_leaking(receivers, sleeps) -> None:
    rx = receivers()
    rx.script(500, 500, 500)
    sink = AppriseSink(SecretStr(_apprise_url("json", rx.url_for(SECRET_PATH))), retries=2, sleep=sleeps)
    result = sink.send(make_event())
    assert (result.status, result.attempts) == ("failed", 3)
    assert_no_secret(result.detail + result.target)


def test_apprise_url_it_cannot_build_is_recorded_invalid_and_log_stderr_still_deliver(history, capsys) -> None:
    config = AlertsConfig(sinks=["log", "stderr", "apprise"], apprise_urls=["nosuchscheme://T0SECRET/B0SECRET"])
    (outcome,) = Dispatcher.from_config(config, history=history).dispatch([make_event()])
    statuses = {d.sink: d.status for d in outcome.deliveries}
    assert statuses == {"log": "sent", "stderr": "sent", "apprise[0]": "invalid"}
    assert "Apprise cannot build" in outcome.deliveries[2].detail
    assert "[ALERT WARNING]" in capsys.readouterr().err
    stored = history.query(since=outcome.event.ts)[0].deliveries
    assert {d["sink"]: d["status"] for d in stored}["apprise[0]"] == "invalid"
    assert_no_secret(repr(outcome.deliveries))


def test_apprise_token_in_host_position_is_never_shown() -> None:
    for url in ("tgram://123456789:AAH-T0SECRET/-1001234", "discord://4174216298/T0SECRET",
                "pagerduty://T0SECRET@B0SECRET/", "mailto://ops:T0SECRET@mail.example.com?to=desk@example.com"):
        shown = redact_url(url)
        assert_no_secret(shown) and "123456789" not in shown
        assert shown.split("://")[0] == url.split("://")[0]
    assert redact_url("mailto://ops:T0SECRET@mail.example.com") == "mailto://mail.example.com"
    assert_no_secret(redact_any_url("failed to send to tgram://123:T0SECRET/x, retry"))


def test_apprise_env_entry_resolves_from_environment(receivers, sleeps) -> None:
    rx = receivers()
    config = AlertsConfig(sinks=["apprise"], apprise_urls=["env:LIVE_OPS_PAGER"])
    (sink,) = build_sinks(config, environ={"LIVE_OPS_PAGER": _apprise_url("json", rx.url_for("/p"))}, sleep=sleeps)
    assert sink.send(make_event()).status == "sent"
