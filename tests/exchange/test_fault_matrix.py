"""One fault table drives the health round trip, the portfolio read and every gateway method (real ccxt).

Every fault must give the right status and one clear line naming what to do, never a
traceback, a URL query (it carries the signature) or a secret.
"""

from __future__ import annotations

import socket
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass, field
from typing import Any

import pytest

from live_ops import errors
from live_ops.config.models import LiveOpsConfig
from live_ops.exchange.ccxt_gateway import CcxtGateway
from live_ops.exchange.factory import build_gateway
from live_ops.health import check_exchange
from tests.fakes.exchange_server import DEFAULT_KEY, DEFAULT_SECRET, FakeExchange

HTML_WAF = "<html><head><title>403 Forbidden</title></head><body><h1>Request blocked</h1></body></html>"
BAN = '{"code":-1003,"msg":"Way too many requests; IP(127.0.0.1) banned until 1900000000000."}'
THROTTLED = '{"code":-1003,"msg":"Too many requests; current limit of IP(127.0.0.1) is 2400 requests per minute."}'
BUSY = '{"code":-1004,"msg":"Server is busy, please wait and try again"}'


@dataclass(frozen=True)
class Fault:
    """One row: how to break the fake, and what health and portfolio must say."""

    name: str
    health: str  # the exchange check's status
    error: type[errors.LiveOpsError]  # what fetch_holdings raises
    says: str  # a phrase the one-line message must hold
    inject: dict[str, Any] = field(default_factory=dict)  # FakeExchange.inject(prefix, **...) with prefix ""
    config: dict[str, Any] = field(default_factory=dict)
    env: dict[str, str] | None = None
    skew_ms: int = 0
    closed_port: bool = False
    signed_only: bool = False  # only signed (private) requests can see it: public reads succeed


FAULTS = [
    Fault("401 wrong key", "fail", errors.ExchangeAuthError, "check the API key in $LIVE_OPS_API_KEY",
          env={"LIVE_OPS_API_KEY": "not-the-key", "LIVE_OPS_API_SECRET": DEFAULT_SECRET}, signed_only=True),
    Fault("401 html", "fail", errors.ExchangeAuthError, "check the API key in $LIVE_OPS_API_KEY",
          inject={"status": 401, "body": "<html>401</html>", "content_type": "text/html"}),
    Fault("403 waf page", "fail", errors.ExchangeUnavailable, "HTTP 403",
          inject={"status": 403, "body": HTML_WAF, "content_type": "text/html"}),
    Fault("418 ip ban", "fail", errors.ExchangeBanned, "IP banned", inject={"status": 418, "body": BAN}),
    Fault("429 throttled", "warn", errors.ExchangeRateLimited, "rate", inject={"status": 429, "body": THROTTLED}),
    Fault("429 retry-after beyond timeout", "warn", errors.ExchangeRateLimited, "retry after 60 s",
          inject={"status": 429, "body": THROTTLED, "headers": {"Retry-After": "60"}}),
    Fault("418 ban with its end", "fail", errors.ExchangeBanned, "banned by the exchange until 2030-03-17",
          inject={"status": 418, "body": BAN, "headers": {"Retry-After": "120"}}),
    Fault("truncated reply", "fail", errors.ExchangeBadResponse, "cut off", inject={"cut": "truncate"}),
    Fault("reset reply", "fail", errors.ExchangeBadResponse, "cut off", inject={"cut": "reset"}),
    Fault("500", "fail", errors.ExchangeUnavailable, "HTTP 500", inject={"status": 500, "body": "oops"}),
    Fault("502", "fail", errors.ExchangeUnavailable, "HTTP 502",
          inject={"status": 502, "body": "<html>bad gateway</html>", "content_type": "text/html"}),
    Fault("503 server busy", "fail", errors.ExchangeUnavailable, "Server is busy",
          inject={"status": 503, "body": BUSY}),
    Fault("504", "fail", errors.ExchangeTimeout, "HTTP 504", inject={"status": 504, "body": ""}),
    Fault("html 200", "fail", errors.ExchangeBadResponse, "not JSON",
          inject={"body": "<html>maintenance</html>", "content_type": "text/html"}),
    Fault("empty 200", "fail", errors.ExchangeBadResponse, "empty body", inject={"body": ""}),
    Fault("sleeping server", "fail", errors.ExchangeTimeout, "no answer within 0.3 s",
          inject={"delay_s": 5.0}, config={"timeout_ms": 300}),
    Fault("closed port", "fail", errors.ExchangeUnavailable, "cannot connect to http://127.0.0.1:",
          closed_port=True),
    Fault("clock 7 s ahead", "fail", errors.ExchangeClockSkew, "clock", skew_ms=7000, signed_only=True),
    Fault("missing secret", "fail", errors.ExchangeAuthError, "LIVE_OPS_API_SECRET",
          env={"LIVE_OPS_API_KEY": DEFAULT_KEY}),
]


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _arrange(fault: Fault, fake: FakeExchange, exchange_config, exchange_env) -> tuple[LiveOpsConfig, dict]:
    if fault.inject:
        fake.inject("", **fault.inject)
    fake.clock_skew_ms = fault.skew_ms
    fields = dict(fault.config)
    if fault.closed_port:
        fields["api_base_url"] = f"http://127.0.0.1:{_closed_port()}"
    config = LiveOpsConfig(environment={"mode": "live"}, exchange=exchange_config(**fields), live_risk={},
                           live_alerts={})
    return config, (exchange_env if fault.env is None else fault.env)


