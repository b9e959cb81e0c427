"""Health task: the health step, never cached (every run must look again).

Tasks are async, like the flows that run them: an async task runs on the flow's event loop and
reuses its API client, where a sync task in an async flow builds a client of its own (~0.2 s of
TLS set-up per run, even for an http:// API). Blocking I/O goes to a worker thread.
"""

from __future__ import annotations

import asyncio

from prefect import get_run_logger, task
from prefect.cache_policies import NO_CACHE

from live_ops import runs
from live_ops.health import HealthReport
from live_ops.runs import RunContext


@task(name="check-health", cache_policy=NO_CACHE)
async def check_health(ctx: RunContext) -> HealthReport:
    """Run the config, exchange, alerts and live-risk checks on the run's context; return the report."""
    # the exchange round trip is network I/O: in a worker thread, the flow's event loop stays free
    report = await asyncio.to_thread(runs.check_health, ctx)
    logger = get_run_logger()
    for check in report.checks:
        logger.info("%s check: %s (%.0f ms) %s", check.name, check.status, check.duration_ms, "; ".join(check.messages))
    logger.info("health %s", report.overall_status)
    return report
