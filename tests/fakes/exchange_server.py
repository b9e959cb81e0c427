"""A fake crypto exchange on 127.0.0.1 that real ccxt talks to over real HTTP.

It speaks three dialects on one port, told apart by path prefix (the same split the real
venues use, so ccxt's URLs rewritten to `server.url` reach the right one):

    /api/v3/..., /sapi/v1/...   binance spot     exchangeInfo, time, ping, ticker/24hr, account
    /fapi/v1|v2|v3/...          binanceusdm      exchangeInfo, time, ping, ticker/24hr, premiumIndex,
                                                 account, balance, positionRisk
    /v5/...                     bybit v5         market/time, instruments-info (spot, linear, inverse),
                                                 tickers, account/wallet-balance (unified coins),
                                                 position/list (per settle coin, inverse), ...
    /api/v5/...                 okx v5           public/time, system/status, public/instruments,
                                                 market/tickers, account/balance, account/positions

Signed requests are verified like the real venues do (HMAC-SHA256 with the configured secret,
timestamp inside the receive window against the server's own, possibly skewed, clock), so a
wrong key, a bad signature and a drifting clock produce the exchange's real error bodies.

API (one `FakeExchange` per test session; the `fake_exchange` fixture resets it per test):

    server.url                                  base URL, e.g. "http://127.0.0.1:41234"
    server.reset()                              back to the default book below, no faults, empty log
    server.set_markets([FakeMarket(...), ...])  replace the listed markets (spot and linear swaps)
    server.set_prices({"BTC/USDT": 60000.0, "BTC/USDT:USDT": 60050.0})   last = mark price per symbol
    server.set_balances({"USDT": (free, locked), "BTC": (0.5, 0.0)})     spot wallet
    server.set_wallet(usdt_wallet, available=None)                       derivatives wallet (USDT)
    server.set_positions([FakePosition("BTC/USDT:USDT", size=-0.5, entry_price=61000.0)])
    server.set_credentials(key, secret)         the one API key the server accepts
    server.inject(path_prefix, status=..., body=..., content_type=..., delay_s=..., times=None,
                  headers={"Retry-After": "5"}, cut="truncate"|"reset")
                                                fault for every request whose path starts with
                                                `path_prefix` ("" = every path); `times` limits it
    server.clock_skew_ms = 7000                 the server's clock runs ahead by this much
    server.requests                             log: FakeRequest(method, path, query, headers)
    server.count(path_prefix)                   number of logged requests under `path_prefix`

A `delay_s` fault holds the reply on an event that `reset()` releases, so a test that ends
early never leaves a thread sleeping. Prices and precision are strings where the venues send
strings. Unrealized PnL is size x contract size x (mark - entry); derivatives margin balance
(equity) is the wallet plus the unrealized PnL.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import socket
import struct
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

DEFAULT_KEY = "fake-api-key-0123456789"
DEFAULT_SECRET = "fake-api-secret-9876543210"


@dataclass(frozen=True)
class FakeMarket:
    """One listed market; `symbol` is ccxt's unified symbol ("BTC/USDT" spot, "BTC/USDT:USDT" swap)."""

    symbol: str
    amount_step: str = "0.001"
    min_amount: str = "0.001"
    min_notional: str = "5"
    price_step: str = "0.01"
    active: bool = True
    contract_size: float = 1.0  # linear: base per contract; inverse: quote (USD) per contract

    @property
    def base(self) -> str:
        return self.symbol.split("/")[0]

    @property
    def quote(self) -> str:
        return self.symbol.split("/")[1].split(":")[0]

    @property
    def swap(self) -> bool:
        return ":" in self.symbol

    @property
    def settle(self) -> str:
        return self.symbol.split(":")[1] if self.swap else ""

    @property
    def inverse(self) -> bool:
        return self.swap and self.settle == self.base

    @property
    def venue_id(self) -> str:
        return self.base + self.quote


@dataclass(frozen=True)
class FakePosition:
    """An open linear position: `size` signed in contracts (base units on binance and bybit)."""

    symbol: str
    size: float
    entry_price: float
    realized_pnl: float = 0.0
    leverage: int = 10