def _assert_one_clean_line(message: str) -> None:
    assert "\n" not in message and "Traceback" not in message
    assert "signature" not in message and "?" not in message.split("(")[0]
    assert DEFAULT_SECRET not in message and DEFAULT_KEY not in message


def _exchange_check(config, env, **kw):
    """Return the exchange check on a gateway built the way a run builds it (lazily), then closed."""
    built = []

    def gateway():
        built.append(build_gateway(config, environ=env))
        return built[-1]

    try:
        return check_exchange(config.exchange.id, gateway, **kw)
    finally:
        for gw in built:
            gw.close()


@pytest.mark.parametrize("fault", FAULTS, ids=[f.name for f in FAULTS])
def test_health_exchange_check_under_fault(fault, fake_exchange, exchange_config, exchange_env):
    config, env = _arrange(fault, fake_exchange, exchange_config, exchange_env)
    check = _exchange_check(config, env, deadline_s=5.0)
    assert check.status == fault.health, check.messages
    problems = [m for m in check.messages if fault.says in m]
    assert problems, check.messages
    for message in check.messages:
        _assert_one_clean_line(message)


@pytest.mark.parametrize("fault", FAULTS, ids=[f.name for f in FAULTS])
def test_portfolio_read_under_fault(fault, fake_exchange, exchange_config, exchange_env):
    config, env = _arrange(fault, fake_exchange, exchange_config, exchange_env)
    with pytest.raises(errors.LiveOpsError) as caught:
        gateway = CcxtGateway(config.exchange, mode="live", environ=env)
        gateway.fetch_holdings()
    assert type(caught.value) is fault.error, str(caught.value)
    assert fault.says in str(caught.value)
    _assert_one_clean_line(str(caught.value))


def test_health_exchange_check_passes_with_latency_per_probe(fake_exchange, exchange_config, exchange_env):
    config = LiveOpsConfig(environment={"mode": "live"}, exchange=exchange_config(), live_risk={}, live_alerts={})
    check = _exchange_check(config, exchange_env)
    assert check.status == "pass", check.messages
    probes = check.details.probes
    assert [p.name for p in probes] == ["status", "time", "markets", "credentials"]
    assert all(p.latency_ms >= 0 for p in probes)
    # the JSON form keeps each step's venue reading next to it
    assert "drift_ms" in check.model_dump(mode="json")["details"]["probes"][1]
    # the private call really went out, signed with the key
    assert any(r.headers.get("X-MBX-APIKEY") == DEFAULT_KEY for r in fake_exchange.requests)


@pytest.mark.parametrize(("skew_ms", "status"), [(0, "pass"), (2_000, "warn"), (-2_500, "warn"), (6_000, "fail")])
def test_health_clock_drift_thresholds(skew_ms, status, fake_exchange, exchange_config, exchange_env):
    fake_exchange.clock_skew_ms = skew_ms
    gateway = CcxtGateway(exchange_config(), mode="live", environ=exchange_env)
    time_probe = next(p for p in gateway.probe(deadline_s=5) if p.name == "time")
    assert time_probe.status == status, time_probe.message
    assert time_probe.details["drift_ms"] == pytest.approx(skew_ms, abs=500)


