"""The Alerter end to end without Prefect: risk result -> events -> sinks -> history -> recovery."""

from __future__ import annotations

from datetime import timedelta

from live_ops.alerts import Alerter, AlertHistory
from live_ops.config import load_config
from live_ops.risk import Exposure, evaluate_risk
from tests.alerts.helpers import T0, Sleeps


def _config(write_config, rx, min_level: str = "warning", block: str = "true"):
    return load_config(write_config(replace={
        'sinks = ["log", "stderr"]': 'sinks = ["webhook"]',
        "\nwebhook_urls = []": f'\nwebhook_urls = ["{rx.url}/hook"]',
        'min_level = "warning"': f'min_level = "{min_level}"',
        "block_on_violation = true": f"block_on_violation = {block}",
    }))


def _risk(config, btc: float):
    return evaluate_risk(Exposure("EUR", {"BTC/EUR": btc}, 1, 10000.0), config.live_risk, None)


def test_alerter_breach_then_recovery_through_min_level_warning(write_config, receivers) -> None:
    rx = receivers()
    config = _config(write_config, rx)
    now = [T0]
    alerter = Alerter(config, sleep=Sleeps(), clock=lambda: now[0])
    alerter.risk(_risk(config, 6000.0), "portfolio")
    now[0] += timedelta(minutes=5)
    assert alerter.risk(_risk(config, 6000.0), "portfolio")[0].deliveries[0].status == "deduplicated"
    now[0] += timedelta(minutes=5)
    (recovery,) = alerter.risk(_risk(config, 100.0), "portfolio")
    assert recovery.deliveries[0].status == "sent"  # INFO, but it closes a CRITICAL the operator heard
    assert [(r.json()["level"], r.json()["code"]) for r in rx.requests] == [
        ("CRITICAL", "RISK_LIMIT_VIOLATION_PORTFOLIO"), ("INFO", "RISK_LIMIT_RECOVERED_PORTFOLIO")]
    assert AlertHistory(config.state.path).open_alerts("portfolio") == []


def test_alerter_recovery_of_a_filtered_alert_stays_filtered(write_config, receivers) -> None:
    rx = receivers()
    config = _config(write_config, rx, min_level="critical", block="false")  # a BREACH is only a WARNING
    alerter = Alerter(config, sleep=Sleeps())
    (alert,) = alerter.risk(_risk(config, 6000.0), "portfolio")
    (recovery,) = alerter.risk(_risk(config, 100.0), "portfolio")
    assert [alert.deliveries[0].status, recovery.deliveries[0].status] == ["filtered", "filtered"]
    assert rx.requests == []


def test_alerter_enforced_orders_breach_is_critical(write_config, receivers) -> None:
    rx = receivers()
    config = _config(write_config, rx, block="false")
    (outcome,) = Alerter(config, sleep=Sleeps()).risk(_risk(config, 6000.0), "orders", block_on_violation=True)
    assert (outcome.event.level.value, outcome.event.code) == ("CRITICAL", "RISK_LIMIT_VIOLATION_ORDERS")


def test_error_in_alert_path_becomes_alerting_failed_on_stderr_not_silence(capsys) -> None:
    from live_ops.alerts import raise_safely

    def broken() -> list:
        raise ValueError("Port out of range 0-65535 at http://hooks.example/T0SECRET")

    (outcome,) = raise_safely("portfolio risk", broken)
    assert outcome.event.code == "ALERTING_FAILED" and outcome.event.level.value == "CRITICAL"
    assert {d.sink: d.status for d in outcome.deliveries} == {"log": "sent", "stderr": "sent"}
    err = capsys.readouterr().err
    assert "ALERTING_FAILED" in err and "T0SECRET" not in err
