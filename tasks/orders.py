"""Order-preview tasks: load signals, the preview step (with retries on transient exchange faults), export."""

from __future__ import annotations

import asyncio
from datetime import datetime

from live_ops.tasks.retry import EXCHANGE_RETRIES, EXCHANGE_RETRY_DELAYS, retry_transient_exchange_errors
from prefect import get_run_logger, task
from prefect.cache_policies import NO_CACHE

from live_ops import runs
from live_ops.orders import OrderPreview, SignalBatch, load_signals
from live_ops.runs import RunContext


@task(name="load-signals", cache_policy=NO_CACHE)
async def load_signal_file(signals_path: str) -> SignalBatch:
    """Return the parsed signals CSV (raises InputError naming file, line, column and value)."""
    batch = load_signals(signals_path)
    ignored = f"; ignored columns: {', '.join(batch.ignored_columns)}" if batch.ignored_columns else ""
    get_run_logger().info("%s: %d signals, %d symbols%s", signals_path, len(batch.signals), len(batch.symbols()),
                          ignored)
    return batch


@task(
    name="preview-orders",
    cache_policy=NO_CACHE,
    retries=EXCHANGE_RETRIES,
    retry_delay_seconds=EXCHANGE_RETRY_DELAYS,
    retry_condition_fn=retry_transient_exchange_errors,
)
async def preview_orders(ctx: RunContext, batch: SignalBatch, name: str, created_at: datetime,
                         notional: float | None, evaluate_risk: bool, enforce: bool) -> OrderPreview:
    """Return the preview of `batch`: orders, skipped signals, risk on top of the portfolio, blocked."""
    # exchange reads off the event loop
    preview = await asyncio.to_thread(runs.preview_orders, ctx, batch, name=name, created_at=created_at,
                                      notional=notional, evaluate_risk=evaluate_risk, enforce=enforce)
    risk = preview.risk
    get_run_logger().info(
        "preview %s: %d orders, %d skipped, %.2f %s; risk %s%s%s", name, preview.num_orders, len(preview.skipped),
        preview.total_notional, preview.quote_currency, risk.severity.value if risk is not None else "skipped",
        " (BLOCKED)" if preview.blocked else "",
        "".join(f"\n  {reason}" for reason in risk.reasons[:20]) if risk is not None else "",
    )
    return preview


@task(name="write-orders-csv", cache_policy=NO_CACHE)
async def export_orders(preview: OrderPreview, out_path: str) -> OrderPreview:
    """Write the orders CSV atomically unless the preview is blocked; return `preview` with `out_path` set."""
    exported = runs.export_preview(preview, out_path)
    if exported.out_path:
        get_run_logger().info("%d orders written to %s", preview.num_orders, exported.out_path)
    else:
        get_run_logger().warning("preview blocked: orders not written to %s", out_path)
    return exported
