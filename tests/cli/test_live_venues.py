"""The issue's "done when", end to end: `live-ops` in live mode against a fake binanceusdm.

Each run is a real subprocess of the CLI (~3 s), so the fault matrix lives at the core level
(test_fault_matrix.py); here one healthy and one broken run per command prove the wiring.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.fakes.exchange_server import DEFAULT_KEY, DEFAULT_SECRET

REPO = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.prefect


@pytest.fixture
def live_config(write_config, fake_exchange):
    return write_config(replace={
        'mode = "paper"': 'mode = "live"',
        'api_base_url = ""': f'api_base_url = "{fake_exchange.url}"\ntimeout_ms = 3000\n'
                             'ccxt_config = { enableRateLimit = false }',
        "timeout_ms = 10000\n": "",
    })


def _live_ops(prefect_api: str, *args: str, key: str = DEFAULT_KEY) -> tuple[int, dict, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LIVE_OPS_")}
    env.update(PYTHONPATH=f"{REPO / 'src'}{os.pathsep}{REPO}", PREFECT_API_URL=prefect_api,
               LIVE_OPS_API_KEY=key, LIVE_OPS_API_SECRET=DEFAULT_SECRET)
    done = subprocess.run([sys.executable, "-m", "live_ops.cli", *args, "--json"], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=120)
    return done.returncode, json.loads(done.stdout), done.stderr


def test_cli_live_portfolio_shows_the_exchanges_positions(prefect_api, live_config, fake_exchange):
    code, out, stderr = _live_ops(prefect_api, "portfolio", "--config", str(live_config))
    assert code == 0, stderr
    assert (out["mode"], out["quote_currency"]) == ("live", "USDT")
    positions = {p["symbol"]: p for p in out["positions"]}
    btc, eth = positions["BTC/USDT:USDT"], positions["ETH/USDT:USDT"]
    assert (btc["side"], btc["size"], btc["notional"], btc["unrealized_pnl"]) == ("long", 0.01, 600.5, 10.5)
    assert (eth["side"], eth["size"], eth["notional"], eth["unrealized_pnl"]) == ("short", 0.5, 1500.5, 49.5)
    assert out["totals"]["total_notional"] == pytest.approx(2101.0)
    assert out["equity"] == pytest.approx(5060.0)
    assert out["free_cash"] == pytest.approx(5060.0 - 2101.0 / 10)
    assert out["risk"]["severity"] == "OK"
    # read-only and signed with the key from the environment
    assert all(r.method == "GET" for r in fake_exchange.requests)
    assert any(r.headers.get("X-MBX-APIKEY") == DEFAULT_KEY for r in fake_exchange.requests)
    assert DEFAULT_SECRET not in stderr and DEFAULT_KEY not in stderr


def test_cli_live_health_is_ok_against_a_healthy_exchange(prefect_api, live_config, fake_exchange):
    code, out, _stderr = _live_ops(prefect_api, "health", "--config", str(live_config))
    assert (code, out["overall_status"], out["exchange_ok"]) == (0, "OK", True), out
    exchange = next(c for c in out["checks"] if c["name"] == "exchange")
    assert [p["name"] for p in exchange["details"]["probes"]] == ["status", "time", "markets", "credentials"]


def test_cli_live_health_fails_with_a_clear_reason_on_a_rejected_key(prefect_api, live_config, fake_exchange):
    code, out, stderr = _live_ops(prefect_api, "health", "--config", str(live_config), key="revoked-key")
    assert (code, out["overall_status"], out["exchange_ok"]) == (1, "FAIL", False)
    assert any("check the API key in $LIVE_OPS_API_KEY" in e for e in out["exchange_errors"]), out["exchange_errors"]
    assert "Traceback" not in stderr and "revoked-key" not in json.dumps(out) + stderr


def test_cli_live_portfolio_fails_in_one_line_when_banned(prefect_api, live_config, fake_exchange):
    fake_exchange.inject("/fapi/v3/account", status=418,
                         body='{"code":-1003,"msg":"Way too many requests; IP banned until 1900000000000."}')
    code, out, stderr = _live_ops(prefect_api, "portfolio", "--config", str(live_config))
    assert code == 1
    assert set(out) == {"error"} and "IP banned" in out["error"] and "\n" not in out["error"]
    assert "Traceback" not in stderr
    assert fake_exchange.count("/fapi/v3/account") == 1  # a ban is never retried


@pytest.mark.parametrize("venue", ["okx", "bybit"])
def test_cli_live_unified_account_every_settle_coin_in_portfolio_json(prefect_api, write_config, fake_exchange,
                                                                      venue, monkeypatch):
    from tests.fakes.exchange_server import load_multi_settle_book

    load_multi_settle_book(fake_exchange)
    config = write_config(replace={
        'mode = "paper"': 'mode = "live"',
        'id = "binanceusdm"': f'id = "{venue}"',
        'password_env = ""': 'password_env = "FAKE_VENUE_PASSPHRASE"',
        'api_base_url = ""': f'api_base_url = "{fake_exchange.url}"\ntimeout_ms = 3000\n'
                             'ccxt_config = { enableRateLimit = false }',
        "timeout_ms = 10000\n": "",
    })
    monkeypatch.setenv("FAKE_VENUE_PASSPHRASE", "fake-passphrase")  # bybit needs none; it is simply not used
    code, out, stderr = _live_ops(prefect_api, "portfolio", "--config", str(config))
    assert code == 0, stderr
    positions = {p["symbol"]: p for p in out["positions"]}
    assert set(positions) == {"BTC/USDT:USDT", "BTC/USDC:USDC", "XRP/USD:XRP", "XRP/USDT"}
    # the USDC-settled position valued through USDC/USDT, the XRP-settled inverse one through XRP/USDT
    assert positions["BTC/USDC:USDC"]["notional"] == pytest.approx(0.02 * 60010.0 * 0.999)
    assert positions["XRP/USD:XRP"]["side"] == "short" and positions["XRP/USD:XRP"]["notional"] == pytest.approx(1000)
    assert positions["XRP/USD:XRP"]["unrealized_pnl"] == pytest.approx(-1000 * (1 / 0.5 - 1 / 0.52) * 0.5)
    assert positions["XRP/USDT"]["realized_pnl"] is None  # spot: the venue reports none
    # the limits see every position
    assert out["totals"]["num_open_positions"] == 4 and out["risk"]["severity"] in ("OK", "WARNING", "BREACH")
    assert out["totals"]["total_notional"] == pytest.approx(sum(p["notional"] for p in out["positions"]))
    assert DEFAULT_SECRET not in stderr and "fake-passphrase" not in stderr + json.dumps(out)
