"""Builders of real status snapshots for the reporting tests (paper exchange, real health and risk)."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

from live_ops.config import load_config
from live_ops.exchange import build_gateway
from live_ops.exchange.gateway import AccountSummary, Holdings, Position
from live_ops.portfolio import PortfolioSnapshot, build_snapshot
from live_ops.reporting import AlertRow, OperatorNotes, StatusSnapshot
from live_ops.risk import DailyBase, evaluate_risk
from live_ops.runs import RunContext, check_health

WHEN = datetime(2024, 5, 6, 7, 0, 30, tzinfo=timezone.utc)


def make_snapshot(config_path: Path, *, positions: list[Position] | None = None, tag: str | None = "daily",
                  alerts: list[AlertRow] | None = None, notes: OperatorNotes | None = None,
                  generated_at: datetime = WHEN) -> StatusSnapshot:
    """Return a snapshot of the config's paper exchange (or of `positions`), with real health and risk."""
    config = load_config(config_path)
    with RunContext(config_path, clock=lambda: generated_at) as ctx:
        health = check_health(ctx)
    if positions is None:
        holdings = build_gateway(config).fetch_holdings()
    else:
        holdings = Holdings(account=AccountSummary(quote_currency="EUR", equity=10_000.0, free_cash=5_000.0),
                            positions=tuple(positions))
    portfolio: PortfolioSnapshot = build_snapshot(holdings, mode=config.mode, as_of=generated_at)
    risk = evaluate_risk(portfolio.exposure(), config.live_risk, DailyBase(equity=10_000.0, source="state"))
    return StatusSnapshot(generated_at=generated_at, tag=tag, health=health,
                          portfolio=portfolio.model_copy(update={"risk": risk}), alerts=alerts or [],
                          notes=notes or OperatorNotes())

