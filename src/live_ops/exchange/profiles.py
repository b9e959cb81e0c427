"""Per-venue reading profiles as data: which accounts and markets are read, how equity is valued.

The ccxt gateway asks `profile_for(exchange_id, default_type)` with the market type of the
*effective* client options (the operator's `[exchange.ccxt_config]` over the profile's own) and
never branches on an exchange id itself (like ccxt's `has`/`urls` and freqtrade's `_ft_has`).

A profile states what it reads (`Coverage`, shown in the README table and health) and how:

- `account="spot"`: the spot wallet; every coin with a COIN/QUOTE market is a position valued at
  its last price; equity = quote total + holdings x last (one batched ticker read).
- `account="unified"`: one margin account holding several collateral coins (bybit UTA, okx
  trading account, binanceusdm multi-assets). Equity = the sum over coins of each coin's equity
  (wallet + unrealized PnL, read at `coin_rows`/`coin_equity` in the raw balance reply), free
  cash = the sum of each coin's free balance, both valued in `quote_currency` through a COIN/QUOTE
  ticker where the coin is not the quote. Positions come from one `fetch_positions` per entry of
  `position_reads` (`{settle}` expands to every settle coin the account holds); with
  `spot_positions`, non-cash coins (not a settle coin of any linear market) are spot positions.
- a venue without a profile gets `GENERIC_SPOT`/`GENERIC_DERIVATIVES` from its default type,
  and a named coverage gap (a health warning), never a silent one.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

AccountKind = Literal["spot", "derivatives", "unified"]
# one step into a raw reply: a key, a list index, or {field: value} to pick the list element that
# matches ("{quote}" is replaced by the configured quote currency)
PathStep = str | int | Mapping[str, str]


@dataclass(frozen=True)
class Coverage:
    """What a profile reads, in the operator's words; `not_read` entries become health warnings."""

    spot: str = "no"
    linear: str = "no"
    inverse: str = "no"
    collateral: str = "quote currency only"
    not_read: tuple[str, ...] = ()


@dataclass(frozen=True)
class ExchangeProfile:
    """How Peak Live Ops reads one exchange; every field is data the gateway interprets."""

    account: AccountKind
    coverage: Coverage = field(default_factory=Coverage)
    #: ccxt `options.fetchMarkets.types` to load (None: ccxt's default set)
    market_types: tuple[str, ...] | None = None
    #: the private read that proves the credentials in the health round trip
    credential_call: str = "fetch_balance"
    #: the exchange offers demo-trading URLs (`enable_demo_trading`)
    demo: bool = False
    #: where the exchange reports equity of the quote coin in its raw balance reply (derivatives)
    equity_path: tuple[PathStep, ...] | None = None
    #: unified accounts: the per-coin rows in the raw balance reply, the coin's name and equity field
    coin_rows: tuple[PathStep, ...] | None = None
    coin_key: str = "coin"
    coin_equity: str = "equity"
    #: the coin's wallet (cash) balance without PnL: the size of a spot holding
    coin_wallet: str = "walletBalance"
    #: params of each fetch_positions call; "{settle}" is expanded per settle coin held
    position_reads: tuple[Mapping[str, str], ...] = ({},)
    #: unified accounts: non-cash coins held are spot positions
    spot_positions: bool = False
    #: extra ccxt options (deep-merged under the operator's own `[exchange.ccxt_config]`)
    options: Mapping[str, Any] = field(default_factory=dict)


_BINANCE_LEAN = {"fetchMargins": False, "fetchCurrencies": False}
# ccxt loads leverage brackets before the first positions read, only to fill maintenance-margin
# fields we never read: an empty table skips that request (one round trip fewer per run)
_BINANCE_USDM_LEAN = {**_BINANCE_LEAN, "leverageBrackets": {}}

