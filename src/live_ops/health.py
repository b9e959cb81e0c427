"""Health checks: is the setup sound enough to start a session?

Four checks, each `pass | warn | fail` with a duration and messages an operator can act on:
config, exchange, alerts, live_risk. Overall: FAIL if config or exchange fails, else OK if
every check passes, else DEGRADED. Each check is typed (`ConfigCheck`, `ExchangeCheck`, ...,
with typed `details`); `HealthReport` holds the four and computes the ten long-standing JSON
keys from them, so nothing is stored twice and no two copies can disagree.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, computed_field, field_serializer, field_validator, model_serializer, model_validator

from live_ops.config.loader import load_config
from live_ops.config.models import AlertsConfig, LiveOpsConfig, LiveRiskConfig
from live_ops.errors import ConfigError, ExchangeError
from live_ops.exchange.gateway import ExchangeGateway
from live_ops.status import CheckStatus, HealthStatus, worst

EXCHANGE_DEADLINE_S = 20.0
CHECK_NAMES = ("config", "exchange", "alerts", "live_risk")


class _Details(BaseModel):
    """What a check found, typed; unknown (None) values are left out of the JSON `details{}`."""

    @model_serializer(mode="wrap")
    def _known_only(self, handler: Any) -> dict[str, Any]:
        return {key: value for key, value in handler(self).items() if value is not None}


class ConfigDetails(_Details):
    path: str | None = None
    mode: str | None = None


class ProbeDetail(BaseModel):
    """One step of the exchange round trip; venue-specific readings (drift, markets, ...) ride along."""

    model_config = ConfigDict(extra="allow")

    name: str
    status: CheckStatus
    latency_ms: float


class ExchangeDetails(_Details):
    exchange: str | None = None
    error_kind: str | None = None
    probes: list[ProbeDetail] | None = None


class AlertsDetails(_Details):
    enabled: bool | None = None
    sinks: list[str] | None = None
    min_level: str | None = None


class CheckResult(BaseModel):
    """One health check: `pass | warn | fail`, how long it took, and messages an operator can act on."""

    name: str
    status: CheckStatus
    duration_ms: float
    messages: list[str] = Field(default_factory=list)

    def problems(self) -> list[str]:
        """Return the messages of a check that did not pass."""
        return [] if self.status is CheckStatus.PASS else list(self.messages)


class ConfigCheck(CheckResult):
    name: Literal["config"] = "config"
    details: ConfigDetails = Field(default_factory=ConfigDetails)


class ExchangeCheck(CheckResult):
    name: Literal["exchange"] = "exchange"
    details: ExchangeDetails = Field(default_factory=ExchangeDetails)

    def problems(self) -> list[str]:
        """Return the failing steps of the round trip (all messages when it did not get that far)."""
        if self.status is CheckStatus.PASS:
            return []
        probes = self.details.probes
        if probes and len(probes) == len(self.messages):
            return [message for message, probe in zip(self.messages, probes, strict=True)
                    if probe.status is not CheckStatus.PASS]
        return list(self.messages)


class AlertsCheck(CheckResult):
    name: Literal["alerts"] = "alerts"
    details: AlertsDetails = Field(default_factory=AlertsDetails)


class LiveRiskCheck(CheckResult):
    name: Literal["live_risk"] = "live_risk"
    details: LiveRiskConfig | None = None

    @field_validator("details", mode="before")
    @classmethod
    def _none_when_empty(cls, value: Any) -> Any:
        return None if value == {} else value  # a skipped check, as a sidecar stores it

    @field_serializer("details")
    def _limits(self, details: LiveRiskConfig | None) -> dict[str, Any]:
        return details.model_dump() if details is not None else {}


AnyCheck = ConfigCheck | ExchangeCheck | AlertsCheck | LiveRiskCheck
_CHECK_TYPES: dict[str, type[AnyCheck]] = {"config": ConfigCheck, "exchange": ExchangeCheck,
                                           "alerts": AlertsCheck, "live_risk": LiveRiskCheck}
# the long-standing JSON contract (SPEC §5): these ten keys first, verbatim, then the rest
LEGACY_KEYS = ("config_ok", "config_errors", "exchange_ok", "exchange_errors", "alerts_enabled",
               "alert_sinks_configured", "alert_config_warnings", "live_risk_ok", "live_risk_warnings",
               "overall_status")


class HealthReport(BaseModel):
    """The four checks of one health run; the long-standing JSON keys are computed from them."""

    checked_at: datetime
    mode: str | None
    config: ConfigCheck = Field(exclude=True)
    exchange: ExchangeCheck = Field(exclude=True)
    alerts: AlertsCheck = Field(exclude=True)
    live_risk: LiveRiskCheck = Field(exclude=True)

    @model_validator(mode="before")
    @classmethod
    def _from_checks(cls, data: Any) -> Any:
        """Accept the JSON form (a report sidecar): the `checks` list, each check under its name."""
        if isinstance(data, Mapping) and "checks" in data and "config" not in data:
            data = {**data, **{c["name"]: c for c in data["checks"] if isinstance(c, Mapping) and "name" in c}}
        return data

    @computed_field  # type: ignore[prop-decorator]
    @property
    def checks(self) -> list[AnyCheck]:
        return [self.config, self.exchange, self.alerts, self.live_risk]

    @computed_field  # type: ignore[prop-decorator]
    @property
    def overall_status(self) -> HealthStatus:
        """FAIL if config or exchange fails; else OK if every check passes; else DEGRADED."""
        if CheckStatus.FAIL in (self.config.status, self.exchange.status):
            return HealthStatus.FAIL
        if all(c.status is CheckStatus.PASS for c in self.checks):
            return HealthStatus.OK
        return HealthStatus.DEGRADED

    @computed_field  # type: ignore[prop-decorator]
    @property
    def config_ok(self) -> bool:
        return self.config.status is not CheckStatus.FAIL

    @computed_field  # type: ignore[prop-decorator]
    @property
    def config_errors(self) -> list[str]:
        return self.config.problems()

    @computed_field  # type: ignore[prop-decorator]
    @property
    def exchange_ok(self) -> bool:
        return self.exchange.status is not CheckStatus.FAIL

    @computed_field  # type: ignore[prop-decorator]
    @property
    def exchange_errors(self) -> list[str]:
        return self.exchange.problems()

    @computed_field  # type: ignore[prop-decorator]
    @property
    def alerts_enabled(self) -> bool:
        return bool(self.alerts.details.enabled)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def alert_sinks_configured(self) -> list[str]:
        return list(self.alerts.details.sinks or [])

    @computed_field  # type: ignore[prop-decorator]
    @property
    def alert_config_warnings(self) -> list[str]:
        return self.alerts.problems()

    @computed_field  # type: ignore[prop-decorator]
    @property
    def live_risk_ok(self) -> bool:
        return self.live_risk.status is CheckStatus.PASS

    @computed_field  # type: ignore[prop-decorator]
    @property
    def live_risk_warnings(self) -> list[str]:
        return self.live_risk.problems()

    @model_serializer(mode="wrap")
    def _contract_order(self, handler: Any) -> dict[str, Any]:
        data = handler(self)
        ordered = {key: data.pop(key) for key in LEGACY_KEYS if key in data}
        return {**ordered, **data}

    @property
    def exit_code(self) -> int:
        return 1 if self.overall_status is HealthStatus.FAIL else 0


class _Timer:
    """Milliseconds since construction: every check reports its own duration."""

    def __init__(self) -> None:
        self.started = time.perf_counter()

    @property
    def ms(self) -> float:
        return round((time.perf_counter() - self.started) * 1000, 3)


def skipped(name: str, reason: str = "skipped: the config did not load") -> AnyCheck:
    """Return a failed check that could not run because something it needs is missing."""
    return _CHECK_TYPES[name](status=CheckStatus.FAIL, duration_ms=0.0, messages=[reason])


def check_config(path: Path | str, load: Callable[[Path | str], LiveOpsConfig] = load_config
                 ) -> tuple[ConfigCheck, LiveOpsConfig | None]:
    """Return the config check and, when it passes, the loaded config (`load`: the run's loader)."""
    timer = _Timer()
    try:
        config = load(path)
    except ConfigError as exc:
        return ConfigCheck(status=CheckStatus.FAIL, duration_ms=timer.ms, messages=[str(exc)]), None
    result = ConfigCheck(
        status=CheckStatus.PASS,
        duration_ms=timer.ms,
        messages=[f"{path}: valid ({config.mode} mode)"],
        details=ConfigDetails(path=str(path), mode=config.mode),
    )
    return result, config


def check_exchange(venue: str, gateway: Callable[[], ExchangeGateway],
                   deadline_s: float = EXCHANGE_DEADLINE_S) -> ExchangeCheck:
    """Return the exchange check: get the run's gateway for the mode and run its health round trip.

    `gateway` builds (or returns the run's already built) gateway; the caller owns and closes it,
    so the markets the round trip loads serve the rest of the run.
    """
    timer = _Timer()
    try:
        probes = gateway().probe(deadline_s=deadline_s)
    except (ExchangeError, ConfigError) as exc:
        return ExchangeCheck(status=CheckStatus.FAIL, duration_ms=timer.ms, messages=[str(exc)],
                             details=ExchangeDetails(exchange=venue, error_kind=getattr(exc, "kind", "config")))
    return ExchangeCheck(
        status=worst([CheckStatus(p.status) for p in probes], CheckStatus.PASS),  # a str from any gateway
        duration_ms=timer.ms,
        messages=[p.message for p in probes],
        details=ExchangeDetails(exchange=venue, probes=[
            ProbeDetail(**{**dict(p.details), "name": p.name, "status": p.status, "latency_ms": round(p.latency_ms, 3)})
            for p in probes
        ]),
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
                 deliveries: Sequence[tuple[str, str]] = ()) -> AlertsCheck:
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
    return AlertsCheck(
        status=CheckStatus.WARN if warnings else CheckStatus.PASS,
        duration_ms=timer.ms,
        messages=messages,
        details=AlertsDetails(enabled=alerts.enabled, sinks=usable, min_level=alerts.min_level),
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


def check_live_risk(limits: LiveRiskConfig) -> LiveRiskCheck:
    """Return the live_risk check: limits present, positive (validated) and consistent."""
    timer = _Timer()
    warnings = risk_limit_warnings(limits)
    return LiveRiskCheck(
        status=CheckStatus.WARN if warnings else CheckStatus.PASS,
        duration_ms=timer.ms,
        messages=warnings or ["live risk limits are positive and consistent"],
        details=limits,
    )


def summarize(checks: Sequence[CheckResult], *, mode: str | None, checked_at: datetime) -> HealthReport:
    """Return the health report of `checks` (one each of config, exchange, alerts, live_risk)."""
    by_name = {c.name: c for c in checks}
    missing = [name for name in CHECK_NAMES if name not in by_name]
    if missing:
        raise ValueError(f"a health report needs the {', '.join(missing)} check(s)")
    typed = {name: check if isinstance(check, _CHECK_TYPES[name]) else _CHECK_TYPES[name].model_validate(check.model_dump())
             for name, check in by_name.items() if name in CHECK_NAMES}
    return HealthReport(checked_at=checked_at, mode=mode, **typed)
