"""The portfolio step: read the holdings, then apply the daily base and the risk limits.

The pipeline portfolio -> start-of-day equity -> risk is composed here once; the portfolio,
report and order-preview runs all go through it.
"""

from __future__ import annotations

from dataclasses import dataclass

from live_ops.errors import LiveOpsError
from live_ops.health import HealthReport
from live_ops.portfolio import PortfolioSnapshot, build_snapshot
from live_ops.risk import DailyBase, evaluate_risk
from live_ops.runs.context import RunContext
from live_ops.state import EquityLedger


def read_portfolio(ctx: RunContext) -> PortfolioSnapshot:
    """Return the snapshot of the account's holdings on the run's gateway, without risk."""
    holdings = ctx.gateway.fetch_holdings()
    return build_snapshot(holdings, mode=ctx.config.mode, as_of=ctx.clock())


def daily_base(ctx: RunContext, snapshot: PortfolioSnapshot, starting_cash: float | None = None) -> DailyBase:
    """Return the base of the daily PnL: `starting_cash` when given, else the UTC day's first equity.

    The day's first equity is recorded either way, so a later run without --starting-cash
    still measures from the true start of the day.
    """
    equity = EquityLedger(ctx.config.state).start_of_day(snapshot.equity, snapshot.quote_currency, snapshot.as_of)
    if starting_cash is not None:
        return DailyBase(equity=starting_cash, source="starting_cash")
    return DailyBase(equity=equity, source="state")


def with_risk(ctx: RunContext, snapshot: PortfolioSnapshot, starting_cash: float | None = None) -> PortfolioSnapshot:
    """Return `snapshot` with its risk result against `[live_risk]`, measured from the daily base."""
    risk = evaluate_risk(snapshot.exposure(), ctx.config.live_risk, daily_base(ctx, snapshot, starting_cash))
    return snapshot.model_copy(update={"risk": risk})


def assess_portfolio(ctx: RunContext, *, starting_cash: float | None = None,
                     with_risk_limits: bool = True) -> PortfolioSnapshot:
    """Return the portfolio with its risk (unless `with_risk_limits` is false: the snapshot only)."""
    snapshot = read_portfolio(ctx)
    return with_risk(ctx, snapshot, starting_cash) if with_risk_limits else snapshot


@dataclass(frozen=True)
class ReportPortfolio:
    """The portfolio a status report shows, or why it has none."""

    snapshot: PortfolioSnapshot | None
    error: str | None = None


def unavailable_reason(ctx: RunContext, health: HealthReport) -> str | None:
    """Return why the report cannot read the portfolio after `health`, or None when it can."""
    if ctx.loaded_config() is None:
        return "the config did not load"
    if not health.exchange_ok:
        return "the exchange check failed: " + "; ".join(health.exchange_errors)
    return None


def report_portfolio(ctx: RunContext, health: HealthReport, *, raise_transient: bool = False) -> ReportPortfolio:
    """Return the report's portfolio with risk; a failed read is reported, not raised.

    `raise_transient`: raise a transient exchange error instead (the caller retries it);
    the caller's last attempt passes False so the report is still written.
    """
    reason = unavailable_reason(ctx, health)
    if reason is not None:
        return ReportPortfolio(None, reason)
    try:
        return ReportPortfolio(assess_portfolio(ctx))
    except LiveOpsError as exc:
        if raise_transient and getattr(exc, "transient", False):
            raise
        return ReportPortfolio(None, str(exc))
