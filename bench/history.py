"""History store benchmarks (issue 14): the review's cost over a year of history, and recording's cost.

    python bench/history.py [--repeat 5] [--quick] [--out bench/history_results.json]

1. A year at the default schedules (health every 30 min: 17,520 runs, a portfolio snapshot per
   run, a few alerts a day) is written to SQLite and to a throwaway PostgreSQL (when its server
   binaries are installed). The 7-day Period Review (query + Markdown/HTML render of section 5)
   must take <= 0.5 s. Then two more years are added *before* that year: the review must cost
   the same (ratio ~1: indexed range reads, not scans).
2. Recording's share of a `live_health_flow` / `portfolio_flow` run against a local
   `prefect server start`: the `record-history` task's time inside each run over the rest of
   that run (median over the runs); target <= 5 %.

Ratios, not timed tests: nothing here fails a test suite; the numbers go in the README.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO / "src"), str(REPO)]

NOW = datetime(2026, 11, 23, 7, 0, tzinfo=timezone.utc)
RUNS_PER_YEAR = 365 * 48
SYMBOLS = ("BTC/EUR", "ETH/EUR", "SOL/EUR")


def _rows(year_end: datetime, runs: int) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
    import math

    health, portfolio, alerts = [], [], []
    for i in range(runs):
        at = year_end - timedelta(minutes=30 * (runs - i))
        status = "FAIL" if i % 997 < 3 else ("DEGRADED" if i % 211 == 0 else "OK")
        health.append({"at": at, "host": "bench", "mode": "paper", "overall_status": status, "headline": status,
                       "checks": {"config": "pass", "exchange": "fail" if status == "FAIL" else "pass",
                                  "alerts": "pass", "live_risk": "pass"}})
        equity = 10_000 + 400 * math.sin(i / 300) + 50 * math.sin(i / 7)
        positions = [{"symbol": s, "side": "long", "size": 0.05, "notional": 1_000.0 + 10 * k, "unrealized_pnl": 1.0}
                     for k, s in enumerate(SYMBOLS[: 1 + (i // 500) % 3])]
        limits = [{"limit_name": "max_symbol_exposure_notional", "symbol": p["symbol"],
                   "ratio": p["notional"] / 5_000, "severity": "OK"} for p in positions]
        limits += [{"limit_name": name, "symbol": None, "ratio": 0.3, "severity": "OK"}
                   for name in ("max_total_exposure_notional", "max_open_positions", "max_daily_loss_abs",
                                "max_daily_loss_pct")]
        portfolio.append({"at": at, "host": "bench", "mode": "paper", "quote_currency": "EUR", "equity": equity,
                          "free_cash": 5_000.0, "total_exposure": sum(p["notional"] for p in positions),
                          "open_positions": len(positions), "daily_pnl": equity - 10_000, "risk_severity": "OK",
                          "headline": status, "limits": limits, "positions": positions})
        if i % 12 == 0:  # four alerts a day
            alerts.append({"ts": at, "level": "WARNING", "level_rank": 1, "source": "portfolio",
                           "code": "RISK_LIMIT_WARNING_PORTFOLIO", "subject": "max_total_exposure_notional",
                           "message": "exposure", "context": "{}", "recovers": None})
    return health, portfolio, alerts


def fill(store: Any, year_end: datetime, years: int = 1) -> int:
    """Write `years` years of history ending at `year_end` in bulk; return the rows written."""
    from live_ops.store import schema

    total = 0
    for year in range(years):
        health, portfolio, alerts = _rows(year_end - timedelta(days=365 * year), RUNS_PER_YEAR)
        with store.engine.begin() as conn:
            for table, rows in ((schema.health_runs, health), (schema.portfolio_snapshots, portfolio),
                                (schema.alert_events, alerts)):
                for start in range(0, len(rows), 2_000):
                    conn.execute(table.insert(), rows[start:start + 2_000])
                total += len(rows)
    return total


def review_seconds(store: Any, repeat: int) -> tuple[float, float, int]:
    """Return the median seconds of the 7-day review query, of query + render, and the snapshots it read."""
    from live_ops.reporting.render import render_template
    from live_ops.reporting.review import build_review
    from live_ops.reporting.review_view import build_review_view

    queries, totals = [], []
    snapshots = 0
    build_review(store, "7d", NOW)  # warm: the first connection, the templates compiled once per process
    render_template("report.md.j2", v=_SectionOnly(None))
    for _ in range(repeat):
        started = time.perf_counter()
        review = build_review(store, "7d", NOW)
        queried = time.perf_counter()
        view = build_review_view(review)
        # section 5 alone, in both formats, through the report's own templates
        md = render_template("report.md.j2", v=_SectionOnly(view))
        html = render_template("report.html.j2", v=_SectionOnly(view))
        totals.append(time.perf_counter() - started)
        queries.append(queried - started)
        snapshots = review.snapshots
        assert "Period Review" in md and html.count("<polyline") == 2
    return statistics.median(queries), statistics.median(totals), snapshots


class _SectionOnly:
    """A report view with nothing but section 5, so the render timed is the review's own."""

    def __init__(self, review: Any) -> None:
        self.review = review

    def __getattr__(self, name: str) -> Any:
        return [] if name in ("checks", "positions", "limits", "alerts", "risk_reasons") else None


