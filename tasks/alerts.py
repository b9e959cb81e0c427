"""Alert task: raise the alerts a step's result calls for. It never fails the flow, and never goes quiet.

Alerting is a side channel: a broken sink or an unreadable history is recorded and the run goes
on with its own result and exit code; an error in the alert path itself becomes an
ALERTING_FAILED alert on log and stderr (`live_ops.alerts.raise_safely`). Every dispatch of one
run (and its failure hook) draws on one alert time budget, keyed by the root flow run.
"""

from __future__ import annotations

import asyncio

from prefect import get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.runtime import flow_run

from live_ops import runs
from live_ops.alerts import AlertBudget, EventOutcome, raise_safely
from live_ops.alerts.budget import for_run
from live_ops.runs import RunContext
from live_ops.runs.alerts import Alertable, describe


def run_alert_budget() -> AlertBudget:
    """Return the alert budget of this flow run (a fresh one if the run cannot be named)."""
    try:
        return for_run(str(flow_run.root_flow_run_id or flow_run.id or "") or None)
    except Exception:  # noqa: BLE001 - a lookup of the root run must never cost an alert
        return AlertBudget()


@task(name="raise-alerts", cache_policy=NO_CACHE)
async def raise_alerts(ctx: RunContext, result: Alertable) -> list[EventOutcome]:
    """Alert on `result`'s warn/fail checks or WARNING/BREACH limits and recoveries; return the outcomes."""
    what = type(result).__name__
    # sinks do HTTP with retries (bounded in time): in a worker thread, off the flow's event loop
    outcomes = await asyncio.to_thread(raise_safely, what, lambda: runs.raise_alerts(ctx, result),
                                       environ=ctx.environ)
    get_run_logger().info("%s alerts: %s", what, describe(outcomes))
    return outcomes
