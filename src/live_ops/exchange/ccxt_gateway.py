"""The read-only gateway to a real exchange through ccxt (testnet and live modes).

Every ccxt call goes through `_call`, the one place where foreign exceptions become
`live_ops.errors` (see `ccxt_errors`). Markets are loaded once per gateway (one flow run) and
shared by its reads. Per-exchange quirks come from `profiles`, never from an `if` on the id.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

from live_ops.config.models import ExchangeConfig
from live_ops.errors import ExchangeBadResponse, ExchangeError, ExchangeRateLimited
from live_ops.exchange import ccxt_normalize as normalize
from live_ops.exchange.ccxt_client import build_client
from live_ops.exchange.ccxt_errors import translate
from live_ops.exchange.gateway import AccountSummary, Holdings, MarketRules, Position, Probe, ProbeStatus, Quote
from live_ops.exchange.profiles import profile_for, read_path

T = TypeVar("T")
DRIFT_WARN_MS = 1_000.0


class CcxtGateway:
    """Read-only access to one exchange account through ccxt."""

    def __init__(self, exchange_config: ExchangeConfig, *, mode: str, environ: Mapping[str, str]) -> None:
        self._cfg = exchange_config
        self.name = exchange_config.id
        self.quote_currency = exchange_config.quote_currency
        self._client, self.profile = build_client(exchange_config, profile_for, mode=mode, environ=environ)
        self._markets: dict[str, MarketRules] | None = None

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
        before = self.requests
        markets = self.load_markets()
        raw_balance = self._call("reading the balance", self._client.fetch_balance)
        if not isinstance(raw_balance, Mapping):
            raise ExchangeBadResponse(f"{self.name}: the balance reply did not parse")
        balances = normalize.balances(raw_balance)
        by_currency = {b.currency: b for b in balances}
        quote = by_currency.get(self.quote_currency)
        free_cash = quote.free if quote else 0.0
        quote_total = quote.total if quote else 0.0
        if self.profile.account == "spot":
            positions = self._spot_positions(balances, markets)
            equity = quote_total + sum(p.size * p.mark_price for p in positions)
        else:
            positions = self._derivative_positions(markets)
            reported = None
            if self.profile.equity_path is not None:
                reported = normalize.number(read_path(raw_balance.get("info"), self.profile.equity_path,
                                                      quote=self.quote_currency))
            if reported is None:
                reported = quote_total + sum(p.unrealized_pnl or 0.0 for p in positions)
            equity = reported
        account = AccountSummary(quote_currency=self.quote_currency, equity=equity, free_cash=free_cash,
                                 balances=balances)
        return Holdings(positions=tuple(positions), account=account, requests=self.requests - before)

    def _spot_positions(self, balances, markets: Mapping[str, MarketRules]) -> list[Position]:
        held = {f"{b.currency}/{self.quote_currency}": b.total for b in balances
                if b.currency != self.quote_currency and b.total > 0}
        symbols = [s for s in held if s in markets]
        quotes = self.fetch_quotes(symbols) if symbols else {}
        # spot has no entry price: the holding is valued at the last price with no unrealized PnL
        return [Position(symbol=s, size=held[s], entry_price=quotes[s].last, mark_price=quotes[s].last,
                         unrealized_pnl=0.0) for s in symbols if s in quotes]

    def _derivative_positions(self, markets: Mapping[str, MarketRules]) -> list[Position]:
        raw = self._call("reading positions", self._client.fetch_positions)
        if not isinstance(raw, list):
            raise ExchangeBadResponse(f"{self.name}: the positions reply did not parse")
        open_rows = [r for r in raw if isinstance(r, Mapping) and normalize.number(r.get("contracts"))]
        missing_mark = [r["symbol"] for r in open_rows if not normalize.number(r.get("markPrice"))]
        marks = {s: q.mark for s, q in self.fetch_quotes(missing_mark).items()} if missing_mark else {}
        positions = []
        for row in open_rows:
            rules = markets.get(row.get("symbol"))
            parsed = normalize.position(row, contract_size=rules.contract_size if rules else 1.0,
                                        mark=marks.get(row.get("symbol")))
            if parsed is not None:
                positions.append(parsed)
        return positions

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

        The remaining deadline caps each request's timeout; steps that would start after the
        deadline are reported as failed without being run. A step that fails stops the round
        trip (its error explains the rest).
        """
        steps: list[tuple[str, Callable[[], tuple[ProbeStatus, str, dict[str, Any]]]]] = [
            ("status", self._step_status), ("time", self._step_time),
            ("markets", self._step_markets), ("credentials", self._step_credentials),
        ]
        configured_timeout = self._cfg.timeout_ms
        started = time.monotonic()
        probes: list[Probe] = []
        try:
            for index, (name, step) in enumerate(steps):
                remaining_ms = (deadline_s - (time.monotonic() - started)) * 1000
                if remaining_ms <= 0:
                    probes.extend(Probe(name=n, status="fail", message=f"{n}: not run: the {deadline_s:g} s health "
                                        "deadline passed") for n, _ in steps[index:])
                    break
                self._client.timeout = max(1, int(min(configured_timeout, remaining_ms)))
                step_started = time.perf_counter()
                try:
                    status, message, details = step()
                except ExchangeError as exc:
                    status = "warn" if type(exc) is ExchangeRateLimited else "fail"
                    details = {"error_kind": exc.kind, "not_run": [n for n, _ in steps[index + 1:]]}
                    probes.append(Probe(name=name, status=status, message=str(exc),
                                        latency_ms=(time.perf_counter() - step_started) * 1000, details=details))
                    break
                probes.append(Probe(name=name, status=status, message=message,
                                    latency_ms=(time.perf_counter() - step_started) * 1000, details=details))
        finally:
            self._client.timeout = configured_timeout
        return probes

    def _step_status(self) -> tuple[ProbeStatus, str, dict[str, Any]]:
        if not self._client.has.get("fetchStatus"):
            return "pass", f"{self.name}: reports no status; reachability is shown by the server time", {}
        raw = self._call("reading the exchange status", self._client.fetch_status)
        state = (raw or {}).get("status") if isinstance(raw, Mapping) else None
        if state is None:
            raise ExchangeBadResponse(f"{self.name}: the status reply did not parse")
        if state != "ok":
            return "fail", f"{self.name}: exchange status is {state!r}", {"exchange_status": state}
        return "pass", f"{self.name}: exchange status ok", {"exchange_status": state}

    def _step_time(self) -> tuple[ProbeStatus, str, dict[str, Any]]:
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
            return "fail", f"{text}: at or above the {limit / 1000:g} s receive window, signed reads are " \
                           "rejected: sync the local clock (NTP)", details
        if abs(drift) >= DRIFT_WARN_MS:
            return "warn", f"{text}: sync the local clock (NTP) before it reaches {limit / 1000:g} s", details
        return "pass", text, details

    def _step_markets(self) -> tuple[ProbeStatus, str, dict[str, Any]]:
        markets = self.load_markets()
        in_quote = sum(1 for m in markets.values() if m.quote == self.quote_currency)
        details = {"markets": len(markets), "quote_markets": in_quote}
        if not in_quote:
            return "warn", f"{self.name}: {len(markets)} markets loaded, none quoted in {self.quote_currency}", details
        return "pass", f"{self.name}: {len(markets)} markets loaded ({in_quote} in {self.quote_currency})", details

    def _step_credentials(self) -> tuple[ProbeStatus, str, dict[str, Any]]:
        call = self.profile.credential_call
        reply = self._call(f"the private read ({call})", getattr(self._client, call))
        if not reply:
            raise ExchangeBadResponse(f"{self.name}: the private read ({call}) returned nothing")
        return "pass", f"{self.name}: credentials accepted by a private read ({call})", {"call": call}

    def close(self) -> None:
        session = getattr(self._client, "session", None)
        if session is not None:
            session.close()
        self._markets = None
