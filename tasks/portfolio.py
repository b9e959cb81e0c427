"""Portfolio tasks: the portfolio step (read, daily base, risk), with retries on transient exchange faults."""

from __future__ import annotations

import asyncio
import logging

from live_ops.tasks.retry import EXCHANGE_RETRIES, EXCHANGE_RETRY_DELAYS, retry_transient_exchange_errors
from prefect import get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.runtime import task_run

from live_ops import runs
from live_ops.health import HealthReport
from live_ops.portfolio import PortfolioSnapshot
from live_ops.runs import ReportPortfolio, RunContext


def _log(snapshot: PortfolioSnapshot) -> None:
    risk = snapshot.risk
    get_run_logger().log(
        logging.WARNING if snapshot.at_risk else logging.INFO,  # a filter at WARNING must see a warning or breach
        "%s portfolio: %d positions, exposure %.2f %s, equity %.2f; risk %s%s", snapshot.mode,
        snapshot.totals.num_open_positions, snapshot.totals.total_notional, snapshot.quote_currency, snapshot.equity,
        risk.severity.value if risk is not None else "not evaluated",
        "".join(f"\n  {reason}" for reason in risk.reasons) if risk is not None else "",
    )


@task(
    name="assess-portfolio",
    cache_policy=NO_CACHE,
    retries=EXCHANGE_RETRIES,
    retry_delay_seconds=EXCHANGE_RETRY_DELAYS,
    retry_condition_fn=retry_transient_exchange_errors,
)
async def assess_portfolio(ctx: RunContext, starting_cash: float | None = None,
                           with_risk: bool = True) -> PortfolioSnapshot:
    """Read positions and account, then (unless `with_risk` is false) the daily base and the risk limits."""
    # exchange reads and the state database's lock waits: off the event loop
    snapshot = await asyncio.to_thread(runs.assess_portfolio, ctx, starting_cash=starting_cash,
                                       with_risk_limits=with_risk)
    _log(snapshot)
    return snapshot


@task(
    name="report-portfolio",
    cache_policy=NO_CACHE,
    retries=EXCHANGE_RETRIES,
    retry_delay_seconds=EXCHANGE_RETRY_DELAYS,
    retry_condition_fn=retry_transient_exchange_errors,
)
async def report_portfolio(ctx: RunContext, health: HealthReport) -> ReportPortfolio:
    """Return the report's portfolio with risk, or why there is none (a failed read is reported, not raised)."""
    last_attempt = task_run.run_count > EXCHANGE_RETRIES  # then a transient fault is reported too
    result = await asyncio.to_thread(runs.report_portfolio, ctx, health, raise_transient=not last_attempt)
    if result.snapshot is not None:
        _log(result.snapshot)
    else:
        get_run_logger().warning("portfolio unavailable: %s", result.error)
    return result