@dataclass(frozen=True)
class FakeRequest:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    at: float = 0.0  # time.monotonic() when it arrived


@dataclass
class _Fault:
    prefix: str
    status: int = 200
    body: str | None = None
    content_type: str = "application/json"
    delay_s: float = 0.0
    times: int | None = None
    headers: dict[str, str] | None = None
    cut: str | None = None  # "truncate": half the body, then close; "reset": RST instead of a reply


DEFAULT_MARKETS = (
    FakeMarket("BTC/USDT", amount_step="0.00001", min_amount="0.00001", min_notional="5"),
    FakeMarket("ETH/USDT", amount_step="0.0001", min_amount="0.0001", min_notional="5"),
    FakeMarket("SOL/USDT", amount_step="0.001", min_amount="0.001", min_notional="5"),
    FakeMarket("BTC/USDT:USDT", amount_step="0.001", min_amount="0.001", min_notional="100", price_step="0.10"),
    FakeMarket("ETH/USDT:USDT", amount_step="0.001", min_amount="0.001", min_notional="20"),
    FakeMarket("SOL/USDT:USDT", amount_step="1", min_amount="1", min_notional="5", price_step="0.001"),
)
DEFAULT_PRICES = {
    "BTC/USDT": 60000.0, "ETH/USDT": 3000.0, "SOL/USDT": 150.0,
    "BTC/USDT:USDT": 60050.0, "ETH/USDT:USDT": 3001.0, "SOL/USDT:USDT": 150.5,
}
DEFAULT_BALANCES = {"USDT": (1000.0, 0.0), "BTC": (0.01, 0.0), "ETH": (0.5, 0.25), "DOGEOLD": (7.0, 0.0)}
DEFAULT_POSITIONS = (
    FakePosition("BTC/USDT:USDT", size=0.01, entry_price=59000.0, realized_pnl=12.5),
    FakePosition("ETH/USDT:USDT", size=-0.5, entry_price=3100.0, realized_pnl=-3.0),
)


def _num(value: float) -> str:
    return format(value, ".8f").rstrip("0").rstrip(".") if value != int(value) else str(int(value))


