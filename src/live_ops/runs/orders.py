"""The order-preview step: size the signals' orders, project them on the portfolio, decide blocking.

Never sends an order. One run reads markets once and prices every symbol in one batched read;
the portfolio underneath goes through the same pipeline as `portfolio` (daily base, risk).
"""

from __future__ import annotations

from datetime import datetime

from live_ops.orders import (
    OrderPreview,
    SignalBatch,
    build_preview,
    evaluate_projected_risk,
    order_notional,
    read_market_data,
    write_orders_csv,
)
from live_ops.risk import blocks, enforcing
from live_ops.runs.context import RunContext
from live_ops.runs.portfolio import daily_base, read_portfolio


def preview_orders(ctx: RunContext, batch: SignalBatch, *, name: str, created_at: datetime,
                   notional: float | None = None, evaluate_risk: bool = True, enforce: bool = False) -> OrderPreview:
    """Return the preview of `batch`: orders, skipped signals, risk on top of the portfolio, blocked.

    `notional` per order defaults to `[live_risk].default_order_notional`; `evaluate_risk=False`
    skips the portfolio read and the risk check (`risk` stays None); `enforce` blocks on a BREACH
    even when `[live_risk].block_on_violation` is false.
    """
    config = ctx.config
    per_order = order_notional(notional, config.live_risk.default_order_notional)
    snapshot = read_portfolio(ctx) if evaluate_risk else None
    market = read_market_data(ctx.gateway, batch.symbols())
    preview = build_preview(
        batch, market, ctx.gateway.round_amount, notional=per_order,
        min_order_notional=config.live_risk.min_order_notional, quote_currency=config.quote_currency,
        name=name, created_at=created_at,
    )
    if snapshot is None:
        return preview
    risk = evaluate_projected_risk(snapshot, preview, market, config.live_risk, daily_base(ctx, snapshot))
    enforced = enforcing(config.live_risk, enforce=enforce)
    return preview.model_copy(update={"risk": risk, "enforced": enforced, "blocked": blocks(risk, enforced=enforced)})


def export_preview(preview: OrderPreview, out_path: str) -> OrderPreview:
    """Write the orders CSV atomically and return `preview` with `out_path` set; a blocked preview is not written."""
    if preview.blocked:
        return preview
    return preview.model_copy(update={"out_path": str(write_orders_csv(preview, out_path))})