def test_health_drift_fails_from_the_configured_receive_window(fake_exchange, exchange_config, exchange_env):
    fake_exchange.clock_skew_ms = 2_500
    gateway = CcxtGateway(exchange_config(recv_window_ms=2_000), mode="live", environ=exchange_env)
    time_probe = next(p for p in gateway.probe(deadline_s=5) if p.name == "time")
    assert time_probe.status == "fail" and "2 s receive window" in time_probe.message


def test_health_exchange_maintenance_status_fails(fake_exchange, exchange_config, exchange_env):
    fake_exchange.status_maintenance = True
    for venue in ("binanceusdm", "bybit"):
        probes = CcxtGateway(exchange_config(id=venue), mode="live", environ=exchange_env).probe(deadline_s=5)
        assert probes[0].status == "fail" and "maintenance" in probes[0].message, probes[0].message


def test_health_hanging_exchange_is_cut_by_the_deadline(fake_exchange, exchange_config, exchange_env):
    fake_exchange.inject("/fapi/v1/time", delay_s=10.0)
    gateway = CcxtGateway(exchange_config(timeout_ms=60_000), mode="live", environ=exchange_env)
    probes = gateway.probe(deadline_s=0.4)
    by_name = {p.name: p for p in probes}
    assert by_name["time"].status == "fail" and "no answer within 0.4" in by_name["time"].message
    assert by_name["time"].details["not_run"] == ["markets", "credentials"]
    assert sum(p.latency_ms for p in probes) < 2_000
    # the deadline capped the probe's requests only: a later read waits the configured 60 s
    fake_exchange.inject("/fapi/v1/ticker/24hr", delay_s=0.6, times=1)
    assert gateway.fetch_quotes(["BTC/USDT:USDT"])["BTC/USDT:USDT"].last == 60050.0


def test_health_steps_after_the_deadline_are_failed_not_run(fake_exchange, exchange_config, exchange_env):
    probes = CcxtGateway(exchange_config(), mode="live", environ=exchange_env).probe(deadline_s=0)
    assert [(p.name, p.status) for p in probes] == [(n, "fail") for n in ("status", "time", "markets", "credentials")]
    assert all("deadline passed" in p.message for p in probes)
    assert fake_exchange.count() == 0


def test_health_bybit_faults_use_bybits_own_codes(fake_exchange, exchange_config, exchange_env):
    fake_exchange.clock_skew_ms = 9_000
    with pytest.raises(errors.ExchangeClockSkew, match="NTP"):
        CcxtGateway(exchange_config(id="bybit"), mode="live", environ=exchange_env).fetch_holdings()
    fake_exchange.clock_skew_ms = 0
    env = {"LIVE_OPS_API_KEY": "wrong", "LIVE_OPS_API_SECRET": DEFAULT_SECRET}
    with pytest.raises(errors.ExchangeAuthError, match=r"API key is invalid.*check the API key in \$LIVE_OPS_API_KEY"):
        CcxtGateway(exchange_config(id="bybit"), mode="live", environ=env).fetch_holdings()


def test_health_recovers_after_a_transient_fault(fake_exchange, exchange_config, exchange_env):
    fake_exchange.inject("/fapi/v3/account", status=503, body=BUSY, times=1)
    gateway = CcxtGateway(exchange_config(), mode="live", environ=exchange_env)
    with pytest.raises(errors.ExchangeUnavailable) as caught:
        gateway.fetch_holdings()
    assert caught.value.transient
    assert gateway.fetch_holdings().account.equity == pytest.approx(5060.0)  # what a task retry would get


# every gateway method that talks to the exchange: (read, signed?, markets loaded before the fault)
METHODS: dict[str, tuple[Callable[[CcxtGateway], object], bool, bool]] = {
    "load_markets": (lambda g: g.load_markets(), False, False),
    "round_amount": (lambda g: g.round_amount("BTC/USDT:USDT", 0.0123), False, False),
    "fetch_quotes": (lambda g: g.fetch_quotes(["BTC/USDT:USDT", "ETH/USDT:USDT"]), False, True),
    "fetch_holdings": (lambda g: g.fetch_holdings(), True, True),
    "fetch_holdings_cold": (lambda g: g.fetch_holdings(), True, False),
}


