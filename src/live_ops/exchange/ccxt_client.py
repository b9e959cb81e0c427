"""Build the ccxt client the `[exchange]` table asks for: keys from env, sandbox/demo, base URL.

Order matters and is fixed here: constructor config (lean defaults < profile options < the
operator's `ccxt_config`), then sandbox or demo URLs, then the `api_base_url` rewrite, so a
proxy or local test exchange sees the paths of the environment that was selected. ccxt is
imported inside `build_client` only (~0.8 s).
"""

from __future__ import annotations

import logging
import re
import threading
import time
from collections.abc import Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urlsplit

from live_ops.config.models import ExchangeConfig
from live_ops.errors import ConfigError, ExchangeAuthError
from live_ops.exchange.profiles import ExchangeProfile, effective_default_type


def deep_merge(base: Mapping[str, Any], override: Mapping[str, Any]) -> dict[str, Any]:
    """Return `base` updated by `override`, merging nested mappings key by key (like ccxt's deep_extend)."""
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, Mapping) and isinstance(merged.get(key), Mapping):
            merged[key] = deep_merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def rewrite_api_urls(urls: Any, base_url: str) -> Any:
    """Return ccxt's `urls['api']` with every URL's scheme and host replaced by `base_url` (paths kept)."""
    if isinstance(urls, Mapping):
        return {key: rewrite_api_urls(value, base_url) for key, value in urls.items()}
    if isinstance(urls, str) and urls.startswith(("http://", "https://")):
        return base_url.rstrip("/") + urlsplit(urls).path
    return urls


def read_credentials(cfg: ExchangeConfig, environ: Mapping[str, str]) -> dict[str, str]:
    """Return apiKey/secret(/password) from the env vars the config names; a missing one is named."""
    wanted = {"apiKey": ("api_key_env", cfg.api_key_env), "secret": ("api_secret_env", cfg.api_secret_env)}
    if cfg.password_env:
        wanted["password"] = ("password_env", cfg.password_env)
    credentials: dict[str, str] = {}
    for ccxt_key, (config_key, var) in wanted.items():
        if not var:
            raise ConfigError(f"[exchange].{config_key} is empty: name the environment variable holding it")
        value = (environ.get(var) or "").strip()
        if not value:
            raise ExchangeAuthError(
                f"{cfg.id}: environment variable {var} ([exchange].{config_key}) is not set or empty: "
                f"check the API key in ${cfg.api_key_env}"
            )
        credentials[ccxt_key] = value
    return credentials


def client_config(cfg: ExchangeConfig, profile: ExchangeProfile, credentials: Mapping[str, str]) -> dict[str, Any]:
    """Return the ccxt constructor config (never `verbose`: it prints the key header)."""
    lean: dict[str, Any] = {
        "enableRateLimit": True,
        "timeout": cfg.timeout_ms,
        # one request fewer per currency table: we never need deposit/withdraw metadata
        "has": {"fetchCurrencies": False},
        "options": {"recvWindow": cfg.recv_window_ms, **dict(profile.options)},
    }
    if profile.market_types is not None:
        lean["options"]["fetchMarkets"] = {"types": list(profile.market_types)}
    merged = deep_merge(lean, cfg.ccxt_config)
    merged.update(credentials)
    merged["verbose"] = False
    return merged


def build_client(cfg: ExchangeConfig, profile_of, *, mode: str, environ: Mapping[str, str]) -> tuple[Any, Any]:
    """Return (ccxt client, its profile) for `cfg` in `mode` ("testnet" or "live").

    `profile_of(exchange_id, default_type)` picks the profile from the market type the client
    will really run with: the operator's `ccxt_config` options first, then the profile's, then
    ccxt's class default.
    """
    import ccxt  # deferred: only code paths that talk to an exchange pay for it

    # ccxt's DEBUG records carry the request headers, i.e. the API key: never let them through
    logging.getLogger("ccxt").setLevel(max(logging.INFO, logging.getLogger("ccxt").level))

    if cfg.id not in ccxt.exchanges:
        raise ConfigError(f"[exchange].id: {cfg.id!r} is not a ccxt exchange id (e.g. binance, binanceusdm, bybit)")
    exchange_class = getattr(ccxt, cfg.id)
    operator_options = cfg.ccxt_config.get("options") or {}
    default_type = effective_default_type(operator_options if isinstance(operator_options, Mapping) else {},
                                          exchange_class().options.get("defaultType"), cfg.id)
    profile = profile_of(cfg.id, default_type)
    credentials = read_credentials(cfg, environ)
    client = client_class(exchange_class)(client_config(cfg, profile, credentials))
    client.live_ops_market_loaders = profile.market_loaders
    select_environment(client, cfg, profile, mode)
    if cfg.api_base_url:
        client.urls["api"] = rewrite_api_urls(client.urls["api"], cfg.api_base_url)
    return client, profile


