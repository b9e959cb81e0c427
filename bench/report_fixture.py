"""A status snapshot with many positions, built from the real core (paper health, real risk)."""

from __future__ import annotations

from datetime import datetime, timezone
from functools import lru_cache

from bench.run import REPO
from live_ops.config import load_config
from live_ops.exchange.gateway import AccountSummary, Holdings, Position
from live_ops.portfolio import build_snapshot
from live_ops.reporting import StatusSnapshot, render_report
from live_ops.risk import DailyBase, evaluate_risk
from live_ops.runs import RunContext, check_health


@lru_cache(maxsize=4)
def big_snapshot(positions: int) -> StatusSnapshot:
    """Return a snapshot of `positions` alternating long/short positions with health and risk."""
    path = REPO / "config" / "config.toml"
    config = load_config(path)
    now = datetime.now(timezone.utc)
    with RunContext(path, clock=lambda: now) as ctx:
        health = check_health(ctx)
    holdings = Holdings(
        positions=tuple(Position(f"C{i:04d}/EUR", size=(-1) ** i * 0.5, entry_price=100.0, mark_price=101.0 + i % 7)
                        for i in range(positions)),
        account=AccountSummary("EUR", equity=10_000.0, free_cash=5_000.0),
    )
    portfolio = build_snapshot(holdings, mode="paper", as_of=now)
    risk = evaluate_risk(portfolio.exposure(), config.live_risk, DailyBase(10_000.0, "state"))
    return StatusSnapshot(generated_at=now, tag="bench", health=health,
                          portfolio=portfolio.model_copy(update={"risk": risk}))


def render_big_report(positions: int) -> None:
    """Render the Markdown and HTML of a snapshot with `positions` positions."""
    render_report(big_snapshot(positions), "both")
