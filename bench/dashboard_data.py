"""A year at the default schedules, written through the project's own code (for bench/dashboard.py).

- the history store: a health run every 30 minutes and a portfolio snapshot with each (17,520 of
  each, 3 positions and 7 limit ratios per snapshot);
- the alert history: a persisting WARNING re-raised by every health run (17,520 events, each
  with its delivery), as dedup records them;
- the report archive as retention leaves it: 90 days of daily reports and the weekly ones
  (Markdown, HTML and the JSON sidecar each).
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from live_ops.alerts.events import AlertEvent, AlertLevel
from live_ops.alerts.history import AlertHistory
from live_ops.alerts.sinks.base import DeliveryResult
from live_ops.config import load_config
from live_ops.reporting import archive_report, maintain_archive, render_report, report_stem
from live_ops.store import HealthRun, LimitRatio, PortfolioPoint, PositionRow, Store

REPO = Path(__file__).resolve().parents[1]
HEALTH_RUNS = 17_520
KEEP_DAYS = 90


def _config(root: Path) -> tuple[Path, Any]:
    text = (REPO / "config" / "config.toml").read_text()
    text = text.replace('path = "reports/live_ops.db"', f'path = "{(root / "state.db").as_posix()}"')
    text = text.replace('output_dir = "reports/live_status"', f'output_dir = "{(root / "reports").as_posix()}"')
    path = root / "config.toml"
    path.write_text(text)
    return path, load_config(path)


def write_year(root: Path, now: datetime) -> tuple[object, dict[str, int]]:
    """Write the year under `root`; return the config and the counts written."""
    from tests.reporting.builders import make_snapshot

    path, config = _config(root)
    history = AlertHistory(config.state)
    store = Store.at(config.state)
    start = now - timedelta(minutes=30 * HEALTH_RUNS)
    positions = [PositionRow(symbol=s, side="long", size=1.0, notional=n, unrealized_pnl=5.0)
                 for s, n in (("BTC/EUR", 3000.0), ("ETH/EUR", 1500.0), ("SOL/EUR", 600.0))]
    for i in range(HEALTH_RUNS):
        at = start + timedelta(minutes=30 * i)
        store.record(HealthRun(at=at, mode="paper", headline="DEGRADED", overall_status="DEGRADED",
                               checks={"config": "pass", "exchange": "pass", "alerts": "warn", "live_risk": "pass"}))
        equity = 10_000 + 400 * math.sin(i / 200)
        exposure = 5_100 + 900 * math.sin(i / 90)
        store.record(PortfolioPoint(
            at=at, mode="paper", headline="OK", quote_currency="EUR", equity=equity, free_cash=5_000.0,
            total_exposure=exposure, open_positions=3, daily_pnl=-10.0, risk_severity="OK",
            limits=[LimitRatio(limit_name="max_symbol_exposure_notional", symbol=p.symbol,
                               ratio=p.notional / 5000, severity="OK") for p in positions]
            + [LimitRatio(limit_name=n, ratio=0.3, severity="OK") for n in
               ("max_total_exposure_notional", "max_open_positions", "max_daily_loss_abs", "max_daily_loss_pct")],
            positions=positions))
        event = AlertEvent(ts=at, level=AlertLevel.WARNING, source="health", code="HEALTH_DEGRADED",
                           subject="alerts", message="health DEGRADED: alerts: webhook listed but no URL",
                           context={"run": i})
        status = "sent" if i % 2 == 0 else "deduplicated"
        history.record(event, [DeliveryResult(sink="log", target="-", status=status, attempts=1, detail="",
                                              duration_ms=0.1)])
    base = make_snapshot(path, tag="daily", generated_at=now)
    reports = 0
    for day in range(KEEP_DAYS, -1, -1):
        at = (now - timedelta(days=day)).replace(hour=7, minute=0, second=0, microsecond=0)
        if at > now:
            continue
        portfolio = base.portfolio.model_copy(update={"as_of": at, "equity": 10_000 + 400 * math.sin(day / 5)})
        health = base.health.model_copy(update={"checked_at": at})
        for tag in ("daily", "weekly") if at.weekday() == 0 else ("daily",):
            snap = base.model_copy(update={"generated_at": at, "tag": tag, "portfolio": portfolio, "health": health})
            rendered = render_report(snap, "both")
            archive_report(config.reports.output_dir, report_stem(at, tag), rendered.documents("both"),
                           snap.sidecar_json())
            reports += 1
    maintain_archive(config.reports.output_dir, KEEP_DAYS, now)
    return config, {"health_runs": HEALTH_RUNS, "portfolio_snapshots": HEALTH_RUNS, "alert_events": HEALTH_RUNS,
                    "reports": reports}
