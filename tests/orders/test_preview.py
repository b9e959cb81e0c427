"""Order building: sides, one batched quote read, rounding down to precision, minimums, client ids."""

from __future__ import annotations

import re
from datetime import datetime, timezone

import pytest

from live_ops.config.models import PaperConfig
from live_ops.errors import UsageError
from live_ops.exchange.gateway import MarketRules, Quote
from live_ops.exchange.paper import PaperGateway
from live_ops.orders import (
    Signal,
    SignalBatch,
    build_preview,
    client_order_ids,
    order_notional,
    preview_name,
    read_market_data,
)
from tests.orders.gateways import RulesGateway

NOW = datetime(2026, 3, 4, 5, 6, 7, tzinfo=timezone.utc)
BINANCE_ID = re.compile(r"^[.A-Z:/a-z0-9_-]{1,36}$")  # binance's newClientOrderId rule


def batch(*rows: tuple[str, float]) -> SignalBatch:
    return SignalBatch(path="s.csv", signals=tuple(Signal(line=i + 2, symbol=s, direction=d)
                                                   for i, (s, d) in enumerate(rows)))


def preview(gateway, signals: SignalBatch, notional: float = 100.0, min_order_notional: float = 0.0, **kw):
    market = read_market_data(gateway, signals.symbols())
    return build_preview(signals, market, gateway.round_amount, notional=notional,
                         min_order_notional=min_order_notional, quote_currency=gateway.quote_currency,
                         name=kw.pop("name", "t"), created_at=NOW, **kw)


def paper() -> PaperGateway:
    return PaperGateway(PaperConfig(quote_currency="EUR", prices={"BTC/EUR": 60_000.0, "ETH/EUR": 3_000.0,
                                                                  "XRP/EUR": 0.5}))


def test_preview_paper_sides_and_quantities_round_down_to_8_decimals() -> None:
    result = preview(paper(), batch(("BTC/EUR", 1), ("ETH/EUR", -2.5), ("XRP/EUR", 0.1)))
    btc, eth, xrp = result.orders
    assert (btc.side, btc.quantity, btc.price, btc.notional) == ("buy", 0.00166666, 60_000.0, 99.9996)
    assert (eth.side, eth.quantity, eth.notional) == ("sell", 0.03333333, 99.99999)
    assert (xrp.side, xrp.quantity, xrp.notional) == ("buy", 200.0, 100.0)
    assert all(o.notional <= 100.0 and o.order_type == "market" for o in result.orders)
    assert (result.num_signals, result.num_orders, result.total_notional) == (3, 3, 299.99959)


def test_preview_direction_zero_and_unknown_symbol_are_skipped_with_reasons() -> None:
    result = preview(paper(), batch(("BTC/EUR", 0), ("DOGE/EUR", 1), ("BTC/EUR", 1)))
    assert [(s.row, s.symbol, s.code) for s in result.skipped] == [(2, "BTC/EUR", "flat_direction"),
                                                                   (3, "DOGE/EUR", "unknown_symbol")]
    assert result.skipped[1].reason == "DOGE/EUR is not listed on paper"
    assert [o.row for o in result.orders] == [4]


def test_preview_reads_quotes_once_for_the_distinct_listed_symbols() -> None:
    gateway = RulesGateway([MarketRules("A/USDT", "A", "USDT"), MarketRules("B/USDT", "B", "USDT")],
                           [Quote("A/USDT", 10.0, 10.0), Quote("B/USDT", 20.0, 20.0)])
    preview(gateway, batch(("A/USDT", 1), ("B/USDT", 1), ("A/USDT", -1), ("C/USDT", 1)))
    assert gateway.quote_calls == [["A/USDT", "B/USDT"]]


def test_preview_buy_sized_at_ask_sell_at_bid_else_last() -> None:
    gateway = RulesGateway([MarketRules("A/USDT", "A", "USDT", amount_step=0.01),
                            MarketRules("B/USDT", "B", "USDT", amount_step=0.01)],
                           [Quote("A/USDT", last=100.0, mark=100.0, bid=99.0, ask=101.0),
                            Quote("B/USDT", last=50.0, mark=50.0)])
    buy, sell, other = preview(gateway, batch(("A/USDT", 1), ("A/USDT", -1), ("B/USDT", 1))).orders
    assert (buy.price, buy.quantity) == (101.0, 0.99)
    assert (sell.price, sell.quantity) == (99.0, 1.01)
    assert (other.price, other.quantity) == (50.0, 2.0)


