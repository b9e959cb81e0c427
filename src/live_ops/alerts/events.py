"""Alert events and the builders that turn results (risk, health, a failed flow) into them.

An event is `{ts, level, source, code, subject, message, context}`. `(source, code, subject)` is
its identity for dedup: the subject says *what* is wrong (`max_symbol_exposure_notional:BTC/EUR`,
the `exchange` check, the `portfolio` flow). A builder returns an `Assessment`: the events that are
firing now, and the subjects it looked at and found OK, so that `recoveries` can close an alert
that fired before (the history knows which did) with an INFO event.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from enum import Enum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from live_ops.config.secrets import redact_url
from live_ops.health import HealthReport
from live_ops.risk import LimitDetail, RiskResult, Severity


class AlertLevel(str, Enum):
    INFO = "INFO"
    WARNING = "WARNING"
    CRITICAL = "CRITICAL"

    @property
    def rank(self) -> int:
        return _RANK[self]

    @classmethod
    def parse(cls, name: str | AlertLevel) -> AlertLevel:
        """Return the level named `name`, case-insensitively (`warning` -> WARNING)."""
        return cls(name.upper()) if isinstance(name, str) else name


_RANK = {AlertLevel.INFO: 0, AlertLevel.WARNING: 1, AlertLevel.CRITICAL: 2}

RiskSource = Literal["portfolio", "orders"]
_URL = re.compile(r"https?://[^\s'\"<>]+")


def redact_text(text: str) -> str:
    """Return `text` with every http(s) URL cut to scheme://host[:port] (tokens live in path/query)."""
    return _URL.sub(lambda m: redact_url(m.group(0)), text)


class AlertEvent(BaseModel):
    """One alert. `recovers` is set on a recovery: the level of the alert it closes."""

    model_config = ConfigDict(frozen=True)

    ts: datetime
    level: AlertLevel
    source: str = Field(min_length=1, description="portfolio | orders | health | flow | ...")
    code: str = Field(min_length=1, description="e.g. RISK_LIMIT_VIOLATION_PORTFOLIO")
    subject: str = Field("", description="what the alert is about; part of the dedup identity")
    message: str
    context: dict[str, Any] = Field(default_factory=dict)
    recovers: AlertLevel | None = None

    @field_validator("ts")
    @classmethod
    def _utc(cls, value: datetime) -> datetime:
        if value.tzinfo is None:
            raise ValueError("ts must be timezone-aware")
        return value.astimezone(timezone.utc)

    @property
    def key(self) -> tuple[str, str, str]:
        """Return the dedup identity `(source, code, subject)`."""
        return (self.source, self.code, self.subject)

    @property
    def filter_level(self) -> AlertLevel:
        """Return the level `min_level` is compared with: a recovery reaches whoever heard its alert."""
        return self.recovers if self.recovers is not None and self.recovers.rank > self.level.rank else self.level


@dataclass(frozen=True)
class OpenAlert:
    """A subject whose latest stored event is a WARNING or CRITICAL: it has not recovered yet."""

    source: str
    subject: str
    code: str
    level: AlertLevel
    ts: datetime


@dataclass(frozen=True)
class Assessment:
    """What one evaluation says: events firing now, and subjects it checked and found OK.

    `complete` means every condition of `source` was evaluated, so an open alert whose subject
    is not firing now has recovered even if it was not looked at (a closed position, say).
    """

    source: str
    events: list[AlertEvent]
    ok: dict[str, str] = field(default_factory=dict)  # subject -> why it is fine now
    recovery_code: str = "RECOVERED"
    complete: bool = False


def _subject(limit_name: str, symbol: str | None) -> str:
    return f"{limit_name}:{symbol}" if symbol else limit_name


