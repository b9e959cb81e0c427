"""Venue profiles are data, chosen from the effective client options; gaps are named, never silent."""

from __future__ import annotations

import pytest

from live_ops.exchange.ccxt_gateway import CcxtGateway
from live_ops.exchange.profiles import (
    BINANCE_SPOT,
    BINANCE_USDM,
    GENERIC_SPOT,
    PROFILES,
    effective_default_type,
    profile_for,
    read_path,
)


def test_profile_for_every_venue_the_readme_names():
    for venue in ("binance", "binanceusdm", "bybit", "okx", "bitget"):
        assert venue in PROFILES
    assert profile_for("binance", "spot") is BINANCE_SPOT
    assert profile_for("binanceusdm", "future") is BINANCE_USDM
    # okx's one trading account holds spot, swaps and futures whatever ccxt's default type
    assert profile_for("okx", "spot") is profile_for("okx", "swap") is PROFILES["okx"]
    assert PROFILES["okx"].account == "unified"


def test_profile_for_an_unprofiled_venue_or_type_names_the_gap():
    assert profile_for("kraken", "spot") is GENERIC_SPOT and GENERIC_SPOT.coverage.not_read
    delivery = profile_for("binance", "delivery")
    assert delivery.account == "derivatives"
    assert any("defaultType 'delivery' has no profile" in gap for gap in delivery.coverage.not_read)


def test_effective_default_type_puts_the_operators_ccxt_config_first():
    assert effective_default_type({"defaultType": "future"}, "spot", "binance") == "future"
    assert effective_default_type({}, "spot", "bitget") == "swap"  # the profile's own option
    assert effective_default_type({}, "spot", "binance") == "spot"  # ccxt's class default


def test_gateway_picks_the_profile_from_the_operators_ccxt_config(exchange_config, exchange_env):
    spot = CcxtGateway(exchange_config(id="binance"), mode="live", environ=exchange_env)
    futures = CcxtGateway(exchange_config(id="binance", ccxt_config={"enableRateLimit": False,
                                                                     "options": {"defaultType": "future"}}),
                          mode="live", environ=exchange_env)
    assert spot.profile is BINANCE_SPOT and futures.profile is BINANCE_USDM
    okx = CcxtGateway(exchange_config(id="okx", password_env="LIVE_OPS_API_PASSWORD",
                                      ccxt_config={"options": {"defaultType": "swap"}}),
                      mode="live", environ={**exchange_env, "LIVE_OPS_API_PASSWORD": "pass"})
    assert okx.profile is PROFILES["okx"]


@pytest.mark.parametrize(("path", "expected"), [
    (("result", "list", 0, "coin", {"coin": "{quote}"}, "equity"), "9.5"),
    (("result", "list", 3, "coin"), None),
    (("result", "list", 0, "nope"), None),
])
def test_read_path_picks_list_entries_by_field(path, expected):
    info = {"result": {"list": [{"coin": [{"coin": "BTC", "equity": "1"}, {"coin": "USDT", "equity": "9.5"}]}]}}
    assert read_path(info, path, quote="USDT") == expected
