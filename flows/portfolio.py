"""`portfolio_flow`: what do we hold, and is it within the live risk limits?"""

from __future__ import annotations

from prefect import flow

from live_ops.flows.hooks import alert_on_flow_failure
from live_ops.exchange import build_gateway
from live_ops.portfolio import PortfolioSnapshot
from live_ops.tasks.alerts import raise_risk_alerts
from live_ops.tasks.config import load_config
from live_ops.tasks.metrics import write_metrics
from live_ops.tasks.portfolio import evaluate_portfolio_risk, snapshot_portfolio, start_of_day_equity


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
    config = await load_config(config_path)
    gateway = build_gateway(config)
    try:
        snapshot = await snapshot_portfolio(gateway, config.mode)
    finally:
        gateway.close()
    if evaluate_risk:
        daily = await start_of_day_equity(config, snapshot, starting_cash)
        snapshot = await evaluate_portfolio_risk(config, snapshot, daily)
        if snapshot.risk is not None:
            await raise_risk_alerts(config, snapshot.risk, "portfolio")
    await write_metrics(config)
    return snapshot
