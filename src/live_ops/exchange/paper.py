"""The embedded paper exchange: the `[paper]` table served through the gateway interface.

No network, no keys. Prices are the configured marks; positions are the configured ones;
equity is cash plus unrealized PnL and free cash is the cash.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from decimal import ROUND_DOWN, Decimal

from live_ops.config.models import PaperConfig
from live_ops.exchange.gateway import AccountSummary, Balance, Holdings, MarketRules, Position, Probe, Quote
from live_ops.status import CheckStatus

PAPER_AMOUNT_DECIMALS = 8
_PAPER_STEP = Decimal(1).scaleb(-PAPER_AMOUNT_DECIMALS)


def floor_to_step(amount: float, step: Decimal = _PAPER_STEP) -> float:
    """Return `amount` rounded towards zero to a multiple of `step` (decimal, so 0.3 stays 0.3)."""
    return float(Decimal(repr(amount)).quantize(step, rounding=ROUND_DOWN))


class PaperGateway:
    """Read-only gateway over the configured paper account."""

    name = "paper"

    def __init__(self, paper: PaperConfig) -> None:
        self._paper = paper
        self.quote_currency = paper.quote_currency
        self._markets: dict[str, MarketRules] | None = None

    def load_markets(self) -> Mapping[str, MarketRules]:
        if self._markets is None:
            self._markets = {}
            for symbol in self._paper.prices:
                base, _, quote = symbol.partition("/")
                self._markets[symbol] = MarketRules(
                    symbol=symbol,
                    base=base,
                    quote=quote.split(":")[0] or self.quote_currency,
                    amount_step=float(_PAPER_STEP),
                )
        return self._markets

    def fetch_quotes(self, symbols: Sequence[str]) -> dict[str, Quote]:
        prices = self._paper.prices
        return {s: Quote(symbol=s, last=prices[s], mark=prices[s]) for s in dict.fromkeys(symbols) if s in prices}

    def fetch_holdings(self) -> Holdings:
        prices = self._paper.prices
        positions = tuple(
            Position(symbol=p.symbol, size=p.size, entry_price=p.entry_price, mark_price=prices[p.symbol])
            for p in self._paper.positions
            if p.size != 0
        )
        unrealized = sum(p.size * (p.mark_price - p.entry_price) for p in positions)
        cash = self._paper.cash
        account = AccountSummary(
            quote_currency=self.quote_currency,
            equity=cash + unrealized,
            free_cash=cash,
            balances=(Balance(currency=self.quote_currency, free=cash, total=cash),),
        )
        return Holdings(positions=positions, account=account)

    def round_amount(self, symbol: str, amount: float) -> float:
        return floor_to_step(amount)

    def probe(self, *, deadline_s: float) -> list[Probe]:
        started = time.perf_counter()
        markets = self.load_markets()
        holdings = self.fetch_holdings()
        return [
            Probe(
                name="paper",
                status=CheckStatus.PASS,
                message=(
                    f"paper exchange loaded: {len(markets)} priced symbols, "
                    f"{len(holdings.positions)} positions, {self.quote_currency} account"
                ),
                latency_ms=(time.perf_counter() - started) * 1000,
                details={"markets": len(markets), "positions": len(holdings.positions)},
            )
        ]

    def close(self) -> None:
        self._markets = None