def test_preview_market_minimums_and_min_order_notional_skip() -> None:
    markets = [
        MarketRules("STEP/USDT", "STEP", "USDT", amount_step=1.0),                # 100 / 150 -> 0 units
        MarketRules("MINA/USDT", "MINA", "USDT", amount_step=0.001, min_amount=1.0),
        MarketRules("MINC/USDT", "MINC", "USDT", amount_step=0.001, min_cost=150.0),
        MarketRules("SMALL/USDT", "SMALL", "USDT", amount_step=10.0),             # 100 / 1.15 = 86.9 floors to 80
        MarketRules("OK/USDT", "OK", "USDT", amount_step=0.001, min_amount=0.5, min_cost=50.0),
        MarketRules("OFF/USDT", "OFF", "USDT", active=False),
        MarketRules("BTC/EUR", "BTC", "EUR"),
        MarketRules("NOPX/USDT", "NOPX", "USDT"),
    ]
    quotes = [Quote("STEP/USDT", 150.0, 150.0), Quote("MINA/USDT", 200.0, 200.0), Quote("MINC/USDT", 1.0, 1.0),
              Quote("SMALL/USDT", 1.15, 1.15), Quote("OK/USDT", 100.0, 100.0), Quote("OFF/USDT", 1.0, 1.0),
              Quote("BTC/EUR", 1.0, 1.0)]
    gateway = RulesGateway(markets, quotes)
    symbols = [m.symbol for m in markets]
    result = preview(gateway, batch(*((s, 1) for s in symbols)), min_order_notional=95.0)
    codes = {s.symbol: s.code for s in result.skipped}
    assert codes == {"STEP/USDT": "zero_quantity", "MINA/USDT": "below_min_amount", "MINC/USDT": "below_min_cost",
                     "SMALL/USDT": "below_min_order_notional", "OFF/USDT": "inactive_market",
                     "BTC/EUR": "quote_currency", "NOPX/USDT": "no_price"}
    reasons = {s.symbol: s.reason for s in result.skipped}
    assert reasons["MINA/USDT"] == "quantity 0.5 is under the market minimum amount 1"
    assert reasons["MINC/USDT"] == "notional 100 USDT is under the market minimum cost 150 USDT"
    assert reasons["SMALL/USDT"] == "notional 92 USDT is under [live_risk].min_order_notional 95 USDT"
    assert [(o.symbol, o.quantity, o.notional) for o in result.orders] == [("OK/USDT", 1.0, 100.0)]
    assert result.num_signals == len(result.orders) + len(result.skipped)


def test_preview_contract_size_divides_the_quantity() -> None:
    gateway = RulesGateway([MarketRules("BTC/USDT:USDT", "BTC", "USDT", kind="swap", contract_size=0.001,
                                        amount_step=1.0)], [Quote("BTC/USDT:USDT", 50_000.0, 50_000.0)])
    (order,) = preview(gateway, batch(("BTC/USDT:USDT", 1)), notional=1_000.0).orders
    assert (order.quantity, order.notional) == (20.0, 1_000.0)  # 20 contracts of 0.001 BTC


def test_preview_signal_fields_travel_with_the_order() -> None:
    signals = SignalBatch(path="s.csv", signals=(Signal(7, "BTC/EUR", 1, as_of="d", strategy_key="k", run_name="r",
                                                        size_hint=2.0, comment="c", extra_json="{}",
                                                        generated_at="g"),))
    order = preview(paper(), signals).orders[0]
    assert (order.row, order.as_of, order.strategy_key, order.run_name, order.size_hint, order.comment,
            order.extra_json, order.generated_at) == (7, "d", "k", "r", 2.0, "c", "{}", "g")


def test_preview_sizes_each_symbol_and_side_once_and_skips_every_row() -> None:
    gateway = paper()
    rounded: list[str] = []

    def round_amount(symbol: str, amount: float) -> float:
        rounded.append(symbol)
        return gateway.round_amount(symbol, amount)

    signals = batch(*[("BTC/EUR", 1), ("BTC/EUR", 2), ("BTC/EUR", -1), ("DOGE/EUR", 1), ("ETH/EUR", 1)] * 3)
    result = build_preview(signals, read_market_data(gateway, signals.symbols()), round_amount, notional=100.0,
                           min_order_notional=0.0, quote_currency="EUR", name="t", created_at=NOW)
    assert sorted(rounded) == ["BTC/EUR", "BTC/EUR", "ETH/EUR"]  # (BTC, buy), (BTC, sell), (ETH, buy)
    assert [o.row for o in result.orders] == [2, 3, 4, 6, 7, 8, 9, 11, 12, 13, 14, 16]
    assert [(s.row, s.code) for s in result.skipped] == [(5, "unknown_symbol"), (10, "unknown_symbol"),
                                                          (15, "unknown_symbol")]


def test_client_order_ids_unique_and_binance_safe_for_100k() -> None:
    ids = client_order_ids("a-very-long-preview-name-from-the-operator", 100_000, NOW)
    assert len(set(ids)) == 100_000
    assert all(BINANCE_ID.match(i) for i in ids)
    assert max(map(len, ids)) <= 36


def test_client_order_ids_read_plo_tag_second_and_number() -> None:
    assert client_order_ids("daily", 2, NOW) == ["plo-daily-20260304050607-1", "plo-daily-20260304050607-2"]
    # a preview re-run with the same tag a second later (not only a minute later) gets ids of its own
    later = NOW.replace(second=8)
    assert not set(client_order_ids("daily", 3, NOW)) & set(client_order_ids("daily", 3, later))
    # a default name (no --tag) reads as the tag "preview", not as digits glued to it
    assert client_order_ids(preview_name(None, NOW), 1, NOW) == ["plo-preview-20260304050607-1"]
    assert client_order_ids("a-very-long-preview-name", 10, NOW) == [
        f"plo-averylongprevi-20260304050607-{n}" for n in range(1, 11)]


def test_preview_ids_unique_within_a_preview() -> None:
    result = preview(paper(), batch(*([("BTC/EUR", 1)] * 30)), name="same")
    assert len({o.client_order_id for o in result.orders}) == 30


def test_preview_name_defaults_to_utc_time_and_validates_tag() -> None:
    assert preview_name(None, NOW) == "preview-20260304-050607"
    assert preview_name("eod_1", NOW) == "eod_1"
    with pytest.raises(UsageError, match="--tag 'a b'"):
        preview_name("a b", NOW)


def test_order_notional_default_and_validation() -> None:
    assert order_notional(None, 100.0) == 100.0
    assert order_notional(250.0, 100.0) == 250.0
    for bad in (0.0, -5.0, float("nan"), float("inf")):
        with pytest.raises(UsageError, match="--notional"):
            order_notional(bad, 100.0)
