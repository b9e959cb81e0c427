"""The calls flows and hooks make: assess a result, add recoveries, dispatch, record.

Kept apart from the dispatcher so that the rule "what alerted before and is fine now gets an
INFO recovery" lives in the core, not in a Prefect task.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping
from datetime import datetime

from live_ops.alerts.budget import AlertBudget
from live_ops.alerts.dispatcher import Dispatcher, EventOutcome
from live_ops.alerts.events import (
    Assessment,
    RiskSource,
    alerting_failure_event,
    assess_health,
    assess_risk,
    flow_failure_event,
    recoveries,
    redact_text,
)
from live_ops.alerts.history import AlertHistory
from live_ops.clock import now as clock_now
from live_ops.config.models import AlertsConfig, LiveOpsConfig
from live_ops.errors import StateError
from live_ops.health import HealthReport
from live_ops.risk import RiskResult, enforcing


class Alerter:
    """Raises alerts for one config: its sinks, its state database, an injectable clock and sleep."""

    def __init__(self, config: LiveOpsConfig, *, environ: Mapping[str, str] | None = None,
                 sleep: Callable[[float], None] = time.sleep,
                 clock: Callable[[], datetime] = clock_now,
                 budget: AlertBudget | None = None) -> None:
        self.config = config
        self.history = AlertHistory(config.state)
        self.dispatcher = Dispatcher.from_config(config.live_alerts, history=self.history, environ=environ,
                                                 sleep=sleep, budget=budget)
        self.clock = clock

    def assess(self, assessment: Assessment) -> list[EventOutcome]:
        """Dispatch the assessment's events plus a recovery for each earlier alert now OK; return outcomes."""
        try:
            open_alerts = self.history.open_alerts(assessment.source)
        except StateError:
            open_alerts = []  # the dispatcher logs the broken history; firing alerts still go out
        events = [*assessment.events, *recoveries(assessment, open_alerts, now=self.clock())]
        return self.dispatcher.dispatch(events) if events else []

    def risk(self, result: RiskResult, source: RiskSource, *, block_on_violation: bool | None = None
             ) -> list[EventOutcome]:
        """Alert on a risk result from `portfolio` or `orders`; return the outcomes.

        A BREACH is CRITICAL when it blocks: `block_on_violation` (default: `[live_risk]`'s, which
        `orders --enforce-live-risk` overrides to true).
        """
        blocking = enforcing(self.config.live_risk) if block_on_violation is None else block_on_violation
        return self.assess(assess_risk(result, source=source, now=self.clock(), block_on_violation=blocking))

    def health(self, report: HealthReport) -> list[EventOutcome]:
        """Alert on a health report (DEGRADED/FAIL checks, recoveries); return the outcomes."""
        return self.assess(assess_health(report, now=self.clock()))

    def flow_failure(self, *, flow: str, run_name: str, run_id: str, state: str, reason: str) -> list[EventOutcome]:
        """Send the CRITICAL alert for a failed or crashed flow run; return the outcomes."""
        event = flow_failure_event(flow=flow, run_name=run_name, run_id=run_id, state=state, reason=reason,
                                   now=self.clock())
        return self.dispatcher.dispatch([event])


def alert_health_without_config(report: HealthReport, *, environ: Mapping[str, str] | None = None) -> list[EventOutcome]:
    """Alert on a health report whose config did not load: default sinks, no history; return the outcomes."""
    return fallback_dispatcher(environ=environ).dispatch(assess_health(report, now=clock_now()).events)


def fallback_dispatcher(*, environ: Mapping[str, str] | None = None) -> Dispatcher:
    """Return a dispatcher for when the config cannot be read: the default log and stderr sinks, no history."""
    return Dispatcher.from_config(AlertsConfig(), environ=environ)


_log = logging.getLogger("live_ops.alerts")


def raise_safely(what: str, call: Callable[[], list[EventOutcome]], *,
                 environ: Mapping[str, str] | None = None) -> list[EventOutcome]:
    """Return `call()`'s outcomes; if raising the alerts fails, send ALERTING_FAILED through log and stderr.

    No error in an alert path turns into silence: the operator learns that `what` alerts could
    not be raised, and why, on the channels that need nothing but this process.
    """
    try:
        return call()
    except Exception as exc:  # noqa: BLE001 - alerting must never take the run down, nor go quiet
        _log.error("%s alerts could not be raised: %s: %s", what, type(exc).__name__, redact_text(str(exc)))
        event = alerting_failure_event(what=what, error=exc, now=clock_now())
        try:
            return fallback_dispatcher(environ=environ).dispatch([event])
        except Exception as fallback_exc:  # noqa: BLE001 - the last resort: the log line above stands
            _log.critical("ALERT CRITICAL alerting ALERTING_FAILED [%s]: %s (%s)", what, event.message,
                          type(fallback_exc).__name__)
            return [EventOutcome(event)]
