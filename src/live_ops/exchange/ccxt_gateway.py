"""The read-only gateway to a real exchange through ccxt (testnet and live modes).

Every ccxt call goes through `_call`, the one place where foreign exceptions become
`live_ops.errors` (see `ccxt_errors`). Markets are loaded once per gateway (one flow run) and
shared by its reads. Per-exchange quirks come from `profiles`, never from an `if` on the id.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import replace
from functools import partial
from typing import Any, TypeVar

from live_ops.config.models import ExchangeConfig
from live_ops.errors import (
    ExchangeBadResponse,
    ExchangeError,
    ExchangeRateLimited,
    LiveOpsError,
)
from live_ops.exchange import ccxt_normalize as normalize
from live_ops.exchange.ccxt_client import build_client
from live_ops.exchange.ccxt_errors import translate
from live_ops.exchange.gateway import (
    AccountSummary,
    Holdings,
    MarketRules,
    Position,
    Probe,
    Quote,
)
from live_ops.exchange.profiles import profile_for, read_path
from live_ops.status import CheckStatus

T = TypeVar("T")
DRIFT_WARN_MS = 1_000.0
#: quote currencies in which a USD-denominated (inverse) contract is valued at par; held, they are cash
#: concurrent reads per gateway: the health round trip's three first steps, a portfolio's reads
MAX_PARALLEL_READS = 4
#: the health probe's private read (the balance) is reused by a portfolio read this soon after it
CREDENTIAL_REUSE_S = 15.0
USD_PEGGED = frozenset({"USDT", "USDC", "USD", "FDUSD", "DAI"})


class CcxtGateway:
    """Read-only access to one exchange account through ccxt."""

    def __init__(self, exchange_config: ExchangeConfig, *, mode: str, environ: Mapping[str, str]) -> None:
        self._cfg = exchange_config
        self.name = exchange_config.id
        self.quote_currency = exchange_config.quote_currency
        self._client, self.profile = build_client(exchange_config, profile_for, mode=mode, environ=environ)
        self._markets: dict[str, MarketRules] | None = None
        self._markets_lock = threading.Lock()
        self._lock = threading.Lock()
        self._pool: ThreadPoolExecutor | None = None
        self._credential_reply: tuple[float, Any] | None = None  # the probe's balance, reused once

    # -- the seam --------------------------------------------------------------------------------
    def _call(self, operation: str, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run one ccxt call; return its result or raise the classified `live_ops` error.

        The ccxt exception is not chained (`from None`): its text holds the full URL, and some
        venues put the API key in the query string, so no traceback or task log may show it.
        """
        try:
            return fn(*args, **kwargs)
        except Exception as exc:  # noqa: BLE001 - this IS the translation seam
            raise translate(exc, venue=self.name, operation=operation, key_env=self._cfg.api_key_env,
                            http_status=self._client.live_ops_last_status,
                            timeout_s=self._client.timeout / 1000,
                            retry_after_s=self._client.live_ops_retry_after) from None

    @property
    def requests(self) -> int:
        """Return the number of HTTP requests this gateway has sent."""
        return self._client.live_ops_requests

    # -- reads -----------------------------------------------------------------------------------
    def load_markets(self) -> Mapping[str, MarketRules]:
        with self._markets_lock:  # parallel reads wait for one load instead of each loading
            return self._load_markets()

    def _load_markets(self) -> Mapping[str, MarketRules]:
        if self._markets is None:
            raw = self._call("loading markets", self._client.load_markets)
            if not raw:
                raise ExchangeBadResponse(f"{self.name}: the markets reply lists no markets")
            from ccxt.base.decimal_to_precision import TICK_SIZE

            mode = self._client.precisionMode
            self._markets = {s: normalize.market_rules(m, precision_mode=mode, tick_size_mode=TICK_SIZE)
                             for s, m in raw.items()}
        return self._markets

    def fetch_quotes(self, symbols: Sequence[str]) -> dict[str, Quote]:
        markets = self.load_markets()
        by_kind: dict[str, list[str]] = {}
        for symbol in dict.fromkeys(symbols):
            if symbol in markets:
                by_kind.setdefault(markets[symbol].kind, []).append(symbol)
        quotes: dict[str, Quote] = {}
        # one batched read per market type: venues serve spot and derivatives tickers separately
        for group in by_kind.values():
            tickers = self._call("reading prices", self._client.fetch_tickers, group)
            if not isinstance(tickers, Mapping):
                raise ExchangeBadResponse(f"{self.name}: the tickers reply did not parse")
            for symbol in group:
                ticker = tickers.get(symbol)
                parsed = normalize.quote(ticker) if isinstance(ticker, Mapping) else None
                if parsed is not None:
                    quotes[symbol] = parsed
        return quotes

    def fetch_holdings(self) -> Holdings:
        """Return positions and account: markets (cached), then the balance and every positions read
        concurrently, then one batched price read where coins or holdings need valuing."""
        before = self.requests
        markets = self.load_markets()
        profile = self.profile
        if profile.account == "spot":
            reads: tuple[Mapping[str, str], ...] = ()
        elif profile.account == "unified":
            # every settle coin the venue lists, not only those held: the reads need not wait for the balance
            settle = sorted({m.settle for m in markets.values() if m.kind != "spot" and not m.inverse and m.settle})
            reads = self._position_calls(profile.position_reads, settle or [self.quote_currency])
        else:
            reads = ({},)
        raw_balance, *position_rows = self._parallel(
            self._read_balance, *(partial(self._read_positions, params) for params in reads))
        raw_positions = [row for rows in position_rows for row in rows]
        balances = normalize.balances(raw_balance)
        warnings = list(profile.coverage.not_read)
        if profile.account == "unified":
            positions, account = self._unified(raw_balance, balances, raw_positions, markets, warnings)
        else:
            positions, account = self._single_quote(raw_balance, balances, raw_positions, markets)
        return Holdings(positions=tuple(positions), account=account, requests=self.requests - before,
                        coverage_warnings=tuple(dict.fromkeys(warnings)))

    def _read_balance(self) -> Mapping[str, Any]:
        """Return the raw balance; the health probe's own balance read is reused once if it is fresh."""
        reused, self._credential_reply = self._credential_reply, None
        if reused is not None and time.monotonic() - reused[0] <= CREDENTIAL_REUSE_S:
            raw = reused[1]
        else:
            raw = self._call("reading the balance", self._client.fetch_balance)
        if not isinstance(raw, Mapping):
            raise ExchangeBadResponse(f"{self.name}: the balance reply did not parse")
        return raw

    def _single_quote(self, raw_balance, balances, raw_positions, markets) -> tuple[list[Position], AccountSummary]:
        """Spot wallet, or a derivatives account read in the quote coin only (generic, bitget)."""
        by_currency = {b.currency: b for b in balances}
        quote = by_currency.get(self.quote_currency)
        free_cash = quote.free if quote else 0.0
        quote_total = quote.total if quote else 0.0
        if self.profile.account == "spot":
            positions = self._spot_positions(balances, markets)
            equity = quote_total + sum(p.size * p.mark_price for p in positions)
        else:
            positions = self._derivative_positions(markets, raw_positions, {}, [])
            reported = None
            if self.profile.equity_path is not None:
                reported = normalize.number(read_path(raw_balance.get("info"), self.profile.equity_path,
                                                      quote=self.quote_currency))
            equity = reported if reported is not None else quote_total + sum(p.unrealized_pnl or 0.0
                                                                              for p in positions)
        return positions, AccountSummary(quote_currency=self.quote_currency, equity=equity, free_cash=free_cash,
                                         balances=balances)

    def _unified(self, raw_balance, balances, raw_positions, markets, warnings) -> tuple[list[Position], AccountSummary]:
        """One margin account over several coins: every settle coin's positions, every coin valued in quote."""
        profile, quote = self.profile, self.quote_currency
        rows = read_path(raw_balance.get("info"), profile.coin_rows or (), quote=quote)
        coin_equity: dict[str, float] = {}
        wallet: dict[str, float] = {}
        for row in rows if isinstance(rows, list) else []:
            if isinstance(row, Mapping) and row.get(profile.coin_key):
                value = normalize.number(row.get(profile.coin_equity))
                if value:
                    coin_equity[str(row[profile.coin_key])] = value
                cash = normalize.number(row.get(profile.coin_wallet))
                if cash is not None:
                    wallet[str(row[profile.coin_key])] = cash
        if not coin_equity:  # a reply without per-coin equity: the unified totals (wallet incl. PnL)
            coin_equity = {b.currency: b.total for b in balances if b.total}
        settle_coins = {m.settle for m in markets.values() if m.kind != "spot" and not m.inverse and m.settle}
        cash_coins = settle_coins | {quote} | USD_PEGGED  # cash: valued into free cash, never a spot position
        held = {b.currency for b in balances if b.total} | set(coin_equity)
        # a spot holding is the coin's wallet balance, without the PnL of positions it settles
        spot = {b.currency: wallet.get(b.currency, b.total) for b in balances
                if profile.spot_positions and wallet.get(b.currency, b.total) > 0 and b.currency not in cash_coins
                and f"{b.currency}/{quote}" in markets}
        # one batched price read for every coin to value and every spot holding
        coins = set(coin_equity) | {c for c in cash_coins if c in held} | set(spot)
        for row in raw_positions:
            rules = markets.get(row.get("symbol"))
            if rules is not None:
                coins |= {rules.quote, rules.settle or rules.quote}
        rates, prices = self._rates(coins, markets)
        positions = self._derivative_positions(markets, raw_positions, rates, warnings)
        for coin, size in sorted(spot.items()):
            price = prices.get(f"{coin}/{quote}")
            if price is None:
                warnings.append(f"{coin} holding ({size:g}) not valued: no {coin}/{quote} price")
                continue
            positions.append(Position(symbol=f"{coin}/{quote}", size=size, entry_price=price, mark_price=price,
                                      unrealized_pnl=0.0))
        equity = 0.0
        for coin, value in sorted(coin_equity.items()):
            if coin in rates:
                equity += value * rates[coin]
            else:
                warnings.append(f"{coin} equity ({value:g}) left out of equity: no {coin}/{quote} price")
        free_cash = sum(b.free * rates[b.currency] for b in balances if b.currency in cash_coins
                        and b.currency in rates)
        return positions, AccountSummary(quote_currency=quote, equity=equity, free_cash=free_cash, balances=balances)

    def _rates(self, coins: set[str], markets: Mapping[str, MarketRules]) -> tuple[dict[str, float], dict[str, float]]:
        """Return (quote currency per coin, last price per symbol read) for `coins`, in one batched read."""
        quote = self.quote_currency
        rates = {quote: 1.0}
        if quote in USD_PEGGED and "USD" in coins:
            rates["USD"] = 1.0  # inverse contracts are denominated in USD: taken at par with a USD stablecoin
        wanted: dict[str, str] = {}
        for coin in coins - set(rates):
            symbol = next((s for s in (f"{coin}/{quote}", f"{coin}/{quote}:{quote}") if s in markets), None)
            if symbol is not None:
                wanted[coin] = symbol
        quotes = self.fetch_quotes(list(wanted.values())) if wanted else {}
        for coin, symbol in wanted.items():
            if symbol in quotes:
                rates[coin] = quotes[symbol].last
        return rates, {symbol: q.last for symbol, q in quotes.items()}

    @staticmethod
    def _position_calls(reads, settle: Sequence[str]) -> tuple[dict[str, str], ...]:
        """Return the params of every positions read (`{settle}` expanded per settle coin)."""
        calls: list[dict[str, str]] = []
        for params in reads:
            if any("{settle}" in v for v in params.values()):
                calls.extend({k: v.replace("{settle}", coin) for k, v in params.items()} for coin in settle)
            else:
                calls.append(dict(params))
        return tuple(calls)

    def _read_positions(self, params: Mapping[str, str]) -> list[Mapping[str, Any]]:
        """Return the raw open positions of one positions read."""
        raw = self._call("reading positions", self._client.fetch_positions, None, dict(params))
        if not isinstance(raw, list):
            raise ExchangeBadResponse(f"{self.name}: the positions reply did not parse")
        return [r for r in raw if isinstance(r, Mapping) and normalize.number(r.get("contracts"))]

    def _spot_positions(self, balances, markets: Mapping[str, MarketRules]) -> list[Position]:
        held = {f"{b.currency}/{self.quote_currency}": b.total for b in balances
                if b.currency != self.quote_currency and b.total > 0}
        symbols = [s for s in held if s in markets]
        quotes = self.fetch_quotes(symbols) if symbols else {}
        # spot has no entry price: the holding is valued at the last price with no unrealized PnL
        return [Position(symbol=s, size=held[s], entry_price=quotes[s].last, mark_price=quotes[s].last,
                         unrealized_pnl=0.0) for s in symbols if s in quotes]

    def _derivative_positions(self, markets: Mapping[str, MarketRules], open_rows, rates: Mapping[str, float],
                              warnings: list[str]) -> list[Position]:
        """Return the positions of `open_rows`, valued in the quote currency through `rates`."""
        missing_mark = [r["symbol"] for r in open_rows if not normalize.number(r.get("markPrice"))]
        marks = {s: q.mark for s, q in self.fetch_quotes(missing_mark).items()} if missing_mark else {}
        positions = []
        for row in open_rows:
            rules = markets.get(row.get("symbol"))
            if rules is None:
                warnings.append(f"position in {row.get('symbol')}: its market is not loaded, "
                                "valued with the reply's own contract size")
            parsed = normalize.position(row, contract_size=rules.contract_size if rules else 1.0,
                                        mark=marks.get(row.get("symbol")))
            if parsed is None:
                continue
            if rules is not None and rates:
                parsed = self._in_quote(parsed, rules, rates, warnings)
            positions.append(parsed)
        return positions

    def _in_quote(self, position: Position, rules: MarketRules, rates: Mapping[str, float],
                  warnings: list[str]) -> Position:
        """Return `position` valued in the quote currency: notional through the market's quote, PnL
        through the settle coin; an inverse contract's size becomes its base value at the mark."""
        settle = rules.settle or rules.quote
        missing = [c for c in (rules.quote, settle) if c not in rates]
        if missing:
            warnings.append(f"position in {position.symbol}: no {missing[0]}/{self.quote_currency} price, "
                            f"valued 1:1 in {self.quote_currency}")
        value_rate, pnl_rate = rates.get(rules.quote, 1.0), rates.get(settle, 1.0)
        contract_size = position.contract_size / position.mark_price if rules.inverse else position.contract_size

        def converted(value: float | None) -> float | None:
            return None if value is None else value * pnl_rate

        return replace(position, contract_size=contract_size, value_rate=value_rate,
                       unrealized_pnl=converted(position.unrealized_pnl), realized_pnl=converted(position.realized_pnl))

    def round_amount(self, symbol: str, amount: float) -> float:
        self.load_markets()
        if amount == 0:
            return 0.0
        from ccxt.base.errors import InvalidOrder

        try:
            text = self._client.amount_to_precision(symbol, abs(amount))  # TRUNCATE: always down
        except InvalidOrder:
            return 0.0  # below one amount step: rounding down gives nothing
        except Exception as exc:  # noqa: BLE001 - the seam: unknown symbol and friends
            raise translate(exc, venue=self.name, operation=f"rounding {symbol}",
                            key_env=self._cfg.api_key_env) from None
        return float(text) if amount > 0 else -float(text)

    # -- health ----------------------------------------------------------------------------------
    def probe(self, *, deadline_s: float) -> list[Probe]:
        """Return the health round trip: status, server time and drift, markets, one private read.

        Status, time and markets run concurrently; the private read follows the markets (ccxt
        needs them to sign and parse it), so the round trip waits for two replies in a row. The
        remaining deadline caps each request's timeout; a step that would start after the deadline
        is reported as failed without being run. Results are reported in the checklist order, and
        the first step that fails ends the list (its error explains the rest, named in `not_run`).
        """
        names = ["status", "time", "markets", "credentials"]
        steps = {"status": self._step_status, "time": self._step_time, "markets": self._step_markets,
                 "credentials": self._step_credentials}
        started = time.monotonic()

        def remaining_ms() -> float:
            return (deadline_s - (time.monotonic() - started)) * 1000

        def run(name: str, after: Future | None = None) -> Probe:
            if after is not None and after.result().status is CheckStatus.FAIL:
                return Probe(name=name, status=CheckStatus.FAIL, message=f"{name}: not run: the markets did not load")
            budget = remaining_ms()
            if budget <= 0:
                return Probe(name=name, status=CheckStatus.FAIL,
                             message=f"{name}: not run: the {deadline_s:g} s health deadline passed",
                             details={"not_run": True})
            step_started = time.perf_counter()
            with self._client.live_ops_timeout(min(self._cfg.timeout_ms, budget)):
                try:
                    status, message, details = steps[name]()
                except ExchangeError as exc:
                    status = CheckStatus.WARN if type(exc) is ExchangeRateLimited else CheckStatus.FAIL
                    message, details = str(exc), {"error_kind": exc.kind}
            return Probe(name=name, status=status, message=message,
                         latency_ms=(time.perf_counter() - step_started) * 1000, details=details)

        if remaining_ms() <= 0:
            probes = [run(name) for name in names]
        else:
            pool = self._executor()
            futures = {name: pool.submit(run, name) for name in names[:3]}
            futures["credentials"] = pool.submit(run, "credentials", futures["markets"])
            probes = []
            for index, name in enumerate(names):
                probe = futures[name].result()
                if "error_kind" in probe.details:
                    probes.append(replace(probe, details={**probe.details, "not_run": names[index + 1:]}))
                    break
                probes.append(probe)
        probes = [replace(p, details={}) if p.details.get("not_run") is True else p for p in probes]
        gaps = self.profile.coverage.not_read
        if gaps:  # an account type we cannot read is a named warning, never a silent gap
            probes.append(Probe(name="coverage", status=CheckStatus.WARN,
                                message=f"{self.name}: not read by Peak Live Ops: {'; '.join(gaps)}",
                                details={"not_read": list(gaps)}))
        return probes

    def _executor(self) -> ThreadPoolExecutor:
        """Return the gateway's bounded pool for independent reads (created on first use)."""
        with self._lock:
            if self._pool is None:
                self._pool = ThreadPoolExecutor(max_workers=MAX_PARALLEL_READS,
                                                thread_name_prefix=f"live-ops-{self.name}")
            return self._pool

    def _parallel(self, *calls: Callable[[], Any]) -> list[Any]:
        """Run independent reads concurrently; return their results in order.

        Every read runs to its end (each is bounded by the request timeout); the first error in
        call order is raised, exactly as the sequential reads would have raised it.
        """
        if len(calls) <= 1:
            return [call() for call in calls]
        futures = [self._executor().submit(call) for call in calls]
        outcomes: list[Any] = []
        first_error: BaseException | None = None
        for future in futures:
            try:
                outcomes.append(future.result())
            except LiveOpsError as exc:
                first_error = first_error or exc
        if first_error is not None:
            raise first_error
        return outcomes

    def _step_status(self) -> tuple[CheckStatus, str, dict[str, Any]]:
        if not self._client.has.get("fetchStatus"):
            return CheckStatus.PASS, f"{self.name}: reports no status; reachability is shown by the server time", {}
        raw = self._call("reading the exchange status", self._client.fetch_status)
        state = (raw or {}).get("status") if isinstance(raw, Mapping) else None
        if state is None:
            raise ExchangeBadResponse(f"{self.name}: the status reply did not parse")
        if state != "ok":
            return CheckStatus.FAIL, f"{self.name}: exchange status is {state!r}", {"exchange_status": state}
        return CheckStatus.PASS, f"{self.name}: exchange status ok", {"exchange_status": state}

    def _step_time(self) -> tuple[CheckStatus, str, dict[str, Any]]:
        sent = time.time() * 1000
        server_ms = normalize.number(self._call("reading the server time", self._client.fetch_time))
        received = time.time() * 1000
        if server_ms is None:
            raise ExchangeBadResponse(f"{self.name}: the server time reply did not parse")
        # compare with the middle of the round trip: latency is not drift
        drift = server_ms - (sent + received) / 2
        limit = float(self._cfg.recv_window_ms)
        details = {"drift_ms": round(drift, 1), "recv_window_ms": self._cfg.recv_window_ms}
        text = f"clock drift {drift / 1000:+.3f} s against {self.name}"
        if abs(drift) >= limit:
            return CheckStatus.FAIL, (f"{text}: at or above the {limit / 1000:g} s receive window, signed reads are "
                            "rejected: sync the local clock (NTP)"), details
        if abs(drift) >= DRIFT_WARN_MS:
            return CheckStatus.WARN, f"{text}: sync the local clock (NTP) before it reaches {limit / 1000:g} s", details
        return CheckStatus.PASS, text, details

    def _step_markets(self) -> tuple[CheckStatus, str, dict[str, Any]]:
        markets = self.load_markets()
        in_quote = sum(1 for m in markets.values() if m.quote == self.quote_currency)
        details = {"markets": len(markets), "quote_markets": in_quote}
        if not in_quote:
            return CheckStatus.WARN, f"{self.name}: {len(markets)} markets loaded, none quoted in {self.quote_currency}", details
        return CheckStatus.PASS, f"{self.name}: {len(markets)} markets loaded ({in_quote} in {self.quote_currency})", details

    def _step_credentials(self) -> tuple[CheckStatus, str, dict[str, Any]]:
        call = self.profile.credential_call
        reply = self._call(f"the private read ({call})", getattr(self._client, call))
        if not reply:
            raise ExchangeBadResponse(f"{self.name}: the private read ({call}) returned nothing")
        if call == "fetch_balance":  # the same read a portfolio starts with: one request per run, not two
            self._credential_reply = (time.monotonic(), reply)
        return CheckStatus.PASS, f"{self.name}: credentials accepted by a private read ({call})", {"call": call}

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True)
            self._pool = None
        session = getattr(self._client, "session", None)
        if session is not None:
            session.close()
        self._markets = None
