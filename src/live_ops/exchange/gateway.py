"""The read-only exchange gateway interface and the typed domain objects it returns.

A gateway is the one seam between Peak Live Ops and an exchange. It normalises the exchange's
replies once, at the edge, into the frozen dataclasses below; portfolio, order and risk code
never touch a raw exchange dict. It is read-only by construction: the interface has no method
that places, changes or cancels an order, so no implementation can be asked to.

Every method raises only `live_ops.errors.ExchangeError` subclasses.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal, Protocol, runtime_checkable

from live_ops.status import CheckStatus

MarketKind = Literal["spot", "swap", "future", "option"]


@dataclass(frozen=True, slots=True)
class MarketRules:
    """What the exchange allows for one symbol: the rules an order preview must respect."""

    symbol: str
    base: str
    quote: str
    kind: MarketKind = "spot"
    contract_size: float = 1.0
    min_amount: float | None = None
    min_cost: float | None = None
    amount_step: float | None = None  # smallest amount increment, if known
    active: bool = True
    settle: str = ""  # the coin a derivative settles (and reports PnL) in; "" for spot
    inverse: bool = False  # contracts are worth a fixed amount of the quote (e.g. 1 USD), settled in base


@dataclass(frozen=True, slots=True)
class Quote:
    """Prices for one symbol at one moment; `mark` falls back to `last` where no mark exists."""

    symbol: str
    last: float
    mark: float
    bid: float | None = None
    ask: float | None = None


@dataclass(frozen=True, slots=True)
class Position:
    """An open position; `size` is signed in contracts (> 0 long, < 0 short)."""

    symbol: str
    size: float
    entry_price: float
    mark_price: float
    contract_size: float = 1.0  # base units per contract (inverse: the contract's base value at the mark)
    unrealized_pnl: float | None = None  # as reported by the exchange, in the account's quote currency
    realized_pnl: float | None = None  # as reported, in the quote currency; None where not reported
    value_rate: float = 1.0  # quote currency per unit of the market's quote (a USDC market in a USDT book)


@dataclass(frozen=True, slots=True)
class Balance:
    """One currency's balance."""

    currency: str
    free: float
    total: float


@dataclass(frozen=True, slots=True)
class AccountSummary:
    """The account valued in the quote currency: what `portfolio` reports as equity and free cash."""

    quote_currency: str
    equity: float  # including unrealized PnL
    free_cash: float  # free quote balance
    balances: tuple[Balance, ...] = ()


@dataclass(frozen=True, slots=True)
class Holdings:
    """One consistent read of the account: positions and the account summary."""

    positions: tuple[Position, ...]
    account: AccountSummary
    requests: int = 0  # HTTP requests spent on this read (0 for paper)
    #: what this read could not cover or value (account types not read, coins without a price)
    coverage_warnings: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Probe:
    """One step of the health round trip: what was checked, how it went and how long it took."""

    name: str
    status: CheckStatus
    message: str
    latency_ms: float = 0.0
    details: Mapping[str, object] = field(default_factory=dict)


@runtime_checkable
class ExchangeGateway(Protocol):
    """Read-only access to one exchange account. No method here can send an order."""

    #: human name of the venue, e.g. "paper" or "binanceusdm"
    name: str
    quote_currency: str

    def load_markets(self) -> Mapping[str, MarketRules]:
        """Return the exchange's markets by symbol; loaded once and cached by the gateway."""
        ...

    def fetch_quotes(self, symbols: Sequence[str]) -> dict[str, Quote]:
        """Return quotes for `symbols` in ONE batched read; unknown symbols are left out."""
        ...

    def fetch_holdings(self) -> Holdings:
        """Return the open positions and the account summary, valued in the quote currency."""
        ...

    def round_amount(self, symbol: str, amount: float) -> float:
        """Return `amount` rounded DOWN to the market's amount precision."""
        ...

    def probe(self, *, deadline_s: float) -> list[Probe]:
        """Return the health round trip (status, time, markets, credentials) within `deadline_s`."""
        ...

    def close(self) -> None:
        """Release connections; the gateway must not be used afterwards."""
        ...