def bench_review(label: str, state: Any, repeat: int) -> dict[str, Any]:
    from live_ops.store import Store, dispose_all

    store = Store.at(state)
    started = time.perf_counter()
    rows = fill(store, NOW, years=1)
    filled_1y = time.perf_counter() - started
    q1, t1, snaps = review_seconds(store, repeat)
    fill(store, NOW - timedelta(days=365), years=2)  # two older years: the period's rows stay the same
    q3, t3, snaps3 = review_seconds(store, repeat)
    assert snaps == snaps3 == 7 * 48
    if getattr(state, "url", ""):
        import sqlalchemy as sa

        with store.engine.connect() as conn:
            size_mb = round(float(conn.execute(sa.text(
                "SELECT sum(pg_total_relation_size(c.oid)) FROM pg_class c"
                " WHERE c.relname IN ('health_runs', 'portfolio_snapshots', 'alert_events', 'alert_deliveries')"
            )).scalar()) / 1e6, 1)
    else:
        dispose_all()
        size_mb = round(sum(p.stat().st_size for p in Path(state.path).parent.glob(Path(state.path).name + "*"))
                        / 1e6, 1)
    return {"backend": label, "rows_per_year": rows, "fill_1y_s": round(filled_1y, 2),
            "review_query_s_1y": round(q1, 4), "review_total_s_1y": round(t1, 4),
            "review_query_s_3y": round(q3, 4), "review_total_s_3y": round(t3, 4),
            "growth_ratio_3y_vs_1y": round(t3 / t1, 2), "target_s": 0.5, "met": t3 <= 0.5 and t1 <= 0.5,
            "db_mb_3y": size_mb, "mb_per_month": round(size_mb / 36, 2), "snapshots_in_review": snaps}


def bench_recording(repeat: int, workdir: Path) -> list[dict[str, Any]]:
    """Recording's share of each health / portfolio flow run: the record-history task's own time
    (awaited inside the run) over the rest of that same run, median over the runs.

    Measured within each run because the machine is shared: two runs of the same flow differ by
    more than the whole recording costs, so A/B medians of separate runs say nothing.
    """
    from bench.run import PrefectServer

    env = {**os.environ, "PREFECT_HOME": str(workdir / "prefect"), "PREFECT_SERVER_ANALYTICS_ENABLED": "false"}
    results = []
    with PrefectServer(env) as server:
        os.environ.update({"PREFECT_HOME": env["PREFECT_HOME"], "PREFECT_API_URL": server.api_url})
        import live_ops.flows.health as health_module
        import live_ops.flows.portfolio as portfolio_module

        config = (REPO / "config" / "config.toml").read_text().replace(
            'path = "reports/live_ops.db"', f'path = "{workdir / "state.db"}"')
        path = workdir / "config.toml"
        path.write_text(config)
        recording = health_module.record_history

        for name, module, call in (
            ("health", health_module, lambda: health_module.live_health_flow(config_path=str(path))),
            ("portfolio", portfolio_module, lambda: portfolio_module.portfolio_flow(config_path=str(path))),
        ):
            spent: list[float] = []

            async def timed(*args: Any, **kwargs: Any) -> Any:
                started = time.perf_counter()
                try:
                    return await recording(*args, **kwargs)
                finally:
                    spent.append(time.perf_counter() - started)  # noqa: B023 - run within the iteration

            module.record_history = timed
            asyncio.run(call())  # warm: imports, first connection, migrations
            shares, runs, records = [], [], []
            for _ in range(repeat):
                spent.clear()
                started = time.perf_counter()
                asyncio.run(call())
                total = time.perf_counter() - started
                shares.append(spent[0] / (total - spent[0]))
                runs.append(total)
                records.append(spent[0])
            module.record_history = recording
            share = statistics.median(shares)
            results.append({"flow": name, "run_s": round(statistics.median(runs), 4),
                            "record_history_task_s": round(statistics.median(records), 4),
                            "overhead_pct": round(100 * share, 1), "target_pct": 5.0, "met": share <= 0.05})
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--quick", action="store_true", help="SQLite only, no recording runs")
    parser.add_argument("--out", default=str(REPO / "bench" / "history_results.json"))
    args = parser.parse_args(argv)

    from live_ops.config.models import StateConfig
    from tests.fakes.postgres import PASSWORD, PASSWORD_ENV, running_cluster, unavailable

    results: dict[str, Any] = {"measured_at": datetime.now(timezone.utc).isoformat(), "cores": os.cpu_count(),
                               "review": [], "recording": []}
    with tempfile.TemporaryDirectory(prefix="live-ops-bench-history-") as tmp:
        work = Path(tmp)
        results["review"].append(bench_review("sqlite", StateConfig(path=str(work / "year.db")), args.repeat))
        print(json.dumps(results["review"][-1]), flush=True)
        reason = unavailable()
        if args.quick:
            pass
        elif reason is None:
            with running_cluster() as cluster:
                os.environ[PASSWORD_ENV] = PASSWORD
                url = cluster.url(cluster.new_database())
                results["review"].append(bench_review("postgresql", StateConfig(url=url, password_env=PASSWORD_ENV),
                                                      args.repeat))
                print(json.dumps(results["review"][-1]), flush=True)
        else:
            results["postgresql_skipped"] = reason
        if not args.quick:
            results["recording"] = bench_recording(args.repeat * 2, work)
            for row in results["recording"]:
                print(json.dumps(row), flush=True)
    Path(args.out).write_text(json.dumps(results, indent=1) + "\n")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