@pytest.mark.parametrize("method", list(METHODS))
@pytest.mark.parametrize("fault", FAULTS, ids=[f.name for f in FAULTS])
def test_every_gateway_method_under_fault(fault, method, fake_exchange, exchange_config, exchange_env):
    read, signed, preload = METHODS[method]
    server_side = bool(fault.inject or fault.skew_ms)
    with pytest.raises(errors.LiveOpsError) if signed or not fault.signed_only else nullcontext() as caught:
        if preload and server_side:  # the fault hits the method's own request, not the markets load
            gateway = CcxtGateway(exchange_config(**fault.config), mode="live", environ=exchange_env)
            gateway.load_markets()
            _arrange(fault, fake_exchange, exchange_config, exchange_env)
        else:
            config, env = _arrange(fault, fake_exchange, exchange_config, exchange_env)
            gateway = CcxtGateway(config.exchange, mode="live", environ=env)
        read(gateway)
    if caught is None:
        return  # a public read does not carry the key or a timestamp: it succeeded
    assert type(caught.value) is fault.error, str(caught.value)
    assert fault.says in str(caught.value)
    _assert_one_clean_line(str(caught.value))


def _gap(fake: FakeExchange, path: str) -> float:
    times = [r.at for r in fake.requests if r.path == path]
    assert len(times) == 2, times
    return times[1] - times[0]


def test_backoff_retry_after_holds_the_next_request_on_the_same_gateway(fake_exchange, exchange_config, exchange_env):
    fake_exchange.inject("/fapi/v3/account", status=429, body=THROTTLED, headers={"Retry-After": "1"}, times=1)
    gateway = CcxtGateway(exchange_config(), mode="live", environ=exchange_env)
    with pytest.raises(errors.ExchangeRateLimited) as caught:
        gateway.fetch_holdings()
    assert caught.value.transient and caught.value.retry_after_s == pytest.approx(1.0, abs=0.05)
    assert "retry after 1 s" in str(caught.value)
    assert gateway.fetch_holdings().account.equity == pytest.approx(5060.0)
    assert _gap(fake_exchange, "/fapi/v3/account") >= 0.95


def test_backoff_ccxts_own_retry_loop_waits_for_retry_after(fake_exchange, exchange_config, exchange_env):
    fake_exchange.inject("/fapi/v3/account", status=429, body=THROTTLED, headers={"Retry-After": "1"}, times=1)
    config = exchange_config(ccxt_config={"enableRateLimit": False, "options": {"maxRetriesOnFailure": 1}})
    holdings = CcxtGateway(config, mode="live", environ=exchange_env).fetch_holdings()
    assert holdings.account.equity == pytest.approx(5060.0)
    assert _gap(fake_exchange, "/fapi/v3/account") >= 0.95  # ccxt itself would have retried at once


def test_backoff_binance_retry_after_field_in_the_body(fake_exchange, exchange_config, exchange_env):
    import time

    until_ms = int((time.time() + 45) * 1000)
    body = f'{{"code":-1003,"msg":"Too many requests","data":{{"retryAfter":{until_ms}}}}}'
    fake_exchange.inject("/fapi/v3/account", status=429, body=body, times=1)
    with pytest.raises(errors.ExchangeRateLimited) as caught:
        CcxtGateway(exchange_config(), mode="live", environ=exchange_env).fetch_holdings()
    assert caught.value.retry_after_s == pytest.approx(45, abs=1.5)


def test_backoff_a_ban_stops_every_later_request_and_names_its_end(fake_exchange, exchange_config, exchange_env):
    fake_exchange.inject("/fapi/v3/account", status=418, body=BAN, times=1)
    gateway = CcxtGateway(exchange_config(ccxt_config={"enableRateLimit": False,
                                                       "options": {"maxRetriesOnFailure": 3}}),
                          mode="live", environ=exchange_env)
    for _ in range(2):
        with pytest.raises(errors.ExchangeBanned) as caught:
            gateway.fetch_holdings()
        assert not caught.value.transient
        assert caught.value.until is not None and caught.value.until.year == 2030
        assert "until 2030-03-17 17:46:40 UTC" in str(caught.value)
    assert fake_exchange.count("/fapi/v3/account") == 1  # neither ccxt's loop nor the next read sent another
