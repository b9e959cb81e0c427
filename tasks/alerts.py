"""Alert tasks: raise the alerts of a computed result. They never fail the flow, and never go quiet.

Alerting is a side channel: a broken sink or an unreadable history is recorded and the run goes
on with its own result and exit code; an error in the alert path itself becomes an
ALERTING_FAILED alert on log and stderr (`live_ops.alerts.raise_safely`). Every dispatch of one
run (and its subflows) draws on one alert time budget, keyed by the root flow run.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Literal

from prefect import get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.runtime import flow_run

from live_ops.alerts import AlertBudget, Alerter, EventOutcome, alert_health_without_config, raise_safely
from live_ops.alerts.budget import for_run
from live_ops.config.models import LiveOpsConfig
from live_ops.health import HealthReport
from live_ops.risk import RiskResult


def _run_budget() -> AlertBudget:
    """Return the alert budget of this run and its subflows (a fresh one if the run cannot be named)."""
    try:
        return for_run(str(flow_run.root_flow_run_id or flow_run.id or "") or None)
    except Exception:  # noqa: BLE001 - a lookup of the root run must never cost an alert
        return AlertBudget()


async def _safely(what: str, call: Callable[[], list[EventOutcome]]) -> list[EventOutcome]:
    logger = get_run_logger()
    # sinks do HTTP with retries (bounded in time): in a worker thread, off the flow's event loop
    outcomes = await asyncio.to_thread(raise_safely, what, call)
    logger.info("%s alerts: %s", what, "; ".join(
        f"{o.event.level.value} {o.event.code} [{o.event.subject}] "
        + ", ".join(f"{d.sink}={d.status}" for d in o.deliveries) for o in outcomes) or "none")
    return outcomes


@task(name="raise-risk-alerts", cache_policy=NO_CACHE)
async def raise_risk_alerts(config: LiveOpsConfig, risk: RiskResult, source: Literal["portfolio", "orders"],
                      block_on_violation: bool | None = None) -> list[EventOutcome]:
    """Alert on a risk result's WARNING/BREACH limits and recoveries; return the outcomes ([] on failure).

    `block_on_violation` makes a BREACH CRITICAL (default: `[live_risk].block_on_violation`).
    """
    budget = _run_budget()
    return await _safely(f"{source} risk", lambda: Alerter(config, budget=budget).risk(
        risk, source, block_on_violation=block_on_violation))


@task(name="raise-health-alerts", cache_policy=NO_CACHE)
async def raise_health_alerts(config: LiveOpsConfig | None, report: HealthReport) -> list[EventOutcome]:
    """Alert on a health report's warn/fail checks and recoveries; return the outcomes ([] on failure).

    Without a config (it did not load) the default log and stderr sinks are used and nothing is recorded.
    """
    if config is None:
        return await _safely("health", lambda: alert_health_without_config(report))
    budget = _run_budget()
    return await _safely("health", lambda: Alerter(config, budget=budget).health(report))