def assess_risk(result: RiskResult, *, source: RiskSource, block_on_violation: bool, now: datetime) -> Assessment:
    """Return one event per limit at WARNING or BREACH (the worst, then largest, per subject) and the OK subjects.

    A BREACH is CRITICAL when `block_on_violation` (the desk treats it as a stop), else WARNING.
    """
    tag = source.upper()
    worst: dict[str, LimitDetail] = {}  # an order preview may hold thousands of details per symbol
    ok: dict[str, str] = {}
    for detail in result.limit_details:
        subject = _subject(detail.limit_name, detail.symbol)
        if detail.severity is Severity.OK:
            ok.setdefault(subject, detail.message)
        elif subject not in worst or (detail.severity.rank, detail.ratio) > (worst[subject].severity.rank,
                                                                            worst[subject].ratio):
            worst[subject] = detail
    events = []
    for subject, detail in worst.items():
        ok.pop(subject, None)
        breach = detail.severity is Severity.BREACH
        events.append(AlertEvent(
            ts=now,
            level=AlertLevel.CRITICAL if breach and block_on_violation else AlertLevel.WARNING,
            source=source,
            code=f"RISK_LIMIT_{'VIOLATION' if breach else 'WARNING'}_{tag}",
            subject=subject,
            message=f"{source} risk {detail.severity.value}: {detail.message}",
            context={
                "limit_name": detail.limit_name,
                "limit": detail.limit_value,
                "value": detail.current_value,
                "ratio": detail.ratio,
                "warning_threshold": detail.warning_threshold,
                "symbol": detail.symbol,
                "severity": detail.severity.value,
            },
        ))
    return Assessment(source=source, events=events, ok=ok,
                      recovery_code=f"RISK_LIMIT_RECOVERED_{tag}", complete=bool(result.limit_details))


def assess_health(report: HealthReport, *, now: datetime) -> Assessment:
    """Return one event per check that did not pass (CRITICAL for fail, WARNING for warn).

    When the config check fails the others never ran: only the config is alerted, and nothing
    else is declared recovered.
    """
    config_failed = any(c.name == "config" and c.status == "fail" for c in report.checks)
    events: list[AlertEvent] = []
    ok: dict[str, str] = {}
    for check in report.checks:
        if config_failed and check.name != "config":
            continue
        if check.status == "pass":
            ok[check.name] = "; ".join(check.messages) or "passes"
            continue
        failed = check.status == "fail"
        events.append(AlertEvent(
            ts=now,
            level=AlertLevel.CRITICAL if failed else AlertLevel.WARNING,
            source="health",
            code="HEALTH_FAIL" if failed else "HEALTH_DEGRADED",
            subject=check.name,
            message=redact_text(f"health {report.overall_status}: {check.name} check {check.status}: "
                                + "; ".join(check.messages)),
            context={"check": check.name, "status": check.status, "overall_status": report.overall_status,
                     "mode": report.mode, "messages": [redact_text(m) for m in check.messages]},
        ))
    return Assessment(source="health", events=events, ok=ok, recovery_code="HEALTH_RECOVERED",
                      complete=not config_failed)


def flow_failure_event(*, flow: str, run_name: str, run_id: str, state: str, reason: str, now: datetime) -> AlertEvent:
    """Return the CRITICAL event for a flow run that failed or crashed (subject: the flow)."""
    crashed = state.lower() == "crashed"
    return AlertEvent(
        ts=now,
        level=AlertLevel.CRITICAL,
        source="flow",
        code="FLOW_CRASHED" if crashed else "FLOW_FAILED",
        subject=flow,
        message=redact_text(f"flow {flow} run {run_name!r} {state}: {reason or 'no reason given'}"),
        context={"flow": flow, "flow_run_name": run_name, "flow_run_id": run_id, "state": state},
    )


def alerting_failure_event(*, what: str, error: BaseException, now: datetime) -> AlertEvent:
    """Return the CRITICAL event sent (through log and stderr) when raising `what` alerts itself failed."""
    return AlertEvent(
        ts=now,
        level=AlertLevel.CRITICAL,
        source="alerting",
        code="ALERTING_FAILED",
        subject=what,
        message=redact_text(f"{what} alerts could not be raised: {type(error).__name__}: {error}")[:500],
        context={"what": what, "error": type(error).__name__},
    )


def recoveries(assessment: Assessment, open_alerts: Iterable[OpenAlert], *, now: datetime) -> list[AlertEvent]:
    """Return an INFO event for each open alert of the assessment's source that is no longer firing."""
    firing = {e.subject for e in assessment.events}
    events: list[AlertEvent] = []
    for alert in open_alerts:
        if alert.source != assessment.source or alert.subject in firing:
            continue
        if alert.subject not in assessment.ok and not assessment.complete:
            continue  # not looked at this time: we cannot say it is fine
        why = assessment.ok.get(alert.subject, "no longer raised")
        events.append(AlertEvent(
            ts=now,
            level=AlertLevel.INFO,
            source=assessment.source,
            code=assessment.recovery_code,
            subject=alert.subject,
            message=redact_text(f"{assessment.source} recovered: {alert.subject} is back to OK ({why})"),
            context={"recovered_code": alert.code, "recovered_level": alert.level.value,
                     "alerted_at": alert.ts.isoformat()},
            recovers=alert.level,
        ))
    return events
