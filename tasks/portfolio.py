"""Portfolio tasks: read the exchange into a snapshot, evaluate it against the live risk limits."""

from __future__ import annotations

import asyncio
from datetime import datetime, timezone

from prefect import get_run_logger, task
from prefect.cache_policies import NO_CACHE

from live_ops.config.models import LiveOpsConfig
from live_ops.exchange.gateway import ExchangeGateway
from live_ops.portfolio import PortfolioSnapshot, build_snapshot
from live_ops.risk import DailyBase, evaluate_risk
from live_ops.state import EquityLedger
from live_ops.tasks.retry import EXCHANGE_RETRIES, EXCHANGE_RETRY_DELAYS, retry_transient_exchange_errors


@task(
    name="portfolio-snapshot",
    cache_policy=NO_CACHE,
    retries=EXCHANGE_RETRIES,
    retry_delay_seconds=EXCHANGE_RETRY_DELAYS,
    retry_condition_fn=retry_transient_exchange_errors,
)
async def snapshot_portfolio(gateway: ExchangeGateway, mode: str) -> PortfolioSnapshot:
    """Read positions and account from the exchange; return the snapshot without risk."""
    holdings = await asyncio.to_thread(gateway.fetch_holdings)  # network I/O off the event loop
    snapshot = build_snapshot(holdings, mode=mode, as_of=datetime.now(timezone.utc))
    get_run_logger().info(
        "%s portfolio: %d positions, exposure %.2f %s, equity %.2f",
        gateway.name, snapshot.totals.num_open_positions, snapshot.totals.total_notional,
        snapshot.quote_currency, snapshot.equity,
    )
    return snapshot


@task(name="start-of-day-equity", cache_policy=NO_CACHE)
async def start_of_day_equity(config: LiveOpsConfig, snapshot: PortfolioSnapshot,
                              starting_cash: float | None) -> DailyBase:
    """Return the base of the daily PnL: --starting-cash, else the UTC day's first recorded equity."""
    # the day's first equity is recorded even when --starting-cash overrides the base for this run
    ledger = EquityLedger(config.state)
    # SQLite may wait on a concurrent run's lock: off the event loop
    equity = await asyncio.to_thread(ledger.start_of_day, snapshot.equity, snapshot.quote_currency, snapshot.as_of)
    if starting_cash is not None:
        return DailyBase(equity=starting_cash, source="starting_cash")
    return DailyBase(equity=equity, source="state")


@task(name="evaluate-portfolio-risk", cache_policy=NO_CACHE)
async def evaluate_portfolio_risk(config: LiveOpsConfig, snapshot: PortfolioSnapshot, daily: DailyBase) -> PortfolioSnapshot:
    """Return `snapshot` with its risk result against `[live_risk]`."""
    risk = evaluate_risk(snapshot.exposure(), config.live_risk, daily)
    get_run_logger().info("portfolio risk: %s%s", risk.severity.value,
                          "".join(f"\n  {reason}" for reason in risk.reasons))
    return snapshot.model_copy(update={"risk": risk})
