"""The health report's typed checks and the long-standing JSON contract computed from them (SPEC §5)."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from live_ops import health
from live_ops.config.models import AlertsConfig, LiveRiskConfig
from live_ops.exchange.gateway import Probe
from live_ops.status import CheckStatus, HealthStatus

NOW = datetime(2026, 12, 4, tzinfo=timezone.utc)
LEGACY = ["config_ok", "config_errors", "exchange_ok", "exchange_errors", "alerts_enabled", "alert_sinks_configured",
          "alert_config_warnings", "live_risk_ok", "live_risk_warnings", "overall_status"]


class _Gateway:
    def __init__(self, probes: list[Probe]) -> None:
        self.probes = probes

    def probe(self, *, deadline_s: float) -> list[Probe]:
        return self.probes


def _report(probes: list[Probe], alerts: AlertsConfig | None = None) -> health.HealthReport:
    config = health.ConfigCheck(status=CheckStatus.PASS, duration_ms=1.0, messages=["config.toml: valid (live mode)"],
                                details=health.ConfigDetails(path="config.toml", mode="live"))
    exchange = health.check_exchange("binanceusdm", lambda: _Gateway(probes))  # type: ignore[arg-type, return-value]
    return health.summarize([config, exchange, health.check_alerts(alerts or AlertsConfig(), environ={}),
                             health.check_live_risk(LiveRiskConfig())], mode="live", checked_at=NOW)


def test_json_leads_with_the_ten_long_standing_keys_then_the_checks() -> None:
    data = _report([Probe("status", "pass", "status: ok", 3.2, {}),
                    Probe("time", "warn", "time: clock drift 2,100 ms", 4.0, {"drift_ms": 2100.0})]).model_dump(mode="json")
    assert list(data) == [*LEGACY, "checked_at", "mode", "checks"]
    assert data["overall_status"] == "DEGRADED" and data["exchange_ok"] is True
    assert data["exchange_errors"] == ["time: clock drift 2,100 ms"]  # only the failing step of the round trip
    exchange = data["checks"][1]
    assert exchange["details"] == {"exchange": "binanceusdm", "probes": [
        {"name": "status", "status": "pass", "latency_ms": 3.2},
        {"name": "time", "status": "warn", "latency_ms": 4.0, "drift_ms": 2100.0}]}
    assert data["checks"][2]["details"] == {"enabled": True, "sinks": ["log", "stderr"], "min_level": "warning"}
    assert data["checks"][3]["details"]["max_open_positions"] == LiveRiskConfig().max_open_positions


def test_the_legacy_keys_follow_the_checks_they_are_computed_from() -> None:
    report = _report([Probe("status", "fail", "status: exchange under maintenance", 3.0, {"error_kind": "unavailable"})],
                     alerts=AlertsConfig(enabled=False))
    assert report.overall_status is HealthStatus.FAIL and report.exit_code == 1
    assert not report.exchange_ok and report.exchange_errors == ["status: exchange under maintenance"]
    assert not report.alerts_enabled and report.alert_config_warnings[0].startswith("alerting is disabled")
    assert report.live_risk_ok and report.live_risk_warnings == []


def test_a_sidecar_reads_back_into_the_same_typed_report() -> None:
    report = _report([Probe("status", "pass", "status: ok", 3.2, {}),
                      Probe("credentials", "pass", "credentials: accepted", 9.0, {"account": "futures"})])
    data = report.model_dump(mode="json")
    again = health.HealthReport.model_validate(data)
    assert again.model_dump(mode="json") == data
    assert isinstance(again.exchange, health.ExchangeCheck) and again.exchange.details.probes is not None
    assert again.exchange.details.probes[1].model_extra == {"account": "futures"}
    assert again.live_risk.details == LiveRiskConfig()


def test_skipped_checks_are_typed_failures_with_empty_details() -> None:
    config, _ = health.check_config("/nonexistent/live.toml")
    report = health.summarize([config, *(health.skipped(n) for n in ("exchange", "alerts", "live_risk"))],
                              mode=None, checked_at=NOW)
    data = report.model_dump(mode="json")
    assert [c["details"] for c in data["checks"]] == [{}, {}, {}, {}]
    assert report.overall_status is HealthStatus.FAIL and not report.alerts_enabled
    assert health.HealthReport.model_validate(data).model_dump(mode="json") == data


def test_a_report_needs_all_four_checks() -> None:
    with pytest.raises(ValueError, match="live_risk"):
        health.summarize([health.skipped(n) for n in ("config", "exchange", "alerts")], mode=None, checked_at=NOW)


def test_report_headline_names_the_failing_step_not_the_first_one() -> None:
    from live_ops.reporting.snapshot import StatusSnapshot

    report = _report([Probe("status", "pass", "binanceusdm: exchange status ok", 1.0, {}),
                      Probe("time", "warn", "clock drift +2.100 s: sync the local clock (NTP)", 1.0, {})])
    assert StatusSnapshot(generated_at=NOW, health=report).headline_text() == (
        "DEGRADED — clock drift +2.100 s: sync the local clock (NTP)")
