"""Every position the venue returns, in every settle coin, valued in the quote currency (real ccxt, fake venue)."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from live_ops.exchange.ccxt_gateway import CcxtGateway
from live_ops.portfolio import build_snapshot
from tests.fakes.exchange_server import load_multi_settle_book

NOW = datetime(2026, 1, 5, 12, 0, tzinfo=timezone.utc)
USDC, XRP = 0.999, 0.5  # USDC/USDT and XRP/USDT last prices of the multi-settle book
INVERSE_UPNL_XRP = -1000 * (1 / 0.5 - 1 / 0.52)  # short 1000 USD contracts from 0.5 to 0.52, in XRP


def expected_book() -> dict:
    return {
        "BTC/USDT:USDT": ("long", 0.01 * 60050.0, 0.01 * 1050.0),
        "BTC/USDC:USDC": ("long", 0.02 * 60010.0 * USDC, 0.02 * 2010.0 * USDC),
        "XRP/USD:XRP": ("short", 1000.0, INVERSE_UPNL_XRP * XRP),
        "XRP/USDT": ("long", 2000 * XRP, 0.0),  # the XRP coins held are a spot position
    }


def multi_settle_equity() -> float:
    return (1000 + 10.5) + (500 + 40.2) * USDC + (2000 + INVERSE_UPNL_XRP) * XRP


@pytest.fixture
def venue(exchange_config, exchange_env, fake_exchange):
    made: list[CcxtGateway] = []

    def make(venue_id: str, **fields) -> CcxtGateway:
        env = {**exchange_env, "LIVE_OPS_API_PASSWORD": "fake-passphrase"}
        if venue_id == "okx":
            fields.setdefault("password_env", "LIVE_OPS_API_PASSWORD")
        made.append(CcxtGateway(exchange_config(id=venue_id, **fields), mode="live", environ=env))
        return made[-1]

    yield make
    for gateway in made:
        gateway.close()


@pytest.mark.parametrize("venue_id", ["bybit", "okx"])
def test_unified_account_every_settle_coin_and_inverse_valued_in_quote(venue, venue_id, fake_exchange):
    load_multi_settle_book(fake_exchange)
    holdings = venue(venue_id).fetch_holdings()
    snapshot = build_snapshot(holdings, mode="live", as_of=NOW)
    got = {p.symbol: (p.side, p.notional, p.unrealized_pnl) for p in snapshot.positions}
    assert set(got) == set(expected_book()), got
    for symbol, (side, notional, upnl) in expected_book().items():
        assert got[symbol][0] == side, symbol
        assert got[symbol][1] == pytest.approx(notional, rel=1e-6), symbol
        assert got[symbol][2] == pytest.approx(upnl, rel=1e-6, abs=1e-6), symbol
    assert snapshot.equity == pytest.approx(multi_settle_equity(), rel=1e-6)
    assert holdings.coverage_warnings == ()
    # free cash: the free balance of every cash coin (quote and settle coins), valued in the quote
    assert snapshot.free_cash == pytest.approx((1000 - 60.05) + (500 - 120.02) * USDC, rel=1e-6)


def test_okx_spot_holding_and_swap_both_appear(venue, fake_exchange):
    """The issue's OKX account: 10.3 LTC spot and 1 LTC-USDT-SWAP contract (1 LTC each)."""
    from tests.fakes.exchange_server import FakeMarket, FakePosition

    fake_exchange.set_markets([FakeMarket("LTC/USDT", amount_step="0.000001"),
                               FakeMarket("LTC/USDT:USDT", amount_step="1", min_amount="1", contract_size=1.0)])
    fake_exchange.set_prices({"LTC/USDT": 100.0, "LTC/USDT:USDT": 100.2})
    fake_exchange.set_unified({"USDT": 50.0, "LTC": 10.3})
    fake_exchange.set_balances({"USDT": (50.0, 0.0), "LTC": (10.3, 0.0)})
    fake_exchange.set_positions([FakePosition("LTC/USDT:USDT", size=1, entry_price=95.0)])
    snapshot = build_snapshot(venue("okx").fetch_holdings(), mode="live", as_of=NOW)
    got = {p.symbol: (p.side, p.size, p.notional) for p in snapshot.positions}
    assert got == {"LTC/USDT": ("long", 10.3, pytest.approx(1030.0)), "LTC/USDT:USDT": ("long", 1, pytest.approx(100.2))}
    assert fake_exchange.count("/api/v5/account/positions") == 1
    assert snapshot.equity == pytest.approx(50 + 5.2 + 10.3 * 100.0)


