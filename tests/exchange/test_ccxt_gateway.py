"""The ccxt gateway against the fake exchange: real ccxt, real HTTP on 127.0.0.1."""

from __future__ import annotations

import logging
from datetime import datetime, timezone

import pytest

from live_ops.config.models import ExchangeConfig
from live_ops.errors import ConfigError, ExchangeAuthError, ExchangeBadResponse
from live_ops.exchange.ccxt_client import build_client, deep_merge, rewrite_api_urls
from live_ops.exchange.ccxt_gateway import CcxtGateway
from live_ops.exchange.gateway import ExchangeGateway
from live_ops.exchange.profiles import profile_for
from live_ops.portfolio import build_snapshot
from tests.fakes.exchange_server import (
    DEFAULT_KEY,
    DEFAULT_SECRET,
    FakeMarket,
    FakePosition,
)

NOW = datetime(2026, 1, 5, 12, 0, tzinfo=timezone.utc)


@pytest.fixture
def gateway(exchange_config, exchange_env):
    made: list[CcxtGateway] = []

    def make(**fields) -> CcxtGateway:
        made.append(CcxtGateway(exchange_config(**fields), mode="live", environ=exchange_env))
        return made[-1]

    yield make
    for g in made:
        g.close()


def test_ccxt_gateway_implements_the_gateway_protocol(gateway):
    assert isinstance(gateway(), ExchangeGateway)


def test_ccxt_gateway_binanceusdm_positions_notional_pnl_equity_free_cash(gateway, fake_exchange):
    holdings = gateway(id="binanceusdm").fetch_holdings()
    snapshot = build_snapshot(holdings, mode="live", as_of=NOW)
    by_symbol = {p.symbol: p for p in snapshot.positions}
    btc, eth = by_symbol["BTC/USDT:USDT"], by_symbol["ETH/USDT:USDT"]
    assert (btc.side, btc.size, btc.entry_price, btc.mark_price) == ("long", 0.01, 59000.0, 60050.0)
    assert btc.notional == pytest.approx(0.01 * 60050.0) and btc.unrealized_pnl == pytest.approx(10.5)
    assert (eth.side, eth.size) == ("short", 0.5)
    assert eth.notional == pytest.approx(0.5 * 3001.0) and eth.unrealized_pnl == pytest.approx(49.5)
    # equity is binanceusdm's margin balance of USDT: wallet 5000 + unrealized 60
    assert snapshot.equity == pytest.approx(5060.0)
    # free cash is the available balance: margin balance minus initial margin at 10x
    assert snapshot.free_cash == pytest.approx(5060.0 - (0.01 * 60050.0 + 0.5 * 3001.0) / 10)


def test_ccxt_gateway_bybit_reports_realized_pnl_and_coin_equity(gateway, fake_exchange):
    fake_exchange.set_wallet(2000.0, available=1500.0)
    holdings = gateway(id="bybit").fetch_holdings()
    snapshot = build_snapshot(holdings, mode="live", as_of=NOW)
    by_symbol = {p.symbol: p for p in snapshot.positions}
    assert by_symbol["BTC/USDT:USDT"].realized_pnl == pytest.approx(12.5)
    assert by_symbol["ETH/USDT:USDT"].realized_pnl == pytest.approx(-3.0)
    # bybit's positionValue is entry-based; our notional is mark-based
    assert by_symbol["ETH/USDT:USDT"].notional == pytest.approx(0.5 * 3001.0)
    assert snapshot.equity == pytest.approx(2060.0)
    # UTA 2.0 leaves the coin's availableToWithdraw empty: ccxt derives wallet - position IM - order IM
    assert snapshot.free_cash == pytest.approx(2000.0 - (2060.0 - 1500.0))


def test_ccxt_gateway_binance_spot_values_holdings_with_one_ticker_read(gateway, fake_exchange):
    holdings = gateway(id="binance").fetch_holdings()
    symbols = {p.symbol: p for p in holdings.positions}
    # DOGEOLD has no market against USDT: not a position
    assert set(symbols) == {"BTC/USDT", "ETH/USDT"}
    assert symbols["ETH/USDT"].size == pytest.approx(0.75)  # free + locked
    assert holdings.account.equity == pytest.approx(1000.0 + 0.01 * 60000.0 + 0.75 * 3000.0)
    assert holdings.account.free_cash == pytest.approx(1000.0)
    assert fake_exchange.count("/api/v3/ticker/24hr") == 1