BINANCE_SPOT = ExchangeProfile(
    account="spot", market_types=("spot",), demo=True, options=_BINANCE_LEAN,
    coverage=Coverage(spot="spot wallet: every coin with a COIN/QUOTE market", collateral="spot wallet at last price"),
)
BINANCE_USDM = ExchangeProfile(
    account="unified", market_types=("linear",), demo=True, options=_BINANCE_USDM_LEAN,
    coin_rows=("assets",), coin_key="asset", coin_equity="marginBalance",
    coverage=Coverage(linear="every settle coin (USDT, USDC) from positionRisk",
                      collateral="every margin asset (multi-assets mode), valued via its ticker"),
)
PROFILES: dict[str, ExchangeProfile | Mapping[str, ExchangeProfile]] = {
    # keyed by the effective defaultType where the ccxt id serves several account types
    "binance": {"spot": BINANCE_SPOT, "future": BINANCE_USDM},
    "binanceusdm": BINANCE_USDM,
    "bybit": ExchangeProfile(
        account="unified", market_types=("spot", "linear", "inverse"), demo=True,
        coin_rows=("result", "list", 0, "coin"), coin_key="coin", coin_equity="equity",
        position_reads=({"subType": "linear", "settleCoin": "{settle}"}, {"subType": "inverse"}),
        spot_positions=True,
        coverage=Coverage(spot="unified wallet coins", linear="every settle coin held (USDT, USDC)",
                          inverse="yes", collateral="every unified-account coin, valued via its ticker",
                          ),
    ),
    "okx": ExchangeProfile(
        account="unified", market_types=("spot", "swap", "future"),
        coin_rows=("data", 0, "details"), coin_key="ccy", coin_equity="eq", coin_wallet="cashBal",
        spot_positions=True,
        coverage=Coverage(spot="trading account coins", linear="every settle coin (one positions read)",
                          inverse="yes", collateral="every trading-account coin, valued via its ticker"),
    ),
    # bitget's ccxt default type is spot: the desk reads its USDT-M futures account
    "bitget": ExchangeProfile(
        account="derivatives", market_types=("spot", "swap"), demo=True, options={"defaultType": "swap"},
        equity_path=({"marginCoin": "{quote}"}, "accountEquity"),
        coverage=Coverage(linear="USDT-M futures", collateral="USDT-M futures account equity",
                          not_read=("bitget USDC-M futures", "bitget coin-M (inverse) futures",
                                    "bitget spot wallet")),
    ),
}

GENERIC_SPOT = ExchangeProfile(
    account="spot",
    coverage=Coverage(spot="spot wallet", not_read=("no venue profile: only the spot wallet is read, "
                                                    "margin and derivatives accounts are not",)),
)
GENERIC_DERIVATIVES = ExchangeProfile(
    account="derivatives",
    coverage=Coverage(linear="ccxt's default positions read", not_read=(
        "no venue profile: positions are read with ccxt's defaults (other settle coins, inverse and "
        "spot may be missing); equity is the quote coin's total plus unrealized PnL",)),
)


def profile_for(exchange_id: str, default_type: str | None) -> ExchangeProfile:
    """Return the profile of `exchange_id` for the effective default market type.

    A venue whose entry does not cover that type, or has no entry, reads spot or derivatives
    generically, with its gap named in `coverage.not_read`.
    """
    entry = PROFILES.get(exchange_id)
    if isinstance(entry, ExchangeProfile):
        return entry
    if entry is not None and default_type in entry:
        return entry[default_type]
    generic = GENERIC_SPOT if default_type in (None, "spot", "margin") else GENERIC_DERIVATIVES
    if entry is None:
        return generic
    kinds = ", ".join(sorted(entry))
    gap = (f"{exchange_id} with defaultType {default_type!r} has no profile (profiles exist for {kinds}): "
           "read generically")
    return ExchangeProfile(account=generic.account, coverage=Coverage(
        spot=generic.coverage.spot, linear=generic.coverage.linear, not_read=(gap,)))


def effective_default_type(operator_options: Mapping[str, Any], class_default: str | None,
                           exchange_id: str) -> str | None:
    """Return the default market type the client will run with: the operator's ccxt_config,
    else the profile's own options, else ccxt's class default."""
    if operator_options.get("defaultType"):
        return str(operator_options["defaultType"])
    entry = PROFILES.get(exchange_id)
    if isinstance(entry, ExchangeProfile) and entry.options.get("defaultType"):
        return str(entry.options["defaultType"])
    return class_default


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
