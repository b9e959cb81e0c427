"""The health step: run the four checks on the run's context and summarise them.

The skip rule lives here: without a config nothing else can be checked, so the other three
checks fail as skipped; with one, the exchange round trip runs on the run's own gateway (which
the rest of a report run reuses: markets load once).
"""

from __future__ import annotations

from live_ops import health
from live_ops.health import HealthReport
from live_ops.runs.context import RunContext


def check_health(ctx: RunContext, *, deadline_s: float = health.EXCHANGE_DEADLINE_S) -> HealthReport:
    """Return the health report of the run's config: config, exchange, alerts and live_risk checks."""
    checked_at = ctx.clock()
    config_check, config = health.check_config(ctx.config_path, load=lambda path: ctx.config)
    if config is None:
        checks = [config_check, *(health.skipped(name) for name in ("exchange", "alerts", "live_risk"))]
        return health.summarize(checks, mode=None, checked_at=checked_at)
    checks = [
        config_check,
        health.check_exchange(ctx.venue, lambda: ctx.gateway, deadline_s=deadline_s),
        health.check_alerts(config.live_alerts, ctx.environ),
        health.check_live_risk(config.live_risk),
    ]
    return health.summarize(checks, mode=config.mode, checked_at=checked_at)
