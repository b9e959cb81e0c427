"""`order_preview_flow`: what would these signals trade, and would it breach a limit? Never sends."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

from prefect import flow
from prefect.runtime import flow_run
from prefect.utilities.annotations import quote

from live_ops.flows.hooks import alert_on_flow_failure
from live_ops.exchange import build_gateway
from live_ops.orders import OrderPreview, order_notional, preview_name
from live_ops.tasks.alerts import raise_risk_alerts
from live_ops.tasks.config import load_config
from live_ops.tasks.metrics import write_metrics
from live_ops.tasks.orders import build_orders, evaluate_order_risk, export_orders, fetch_market_data, load_signal_file
from live_ops.tasks.portfolio import snapshot_portfolio, start_of_day_equity


def _run_name() -> str:
    params = flow_run.parameters
    return f"order preview {params.get('tag') or Path(str(params.get('signals_path', ''))).name}"


@flow(flow_run_name=_run_name, log_prints=False,
      on_failure=[alert_on_flow_failure], on_crashed=[alert_on_flow_failure])
async def order_preview_flow(
    signals_path: str,
    config_path: str = "config/config.toml",
    notional: float | None = None,
    evaluate_risk: bool = True,
    enforce_live_risk: bool = False,
    tag: str | None = None,
    out_path: str | None = None,
) -> quote[OrderPreview]:
    """Preview the orders a forward-signals CSV would send and check them on top of the portfolio.

    Returns the `OrderPreview` wrapped in Prefect's `quote` (`.unquote()` it): on return Prefect
    walks every field of a result looking for futures, which for 100k orders and their risk
    details takes longer than the whole preview; a quoted result is not walked.

    Args:
        signals_path: signals CSV (columns symbol, direction; optional as_of, strategy_key, run_name,
            size_hint, comment, extra_json, generated_at) on the machine that runs the flow.
        config_path: path of the TOML config on the machine that runs the flow.
        notional: notional per order in the quote currency (default: [live_risk].default_order_notional).
        evaluate_risk: evaluate the orders on top of the portfolio against [live_risk] (false: skip).
        enforce_live_risk: a BREACH blocks the preview even when [live_risk].block_on_violation is false.
        tag: name of this preview (letters, digits, - and _); default preview-YYYYmmdd-HHMMSS.
        out_path: also write the previewed orders as CSV here (not written when the preview is blocked).
    """
    created_at = datetime.now(timezone.utc)
    name = preview_name(tag, created_at)
    config = await load_config(config_path)
    batch = await load_signal_file(signals_path)
    per_order = order_notional(notional, config.live_risk.default_order_notional)
    # one gateway per run, shared by every task, so markets load once and the quote read is one call
    gateway = build_gateway(config)
    try:
        snapshot = await snapshot_portfolio(gateway, config.mode) if evaluate_risk else None
        market = await fetch_market_data(gateway, batch.symbols())
        # quote(): a 100k-signal batch is one value, not a collection for Prefect to walk
        preview = await build_orders(gateway, quote(batch), market, per_order, config, name, created_at)
    finally:
        gateway.close()
    if snapshot is not None:
        daily = await start_of_day_equity(config, snapshot, None)
        preview = await evaluate_order_risk(config, snapshot, quote(preview), market, daily, enforce_live_risk)
        if preview.risk is not None:
            await raise_risk_alerts(config, quote(preview.risk), "orders",
                              block_on_violation=enforce_live_risk or config.live_risk.block_on_violation)
    if out_path and not preview.blocked:
        preview = await export_orders(quote(preview), out_path)
    await write_metrics(config)
    return quote(preview)