def test_unpriced_coin_is_a_named_warning_not_a_silent_gap(venue, fake_exchange):
    load_multi_settle_book(fake_exchange)
    fake_exchange.set_unified({"USDT": 1000.0, "USDC": 500.0, "XRP": 2000.0, "FOO": 3.0})
    holdings = venue("bybit").fetch_holdings()
    assert any("FOO equity (3) left out of equity: no FOO/USDT price" in w for w in holdings.coverage_warnings)


def test_an_account_type_without_a_profile_is_a_named_health_warning(venue, fake_exchange):
    inverse = venue("binance", ccxt_config={"enableRateLimit": False, "options": {"defaultType": "delivery"}})
    coverage = inverse.probe(deadline_s=5)[-1]
    assert (coverage.name, coverage.status) == ("coverage", "warn")
    assert "defaultType 'delivery' has no profile" in coverage.message
    probes = venue("binanceusdm").probe(deadline_s=5)
    assert [p.name for p in probes] == ["status", "time", "markets", "credentials"]  # fully read: no gap


def test_binanceusdm_multi_assets_collateral_is_valued_in_equity_and_free_cash(venue, fake_exchange):
    """The issue's account: USDC collateral beside USDT must not be ignored."""
    from tests.fakes.exchange_server import DEFAULT_MARKETS, DEFAULT_PRICES, FakeMarket

    fake_exchange.set_markets([*DEFAULT_MARKETS, FakeMarket("USDC/USDT:USDT", price_step="0.0001")])
    fake_exchange.set_prices({**DEFAULT_PRICES, "USDC/USDT:USDT": 0.999})
    fake_exchange.set_unified({"USDT": 5000.0, "USDC": 22.0})
    holdings = venue("binanceusdm").fetch_holdings()
    single = 5060.0  # wallet 5000 + unrealized 60, as in the single-asset book
    assert holdings.account.equity == pytest.approx(single + 22.0 * 0.999)
    free_usdt = 5060.0 - (0.01 * 60050.0 + 0.5 * 3001.0) / 10
    assert holdings.account.free_cash == pytest.approx(free_usdt + 22.0 * 0.999)
    assert holdings.coverage_warnings == ()


@pytest.mark.parametrize("venue_id", ["bybit", "okx"])
def test_market_types_load_concurrently_and_faults_keep_their_class(venue, venue_id, fake_exchange):
    from live_ops import errors

    load_multi_settle_book(fake_exchange)
    markets = venue(venue_id).load_markets()
    assert {"BTC/USDT", "BTC/USDT:USDT", "BTC/USDC:USDC", "XRP/USD:XRP"} <= set(markets)
    assert markets["XRP/USD:XRP"].inverse and markets["BTC/USDC:USDC"].settle == "USDC"
    # a loader thread's reply (status, Retry-After) reaches the classification in the caller's thread
    if venue_id == "bybit":
        fake_exchange.inject("/v5/market/instruments-info", status=418,
                             body='{"retCode":10006,"retMsg":"IP banned until 1900000000000"}')
        with pytest.raises(errors.ExchangeBanned, match="until 2030-03-17"):
            venue(venue_id).load_markets()
    else:
        fake_exchange.inject("/api/v5/public/instruments", status=429, headers={"Retry-After": "40"},
                             body='{"code":"50011","msg":"Too Many Requests","data":[]}')
        with pytest.raises(errors.ExchangeRateLimited, match="retry after 40 s"):
            venue(venue_id).load_markets()
