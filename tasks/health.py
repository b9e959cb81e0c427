"""Health-check tasks: one per check, never cached (every run must look again).

Tasks are async, like the flows that run them: an async task runs on the flow's event loop and
reuses its API client, where a sync task in an async flow builds a client of its own (~0.2 s of
TLS set-up per run, even for an http:// API). Blocking I/O goes to a worker thread.
"""

from __future__ import annotations

import asyncio

from prefect import get_run_logger, task
from prefect.cache_policies import NO_CACHE

from live_ops import health
from live_ops.config.models import LiveOpsConfig
from live_ops.exchange import build_gateway
from live_ops.health import CheckResult


def _log(check: CheckResult) -> CheckResult:
    get_run_logger().info("%s check: %s (%.0f ms) %s", check.name, check.status, check.duration_ms,
                          "; ".join(check.messages))
    return check


@task(name="check-config", cache_policy=NO_CACHE)
async def check_config(config_path: str) -> tuple[CheckResult, LiveOpsConfig | None]:
    """Load and validate the config file; return the check and the config when it loaded."""
    result, config = health.check_config(config_path)
    _log(result)
    return result, config


@task(name="check-exchange", cache_policy=NO_CACHE)
async def check_exchange(config: LiveOpsConfig) -> CheckResult:
    """Build the gateway for the configured mode and run its health round trip (bounded in time)."""
    # network I/O in a worker thread: the flow's event loop stays free for Prefect
    return _log(await asyncio.to_thread(health.check_exchange, config, build_gateway))


@task(name="check-alerts", cache_policy=NO_CACHE)
async def check_alerts(config: LiveOpsConfig) -> CheckResult:
    """Check that the alert sinks are enabled and able to deliver."""
    return _log(health.check_alerts(config.live_alerts))


@task(name="check-live-risk", cache_policy=NO_CACHE)
async def check_live_risk(config: LiveOpsConfig) -> CheckResult:
    """Check that the live risk limits are consistent."""
    return _log(health.check_live_risk(config.live_risk))
