"""A small exchange gateway for order tests: given markets and quotes, real decimal rounding.

It implements the gateway Protocol with the rules a test names (steps, minimums, contract
sizes), the way an exchange would apply them; it is the seam the preview is built on, not a
stand-in for the paper or ccxt gateways, which are tested through the same code elsewhere.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import ROUND_DOWN, Decimal

from live_ops.exchange.gateway import AccountSummary, Holdings, MarketRules, Position, Probe, Quote


class RulesGateway:
    name = "rules-test"

    def __init__(self, markets: Sequence[MarketRules], quotes: Sequence[Quote], quote_currency: str = "USDT",
                 positions: Sequence[Position] = (), equity: float = 10_000.0) -> None:
        self.quote_currency = quote_currency
        self._markets = {m.symbol: m for m in markets}
        self._quotes = {q.symbol: q for q in quotes}
        self._positions = tuple(positions)
        self._equity = equity
        self.quote_calls: list[list[str]] = []
        self.market_loads = 0

    def load_markets(self) -> Mapping[str, MarketRules]:
        self.market_loads += 1
        return self._markets

    def fetch_quotes(self, symbols: Sequence[str]) -> dict[str, Quote]:
        self.quote_calls.append(list(symbols))
        return {s: self._quotes[s] for s in symbols if s in self._quotes}

    def fetch_holdings(self) -> Holdings:
        account = AccountSummary(quote_currency=self.quote_currency, equity=self._equity, free_cash=self._equity)
        return Holdings(positions=self._positions, account=account)

    def round_amount(self, symbol: str, amount: float) -> float:
        step = Decimal(repr(self._markets[symbol].amount_step or 1e-8))
        return float((Decimal(repr(amount)) / step).to_integral_value(rounding=ROUND_DOWN) * step)

    def probe(self, *, deadline_s: float) -> list[Probe]:
        return [Probe(name="rules-test", status="pass", message="in-memory")]

    def close(self) -> None:
        pass
