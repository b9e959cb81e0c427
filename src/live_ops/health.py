"""Health checks: is the setup sound enough to start a session?

Four checks, each `pass | warn | fail` with a duration and messages an operator can act on:
config, exchange, alerts, live_risk. Overall: FAIL if config or exchange fails, else OK if
every check passes, else DEGRADED. `HealthReport` keeps the ten long-standing JSON keys.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field

from live_ops.config.loader import load_config
from live_ops.config.models import AlertsConfig, LiveOpsConfig, LiveRiskConfig
from live_ops.errors import ConfigError, ExchangeError
from live_ops.exchange.gateway import ExchangeGateway

CheckStatus = Literal["pass", "warn", "fail"]
OverallStatus = Literal["OK", "DEGRADED", "FAIL"]
_STATUS_RANK = {"pass": 0, "warn": 1, "fail": 2}
EXCHANGE_DEADLINE_S = 20.0


class CheckResult(BaseModel):
    name: str
    status: CheckStatus
    duration_ms: float
    messages: list[str] = Field(default_factory=list)
    details: dict[str, Any] = Field(default_factory=dict)


class HealthReport(BaseModel):
    config_ok: bool
    config_errors: list[str]
    exchange_ok: bool
    exchange_errors: list[str]
    alerts_enabled: bool
    alert_sinks_configured: list[str]
    alert_config_warnings: list[str]
    live_risk_ok: bool
    live_risk_warnings: list[str]
    overall_status: OverallStatus
    checked_at: datetime
    mode: str | None
    checks: list[CheckResult]

    @property
    def exit_code(self) -> int:
        return 1 if self.overall_status == "FAIL" else 0


class _Timer:
    """Milliseconds since construction: every check reports its own duration."""

    def __init__(self) -> None:
        self.started = time.perf_counter()

    @property
    def ms(self) -> float:
        return round((time.perf_counter() - self.started) * 1000, 3)


def worst_status(statuses: list[CheckStatus]) -> CheckStatus:
    """Return the worst of `statuses` (pass for none)."""
    return max(statuses, key=_STATUS_RANK.__getitem__, default="pass")


def skipped(name: str, reason: str = "skipped: the config did not load") -> CheckResult:
    """Return a failed check that could not run because something it needs is missing."""
    return CheckResult(name=name, status="fail", duration_ms=0.0, messages=[reason])


def check_config(path: Path | str, load: Callable[[Path | str], LiveOpsConfig] = load_config
                 ) -> tuple[CheckResult, LiveOpsConfig | None]:
    """Return the config check and, when it passes, the loaded config (`load`: the run's loader)."""
    timer = _Timer()
    try:
        config = load(path)
    except ConfigError as exc:
        return CheckResult(name="config", status="fail", duration_ms=timer.ms, messages=[str(exc)]), None
    result = CheckResult(
        name="config",
        status="pass",
        duration_ms=timer.ms,
        messages=[f"{path}: valid ({config.mode} mode)"],
        details={"path": str(path), "mode": config.mode},
    )
    return result, config


def check_exchange(venue: str, gateway: Callable[[], ExchangeGateway],
                   deadline_s: float = EXCHANGE_DEADLINE_S) -> CheckResult:
    """Return the exchange check: get the run's gateway for the mode and run its health round trip.

    `gateway` builds (or returns the run's already built) gateway; the caller owns and closes it,
    so the markets the round trip loads serve the rest of the run.
    """
    timer = _Timer()
    try:
        probes = gateway().probe(deadline_s=deadline_s)
    except (ExchangeError, ConfigError) as exc:
        return CheckResult(name="exchange", status="fail", duration_ms=timer.ms, messages=[str(exc)],
                           details={"exchange": venue, "error_kind": getattr(exc, "kind", "config")})
    status = worst_status([p.status for p in probes])
    return CheckResult(
        name="exchange",
        status=status,
        duration_ms=timer.ms,
        messages=[p.message for p in probes],
        details={
            "exchange": venue,
            "probes": [
                {"name": p.name, "status": p.status, "latency_ms": round(p.latency_ms, 3), **dict(p.details)}
                for p in probes
            ],
        },
    )


def usable_sinks(alerts: AlertsConfig, environ: Mapping[str, str] | None = None) -> tuple[list[str], list[str]]:
    """Return (sinks that can deliver, one warning per sink or URL entry that cannot).

    The sinks are built exactly as a run builds them, so "ready" here means a run can deliver:
    a URL Apprise cannot use, or an env var that is not set, is named with its reason.
    """
    from live_ops.alerts.dispatcher import URL_SINKS, build_sinks  # the alerts package imports this module
    from live_ops.alerts.sinks import InvalidSink

    usable: list[str] = []
    warnings: list[str] = []
    for channel_name, (key, _) in URL_SINKS.items():
        if getattr(alerts, key) and channel_name not in alerts.sinks:
            warnings.append(f"live_alerts.{key} is set but '{channel_name}' is not in live_alerts.sinks: nothing is sent")
    built = build_sinks(alerts.model_copy(update={"enabled": True}), environ=environ, sleep=lambda _: None)
    for sink in built:
        channel = sink.name.split("[", 1)[0]
        if isinstance(sink, InvalidSink):
            if "[" in sink.name:  # one URL entry; an empty list is said below, once
                warnings.append(sink.reason if sink.reason.startswith("live_alerts.") else f"{sink.name}: {sink.reason}")
        elif channel in alerts.sinks and channel not in usable:
            usable.append(channel)
    for channel in alerts.sinks:
        if channel in URL_SINKS and channel not in usable:
            key = URL_SINKS[channel][0]
            warnings.append(f"'{channel}' sink is listed but live_alerts.{key} has no usable URL: nothing is sent")
    if not usable:
        warnings.append("no listed alert sink can deliver: alerts fall back to log and stderr only")
    return [c for c in alerts.sinks if c in usable], warnings


RECENT_DELIVERIES = 3  # a sink whose last this many deliveries (or all it has, if fewer) failed is a warning


def failing_sinks(deliveries: Sequence[tuple[str, str]], recent: int = RECENT_DELIVERIES) -> dict[str, int]:
    """Return each sink whose recent deliveries all failed, with how many failed, in first-seen order.

    `deliveries` are (sink, status) pairs from the alert history, newest first. Only attempts
    count (`sent`, `failed`): a deduplicated or filtered event says nothing about the sink.
    """
    seen: dict[str, list[str]] = {}
    for sink, status in deliveries:
        if status in ("sent", "failed") and len(seen.setdefault(sink, [])) < recent:
            seen[sink].append(status)
    return {sink: len(statuses) for sink, statuses in seen.items()
            if statuses and all(s == "failed" for s in statuses)}


def check_alerts(alerts: AlertsConfig, environ: Mapping[str, str] | None = None,
                 deliveries: Sequence[tuple[str, str]] = ()) -> CheckResult:
    """Return the alerts check: enabled, every listed sink able to deliver, none failing every delivery.

    `deliveries`: the recent (sink, status) pairs of the alert history, newest first.
    """
    timer = _Timer()
    usable, warnings = usable_sinks(alerts, environ)
    if not alerts.enabled:
        warnings.insert(0, "alerting is disabled ([live_alerts].enabled = false): breaches notify nobody")
    for sink, failed in failing_sinks(deliveries).items():
        last = "its last delivery" if failed == 1 else f"its last {failed} deliveries"
        warnings.append(f"{sink}: {last} failed: its alerts are not arriving")
    messages = warnings or [f"alert sinks ready: {', '.join(usable)} (min level {alerts.min_level})"]
    return CheckResult(
        name="alerts",
        status="warn" if warnings else "pass",
        duration_ms=timer.ms,
        messages=messages,
        details={"enabled": alerts.enabled, "sinks": usable, "min_level": alerts.min_level},
    )


def risk_limit_warnings(limits: LiveRiskConfig) -> list[str]:
    """Return one line per inconsistency between the live risk limits."""
    warnings: list[str] = []
    if not limits.enabled:
        warnings.append("live risk checks are disabled ([live_risk].enabled = false)")
    if limits.max_symbol_exposure_notional > limits.max_total_exposure_notional:
        warnings.append(
            f"max_symbol_exposure_notional ({limits.max_symbol_exposure_notional:g}) is above "
            f"max_total_exposure_notional ({limits.max_total_exposure_notional:g}): the per-symbol limit can never bind"
        )
    if limits.max_order_notional > limits.max_symbol_exposure_notional:
        warnings.append(
            f"max_order_notional ({limits.max_order_notional:g}) is above max_symbol_exposure_notional "
            f"({limits.max_symbol_exposure_notional:g}): one order alone would breach the symbol limit"
        )
    if limits.min_order_notional > limits.max_order_notional:
        warnings.append(
            f"min_order_notional ({limits.min_order_notional:g}) is above max_order_notional "
            f"({limits.max_order_notional:g}): every order would be skipped or breach"
        )
    if limits.default_order_notional > limits.max_order_notional:
        warnings.append(
            f"default_order_notional ({limits.default_order_notional:g}) is above max_order_notional "
            f"({limits.max_order_notional:g}): previews without --notional breach"
        )
    return warnings


def check_live_risk(limits: LiveRiskConfig) -> CheckResult:
    """Return the live_risk check: limits present, positive (validated) and consistent."""
    timer = _Timer()
    warnings = risk_limit_warnings(limits)
    return CheckResult(
        name="live_risk",
        status="warn" if warnings else "pass",
        duration_ms=timer.ms,
        messages=warnings or ["live risk limits are positive and consistent"],
        details=limits.model_dump(),
    )


def _problems(check: CheckResult) -> list[str]:
    """Return the messages of a check that did not pass; for a round trip, only its failing steps."""
    if check.status == "pass":
        return []
    probes = check.details.get("probes")
    if probes and len(probes) == len(check.messages):
        return [message for message, probe in zip(check.messages, probes, strict=False) if probe["status"] != "pass"]
    return list(check.messages)


def summarize(checks: list[CheckResult], *, mode: str | None, checked_at: datetime) -> HealthReport:
    """Return the health report of `checks` (named config, exchange, alerts, live_risk)."""
    by_name = {c.name: c for c in checks}
    config, exchange = by_name["config"], by_name["exchange"]
    alerts, risk = by_name["alerts"], by_name["live_risk"]
    if config.status == "fail" or exchange.status == "fail":
        overall: OverallStatus = "FAIL"
    elif all(c.status == "pass" for c in checks):
        overall = "OK"
    else:
        overall = "DEGRADED"
    return HealthReport(
        config_ok=config.status != "fail",
        config_errors=_problems(config),
        exchange_ok=exchange.status != "fail",
        exchange_errors=_problems(exchange),
        alerts_enabled=bool(alerts.details.get("enabled", False)),
        alert_sinks_configured=list(alerts.details.get("sinks", [])),
        alert_config_warnings=_problems(alerts),
        live_risk_ok=risk.status == "pass",
        live_risk_warnings=_problems(risk),
        overall_status=overall,
        checked_at=checked_at,
        mode=mode,
        checks=checks,
    )

