"""Events from risk results and health reports; recoveries from open alerts."""

from __future__ import annotations

from datetime import timedelta

import pytest
from pydantic import ValidationError

from live_ops.alerts import AlertEvent, AlertLevel, OpenAlert, assess_health, assess_risk, recoveries, redact_text
from live_ops.config.models import LiveRiskConfig
from live_ops.health import CheckResult, summarize
from live_ops.risk import Exposure, evaluate_risk
from tests.alerts.helpers import T0

LIMITS = LiveRiskConfig(max_symbol_exposure_notional=5000.0, max_total_exposure_notional=20000.0)


def _risk(**symbol_notional: float):
    exposure = Exposure(quote_currency="EUR", symbol_notional={k.replace("_", "/"): v for k, v in symbol_notional.items()},
                        open_positions=len(symbol_notional), equity=10000.0)
    return evaluate_risk(exposure, LIMITS, None)


def test_assess_risk_breach_is_critical_with_block_on_violation() -> None:
    result = _risk(BTC_EUR=6000.0, ETH_EUR=4200.0, SOL_EUR=100.0)
    a = assess_risk(result, source="portfolio", block_on_violation=True, now=T0)
    by_subject = {e.subject: e for e in a.events}
    assert set(by_subject) == {"max_symbol_exposure_notional:BTC/EUR", "max_symbol_exposure_notional:ETH/EUR"}
    btc, eth = by_subject["max_symbol_exposure_notional:BTC/EUR"], by_subject["max_symbol_exposure_notional:ETH/EUR"]
    assert (btc.level, btc.code) == (AlertLevel.CRITICAL, "RISK_LIMIT_VIOLATION_PORTFOLIO")
    assert (eth.level, eth.code) == (AlertLevel.WARNING, "RISK_LIMIT_WARNING_PORTFOLIO")
    assert btc.context["symbol"] == "BTC/EUR" and btc.context["limit"] == 5000.0
    assert btc.context["value"] == 6000.0 and btc.context["ratio"] == pytest.approx(1.2)
    assert "max_symbol_exposure_notional:SOL/EUR" in a.ok and a.complete
    assert a.recovery_code == "RISK_LIMIT_RECOVERED_PORTFOLIO"


def test_assess_risk_breach_is_warning_without_block_on_violation() -> None:
    a = assess_risk(_risk(BTC_EUR=6000.0), source="orders", block_on_violation=False, now=T0)
    (event,) = a.events
    assert (event.level, event.code, event.source) == (AlertLevel.WARNING, "RISK_LIMIT_VIOLATION_ORDERS", "orders")


def test_assess_risk_orders_one_event_per_symbol_for_the_largest_order() -> None:
    exposure = Exposure(quote_currency="EUR", symbol_notional={"BTC/EUR": 100.0}, open_positions=1, equity=1e4,
                        order_notionals=[("BTC/EUR", 900.0), ("BTC/EUR", 2500.0), ("BTC/EUR", 1200.0)] * 1000)
    a = assess_risk(evaluate_risk(exposure, LIMITS, None), source="orders", block_on_violation=True, now=T0)
    (event,) = [e for e in a.events if e.subject == "max_order_notional:BTC/EUR"]
    assert event.context["value"] == 2500.0 and event.level is AlertLevel.CRITICAL


def test_assess_risk_all_ok_has_no_events() -> None:
    a = assess_risk(_risk(BTC_EUR=100.0), source="portfolio", block_on_violation=True, now=T0)
    assert a.events == [] and "max_total_exposure_notional" in a.ok


def _check(name: str, status: str, message: str = "m") -> CheckResult:
    return CheckResult(name=name, status=status, duration_ms=1.0, messages=[message])


def test_assess_health_fail_and_warn_checks() -> None:
    report = summarize([_check("config", "pass"), _check("exchange", "fail", "refused by https://x.io/k/SECRET"),
                        _check("alerts", "warn"), _check("live_risk", "pass")], mode="paper", checked_at=T0)
    a = assess_health(report, now=T0)
    codes = {(e.subject, e.level, e.code) for e in a.events}
    assert codes == {("exchange", AlertLevel.CRITICAL, "HEALTH_FAIL"), ("alerts", AlertLevel.WARNING, "HEALTH_DEGRADED")}
    assert all("SECRET" not in e.message for e in a.events)
    assert set(a.ok) == {"config", "live_risk"} and a.complete


def test_assess_health_config_failure_alerts_config_only() -> None:
    report = summarize([_check("config", "fail"), _check("exchange", "fail"), _check("alerts", "fail"),
                        _check("live_risk", "fail")], mode=None, checked_at=T0)
    a = assess_health(report, now=T0)
    assert [e.subject for e in a.events] == ["config"] and not a.complete


def test_recoveries_close_open_alerts_that_are_ok_now() -> None:
    a = assess_risk(_risk(BTC_EUR=100.0), source="portfolio", block_on_violation=True, now=T0)
    open_alerts = [
        OpenAlert("portfolio", "max_symbol_exposure_notional:BTC/EUR", "RISK_LIMIT_VIOLATION_PORTFOLIO",
                  AlertLevel.CRITICAL, T0 - timedelta(hours=1)),
        # a position closed since: not evaluated any more, but the evaluation is complete
        OpenAlert("portfolio", "max_symbol_exposure_notional:DOGE/EUR", "RISK_LIMIT_WARNING_PORTFOLIO",
                  AlertLevel.WARNING, T0 - timedelta(hours=1)),
        OpenAlert("health", "exchange", "HEALTH_FAIL", AlertLevel.CRITICAL, T0),  # another source: untouched
    ]
    events = recoveries(a, open_alerts, now=T0)
    assert [(e.subject, e.level, e.recovers, e.code) for e in events] == [
        ("max_symbol_exposure_notional:BTC/EUR", AlertLevel.INFO, AlertLevel.CRITICAL, "RISK_LIMIT_RECOVERED_PORTFOLIO"),
        ("max_symbol_exposure_notional:DOGE/EUR", AlertLevel.INFO, AlertLevel.WARNING, "RISK_LIMIT_RECOVERED_PORTFOLIO"),
    ]
    assert events[0].filter_level is AlertLevel.CRITICAL  # reaches whoever heard the alert


def test_recoveries_skip_subjects_still_firing_or_not_evaluated() -> None:
    report = summarize([_check("config", "fail"), _check("exchange", "fail"), _check("alerts", "fail"),
                        _check("live_risk", "fail")], mode=None, checked_at=T0)
    a = assess_health(report, now=T0)
    open_alerts = [OpenAlert("health", "exchange", "HEALTH_FAIL", AlertLevel.CRITICAL, T0),
                   OpenAlert("health", "config", "HEALTH_FAIL", AlertLevel.CRITICAL, T0)]
    assert recoveries(a, open_alerts, now=T0) == []


def test_event_requires_aware_timestamp() -> None:
    with pytest.raises(ValidationError):
        AlertEvent(ts=T0.replace(tzinfo=None), level="INFO", source="s", code="C", message="m")


def test_redact_text_keeps_host_only() -> None:
    text = redact_text("POST https://hooks.slack.com/services/T/B/X?token=abc failed; see http://h:8080/p")
    assert text == "POST https://hooks.slack.com failed; see http://h:8080"
