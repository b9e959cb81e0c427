"""Benchmark scenarios beyond CLI start-up and health: portfolio scale, orders scale, report render.

Called by bench/run.py with an environment whose PREFECT_API_URL names a running local server.
"""

from __future__ import annotations

import sys
import tempfile
from datetime import datetime, timezone
from pathlib import Path

from bench.gen_signals import write_signals
from bench.run import LIVE_OPS, REPO, Row, median_run, median_seconds

POSITION_COUNTS = (10, 100, 1_000)
SIGNAL_COUNTS = (1_000, 10_000, 100_000)
REPORT_POSITIONS = 2_000


def bench_portfolio_scale(repeat: int) -> list[Row]:
    """Portfolio snapshot through real ccxt against the local fake binanceusdm: requests and time."""
    from live_ops.config.models import ExchangeConfig
    from live_ops.exchange.ccxt_gateway import CcxtGateway
    from live_ops.portfolio import build_snapshot
    from tests.fakes.exchange_server import DEFAULT_KEY, DEFAULT_SECRET, FakeExchange, FakeMarket, FakePosition

    env = {"LIVE_OPS_API_KEY": DEFAULT_KEY, "LIVE_OPS_API_SECRET": DEFAULT_SECRET}
    server = FakeExchange().start()
    rows: list[Row] = []
    try:
        for count in POSITION_COUNTS:
            server.reset()
            symbols = [f"C{i:04d}/USDT:USDT" for i in range(count)]
            server.set_markets([FakeMarket(s) for s in symbols])
            server.set_prices({s: 10.0 + i for i, s in enumerate(symbols)})
            server.set_positions([FakePosition(s, size=1.0 if i % 2 else -2.0, entry_price=9.0 + i)
                                  for i, s in enumerate(symbols)])
            config = ExchangeConfig(id="binanceusdm", api_base_url=server.url, timeout_ms=10_000,
                                    ccxt_config={"enableRateLimit": False})
            gateway = CcxtGateway(config, mode="live", environ=env)
            gateway.load_markets()  # markets are loaded once per flow run: measure the snapshot itself
            per_snapshot: list[int] = []

            def snapshot() -> None:
                before = server.count("")
                holdings = gateway.fetch_holdings()  # noqa: B023
                assert len(holdings.positions) == count  # noqa: B023
                build_snapshot(holdings, mode="live", as_of=datetime.now(timezone.utc))
                per_snapshot.append(server.count("") - before)  # noqa: B023

            seconds = median_seconds(snapshot, repeat)
            requests = max(per_snapshot)  # the first snapshot also reads leverage brackets once
            gateway.close()
            rows.append(Row(f"portfolio snapshot, {count} positions", round(seconds, 4), "s",
                            target="<= 5 requests, constant", met=requests <= 5,
                            extra={"requests_per_snapshot": requests}))
            rows.append(Row(f"  requests per snapshot, {count} positions", requests, "req",
                            target="<= 5, constant", met=requests <= 5))
    finally:
        server.stop()
    return rows


def bench_orders_scale(env: dict[str, str], repeat: int, memory: dict[str, float]) -> list[Row]:
    """`live-ops orders --json` (live risk on) in paper mode with 1k, 10k and 100k signals, against the server."""
    work = Path(tempfile.mkdtemp(prefix="live-ops-bench-orders-"))
    config = work / "config.toml"
    text = (REPO / "config" / "config.toml").read_text()
    config.write_text(text.replace('path = "reports/live_ops.db"', f'path = "{work / "state.db"}"'))
    seconds_by_count: dict[int, float] = {}
    rows: list[Row] = []
    for count in SIGNAL_COUNTS:
        # balanced buys and sells: the live risk check runs in full and stays OK at any size
        signals = write_signals(work / f"signals_{count}.csv", count, balanced=True)
        seconds, rss = median_run([LIVE_OPS, "orders", "--json", "--config", str(config), "--signals", str(signals)],
                                  env, repeat, cwd=work)
        seconds_by_count[count] = seconds
        target = "<= 3 s" if count == SIGNAL_COUNTS[-1] else ""
        rows.append(Row(f"orders, {count:,} signals", round(seconds, 3), "s", target=target,
                        met=(seconds <= 3.0) if target else None))
        if count == SIGNAL_COUNTS[-1]:
            memory["orders 100k"] = rss
    growth = seconds_by_count[SIGNAL_COUNTS[-1]] / seconds_by_count[SIGNAL_COUNTS[1]]
    rows.append(Row("orders 10k -> 100k", round(growth, 2), "x", target="<= 12x", met=growth <= 12))
    return rows


def bench_report_render(repeat: int) -> list[Row]:
    """Render the Markdown and HTML report of a snapshot with 2,000 positions (in process)."""
    from bench.report_fixture import render_big_report

    seconds = median_seconds(lambda: render_big_report(REPORT_POSITIONS), repeat)
    return [Row(f"report render, {REPORT_POSITIONS:,} positions", round(seconds, 4), "s", target="<= 1 s",
                met=seconds <= 1.0)]


def bench_report_cli(env: dict[str, str], repeat: int, memory: dict[str, float]) -> list[Row]:
    """`live-ops report --format both` in paper mode against the server: wall time and peak RSS."""
    work = Path(tempfile.mkdtemp(prefix="live-ops-bench-report-"))
    config = work / "config.toml"
    text = (REPO / "config" / "config.toml").read_text()
    config.write_text(text.replace('path = "reports/live_ops.db"', f'path = "{work / "state.db"}"')
                      .replace('output_dir = "reports/live_status"', f'output_dir = "{work / "reports"}"'))
    seconds, rss = median_run([LIVE_OPS, "report", "--json", "--format", "both", "--config", str(config)],
                              env, max(2, repeat // 2), cwd=work)
    memory["report"] = rss
    return [Row("report --format both (paper, with server)", round(seconds, 3), "s")]


def run_scenarios(env: dict[str, str], repeat: int, memory: dict[str, float]) -> list[Row]:
    """Return the rows of every scenario, in the order of issue 7."""
    sys.path[:0] = [str(REPO / "src"), str(REPO)]
    return [
        *bench_portfolio_scale(repeat),
        *bench_orders_scale(env, repeat, memory),
        *bench_report_render(repeat),
        *bench_report_cli(env, repeat, memory),
    ]