class FakeExchange:
    """The fake's state, its fault table and its request log (thread-safe)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._release = threading.Event()
        self._server: ThreadingHTTPServer | None = None
        self.url = ""
        self.reset()

    # -- configuration -------------------------------------------------------------------------
    def reset(self) -> None:
        """Restore the default book, drop faults and the log, release any held reply."""
        with self._lock:
            self._release.set()
            self._release = threading.Event()
            self.markets: list[FakeMarket] = list(DEFAULT_MARKETS)
            self.prices: dict[str, float] = dict(DEFAULT_PRICES)
            self.balances: dict[str, tuple[float, float]] = dict(DEFAULT_BALANCES)
            self.wallet = 5000.0
            self.available: float | None = None
            self.unified: dict[str, float] | None = None
            self.positions: list[FakePosition] = list(DEFAULT_POSITIONS)
            self.key, self.secret = DEFAULT_KEY, DEFAULT_SECRET
            self.faults: list[_Fault] = []
            self.requests: list[FakeRequest] = []
            self.clock_skew_ms = 0
            self.status_maintenance = False

    def set_markets(self, markets: list[FakeMarket]) -> None:
        self.markets = list(markets)

    def set_prices(self, prices: dict[str, float]) -> None:
        self.prices = dict(prices)

    def set_balances(self, balances: dict[str, tuple[float, float]]) -> None:
        self.balances = dict(balances)

    def set_wallet(self, wallet: float, available: float | None = None) -> None:
        self.wallet, self.available = wallet, available

    def set_positions(self, positions: list[FakePosition]) -> None:
        self.positions = list(positions)

    def set_credentials(self, key: str, secret: str) -> None:
        self.key, self.secret = key, secret

    def inject(self, prefix: str, *, status: int = 200, body: str | None = None,
               content_type: str = "application/json", delay_s: float = 0.0, times: int | None = None,
               headers: dict[str, str] | None = None, cut: str | None = None) -> None:
        """Answer every request under `prefix` with this status/body/headers (after `delay_s`).

        `cut="truncate"` sends the real reply's headers and half its body, then closes;
        `cut="reset"` resets the connection (TCP RST) without a reply.
        """
        with self._lock:
            self.faults.append(_Fault(prefix, status, body, content_type, delay_s, times, headers, cut))

    def count(self, prefix: str = "") -> int:
        """Return how many logged requests have a path starting with `prefix`."""
        return sum(1 for r in self.requests if r.path.startswith(prefix))

    # -- derived book ---------------------------------------------------------------------------
    def now_ms(self) -> int:
        return int(time.time() * 1000) + self.clock_skew_ms

    def market(self, symbol: str) -> FakeMarket | None:
        return next((m for m in self.markets if m.symbol == symbol), None)

    def unrealized(self, position: FakePosition) -> float:
        """Unrealized PnL in the settle coin (linear: size x cs x (mark - entry); inverse: in base)."""
        market = self.market(position.symbol)
        size = market.contract_size if market else 1.0
        mark = self.prices[position.symbol]
        if market is not None and market.inverse:
            return position.size * size * (1 / position.entry_price - 1 / mark)
        return position.size * size * (mark - position.entry_price)

    def coin_equity(self, coin: str) -> float:
        """A unified account's coin equity: its wallet plus the PnL of the positions it settles."""
        wallets = self.unified if self.unified is not None else {"USDT": self.wallet}
        upnl = sum(self.unrealized(p) for p in self.positions if self.settle_of(p.symbol) == coin)
        return wallets.get(coin, 0.0) + upnl

    def settle_of(self, symbol: str) -> str:
        return symbol.split(":")[1] if ":" in symbol else ""

    def set_unified(self, wallets: dict[str, float]) -> None:
        """Hold a unified (multi-coin) margin account with these wallet balances per coin."""
        self.unified = dict(wallets)

    def margin_balance(self) -> float:
        return self.wallet + sum(self.unrealized(p) for p in self.positions)

    def free_margin(self) -> float:
        if self.available is not None:
            return self.available
        initial = sum(abs(p.size) * self.prices[p.symbol] / p.leverage for p in self.positions)
        return self.margin_balance() - initial

    # -- server lifecycle -----------------------------------------------------------------------
    def start(self) -> FakeExchange:
        handler = type("Handler", (_Handler,), {"fake": self})
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        threading.Thread(target=self._server.serve_forever, name="fake-exchange", daemon=True).start()
        return self

    def stop(self) -> None:
        self._release.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    def _take_fault(self, path: str) -> tuple[_Fault | None, threading.Event]:
        with self._lock:
            for fault in self.faults:
                if path.startswith(fault.prefix) and (fault.times is None or fault.times > 0):
                    if fault.times is not None:
                        fault.times -= 1
                    return fault, self._release
            return None, self._release

    def _log(self, request: FakeRequest) -> None:
        with self._lock:
            self.requests.append(request)


