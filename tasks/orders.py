"""Order-preview tasks: load signals, read markets and prices, build the orders, project risk, export."""

from __future__ import annotations

import asyncio
from datetime import datetime

from prefect import get_run_logger, task
from prefect.cache_policies import NO_CACHE

from live_ops.config.models import LiveOpsConfig
from live_ops.exchange.gateway import ExchangeGateway
from live_ops.orders import (
    MarketData,
    OrderPreview,
    SignalBatch,
    blocks,
    build_preview,
    evaluate_projected_risk,
    load_signals,
    read_market_data,
    write_orders_csv,
)
from live_ops.portfolio import PortfolioSnapshot
from live_ops.risk import DailyBase
from live_ops.tasks.retry import EXCHANGE_RETRIES, EXCHANGE_RETRY_DELAYS, retry_transient_exchange_errors


@task(name="load-signals", cache_policy=NO_CACHE)
async def load_signal_file(signals_path: str) -> SignalBatch:
    """Return the parsed signals CSV (raises InputError naming file, line, column and value)."""
    batch = load_signals(signals_path)
    ignored = f"; ignored columns: {', '.join(batch.ignored_columns)}" if batch.ignored_columns else ""
    get_run_logger().info("%s: %d signals, %d symbols%s", signals_path, len(batch.signals), len(batch.symbols()),
                          ignored)
    return batch


@task(
    name="read-market-data",
    cache_policy=NO_CACHE,
    retries=EXCHANGE_RETRIES,
    retry_delay_seconds=EXCHANGE_RETRY_DELAYS,
    retry_condition_fn=retry_transient_exchange_errors,
)
async def fetch_market_data(gateway: ExchangeGateway, symbols: list[str]) -> MarketData:
    """Return market rules and ONE batched quote read for `symbols`."""
    market = await asyncio.to_thread(read_market_data, gateway, symbols)  # network I/O off the event loop
    get_run_logger().info("%s: %d of %d symbols listed, %d priced", market.venue, len(market.rules), len(symbols),
                          len(market.quotes))
    return market


@task(name="build-orders", cache_policy=NO_CACHE)
async def build_orders(
    gateway: ExchangeGateway, batch: SignalBatch, market: MarketData, notional: float, config: LiveOpsConfig,
    name: str, created_at: datetime,
) -> OrderPreview:
    """Return the preview of `batch` at `notional` per order, quantities rounded by the gateway."""
    preview = build_preview(
        batch, market, gateway.round_amount, notional=notional,
        min_order_notional=config.live_risk.min_order_notional, quote_currency=config.quote_currency,
        name=name, created_at=created_at,
    )
    get_run_logger().info("preview %s: %d orders, %d skipped, %.2f %s", name, preview.num_orders,
                          len(preview.skipped), preview.total_notional, preview.quote_currency)
    return preview


@task(name="evaluate-order-risk", cache_policy=NO_CACHE)
async def evaluate_order_risk(
    config: LiveOpsConfig, snapshot: PortfolioSnapshot, preview: OrderPreview, market: MarketData,
    daily: DailyBase, enforce: bool,
) -> OrderPreview:
    """Return `preview` with its risk on top of `snapshot` and whether enforcement blocks it."""
    risk = evaluate_projected_risk(snapshot, preview, market, config.live_risk, daily)
    blocked = blocks(risk, enforce=enforce, block_on_violation=config.live_risk.block_on_violation)
    get_run_logger().info("order risk: %s%s%s", risk.severity.value, " (BLOCKED)" if blocked else "",
                          "".join(f"\n  {reason}" for reason in risk.reasons[:20]))
    return preview.model_copy(update={"risk": risk, "blocked": blocked})


@task(name="write-orders-csv", cache_policy=NO_CACHE)
async def export_orders(preview: OrderPreview, out_path: str) -> OrderPreview:
    """Write the orders CSV atomically; return `preview` with `out_path` set."""
    path = write_orders_csv(preview, out_path)
    get_run_logger().info("%d orders written to %s", preview.num_orders, path)
    return preview.model_copy(update={"out_path": str(path)})
