"""The health step: the checks, which are skipped without a config, and the overall verdict, without Prefect."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

from live_ops import health
from live_ops.errors import ExchangeAuthError
from live_ops.exchange import build_gateway
from live_ops.runs import RunContext, check_health
from tests.conftest import EXAMPLE_CONFIG

NOW = datetime(2026, 11, 22, tzinfo=timezone.utc)


def run_checks(path: Path | str, build=build_gateway, environ=None) -> health.HealthReport:
    with RunContext(path, build=build, environ={} if environ is None else environ, clock=lambda: NOW) as ctx:
        return check_health(ctx)


def test_example_config_is_ok() -> None:
    report = run_checks(EXAMPLE_CONFIG)
    assert report.overall_status == "OK" and report.exit_code == 0
    assert report.config_ok and report.exchange_ok and report.live_risk_ok and report.alerts_enabled
    assert report.alert_sinks_configured == ["log", "stderr"]
    assert [c.name for c in report.checks] == ["config", "exchange", "alerts", "live_risk"]
    assert all(c.status == "pass" and c.duration_ms >= 0 for c in report.checks)


def test_missing_config_fails_with_the_reason(tmp_path: Path) -> None:
    report = run_checks(tmp_path / "missing.toml")
    assert report.overall_status == "FAIL" and report.exit_code == 1
    assert not report.config_ok and "config file not found" in report.config_errors[0]
    assert report.mode is None
    data = report.model_dump(mode="json")
    for key in ("config_ok", "config_errors", "exchange_ok", "exchange_errors", "alerts_enabled",
                "alert_sinks_configured", "alert_config_warnings", "live_risk_ok", "live_risk_warnings",
                "overall_status", "checked_at", "mode", "checks"):
        assert key in data


def test_webhook_without_url_degrades_never_silent(write_config) -> None:
    path = write_config(replace={'sinks = ["log", "stderr"]': 'sinks = ["log", "webhook", "slack"]',
                                 "slack_webhook_urls = []": 'slack_webhook_urls = ["env:SLACK_URL"]'})
    report = run_checks(path, environ={})
    assert report.overall_status == "DEGRADED" and report.exit_code == 0
    warnings = " | ".join(report.alert_config_warnings)
    assert "'webhook' sink is listed but live_alerts.webhook_urls has no usable URL" in warnings
    assert "SLACK_URL is not set" in warnings
    assert report.alert_sinks_configured == ["log"]


def test_urls_without_their_sink_are_flagged(write_config) -> None:
    path = write_config(replace={"webhook_urls = []": 'webhook_urls = ["https://hooks.example/abc"]'})
    report = run_checks(path)
    assert any("'webhook' is not in live_alerts.sinks" in w for w in report.alert_config_warnings)
    assert all("abc" not in w for w in report.alert_config_warnings)


def test_symbol_limit_above_total_is_a_warning(write_config) -> None:
    path = write_config(replace={"max_symbol_exposure_notional = 5000.0": "max_symbol_exposure_notional = 25000.0"})
    report = run_checks(path)
    assert report.overall_status == "DEGRADED" and not report.live_risk_ok
    assert "per-symbol limit can never bind" in report.live_risk_warnings[0]


def test_disabled_alerting_is_a_warning(write_config) -> None:
    report = run_checks(write_config(replace={"[live_alerts]\nenabled = true": "[live_alerts]\nenabled = false"}))
    assert report.overall_status == "DEGRADED" and not report.alerts_enabled


def test_exchange_error_fails_the_check_with_its_message() -> None:
    def broken(config, environ):
        raise ExchangeAuthError("binanceusdm rejected the API key: check the API key in $LIVE_OPS_API_KEY")

    report = run_checks(EXAMPLE_CONFIG, build=broken)
    assert report.overall_status == "FAIL" and not report.exchange_ok
    assert report.exchange_errors == ["binanceusdm rejected the API key: check the API key in $LIVE_OPS_API_KEY"]
    assert report.exchange.details.error_kind == "auth"


def test_exchange_errors_list_only_the_failing_probes() -> None:
    from live_ops.exchange.gateway import Probe

    class HalfWorking:
        name = "fake"

        def probe(self, *, deadline_s: float):
            return [Probe("status", "pass", "exchange status ok"),
                    Probe("credentials", "fail", "key rejected: check the API key in $LIVE_OPS_API_KEY")]

        def close(self) -> None:
            pass

    report = run_checks(EXAMPLE_CONFIG, build=lambda config, environ: HalfWorking())
    assert report.overall_status == "FAIL"
    assert report.exchange_errors == ["key rejected: check the API key in $LIVE_OPS_API_KEY"]
    assert len(report.checks[1].messages) == 2


def test_missing_config_skips_the_other_checks(tmp_path: Path) -> None:
    report = run_checks(tmp_path / "missing.toml")
    assert [(c.name, c.status) for c in report.checks] == [
        ("config", "fail"), ("exchange", "fail"), ("alerts", "fail"), ("live_risk", "fail")]
    assert all(c.messages == ["skipped: the config did not load"] for c in report.checks[1:])
    assert report.checked_at == NOW


def test_one_gateway_per_run_is_kept_open_for_the_next_step() -> None:
    built = []

    def build(config, environ):
        built.append(build_gateway(config, environ))
        return built[-1]

    with RunContext(EXAMPLE_CONFIG, build=build, environ={}) as ctx:
        check_health(ctx)
        assert ctx.gateway is built[0]  # the portfolio step of the same run reads through it
    assert len(built) == 1


def _record(path: Path, minute: int, webhook: str) -> None:
    """Record one alert in the config's history: `log` sent, `webhook[0]` with status `webhook`."""
    from datetime import timedelta

    from live_ops.alerts.history import AlertHistory
    from live_ops.alerts.sinks.base import DeliveryResult
    from live_ops.config import load_config
    from tests.alerts.helpers import make_event

    deliveries = [DeliveryResult("log", "-", "sent", attempts=1), DeliveryResult("webhook[0]", "-", webhook, attempts=1)]
    AlertHistory(load_config(path).state).record(make_event(ts=NOW - timedelta(hours=1, minutes=-minute)),
                                                 deliveries)


def test_alerts_check_warns_naming_a_sink_whose_recent_deliveries_all_failed(write_config) -> None:
    path = write_config()
    _record(path, 0, "sent")  # older: a success, then three failures
    for minute in (1, 2, 3):
        _record(path, minute, "failed")
    alerts = next(c for c in run_checks(path).checks if c.name == "alerts")
    assert alerts.status == "warn"
    assert alerts.messages == ["webhook[0]: its last 3 deliveries failed: its alerts are not arriving"]
    _record(path, 4, "sent")  # one delivery gets through: the sink works again
    assert next(c for c in run_checks(path).checks if c.name == "alerts").status == "pass"


def test_failing_sinks_count_attempts_only() -> None:
    newest_first = [("webhook[0]", "failed"), ("log", "sent"), ("webhook[0]", "deduplicated"),
                    ("slack[0]", "failed"), ("webhook[0]", "failed"), ("slack[0]", "sent")]
    assert health.failing_sinks(newest_first) == {"webhook[0]": 2}
    assert health.failing_sinks(newest_first, recent=1) == {"webhook[0]": 1, "slack[0]": 1}
