"""Alert tasks: raise the alerts of a computed result. They never fail the flow.

Alerting is a side channel: a broken sink, an unreadable state file or a bug in an alert path
is logged here and the run goes on with its own result and exit code.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Literal

from prefect import get_run_logger, task
from prefect.cache_policies import NO_CACHE

from live_ops.alerts import Alerter, EventOutcome, alert_health_without_config, redact_text
from live_ops.config.models import LiveOpsConfig
from live_ops.health import HealthReport
from live_ops.risk import RiskResult


async def _safely(what: str, call: Callable[[], list[EventOutcome]]) -> list[EventOutcome]:
    logger = get_run_logger()
    try:
        # sinks do HTTP with retries (bounded in time): in a worker thread, off the flow's event loop
        outcomes = await asyncio.to_thread(call)
    except Exception as exc:  # noqa: BLE001 - alerting must never take the flow down
        logger.error("%s alerts not raised (the run goes on): %s: %s", what, type(exc).__name__, redact_text(str(exc)))
        return []
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
    return await _safely(f"{source} risk", lambda: Alerter(config).risk(risk, source, block_on_violation=block_on_violation))


@task(name="raise-health-alerts", cache_policy=NO_CACHE)
async def raise_health_alerts(config: LiveOpsConfig | None, report: HealthReport) -> list[EventOutcome]:
    """Alert on a health report's warn/fail checks and recoveries; return the outcomes ([] on failure).

    Without a config (it did not load) the default log and stderr sinks are used and nothing is recorded.
    """
    if config is None:
        return await _safely("health", lambda: alert_health_without_config(report))
    return await _safely("health", lambda: Alerter(config).health(report))
