"""The ccxt error seam: every ccxt class is classified on purpose, quirks land where they should."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import ccxt
import pytest

from live_ops import errors
from live_ops.exchange.ccxt_errors import CCXT_ERROR_MAP, INHERITS_PARENT_MAPPING, translate


def _ccxt_error_tree() -> list[type]:
    seen: list[type] = []
    stack = [ccxt.BaseError]
    while stack:
        klass = stack.pop()
        if klass.__module__.startswith("ccxt") and klass not in seen:
            seen.append(klass)
            stack.extend(klass.__subclasses__())
    return seen


def test_ccxt_errors_every_class_in_ccxts_tree_is_mapped_or_deliberately_inherits():
    tree = {klass.__name__ for klass in _ccxt_error_tree()}
    undecided = tree - set(CCXT_ERROR_MAP) - INHERITS_PARENT_MAPPING
    assert not undecided, f"ccxt error classes with no decision in ccxt_errors: {sorted(undecided)}"
    assert not set(CCXT_ERROR_MAP) - tree, "the map names a class ccxt no longer has"
    assert "ExchangeError" in tree and len(tree) > 30  # the walk really saw ccxt's tree


def _map(exc: BaseException, status: int | None = None) -> errors.LiveOpsError:
    return translate(exc, venue="binanceusdm", operation="reading the balance", key_env="MY_KEY_VAR",
                     http_status=status, timeout_s=2.0)


@pytest.mark.parametrize(
    ("exc", "status", "expected"),
    [
        # NetworkError is not an ExchangeError in ccxt: a refused connection is still an outage
        (ccxt.NetworkError("binanceusdm GET http://10.0.0.1:9/fapi/v1/time"), None, errors.ExchangeUnavailable),
        # binance 503 / "server busy" raises the bare base class
        (ccxt.OperationFailed('binanceusdm {"code":-1004,"msg":"Server is busy"}'), 503, errors.ExchangeUnavailable),
        # siblings, not parent and child
        (ccxt.DDoSProtection("binanceusdm 429 Too Many Requests"), 429, errors.ExchangeRateLimited),
        (ccxt.RateLimitExceeded("bybit too many visits"), 200, errors.ExchangeRateLimited),
        (ccxt.DDoSProtection("binanceusdm 418 I'm a teapot"), 418, errors.ExchangeBanned),
        (ccxt.DDoSProtection('x {"msg":"Way too many requests; IP banned until 1"}'), None, errors.ExchangeBanned),
        (ccxt.ExchangeNotAvailable("binanceusdm GET url 403 Forbidden <html>waf</html>"), 403,
         errors.ExchangeUnavailable),
        (ccxt.OnMaintenance("bybit maintenance"), 503, errors.ExchangeUnavailable),
        # InvalidNonce is a NetworkError in ccxt, but it is the local clock, not the network
        (ccxt.InvalidNonce('binanceusdm {"code":-1021,"msg":"Timestamp outside recvWindow"}'), 400,
         errors.ExchangeClockSkew),
        (ccxt.ChecksumError("orderbook checksum"), None, errors.ExchangeBadResponse),
        (ccxt.RequestTimeout("binanceusdm GET url"), None, errors.ExchangeTimeout),
        (ccxt.PermissionDenied("no futures permission"), 401, errors.ExchangeAuthError),
        (ccxt.AccountSuspended("suspended"), 403, errors.ExchangeAuthError),
        (ccxt.BadSymbol("binanceusdm does not have market symbol FOO/BAR"), None, errors.ExchangeNotSupported),
        (ccxt.InvalidProxySettings("conflicting proxies"), None, errors.ConfigError),
        (ccxt.InsufficientFunds("write path"), 400, errors.ExchangeError),
        (KeyError("result"), 200, errors.ExchangeBadResponse),
    ],
)
def test_translate_ccxt_quirks_land_in_the_operators_class(exc, status, expected):
    mapped = _map(exc, status)
    assert type(mapped) is expected
    assert "\n" not in str(mapped)


def test_translate_auth_names_the_variable_and_keeps_the_venues_reason_not_its_url():
    exc = ccxt.AuthenticationError(
        'binanceusdm GET https://fapi.binance.com/fapi/v3/account?timestamp=1&signature=deadbeef 401 '
        '{"code":-2015,"msg":"Invalid API-key, IP, or permissions for action."}')
    message = str(_map(exc, 401))
    assert "check the API key in $MY_KEY_VAR" in message
    assert "Invalid API-key, IP, or permissions for action." in message
    assert "HTTP 401" in message
    assert "signature" not in message and "deadbeef" not in message and "fapi.binance.com" not in message


def test_translate_connection_failure_names_the_host_only():
    message = str(_map(ccxt.NetworkError("binanceusdm GET http://127.0.0.1:9/fapi/v1/time?x=1")))
    assert "cannot connect to http://127.0.0.1:9" in message and "/fapi" not in message


def test_translate_timeout_says_how_long_it_waited():
    assert "no answer within 2 s" in str(_map(ccxt.RequestTimeout("binanceusdm GET url")))


def test_translate_transient_flags_drive_the_retries():
    assert _map(ccxt.ExchangeNotAvailable("x"), 503).transient
    assert _map(ccxt.RequestTimeout("x")).transient
    assert _map(ccxt.RateLimitExceeded("x"), 429).transient
    assert not _map(ccxt.DDoSProtection("x"), 418).transient
    assert not _map(ccxt.AuthenticationError("x"), 401).transient
    assert not _map(ccxt.InvalidNonce("x"), 400).transient


def test_exchange_package_and_cli_help_do_not_import_ccxt():
    code = ("import sys, live_ops.exchange, live_ops.exchange.ccxt_errors, live_ops.exchange.profiles, live_ops.cli;"
            "print('ccxt' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                            cwd=Path(__file__).resolve().parents[2], env={"PYTHONPATH": "src:.", "PATH": "/usr/bin:/bin"})
    assert result.stdout.strip() == "False"