def select_environment(client: Any, cfg: ExchangeConfig, profile: ExchangeProfile, mode: str) -> None:
    """Point `client` at the sandbox or demo URLs in testnet mode; raise ConfigError where there are none."""
    if mode == "live":
        if cfg.demo:
            raise ConfigError("[exchange].demo = true applies to testnet mode only: set it to false for live")
        return
    if cfg.demo:
        if not profile.demo or not hasattr(client, "enable_demo_trading"):
            raise ConfigError(f"[exchange].demo: {cfg.id} has no demo-trading URLs known to Peak Live Ops "
                              "(binance, binanceusdm, bybit, bitget have): set demo = false to use its sandbox")
        client.enable_demo_trading(True)
        return
    # kraken's set_sandbox_mode raises TypeError rather than NotSupported: test the URLs first
    if not client.urls.get("test"):
        raise ConfigError(f'[environment].mode = "testnet": {cfg.id} has no sandbox URLs'
                          + (" (set [exchange].demo = true for its demo trading)" if profile.demo else ""))
    client.set_sandbox_mode(True)


_CLASSES: dict[type, type] = {}

#: never wait longer than this for a Retry-After inside one read; beyond it the read fails at once
MAX_RETRY_AFTER_WAIT_S = 30.0
_BAN_UNTIL = re.compile(r"banned until (\d{12,14})", re.IGNORECASE)
_RETRY_AFTER_FIELD = re.compile(r'"retryAfter"\s*:\s*"?(\d{1,14})')


def retry_after_seconds(headers: Mapping[str, Any] | None, body: str, *, now: float) -> float | None:
    """Return how long the exchange asked us to wait, from `Retry-After` (seconds or an HTTP date)
    or Binance's `retryAfter` (epoch ms) / "banned until <epoch ms>" in the body; None if it did not say."""
    waits: list[float] = []
    value = None
    for key, header in (headers or {}).items():
        if str(key).lower() == "retry-after":
            value = str(header).strip()
    if value:
        try:
            waits.append(float(value))
        except ValueError:
            try:
                waits.append(parsedate_to_datetime(value).timestamp() - now)
            except (TypeError, ValueError, IndexError):
                pass
    for pattern in (_RETRY_AFTER_FIELD, _BAN_UNTIL):
        match = pattern.search(body or "")
        if match:
            stamp = float(match.group(1))
            waits.append(stamp / 1000 - now if stamp > 1e11 else stamp)
    positive = [w for w in waits if w > 0]
    return max(positive) if positive else (0.0 if waits else None)


