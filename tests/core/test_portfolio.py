"""Portfolio snapshot from the paper gateway: notional, PnL, equity, symbol_notional."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from live_ops.config import PaperConfig, load_config
from live_ops.exchange import PaperGateway
from live_ops.exchange.gateway import AccountSummary, Holdings, Position
from live_ops.portfolio import build_snapshot
from tests.conftest import EXAMPLE_CONFIG

NOW = datetime(2026, 11, 22, 9, 30, tzinfo=timezone.utc)


def test_paper_snapshot_of_example_config() -> None:
    gateway = PaperGateway(load_config(EXAMPLE_CONFIG).paper)
    snap = build_snapshot(gateway.fetch_holdings(), mode="paper", as_of=NOW)
    by_symbol = {p.symbol: p for p in snap.positions}
    btc, eth, sol = by_symbol["BTC/EUR"], by_symbol["ETH/EUR"], by_symbol["SOL/EUR"]
    assert (btc.side, btc.size, btc.notional, btc.unrealized_pnl) == ("long", 0.05, 3000.0, 100.0)
    assert (eth.side, eth.size, eth.notional, eth.unrealized_pnl) == ("short", 0.5, 1500.0, 50.0)
    assert (sol.side, sol.notional, sol.unrealized_pnl) == ("long", 600.0, 40.0)
    assert snap.totals.num_open_positions == 3
    assert snap.totals.total_notional == pytest.approx(5100.0)
    assert snap.totals.total_unrealized_pnl == pytest.approx(190.0)
    assert snap.equity == pytest.approx(10_190.0) and snap.free_cash == 10_000.0
    assert snap.symbol_notional == {"BTC/EUR": 3000.0, "ETH/EUR": 1500.0, "SOL/EUR": 600.0}
    assert snap.quote_currency == "EUR" and snap.risk is None
    assert snap.model_dump(mode="json")["as_of"] == "2026-11-22T09:30:00Z"


def test_contract_size_and_exchange_pnl_are_respected() -> None:
    holdings = Holdings(
        positions=(
            Position("BTC/USDT:USDT", size=-3, entry_price=100.0, mark_price=110.0, contract_size=0.01),
            Position("ETH/USDT:USDT", size=2, entry_price=10.0, mark_price=12.0, unrealized_pnl=3.5, realized_pnl=-1.0),
            Position("XRP/USDT:USDT", size=0, entry_price=1.0, mark_price=1.0),
        ),
        account=AccountSummary("USDT", equity=1000.0, free_cash=800.0),
    )
    snap = build_snapshot(holdings, mode="live", as_of=NOW)
    btc, eth = snap.positions
    assert (btc.side, btc.size, btc.notional, btc.unrealized_pnl) == ("short", 3, pytest.approx(3.3), pytest.approx(-0.3))
    assert (eth.unrealized_pnl, eth.realized_pnl) == (3.5, -1.0)
    assert snap.totals.num_open_positions == 2
    assert snap.signed_base_sizes() == {"BTC/USDT:USDT": pytest.approx(-0.03), "ETH/USDT:USDT": pytest.approx(2.0)}


def test_paper_gateway_quotes_markets_and_rounding() -> None:
    paper = PaperConfig(prices={"BTC/EUR": 60000.0, "ETH/EUR": 3000.0})
    gateway = PaperGateway(paper)
    assert set(gateway.load_markets()) == {"BTC/EUR", "ETH/EUR"}
    assert gateway.load_markets()["BTC/EUR"].quote == "EUR"
    quotes = gateway.fetch_quotes(["BTC/EUR", "NOPE/EUR", "BTC/EUR"])
    assert list(quotes) == ["BTC/EUR"] and quotes["BTC/EUR"].mark == 60000.0
    assert gateway.round_amount("BTC/EUR", 0.123456789) == 0.12345678
    assert gateway.round_amount("BTC/EUR", 0.3) == 0.3
    assert gateway.round_amount("BTC/EUR", 1e-9) == 0.0
    [probe] = gateway.probe(deadline_s=1)
    assert probe.status == "pass" and "2 priced symbols" in probe.message


def test_realized_pnl_unknown_is_null_not_zero() -> None:
    holdings = Holdings(
        positions=(
            Position("BTC/USDT", size=0.1, entry_price=100.0, mark_price=100.0),  # spot: the venue reports none
            Position("ETH/USDT:USDT", size=2, entry_price=10.0, mark_price=12.0, realized_pnl=0.0),
        ),
        account=AccountSummary("USDT", equity=1000.0, free_cash=800.0),
    )
    snap = build_snapshot(holdings, mode="live", as_of=NOW)
    spot, swap = snap.positions
    assert spot.realized_pnl is None and swap.realized_pnl == 0.0  # a reported zero stays zero
    assert snap.totals.total_realized_pnl is None  # a total over an unknown part is unknown
    dumped = snap.model_dump(mode="json")
    assert dumped["positions"][0]["realized_pnl"] is None and dumped["totals"]["total_realized_pnl"] is None
    known = build_snapshot(Holdings(positions=holdings.positions[1:], account=holdings.account), mode="live",
                           as_of=NOW)
    assert known.totals.total_realized_pnl == 0.0
