"""`live_health_flow`: is the setup sound enough to start a session?"""

from __future__ import annotations

from live_ops.flows.announce import announce
from live_ops.flows.hooks import alert_on_flow_failure
from live_ops.tasks.alerts import raise_alerts, run_alert_budget
from live_ops.tasks.health import check_health
from live_ops.tasks.history import record_history
from live_ops.tasks.metrics import write_metrics
from prefect import flow

from live_ops.health import HealthReport
from live_ops.runs import RunContext


@flow(flow_run_name="live health {config_path}", log_prints=False,
      on_failure=[alert_on_flow_failure], on_crashed=[alert_on_flow_failure])
async def live_health_flow(config_path: str = "config/config.toml") -> HealthReport:
    """Run the config, exchange, alerts and live-risk checks and summarise them.

    Args:
        config_path: path of the TOML config on the machine that runs the flow.
    """
    with RunContext(config_path, alert_budget=run_alert_budget()) as ctx:
        report = await check_health(ctx)
        await raise_alerts(ctx, report)
        await record_history(ctx, report)
        await write_metrics(ctx)
    return announce(ctx, "health", report)
