"""Alert task: raise the alerts a step's result calls for. It never fails the flow.

Alerting is a side channel: a broken sink, an unreadable state file or a bug in an alert path
is logged here and the run goes on with its own result and exit code.
"""

from __future__ import annotations

import asyncio

from prefect import get_run_logger, task
from prefect.cache_policies import NO_CACHE

from live_ops import runs
from live_ops.alerts import EventOutcome, redact_text
from live_ops.runs import RunContext
from live_ops.runs.alerts import Alertable, describe


@task(name="raise-alerts", cache_policy=NO_CACHE)
async def raise_alerts(ctx: RunContext, result: Alertable) -> list[EventOutcome]:
    """Alert on `result`'s warn/fail checks or WARNING/BREACH limits and recoveries; return the outcomes."""
    what = type(result).__name__
    try:
        # sinks do HTTP with retries (bounded in time): in a worker thread, off the flow's event loop
        outcomes = await asyncio.to_thread(runs.raise_alerts, ctx, result)
    except Exception as exc:  # noqa: BLE001 - alerting must never take the flow down
        get_run_logger().error("%s alerts not raised (the run goes on): %s: %s", what, type(exc).__name__,
                               redact_text(str(exc)))
        return []
    get_run_logger().info("%s alerts: %s", what, describe(outcomes))
    return outcomes
