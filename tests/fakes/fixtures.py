"""Pytest fixtures for the fake exchange, shared by every test directory.

Registered in tests/conftest.py with `pytest_plugins = ["tests.fakes.fixtures"]`.

    fake_exchange        the session's FakeExchange (see tests/fakes/exchange_server.py), reset per test
    exchange_env         env vars holding the fake's API key and secret (LIVE_OPS_API_KEY/_SECRET)
    exchange_config      function(**fields) -> ExchangeConfig pointing at the fake (rate limiter off)
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.fakes.exchange_server import DEFAULT_KEY, DEFAULT_SECRET, FakeExchange
from tests.fakes.receiver import Receiver


@pytest.fixture(scope="session")
def _fake_exchange_server() -> Iterator[FakeExchange]:
    server = FakeExchange().start()
    yield server
    server.stop()


@pytest.fixture
def fake_exchange(_fake_exchange_server: FakeExchange) -> Iterator[FakeExchange]:
    """Return the running fake exchange with its default book, no faults and an empty request log."""
    _fake_exchange_server.reset()
    yield _fake_exchange_server
    _fake_exchange_server.reset()  # releases any reply still held by a delay fault


@pytest.fixture
def exchange_env() -> dict[str, str]:
    """Return an environment holding the fake's credentials under the default variable names."""
    return {"LIVE_OPS_API_KEY": DEFAULT_KEY, "LIVE_OPS_API_SECRET": DEFAULT_SECRET}


@pytest.fixture
def exchange_config(fake_exchange: FakeExchange):
    """Return a function building an ExchangeConfig aimed at the fake (extra fields override)."""
    from live_ops.config.models import ExchangeConfig

    def build(**fields: Any) -> ExchangeConfig:
        values: dict[str, Any] = {"id": "binanceusdm", "api_base_url": fake_exchange.url, "timeout_ms": 2000,
                                  "ccxt_config": {"enableRateLimit": False}}
        values.update(fields)
        return ExchangeConfig(**values)

    return build


@pytest.fixture
def receivers() -> Iterator:
    """Return a factory of local receivers; every one is released and closed at teardown."""
    made: list[Receiver] = []

    def make() -> Receiver:
        made.append(Receiver())
        return made[-1]

    yield make
    for rx in made:
        rx.close()