def client_class(exchange_class: type) -> type:
    """Return `exchange_class` extended to count HTTP requests, remember each thread's last HTTP
    status and to honour the exchange's back-off.

    Back-off lives here, below every retry path (ccxt's `maxRetriesOnFailure` loop, a task retry
    on the same gateway, the next read): after a 429 with `Retry-After` no request leaves before
    that time (a wait longer than the request timeout fails at once instead); after a 418 ban no
    request leaves until the ban ends. A reply that is not JSON (an HTML page or an empty body
    with HTTP 200, on which ccxt raises nothing) becomes ExchangeBadResponse when it arrives.
    Reads run in parallel threads: per-request state is thread-local, shared state is locked.
    """
    if exchange_class in _CLASSES:
        return _CLASSES[exchange_class]
    from ccxt.base.errors import DDoSProtection, RateLimitExceeded

    from live_ops.errors import ExchangeBadResponse

    class Instrumented(exchange_class):
        def __init__(self, config: Mapping[str, Any] | None = None) -> None:
            self._live_ops_lock = threading.Lock()
            self._live_ops_local = threading.local()
            self._live_ops_timeout: float = 10_000
            self.live_ops_requests = 0
            self.live_ops_not_before = 0.0  # epoch seconds: Retry-After
            self.live_ops_ban_until: float | None = None  # epoch seconds: HTTP 418
            super().__init__(config or {})

        @property
        def timeout(self) -> float:
            """ccxt's per-request timeout (ms); a thread inside `live_ops_timeout` sees its own cap."""
            override = getattr(self._live_ops_local, "timeout", None)
            return override if override is not None else self._live_ops_timeout

        @timeout.setter
        def timeout(self, value: float) -> None:
            self._live_ops_timeout = value

        @contextmanager
        def live_ops_timeout(self, timeout_ms: float) -> Iterator[None]:
            """Cap this thread's request timeout (a deadline's remainder) without touching the others'."""
            self._live_ops_local.timeout = max(1, int(timeout_ms))
            try:
                yield
            finally:
                self._live_ops_local.timeout = None

        def fetch_markets(self, params=None):
            """Load each market type concurrently where the profile names ccxt's per-type loaders."""
            loaders = getattr(self, "live_ops_market_loaders", ())
            if not loaders or params:
                return super().fetch_markets(params or {})
            timeout = getattr(self._live_ops_local, "timeout", None)

            def load(method: str, args: tuple) -> list:
                self._live_ops_local.timeout = timeout  # the caller's deadline applies to its helpers
                try:
                    return getattr(self, method)(*args)
                except Exception as exc:
                    exc.live_ops_reply = (  # type: ignore[attr-defined]
                        self.live_ops_last_status, self.live_ops_retry_after)
                    raise

            with ThreadPoolExecutor(max_workers=len(loaders), thread_name_prefix=f"live-ops-{self.id}-markets") as pool:
                futures = [pool.submit(load, method, args) for method, args in loaders]
                errors = [f.exception() for f in futures]
                first = next((e for e in errors if e is not None), None)
                if first is not None:
                    # the caller classifies the error from its own thread's last reply: hand it over
                    local = self._live_ops_local
                    local.status, local.retry_after = getattr(first, "live_ops_reply", (None, None))
                    raise first
                return [market for f in futures for market in f.result()]

        @property
        def live_ops_last_status(self) -> int | None:
            """The HTTP status of this thread's last reply (None before one arrived)."""
            return getattr(self._live_ops_local, "status", None)

        @property
        def live_ops_retry_after(self) -> float | None:
            """Seconds this thread's last reply asked us to wait, where it said."""
            return getattr(self._live_ops_local, "retry_after", None)

        def fetch(self, url, method="GET", headers=None, body=None):
            local = self._live_ops_local
            local.status = local.retry_after = None
            self._live_ops_hold(url, method)
            with self._live_ops_lock:
                self.live_ops_requests += 1
            reply = super().fetch(url, method, headers, body)
            if not isinstance(reply, (dict, list)):
                kind = "an empty body" if not str(reply or "").strip() else "a body that is not JSON"
                raise ExchangeBadResponse(
                    f"{self.id}: {method} {urlsplit(url).path} answered HTTP {local.status} with {kind}"
                )
            return reply

        def _live_ops_hold(self, url: str, method: str) -> None:
            """Wait out a pending Retry-After; refuse to send during a ban or a wait beyond the timeout."""
            now = time.time()
            local = self._live_ops_local
            if self.live_ops_ban_until is not None and now < self.live_ops_ban_until:
                local.status, local.retry_after = 418, self.live_ops_ban_until - now
                raise DDoSProtection(f"{self.id} {method} {url} 418 IP banned until "
                                     f"{int(self.live_ops_ban_until * 1000)} (not sent)")
            wait = self.live_ops_not_before - now
            if wait <= 0:
                return
            if wait > min(MAX_RETRY_AFTER_WAIT_S, self.timeout / 1000):
                local.status, local.retry_after = 429, wait
                raise RateLimitExceeded(f"{self.id} {method} {url} 429 Retry-After not yet passed (not sent)")
            time.sleep(wait)  # the exchange told us when: a real wait, not a poll

        def on_rest_response(self, code, reason, url, method, response_headers, response_body,
                             request_headers, request_body):
            local = self._live_ops_local
            local.status = code
            if code in (418, 429, 503) or (code and code >= 400 and "banned until" in (response_body or "")):
                now = time.time()
                wait = retry_after_seconds(response_headers, response_body, now=now)
                local.retry_after = wait
                with self._live_ops_lock:
                    if code == 418 or _BAN_UNTIL.search(response_body or ""):
                        self.live_ops_ban_until = max(self.live_ops_ban_until or 0.0, now + (wait or 0.0))
                    elif wait:
                        self.live_ops_not_before = max(self.live_ops_not_before, now + wait)
            return super().on_rest_response(code, reason, url, method, response_headers, response_body,
                                            request_headers, request_body)

    Instrumented.__name__ = exchange_class.__name__
    _CLASSES[exchange_class] = Instrumented
    return Instrumented
