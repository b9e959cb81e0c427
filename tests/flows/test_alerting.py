"""Alerts from real flow runs under the session's Prefect harness: risk, health, a failing flow."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta, timezone

import pytest
from live_ops.flows.health import live_health_flow
from live_ops.flows.portfolio import portfolio_flow

from live_ops.alerts import AlertHistory
from live_ops.errors import StateError
from tests.alerts.helpers import SECRET_PATH

pytestmark = pytest.mark.prefect


def _alerting(rx, **more: str) -> dict[str, str]:
    return {'sinks = ["log", "stderr"]': 'sinks = ["log", "webhook"]',
            "\nwebhook_urls = []": f'\nwebhook_urls = ["{rx.url_for(SECRET_PATH)}"]', **more}


def test_portfolio_breach_alerts_once_then_recovers(prefect_api, write_config, receivers, tmp_path) -> None:
    rx = receivers()
    breach = write_config(replace=_alerting(rx, **{
        "max_symbol_exposure_notional = 5000.0": "max_symbol_exposure_notional = 2000.0"}))  # BTC 3,000 EUR
    snapshot = asyncio.run(portfolio_flow(config_path=str(breach)))
    assert snapshot.risk is not None and not snapshot.risk.allowed  # the flow's result is untouched
    asyncio.run(portfolio_flow(config_path=str(breach)))  # same breach again: deduplicated
    assert [r.json()["code"] for r in rx.requests] == ["RISK_LIMIT_VIOLATION_PORTFOLIO"]
    first = rx.requests[0].json()
    assert first["level"] == "CRITICAL" and first["context"]["symbol"] == "BTC/EUR"
    assert first["context"]["limit"] == 2000.0 and first["context"]["value"] == pytest.approx(3000.0)

    fixed = write_config(replace=_alerting(rx))
    asyncio.run(portfolio_flow(config_path=str(fixed)))
    assert [r.json()["code"] for r in rx.requests] == ["RISK_LIMIT_VIOLATION_PORTFOLIO",
                                                      "RISK_LIMIT_RECOVERED_PORTFOLIO"]
    recovery = rx.requests[1].json()
    assert recovery["level"] == "INFO" and recovery["subject"] == "max_symbol_exposure_notional:BTC/EUR"
    rows = AlertHistory(tmp_path / "state.db").query(since=datetime.now(timezone.utc) - timedelta(hours=1))
    assert [(r.code, r.deliveries[1]["status"]) for r in rows] == [
        ("RISK_LIMIT_RECOVERED_PORTFOLIO", "sent"), ("RISK_LIMIT_VIOLATION_PORTFOLIO", "deduplicated"),
        ("RISK_LIMIT_VIOLATION_PORTFOLIO", "sent")]


def test_health_degraded_alerts_through_webhook(prefect_api, write_config, receivers) -> None:
    rx = receivers()
    # slack URL set but slack not listed: the alerts check warns, health is DEGRADED
    path = write_config(replace=_alerting(rx, **{"slack_webhook_urls = []": 'slack_webhook_urls = ["http://x.invalid/s"]'}))
    report = asyncio.run(live_health_flow(config_path=str(path)))
    assert report.overall_status == "DEGRADED"
    (request,) = rx.requests
    body = request.json()
    assert (body["level"], body["code"], body["subject"]) == ("WARNING", "HEALTH_DEGRADED", "alerts")


def test_failing_flow_sends_critical_alert(prefect_api, write_config, receivers, tmp_path) -> None:
    rx = receivers()
    path = write_config(replace=_alerting(rx))
    (tmp_path / "state.db").mkdir()  # the state database cannot be opened: the flow fails
    with pytest.raises(StateError):
        asyncio.run(portfolio_flow(config_path=str(path)))
    (request,) = rx.requests
    body = request.json()
    assert (body["level"], body["code"], body["source"], body["subject"]) == (
        "CRITICAL", "FLOW_FAILED", "flow", "portfolio-flow")
    assert "cannot" in body["message"] and body["context"]["state"] == "Failed"


def test_failing_flow_with_unreadable_config_alerts_on_stderr(prefect_api, tmp_path, capsys) -> None:
    from live_ops.errors import ConfigError

    with pytest.raises(ConfigError):
        asyncio.run(portfolio_flow(config_path=str(tmp_path / "missing.toml")))
    err = capsys.readouterr().err
    line = next(line for line in err.splitlines() if line.startswith("[ALERT CRITICAL]"))
    assert "flow FLOW_FAILED" in line and "config file not found" in line
