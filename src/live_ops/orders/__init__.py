"""Order previews from forward signals: parse, size, project on the portfolio, export. Never sends."""

from live_ops.orders.export import write_orders_csv
from live_ops.orders.preview import (
    MarketData,
    OrderPreview,
    PreviewOrder,
    SkippedSignal,
    build_preview,
    client_order_ids,
    order_notional,
    preview_name,
    read_market_data,
)
from live_ops.orders.projection import evaluate_projected_risk, project_exposure
from live_ops.orders.signals import Signal, SignalBatch, load_signals

__all__ = [
    "MarketData",
    "OrderPreview",
    "PreviewOrder",
    "Signal",
    "SignalBatch",
    "SkippedSignal",
    "build_preview",
    "client_order_ids",
    "evaluate_projected_risk",
    "load_signals",
    "order_notional",
    "preview_name",
    "project_exposure",
    "read_market_data",
    "write_orders_csv",
]