class _Handler(BaseHTTPRequestHandler):
    fake: FakeExchange
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # header and body go out in separate writes: no 40 ms delayed-ACK stall

    def log_message(self, format: str, *args: object) -> None:
        pass  # the request log is the record; keep pytest output clean

    def do_GET(self) -> None:
        self._serve()

    def do_POST(self) -> None:
        self._serve()

    def _serve(self) -> None:
        parts = urlsplit(self.path)
        query = dict(parse_qsl(parts.query, keep_blank_values=True))
        self.fake._log(FakeRequest(self.command, parts.path, query, dict(self.headers.items()), time.monotonic()))
        fault, release = self.fake._take_fault(parts.path)
        if fault is not None:
            if fault.delay_s and release.wait(fault.delay_s):
                return self._send(503, '{"msg": "released"}')
            if fault.cut == "reset":
                return self._reset()
            if fault.body is not None or fault.status != 200:
                return self._send(fault.status, fault.body or "", fault.content_type, fault.headers)
        try:
            status, payload = route(self.fake, self.command, parts.path, query, self.headers, parts.query)
        except Exception as exc:  # noqa: BLE001 - a fake bug must be visible in the test, not a hang
            status, payload = 500, {"fake_error": repr(exc)}
        self._send(status, json.dumps(payload), headers=fault.headers if fault else None,
                   truncate=bool(fault and fault.cut == "truncate"))

    def _reset(self) -> None:
        # SO_LINGER 0: close() sends RST, the client reads "connection reset by peer"
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.close_connection = True
        self.connection.close()

    def _send(self, status: int, body: str, content_type: str = "application/json",
              headers: dict[str, str] | None = None, truncate: bool = False) -> None:
        data = body.encode()
        try:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            if truncate:
                self.wfile.write(data[: len(data) // 2])
                self.wfile.flush()
                self.close_connection = True
                self.connection.shutdown(socket.SHUT_RDWR)
                return
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (timeout): nothing to answer


def route(fake: FakeExchange, method: str, path: str, query: dict[str, str], headers, raw_query: str):
    """Return (status, JSON payload) for one request."""
    from tests.fakes import venues  # the venue dialects live beside this module

    if path.startswith(("/api/v3/", "/sapi/")):
        return venues.binance_spot(fake, path, query, headers, raw_query)
    if path.startswith("/fapi/"):
        return venues.binance_usdm(fake, path, query, headers, raw_query)
    if path.startswith("/v5/"):
        return venues.bybit(fake, path, query, headers, raw_query)
    if path.startswith("/api/v5/"):
        return venues.okx(fake, method, path, query, headers, raw_query)
    return 404, {"code": -1, "msg": f"no such path {path}"}


def signature_ok(secret: str, payload: str, signature: str) -> bool:
    """Return whether `signature` is the hex HMAC-SHA256 of `payload` under `secret`."""
    expected = hmac.new(secret.encode(), payload.encode(), hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, signature or "")


__all__ = ["DEFAULT_KEY", "DEFAULT_SECRET", "FakeExchange", "FakeMarket", "FakePosition", "FakeRequest"]


# A unified account holding positions in three settle coins, two of which are not the quote:
# USDT-settled and USDC-settled linear perpetuals and an XRP-settled inverse one (bybit, okx).
MULTI_SETTLE_MARKETS = (
    FakeMarket("BTC/USDT", amount_step="0.00001", min_amount="0.00001"),
    FakeMarket("XRP/USDT", amount_step="0.1", min_amount="1"),
    FakeMarket("USDC/USDT", amount_step="0.01", min_amount="1", price_step="0.0001"),
    FakeMarket("BTC/USDT:USDT", amount_step="0.001", min_amount="0.001", price_step="0.10"),
    FakeMarket("BTC/USDC:USDC", amount_step="0.001", min_amount="0.001", price_step="0.10"),
    FakeMarket("XRP/USD:XRP", amount_step="1", min_amount="1", price_step="0.0001"),
)
MULTI_SETTLE_PRICES = {"BTC/USDT": 60000.0, "XRP/USDT": 0.5, "USDC/USDT": 0.999, "BTC/USDT:USDT": 60050.0,
                       "BTC/USDC:USDC": 60010.0, "XRP/USD:XRP": 0.52}
MULTI_SETTLE_WALLETS = {"USDT": 1000.0, "USDC": 500.0, "XRP": 2000.0}
MULTI_SETTLE_POSITIONS = (
    FakePosition("BTC/USDT:USDT", size=0.01, entry_price=59000.0, realized_pnl=1.5),
    FakePosition("BTC/USDC:USDC", size=0.02, entry_price=58000.0, realized_pnl=2.0),
    FakePosition("XRP/USD:XRP", size=-1000, entry_price=0.5, realized_pnl=0.0),  # 1000 USD contracts short
)


def load_multi_settle_book(fake: FakeExchange) -> None:
    """Put the multi-settle unified account (above) on `fake`."""
    fake.set_markets(list(MULTI_SETTLE_MARKETS))
    fake.set_prices(dict(MULTI_SETTLE_PRICES))
    fake.set_unified(dict(MULTI_SETTLE_WALLETS))
    fake.set_positions(list(MULTI_SETTLE_POSITIONS))
    fake.set_balances({coin: (wallet, 0.0) for coin, wallet in MULTI_SETTLE_WALLETS.items()})
