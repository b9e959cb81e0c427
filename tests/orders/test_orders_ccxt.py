"""Order previews through the real ccxt gateway against the fake exchange's binance filters.

The fake serves binance's real exchangeInfo shape (LOT_SIZE stepSize/minQty, NOTIONAL and
MIN_NOTIONAL), so rounding is ccxt's own `amount_to_precision` and the minimums are what
ccxt parses from those filters.
"""

from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest

from live_ops.cli import main
from live_ops.exchange.ccxt_gateway import CcxtGateway
from live_ops.orders import Signal, SignalBatch, build_preview, read_market_data
from tests.fakes.exchange_server import DEFAULT_KEY, DEFAULT_SECRET, FakeMarket

NOW = datetime(2026, 3, 4, tzinfo=timezone.utc)


@pytest.fixture
def binance(exchange_config, exchange_env, fake_exchange):
    made: list[CcxtGateway] = []

    def make(exchange_id: str) -> CcxtGateway:
        made.append(CcxtGateway(exchange_config(id=exchange_id), mode="live", environ=exchange_env))
        return made[-1]

    yield make
    for gateway in made:
        gateway.close()


def preview(gateway: CcxtGateway, rows: list[tuple[str, float]], notional: float = 100.0):
    batch = SignalBatch(path="s.csv", signals=tuple(Signal(i + 2, s, d) for i, (s, d) in enumerate(rows)))
    market = read_market_data(gateway, batch.symbols())
    return build_preview(batch, market, gateway.round_amount, notional=notional, min_order_notional=10.0,
                         quote_currency="USDT", name="ccxt", created_at=NOW)


def test_preview_binance_spot_lot_size_and_notional_filters(binance, fake_exchange) -> None:
    fake_exchange.set_markets([
        FakeMarket("BTC/USDT", amount_step="0.00001", min_amount="0.00001", min_notional="5"),
        FakeMarket("ETH/USDT", amount_step="0.0001", min_amount="0.0001", min_notional="5"),
        FakeMarket("BIG/USDT", amount_step="0.01", min_amount="0.01", min_notional="150"),
        FakeMarket("LOT/USDT", amount_step="1", min_amount="10", min_notional="5"),
        FakeMarket("STEP/USDT", amount_step="1", min_amount="1", min_notional="5"),
    ])
    fake_exchange.set_prices({"BTC/USDT": 60_000.0, "ETH/USDT": 3_000.0, "BIG/USDT": 2.0, "LOT/USDT": 50.0,
                              "STEP/USDT": 150.0})
    gateway = binance("binance")
    result = preview(gateway, [("BTC/USDT", 1), ("ETH/USDT", -1), ("BIG/USDT", 1), ("LOT/USDT", 1),
                               ("STEP/USDT", 1), ("NOPE/USDT", 1)])
    assert [(o.symbol, o.side, o.quantity, o.notional) for o in result.orders] == [
        ("BTC/USDT", "buy", 0.00166, 99.6),   # 0.0016666... truncated to the 0.00001 step
        ("ETH/USDT", "sell", 0.0333, 99.9),   # 0.03333... truncated to the 0.0001 step
    ]
    assert {s.symbol: s.code for s in result.skipped} == {
        "BIG/USDT": "below_min_cost", "LOT/USDT": "below_min_amount", "STEP/USDT": "zero_quantity",
        "NOPE/USDT": "unknown_symbol"}
    assert fake_exchange.count("/api/v3/ticker") == 1  # one batched price read
    assert all(r.method == "GET" for r in fake_exchange.requests)  # read-only: nothing was sent


def test_preview_binanceusdm_min_notional_filter_on_a_swap(binance, fake_exchange) -> None:
    gateway = binance("binanceusdm")  # BTC/USDT:USDT: step 0.001, MIN_NOTIONAL 100, mark 60,050
    small = preview(gateway, [("BTC/USDT:USDT", 1)], notional=100.0)
    assert [(s.code, s.reason) for s in small.skipped] == [
        ("below_min_cost", "notional 60.05 USDT is under the market minimum cost 100 USDT")]
    (order,) = preview(gateway, [("BTC/USDT:USDT", -1)], notional=200.0).orders
    assert (order.side, order.quantity, order.notional) == ("sell", 0.003, 180.15)


@pytest.mark.prefect
def test_orders_cli_live_projects_onto_the_exchange_portfolio(prefect_api, capsys, write_config, fake_exchange,
                                                              monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("LIVE_OPS_API_KEY", DEFAULT_KEY)
    monkeypatch.setenv("LIVE_OPS_API_SECRET", DEFAULT_SECRET)
    config = write_config(replace={
        'mode = "paper"': 'mode = "live"',
        'api_base_url = ""': f'api_base_url = "{fake_exchange.url}"\nccxt_config = {{ enableRateLimit = false }}',
    })
    signals = tmp_path / "signals.csv"
    signals.write_text("symbol,direction\nBTC/USDT:USDT,-1\nETH/USDT:USDT,-1\n")
    code = main(["orders", "--config", str(config), "--signals", str(signals), "--notional", "300", "--json"])
    data = json.loads(capsys.readouterr().out)
    assert code == 0, data
    exposure = {d["symbol"]: d["current_value"] for d in data["risk"]["limit_details"]
                if d["limit_name"] == "max_symbol_exposure_notional"}
    # the fake holds BTC 0.01 long and ETH 0.5 short: selling 0.004 BTC reduces, selling 0.099 ETH adds
    assert [(o["symbol"], o["quantity"]) for o in data["orders"]] == [("BTC/USDT:USDT", 0.004),
                                                                     ("ETH/USDT:USDT", 0.099)]
    assert exposure["BTC/USDT:USDT"] == pytest.approx(0.006 * 60_050.0)
    assert exposure["ETH/USDT:USDT"] == pytest.approx(0.599 * 3_001.0)
    assert fake_exchange.count("/fapi/v1/exchangeInfo") == 1  # markets loaded once per flow run
