"""Risk of a preview on top of the portfolio: the limits as the account would look after the orders.

Per symbol the orders' signed base amounts are added to the current signed size, and the
exposure is `|current + deltas| x mark`: a buy on a short, or a sell on a long, *reduces*
exposure, and an order that exactly closes a position also closes it in the open-position count.
Symbols no order touches keep the portfolio's own notional. Equity is unchanged (a market order
swaps cash for an asset at the same value), so the daily-loss limits read the portfolio's PnL.
Each order is also graded on its own against `max_order_notional`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from live_ops.config.models import LiveRiskConfig
from live_ops.orders.preview import MarketData, OrderPreview, PreviewOrder
from live_ops.portfolio import PortfolioSnapshot
from live_ops.risk import DailyBase, Exposure, RiskResult, evaluate_risk

# base amounts are rounded to this many decimals before deciding "flat": float sums of
# exchange-rounded amounts (0.05 - 0.03 - 0.02) leave ~1e-18 of noise, never a real position
_FLAT_DECIMALS = 12


def order_deltas(orders: Sequence[PreviewOrder], market: MarketData) -> dict[str, float]:
    """Return the signed base amount each symbol's orders add (buy > 0, sell < 0)."""
    deltas: dict[str, float] = {}
    for order in orders:
        contract_size = market.rules[order.symbol].contract_size
        amount = order.quantity * contract_size
        deltas[order.symbol] = deltas.get(order.symbol, 0.0) + (amount if order.side == "buy" else -amount)
    return deltas


def project_exposure(snapshot: PortfolioSnapshot, orders: Sequence[PreviewOrder], market: MarketData) -> Exposure:
    """Return the exposure the account would have with `orders` filled on top of `snapshot`."""
    current = snapshot.signed_base_sizes()
    deltas = order_deltas(orders, market)
    fallback_price = {o.symbol: o.price for o in orders}
    symbol_notional = {s: n for s, n in snapshot.symbol_notional.items() if s not in deltas}
    positions = Counter(p.symbol for p in snapshot.positions if p.symbol not in deltas)
    for symbol, delta in deltas.items():
        net = round(current.get(symbol, 0.0) + delta, _FLAT_DECIMALS)
        if net == 0:
            continue  # closed flat: no exposure, no open position
        quote = market.quotes.get(symbol)
        mark = quote.mark if quote is not None and quote.mark > 0 else fallback_price[symbol]
        symbol_notional[symbol] = round(abs(net) * mark, 8)
        positions[symbol] = 1
    return Exposure(
        quote_currency=snapshot.quote_currency,
        symbol_notional=symbol_notional,
        open_positions=sum(positions.values()),
        equity=snapshot.equity,
        order_notionals=[(o.symbol, o.notional) for o in orders],
    )


def evaluate_projected_risk(
    snapshot: PortfolioSnapshot,
    preview: OrderPreview,
    market: MarketData,
    limits: LiveRiskConfig,
    daily: DailyBase | None,
) -> RiskResult:
    """Return the risk result of `preview`'s orders on top of `snapshot`, with before/after metrics."""
    result = evaluate_risk(project_exposure(snapshot, preview.orders, market), limits, daily)
    metrics = dict(result.metrics)
    metrics.update(
        portfolio_total_exposure_notional=snapshot.totals.total_notional,
        portfolio_num_open_positions=snapshot.totals.num_open_positions,
        orders_total_notional=preview.total_notional,
        num_orders=preview.num_orders,
    )
    return result.model_copy(update={"metrics": metrics})