def test_ccxt_gateway_request_count_does_not_grow_with_positions(gateway, fake_exchange):
    fake_exchange.set_positions([FakePosition("BTC/USDT:USDT", 0.01, 59000.0)])
    one = gateway().fetch_holdings().requests
    many_markets = [FakeMarket(f"C{i}/USDT:USDT") for i in range(40)]
    fake_exchange.set_markets(many_markets)
    fake_exchange.set_prices({m.symbol: 10.0 + i for i, m in enumerate(many_markets)})
    fake_exchange.set_positions([FakePosition(m.symbol, 1.0 + i, 9.0) for i, m in enumerate(many_markets)])
    holdings = gateway().fetch_holdings()
    assert len(holdings.positions) == 40
    assert holdings.requests == one <= 4  # markets, account, leverage brackets, positionRisk


def test_ccxt_gateway_spot_request_count_does_not_grow_with_holdings(gateway, fake_exchange):
    markets = [FakeMarket(f"C{i}/USDT") for i in range(30)]
    fake_exchange.set_markets(markets)
    fake_exchange.set_prices({m.symbol: 2.0 for m in markets})
    fake_exchange.set_balances({"USDT": (50.0, 0.0)} | {m.base: (1.0, 0.0) for m in markets})
    holdings = gateway(id="binance").fetch_holdings()
    assert len(holdings.positions) == 30 and holdings.account.equity == pytest.approx(50.0 + 60.0)
    assert holdings.requests == 3  # exchangeInfo, account, one batched ticker/24hr


def test_ccxt_gateway_load_markets_is_lean_and_cached(gateway, fake_exchange):
    g = gateway()
    g.load_markets()
    g.fetch_holdings()
    g.probe(deadline_s=5)
    assert fake_exchange.count("/fapi/v1/exchangeInfo") == 1
    assert fake_exchange.count("/sapi/v1/capital") == 0  # currencies are never fetched
    bybit = gateway(id="bybit")
    bybit.load_markets()
    assert fake_exchange.count("/v5/market/instruments-info") <= 5  # spot, linear, inverse (+ ccxt's pre-launch reads)
    assert fake_exchange.count("/v5/asset/coin/query-info") == 0


def test_ccxt_gateway_signed_requests_carry_the_key_header_and_a_valid_signature(gateway, fake_exchange):
    gateway().fetch_holdings()
    signed = [r for r in fake_exchange.requests if "signature" in r.query]
    assert {r.path for r in signed} >= {"/fapi/v3/account", "/fapi/v3/positionRisk"}
    assert all(r.headers.get("X-MBX-APIKEY") == DEFAULT_KEY for r in signed)
    # the fake verifies the HMAC: a wrong secret is rejected by the exchange, not by us
    public = [r for r in fake_exchange.requests if r.path == "/fapi/v1/exchangeInfo"]
    assert public and "X-MBX-APIKEY" not in public[0].headers


def test_ccxt_gateway_market_rules_and_round_down(gateway):
    g = gateway()
    btc = g.load_markets()["BTC/USDT:USDT"]
    assert (btc.kind, btc.contract_size, btc.min_amount, btc.min_cost, btc.amount_step) == (
        "swap", 1.0, 0.001, 100.0, 0.001)
    assert g.round_amount("BTC/USDT:USDT", 0.0129999) == 0.012
    assert g.round_amount("BTC/USDT:USDT", 0.0009) == 0.0
    assert g.round_amount("SOL/USDT:USDT", 7.99) == 7.0
    spot = gateway(id="binance")
    assert spot.load_markets()["BTC/USDT"].amount_step == pytest.approx(0.00001)
    assert spot.round_amount("BTC/USDT", 0.123456789) == 0.12345


def test_ccxt_gateway_fetch_quotes_is_one_request_and_skips_unknown_symbols(gateway, fake_exchange):
    g = gateway(id="binance")
    g.load_markets()
    before = fake_exchange.count()
    quotes = g.fetch_quotes(["BTC/USDT", "ETH/USDT", "NOPE/USDT"])
    assert set(quotes) == {"BTC/USDT", "ETH/USDT"} and quotes["ETH/USDT"].last == 3000.0
    assert fake_exchange.count() - before == 1


def test_ccxt_gateway_missing_secret_names_the_variable(exchange_config):
    with pytest.raises(ExchangeAuthError) as caught:
        CcxtGateway(exchange_config(), mode="live", environ={"LIVE_OPS_API_KEY": DEFAULT_KEY,
                                                             "LIVE_OPS_API_SECRET": "  "})
    assert "LIVE_OPS_API_SECRET" in str(caught.value) and DEFAULT_KEY not in str(caught.value)


