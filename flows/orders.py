"""`order_preview_flow`: what would these signals trade, and would it breach a limit? Never sends."""

from __future__ import annotations

from pathlib import Path

from live_ops.flows.announce import announce
from live_ops.flows.hooks import alert_on_flow_failure
from live_ops.tasks.alerts import raise_alerts, run_alert_budget
from live_ops.tasks.history import record_history
from live_ops.tasks.metrics import write_metrics
from live_ops.tasks.orders import export_orders, load_signal_file, preview_orders
from prefect import flow
from prefect.runtime import flow_run
from prefect.utilities.annotations import quote

from live_ops import clock
from live_ops.orders import OrderPreview, preview_name
from live_ops.runs import RunContext


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
    created_at = clock.now()
    name = preview_name(tag, created_at)
    # one context per run: the config loads once, one gateway loads markets once for every read
    with RunContext(config_path, alert_budget=run_alert_budget()) as ctx:
        batch = await load_signal_file(signals_path)
        # quote(): a 100k-signal batch or preview is one value, not a collection for Prefect to walk
        preview = await preview_orders(ctx, quote(batch), name, created_at, notional, evaluate_risk,
                                       enforce_live_risk)
        await raise_alerts(ctx, quote(preview))
        if out_path:
            preview = await export_orders(quote(preview), out_path)
        await record_history(ctx, quote(preview))
        await write_metrics(ctx)
    return announce(ctx, "order-preview", preview, quote(preview))
