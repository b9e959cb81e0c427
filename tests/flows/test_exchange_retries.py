"""Exchange reads in tasks retry transient faults with backoff, never auth errors (real Prefect, real ccxt)."""

from __future__ import annotations

import asyncio

import pytest
from live_ops.flows.portfolio import portfolio_flow

from live_ops.errors import ExchangeAuthError

pytestmark = pytest.mark.prefect


@pytest.fixture
def live_config(write_config, fake_exchange, exchange_env, monkeypatch):
    for name, value in exchange_env.items():
        monkeypatch.setenv(name, value)
    return write_config(replace={
        'mode = "paper"': 'mode = "live"',
        'api_base_url = ""': f'api_base_url = "{fake_exchange.url}"\ntimeout_ms = 3000\n'
                             'ccxt_config = { enableRateLimit = false }',
        "timeout_ms = 10000\n": "",
    })


def test_snapshot_retries_a_503_and_succeeds(prefect_api, live_config, fake_exchange) -> None:
    fake_exchange.inject("/fapi/v3/positionRisk", status=503, body="<html>busy</html>", times=1)
    snapshot = asyncio.run(portfolio_flow(config_path=str(live_config), evaluate_risk=False))
    assert snapshot.totals.num_open_positions == 2
    assert fake_exchange.count("/fapi/v3/positionRisk") == 2  # the failed read and its retry


def test_snapshot_never_retries_a_rejected_key(prefect_api, live_config, fake_exchange) -> None:
    fake_exchange.inject("/fapi/v3/account", status=401, body='{"code":-2015,"msg":"Invalid API-key, IP, or permissions for action."}')
    with pytest.raises(ExchangeAuthError, match="LIVE_OPS_API_KEY"):
        asyncio.run(portfolio_flow(config_path=str(live_config), evaluate_risk=False))
    assert fake_exchange.count("/fapi/v3/account") == 1


def test_snapshot_retry_waits_for_the_exchanges_retry_after(prefect_api, live_config, fake_exchange) -> None:
    # the task's own first delay is 1 s: the exchange's 2 s win
    fake_exchange.inject("/fapi/v3/positionRisk", status=429, body='{"code":-1003,"msg":"Too many requests"}',
                         headers={"Retry-After": "2"}, times=1)
    snapshot = asyncio.run(portfolio_flow(config_path=str(live_config), evaluate_risk=False))
    assert snapshot.totals.num_open_positions == 2
    times = [r.at for r in fake_exchange.requests if r.path == "/fapi/v3/positionRisk"]
    assert len(times) == 2 and times[1] - times[0] >= 1.95