def test_ccxt_gateway_password_env_is_required_when_named(exchange_config, exchange_env):
    with pytest.raises(ExchangeAuthError, match="OKX_PASSPHRASE"):
        CcxtGateway(exchange_config(password_env="OKX_PASSPHRASE"), mode="live", environ=exchange_env)


def test_ccxt_gateway_unknown_exchange_id_is_a_config_error(exchange_config, exchange_env):
    with pytest.raises(ConfigError, match="not a ccxt exchange id"):
        CcxtGateway(exchange_config(id="nosuchexchange"), mode="live", environ=exchange_env)


def test_ccxt_gateway_testnet_without_sandbox_is_a_config_error(exchange_env):
    with pytest.raises(ConfigError, match="kraken has no sandbox URLs"):
        CcxtGateway(ExchangeConfig(id="kraken"), mode="testnet", environ=exchange_env)
    with pytest.raises(ConfigError, match="no demo-trading URLs"):
        CcxtGateway(ExchangeConfig(id="kraken", demo=True), mode="testnet", environ=exchange_env)
    with pytest.raises(ConfigError, match="testnet mode only"):
        CcxtGateway(ExchangeConfig(id="bybit", demo=True), mode="live", environ=exchange_env)


def _client(cfg: ExchangeConfig, env, mode: str = "live"):
    return build_client(cfg, profile_for, mode=mode, environ=env)[0]


def test_ccxt_client_testnet_and_demo_then_base_url_rewrite(exchange_env, fake_exchange):
    assert "testnet" in str(_client(ExchangeConfig(id="bybit"), exchange_env, "testnet").urls["api"])
    assert "api-demo" in str(_client(ExchangeConfig(id="bybit", demo=True), exchange_env, "testnet").urls["api"])
    # the demo environment is selected first, then every URL goes to the base URL with its path
    cfg = ExchangeConfig(id="binanceusdm", demo=True, api_base_url=fake_exchange.url,
                         ccxt_config={"enableRateLimit": False})
    assert all(url.startswith(fake_exchange.url) for url in _client(cfg, exchange_env, "testnet").urls["api"].values())
    assert CcxtGateway(cfg, mode="testnet", environ=exchange_env).load_markets()
    assert fake_exchange.count("/fapi/v1/exchangeInfo") == 1


def test_ccxt_client_config_is_merged_and_never_verbose(exchange_config, exchange_env):
    client = _client(exchange_config(ccxt_config={"enableRateLimit": False, "options": {"defaultType": "swap"}}),
                     exchange_env)
    assert client.verbose is False and client.enableRateLimit is False
    assert not client.logger.isEnabledFor(logging.DEBUG)  # ccxt's debug records hold the key header
    assert client.options["defaultType"] == "swap" and client.options["fetchMargins"] is False
    assert _client(ExchangeConfig(id="binanceusdm"), exchange_env).enableRateLimit


def test_rewrite_api_urls_keeps_paths_and_nesting():
    urls = {"fapiPrivate": "https://fapi.binance.com/fapi/v1", "nested": {"x": "https://api.{hostname}"}, "n": 1}
    assert rewrite_api_urls(urls, "http://proxy:8080/") == {
        "fapiPrivate": "http://proxy:8080/fapi/v1", "nested": {"x": "http://proxy:8080"}, "n": 1}
    assert deep_merge({"a": {"b": 1, "c": 2}}, {"a": {"c": 3}}) == {"a": {"b": 1, "c": 3}}


def test_ccxt_gateway_empty_balance_is_a_bad_response_not_an_empty_portfolio(gateway, fake_exchange):
    fake_exchange.inject("/api/v3/account", body='{"balances": []}')
    with pytest.raises(ExchangeBadResponse, match="no currencies"):
        gateway(id="binance").fetch_holdings()


def test_ccxt_gateway_wrong_secret_is_rejected_by_the_exchange(exchange_config):
    g = CcxtGateway(exchange_config(), mode="live",
                    environ={"LIVE_OPS_API_KEY": DEFAULT_KEY, "LIVE_OPS_API_SECRET": DEFAULT_SECRET + "x"})
    with pytest.raises(ExchangeAuthError, match="Signature for this request is not valid"):
        g.fetch_holdings()
