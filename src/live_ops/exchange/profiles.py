"""Per-exchange quirks as data: how to keep loading lean, how to read the account, what proves keys.

The ccxt gateway asks `profile_for(exchange_id, default_type)` and never branches on an exchange
id itself (like ccxt's `has`/`urls` and freqtrade's `_ft_has`). An exchange without an entry gets
the generic profile built from what ccxt says about it (its default market type).

Equity is read from the exchange's own account figure where it reports one in the quote
currency (`equity_path` into the raw balance reply, see `read_path`); otherwise it is computed:
spot = quote total + holdings x last price, derivatives = quote total + unrealized PnL.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

AccountKind = Literal["spot", "derivatives"]
# one step into a raw reply: a key, a list index, or {field: value} to pick the list element that
# matches ("{quote}" is replaced by the configured quote currency)
PathStep = str | int | Mapping[str, str]


@dataclass(frozen=True)
class ExchangeProfile:
    """How Peak Live Ops reads one exchange; every field is data the gateway interprets."""

    account: AccountKind
    #: ccxt `options.fetchMarkets.types` to load (None: ccxt's default set)
    market_types: tuple[str, ...] | None = None
    #: the private read that proves the credentials in the health round trip
    credential_call: str = "fetch_balance"
    #: the exchange offers demo-trading URLs (`enable_demo_trading`)
    demo: bool = False
    #: where the exchange reports equity (incl. unrealized PnL) in its raw balance reply
    equity_path: tuple[PathStep, ...] | None = None
    #: extra ccxt options (deep-merged under the operator's own `[exchange.ccxt_config]`)
    options: Mapping[str, Any] = field(default_factory=dict)
    #: how the equity is derived, for the operator (README, health details)
    equity_source: str = ""


_BINANCE_LEAN = {"fetchMargins": False, "fetchCurrencies": False}

PROFILES: dict[str, ExchangeProfile] = {
    "binance": ExchangeProfile(
        account="spot", market_types=("spot",), demo=True, options=_BINANCE_LEAN,
        equity_source="quote total + each holding x last price (one batched ticker read)",
    ),
    "binanceusdm": ExchangeProfile(
        account="derivatives", market_types=("linear",), demo=True, options=_BINANCE_LEAN,
        equity_path=("assets", {"asset": "{quote}"}, "marginBalance"),
        equity_source="margin balance of the quote asset (wallet + unrealized PnL) from /fapi/v3/account",
    ),
    "bybit": ExchangeProfile(
        account="derivatives", market_types=("spot", "linear"), demo=True,
        equity_path=("result", "list", 0, "coin", {"coin": "{quote}"}, "equity"),
        equity_source="unified-account equity of the quote coin (wallet + unrealized PnL) from wallet-balance",
    ),
    # bitget's ccxt default type is spot: the desk reads its USDT-M futures account
    "bitget": ExchangeProfile(
        account="derivatives", market_types=("spot", "swap"), demo=True, options={"defaultType": "swap"},
        equity_path=({"marginCoin": "{quote}"}, "accountEquity"),
        equity_source="futures account equity of the quote coin (incl. unrealized PnL) from the accounts reply",
    ),
}

GENERIC_SPOT = ExchangeProfile(account="spot", equity_source="quote total + each holding x last price")
GENERIC_DERIVATIVES = ExchangeProfile(
    account="derivatives", equity_source="quote total + unrealized PnL of the open positions"
)


def profile_for(exchange_id: str, default_type: str | None) -> ExchangeProfile:
    """Return the profile of `exchange_id`; unknown ids read spot or derivatives by ccxt's default type."""
    if exchange_id in PROFILES:
        return PROFILES[exchange_id]
    return GENERIC_SPOT if default_type in (None, "spot", "margin") else GENERIC_DERIVATIVES


def read_path(data: Any, path: Sequence[PathStep], *, quote: str) -> Any:
    """Return the value at `path` inside a raw reply, or None where any step is missing."""
    node = data
    for step in path:
        if isinstance(step, Mapping):
            wanted = {k: v.replace("{quote}", quote) for k, v in step.items()}
            if not isinstance(node, list):
                return None
            node = next((item for item in node if isinstance(item, Mapping)
                         and all(item.get(k) == v for k, v in wanted.items())), None)
        elif isinstance(step, int):
            node = node[step] if isinstance(node, list) and -len(node) <= step < len(node) else None
        else:
            node = node.get(step) if isinstance(node, Mapping) else None
        if node is None:
            return None
    return node
