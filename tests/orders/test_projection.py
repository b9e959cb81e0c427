"""Risk on top of the portfolio: orders that add exposure vs orders that reduce or close it."""

from __future__ import annotations

from datetime import datetime, timezone

from live_ops.config.models import LiveRiskConfig
from live_ops.exchange.gateway import AccountSummary, Holdings, MarketRules, Position, Quote
from live_ops.orders import MarketData, PreviewOrder, evaluate_projected_risk, project_exposure
from live_ops.orders.preview import OrderPreview
from live_ops.portfolio import build_snapshot
from live_ops.risk import DailyBase, Severity

NOW = datetime(2026, 3, 4, tzinfo=timezone.utc)
PRICES = {"BTC/EUR": 60_000.0, "ETH/EUR": 3_000.0, "SOL/EUR": 150.0, "XRP/EUR": 0.5}


def snapshot(*positions: tuple[str, float]):
    held = tuple(Position(symbol=s, size=size, entry_price=PRICES[s], mark_price=PRICES[s]) for s, size in positions)
    account = AccountSummary(quote_currency="EUR", equity=10_000.0, free_cash=10_000.0)
    return build_snapshot(Holdings(positions=held, account=account), mode="paper", as_of=NOW)


MARKET = MarketData(
    venue="paper",
    rules={s: MarketRules(s, s.split("/")[0], "EUR") for s in PRICES},
    quotes={s: Quote(s, p, p) for s, p in PRICES.items()},
)


def order(symbol: str, side: str, quantity: float, n: int = 1) -> PreviewOrder:
    price = PRICES[symbol]
    return PreviewOrder(client_order_id=f"id-{n}", symbol=symbol, side=side, quantity=quantity, price=price,
                        notional=round(quantity * price, 8), row=n + 1)


def test_projection_buy_on_a_long_adds_exposure() -> None:
    exposure = project_exposure(snapshot(("BTC/EUR", 0.05)), [order("BTC/EUR", "buy", 0.01)], MARKET)
    assert exposure.symbol_notional == {"BTC/EUR": 3_600.0}
    assert (exposure.open_positions, exposure.order_notionals) == (1, [("BTC/EUR", 600.0)])


def test_projection_sell_on_a_long_reduces_exposure() -> None:
    exposure = project_exposure(snapshot(("BTC/EUR", 0.05)), [order("BTC/EUR", "sell", 0.01)], MARKET)
    assert exposure.symbol_notional == {"BTC/EUR": 2_400.0}
    assert exposure.total_notional == 2_400.0


def test_projection_buy_on_a_short_reduces_exposure() -> None:
    exposure = project_exposure(snapshot(("ETH/EUR", -0.5)), [order("ETH/EUR", "buy", 0.2)], MARKET)
    assert exposure.symbol_notional == {"ETH/EUR": 900.0}


def test_projection_orders_that_close_a_position_close_it_in_the_count() -> None:
    start = snapshot(("BTC/EUR", 0.05), ("SOL/EUR", 4.0))
    orders = [order("BTC/EUR", "sell", 0.03, 1), order("BTC/EUR", "sell", 0.02, 2)]  # 0.05 - 0.03 - 0.02 != 0.0 in floats
    exposure = project_exposure(start, orders, MARKET)
    assert exposure.symbol_notional == {"SOL/EUR": 600.0}
    assert exposure.open_positions == 1


def test_projection_selling_through_a_long_flips_it_short() -> None:
    exposure = project_exposure(snapshot(("SOL/EUR", 4.0)), [order("SOL/EUR", "sell", 10.0)], MARKET)
    assert exposure.symbol_notional == {"SOL/EUR": 900.0}  # |4 - 10| x 150
    assert exposure.open_positions == 1


def test_projection_new_symbols_add_open_positions_and_untouched_keep_theirs() -> None:
    start = snapshot(("BTC/EUR", 0.05), ("ETH/EUR", -0.5))
    exposure = project_exposure(start, [order("XRP/EUR", "buy", 200.0), order("SOL/EUR", "sell", 1.0, 2)], MARKET)
    assert exposure.symbol_notional == {"BTC/EUR": 3_000.0, "ETH/EUR": 1_500.0, "XRP/EUR": 100.0, "SOL/EUR": 150.0}
    assert exposure.open_positions == 4


def _preview(orders: list[PreviewOrder]) -> OrderPreview:
    return OrderPreview(preview_name="t", created_at=NOW, signals_path="s.csv", quote_currency="EUR",
                        notional_per_order=0.0, num_signals=len(orders), num_orders=len(orders),
                        total_notional=sum(o.notional for o in orders), orders=orders, skipped=[])


def test_projected_risk_reducing_order_keeps_a_near_limit_symbol_ok() -> None:
    limits = LiveRiskConfig(max_symbol_exposure_notional=3_100.0, max_order_notional=1_000.0)
    start = snapshot(("BTC/EUR", 0.05))  # 3,000 of 3,100: a WARNING already
    adding = evaluate_projected_risk(start, _preview([order("BTC/EUR", "buy", 0.01)]), MARKET, limits, None)
    reducing = evaluate_projected_risk(start, _preview([order("BTC/EUR", "sell", 0.01)]), MARKET, limits, None)
    symbol = lambda r: next(d for d in r.limit_details if d.limit_name == "max_symbol_exposure_notional")  # noqa: E731
    assert (symbol(adding).severity, symbol(adding).current_value) == (Severity.BREACH, 3_600.0)
    assert (symbol(reducing).severity, symbol(reducing).current_value) == (Severity.OK, 2_400.0)
    assert not adding.allowed and reducing.allowed
    assert reducing.metrics["portfolio_total_exposure_notional"] == 3_000.0
    assert reducing.metrics["total_exposure_notional"] == 2_400.0


def test_projected_risk_grades_each_order_against_max_order_notional() -> None:
    limits = LiveRiskConfig(max_order_notional=500.0)
    result = evaluate_projected_risk(snapshot(), _preview([order("XRP/EUR", "buy", 800.0, 1),
                                                           order("SOL/EUR", "buy", 4.0, 2)]), MARKET, limits, None)
    per_order = [(d.symbol, d.severity) for d in result.limit_details if d.limit_name == "max_order_notional"]
    assert per_order == [("XRP/EUR", Severity.WARNING), ("SOL/EUR", Severity.BREACH)]  # 400 is 80 %, 600 > 500
    assert result.severity is Severity.BREACH


def test_projected_risk_reads_daily_loss_from_the_portfolio() -> None:
    limits = LiveRiskConfig(max_daily_loss_abs=500.0)
    result = evaluate_projected_risk(snapshot(), _preview([]), MARKET, limits, DailyBase(equity=10_600.0, source="state"))
    loss = next(d for d in result.limit_details if d.limit_name == "max_daily_loss_abs")
    assert (loss.current_value, loss.severity) == (600.0, Severity.BREACH)
