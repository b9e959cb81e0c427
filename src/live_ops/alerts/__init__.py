"""Alerting: events from results, sinks per channel, a dispatcher that isolates them, a history.

    events.py      AlertEvent, levels, builders (risk, health, flow failure) and recoveries
    sinks/         log, stderr, webhook, slack, apprise: each send(event) -> DeliveryResult, never raises
    dispatcher.py  sinks built one by one (invalid ones recorded), min_level, dedup, parallel bounded sends
    budget.py      the run's alert time budget (15 s for all its dispatches)
    history.py     the alert tables in the state database; queries for `live-ops alerts`
    service.py     Alerter: what flows and hooks call
"""

from live_ops.alerts.budget import ALERT_BUDGET_S, AlertBudget
from live_ops.alerts.dispatcher import Dispatcher, EventOutcome, build_sinks
from live_ops.alerts.events import (
    AlertEvent,
    AlertLevel,
    Assessment,
    OpenAlert,
    alerting_failure_event,
    assess_health,
    assess_risk,
    flow_failure_event,
    recoveries,
    redact_text,
)
from live_ops.alerts.history import AlertHistory, StoredAlert
from live_ops.alerts.service import Alerter, alert_health_without_config, fallback_dispatcher, raise_safely

__all__ = [
    "ALERT_BUDGET_S",
    "AlertBudget",
    "AlertEvent",
    "AlertHistory",
    "AlertLevel",
    "Alerter",
    "Assessment",
    "Dispatcher",
    "EventOutcome",
    "OpenAlert",
    "StoredAlert",
    "alert_health_without_config",
    "alerting_failure_event",
    "assess_health",
    "assess_risk",
    "build_sinks",
    "fallback_dispatcher",
    "flow_failure_event",
    "raise_safely",
    "recoveries",
    "redact_text",
]
