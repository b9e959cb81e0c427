"""`live_health_flow`: is the setup sound enough to start a session?"""

from __future__ import annotations

import asyncio
from datetime import datetime, timezone

from prefect import flow

from live_ops.flows.hooks import alert_on_flow_failure
from live_ops.health import HealthReport, skipped, summarize
from live_ops.tasks.alerts import raise_health_alerts
from live_ops.tasks.health import check_alerts, check_config, check_exchange, check_live_risk
from live_ops.tasks.metrics import write_metrics


@flow(flow_run_name="live health {config_path}", log_prints=False,
      on_failure=[alert_on_flow_failure], on_crashed=[alert_on_flow_failure])
async def live_health_flow(config_path: str = "config/config.toml") -> HealthReport:
    """Run the config, exchange, alerts and live-risk checks and summarise them.

    Args:
        config_path: path of the TOML config on the machine that runs the flow.
    """
    checked_at = datetime.now(timezone.utc)
    config_check, config = await check_config(config_path)
    if config is None:
        checks = [config_check, skipped("exchange"), skipped("alerts"), skipped("live_risk")]
        report = summarize(checks, mode=None, checked_at=checked_at)
        await raise_health_alerts(None, report)
        return report
    # the exchange round trip is the slow one: the cheap checks run beside it
    others = await asyncio.gather(check_exchange(config), check_alerts(config), check_live_risk(config))
    checks = [config_check, *others]
    report = summarize(checks, mode=config.mode, checked_at=checked_at)
    await raise_health_alerts(config, report)
    await write_metrics(config)
    return report
