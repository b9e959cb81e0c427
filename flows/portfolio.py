"""`portfolio_flow`: what do we hold, and is it within the live risk limits?"""

from __future__ import annotations

from live_ops.flows.announce import announce
from live_ops.flows.hooks import alert_on_flow_failure
from live_ops.tasks.alerts import raise_alerts, run_alert_budget
from live_ops.tasks.history import record_history
from live_ops.tasks.metrics import write_metrics
from live_ops.tasks.portfolio import assess_portfolio
from prefect import flow

from live_ops.portfolio import PortfolioSnapshot
from live_ops.runs import RunContext


@flow(flow_run_name="portfolio {config_path}",
      on_failure=[alert_on_flow_failure], on_crashed=[alert_on_flow_failure])
async def portfolio_flow(
    config_path: str = "config/config.toml", evaluate_risk: bool = True, starting_cash: float | None = None
) -> PortfolioSnapshot:
    """Snapshot balances and positions from the exchange and evaluate them against the risk limits.

    Args:
        config_path: path of the TOML config on the machine that runs the flow.
        evaluate_risk: evaluate the snapshot against `[live_risk]` (false: snapshot only).
        starting_cash: base of the daily-loss limits instead of the day's first recorded equity.
    """
    with RunContext(config_path, alert_budget=run_alert_budget()) as ctx:
        snapshot = await assess_portfolio(ctx, starting_cash=starting_cash, with_risk=evaluate_risk)
        await raise_alerts(ctx, snapshot)
        await record_history(ctx, snapshot)
        await write_metrics(ctx)
    return announce(ctx, "portfolio", snapshot)
