"""Order previews: signals turned into the orders they would send, never sending them.

One batched quote read prices every symbol. `direction > 0` buys, `< 0` sells, `0` is skipped;
only the sign matters (`size_hint` travels with the order for the operator, it does not size
it). A market buy fills at the ask and a sell at the bid, so that is the price an order is sized
at (the last price where the book side is unknown): `quantity = notional / (price x contract
size)`, rounded DOWN by the gateway to the market's amount precision, so an order never exceeds
its notional. Every signal that cannot become a valid order lands in `skipped` with a reason.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Annotated, Literal, NamedTuple

from pydantic import BaseModel, Field

from live_ops.errors import UsageError
from live_ops.exchange.gateway import ExchangeGateway, MarketRules, Quote
from live_ops.orders.signals import Signal, SignalBatch
from live_ops.risk import RiskResult, omitted_risk_field

Side = Literal["buy", "sell"]

#: binance's limit, the strictest of the large venues
MAX_CLIENT_ORDER_ID = 36
_TAG = re.compile(r"[A-Za-z0-9_-]{1,64}")
_DEFAULT_NAME = re.compile(r"preview-\d{8}-\d{6}")  # preview_name() without a tag
_ID_PREFIX = "plo"  # "peak live ops": recognisable in the exchange's order history

#: the optional signal fields an order carries over verbatim: Signal's fields from `as_of` on
CARRIED_FROM_SIGNAL = slice(3, None)

SkipCode = Literal[
    "flat_direction", "unknown_symbol", "inactive_market", "quote_currency", "no_price",
    "zero_quantity", "below_min_amount", "below_min_cost", "below_min_order_notional",
]


@dataclass(slots=True)
class PreviewOrder:
    """One order the signals would send; the optional signal fields are carried over verbatim.

    A slots dataclass, not a pydantic model: a preview holds up to 100k of them and every value
    is computed here already typed; `OrderPreview` takes instances as they are (no re-validation)
    and serializes each as a JSON object all the same. Not `frozen`: that sets every field through
    `object.__setattr__`, which doubles the cost of building 100k orders. Treat it as a value.
    """

    client_order_id: str
    symbol: str
    side: Side
    order_type: Literal["market"] = field(default="market", kw_only=True)
    quantity: Annotated[float, Field(description="in contracts (base units for spot), rounded down to the market "
                                                 "precision")]
    price: Annotated[float, Field(description="price the order was sized at: ask for a buy, bid for a sell, "
                                              "else last")]
    notional: Annotated[float, Field(description="quantity x contract size x price, in the quote currency")]
    row: Annotated[int, Field(description="line of the signal in the CSV (the header is line 1)")]
    as_of: str | None = None
    strategy_key: str | None = None
    run_name: str | None = None
    size_hint: float | None = None
    comment: str | None = None
    extra_json: str | None = None
    generated_at: str | None = None


class SkippedSignal(BaseModel):
    """A signal that did not become an order, and why."""

    row: int
    symbol: str
    reason: str
    code: SkipCode


class OrderPreview(BaseModel):
    """What a batch of signals would trade, and (once evaluated) its risk on top of the portfolio."""

    preview_name: str
    created_at: datetime
    signals_path: str
    quote_currency: str
    notional_per_order: float
    num_signals: int
    num_orders: int
    total_notional: float
    orders: list[PreviewOrder]
    skipped: list[SkippedSignal]
    risk: RiskResult | None = omitted_risk_field("absent with --skip-live-risk")
    blocked: bool = Field(False, description="a BREACH with enforcement on: the orders must not be sent")
    enforced: bool = Field(False, exclude=True, description="a BREACH blocks (and alerts CRITICAL) in this run")
    out_path: str | None = Field(None, description="where the orders CSV was written, if it was")

    def __repr__(self) -> str:
        # a summary, not 100k orders: Python 3.11's asyncio.run() reprs the flow's result twice
        # while restoring its SIGINT handler, and logs should not carry whole batches either
        severity = self.risk.severity.value if self.risk is not None else None
        return (f"OrderPreview(preview_name={self.preview_name!r}, num_signals={self.num_signals}, "
                f"num_orders={self.num_orders}, skipped={len(self.skipped)}, risk={severity!r}, "
                f"blocked={self.blocked})")


@dataclass(frozen=True)
class MarketData:
    """The market rules and quotes of the symbols a batch needs, from one read of each."""

    venue: str
    rules: Mapping[str, MarketRules]  # only symbols the exchange lists
    quotes: Mapping[str, Quote]


def read_market_data(gateway: ExchangeGateway, symbols: Sequence[str]) -> MarketData:
    """Return the rules and quotes of `symbols`: markets from the gateway's cache, ONE quote read."""
    markets = gateway.load_markets()
    rules = {s: markets[s] for s in dict.fromkeys(symbols) if s in markets}
    quotes = gateway.fetch_quotes(list(rules)) if rules else {}
    return MarketData(venue=gateway.name, rules=rules, quotes=quotes)


def preview_name(tag: str | None, now: datetime) -> str:
    """Return the preview's name: `tag` when given (validated), else `preview-YYYYmmdd-HHMMSS` (UTC)."""
    if tag is None or tag == "":
        return f"preview-{now:%Y%m%d-%H%M%S}"
    if not _TAG.fullmatch(tag):
        raise UsageError(f"--tag {tag!r}: use 1-64 letters, digits, '-' and '_'")
    return tag


def order_notional(notional: float | None, default: float) -> float:
    """Return the notional per order: `notional` when given (must be a positive number), else `default`."""
    if notional is None:
        return default
    if not (math.isfinite(notional) and notional > 0):
        raise UsageError(f"--notional {notional!r}: must be a positive number")
    return notional


def client_order_ids(name: str, count: int, at: datetime) -> list[str]:
    """Return `count` distinct ids `plo-<tag>-<yyyymmddHHMMSS>-<n>`, each at most 36 characters.

    The tag is the preview's name (`preview` for a default `preview-YYYYmmdd-HHMMSS` name) without
    `-`, cut to what fits: binance refuses ids longer than 36 characters. `at` is the preview's
    time (UTC) to the second, which keeps the ids of different previews apart on the exchange
    (two previews share ids only with the same tag in the same second).
    """
    if _DEFAULT_NAME.fullmatch(name):
        name = "preview"
    stamp = f"{at:%Y%m%d%H%M%S}"
    digits = len(str(max(count, 1)))
    room = MAX_CLIENT_ORDER_ID - len(_ID_PREFIX) - len(stamp) - digits - 3  # three dashes
    tag = re.sub(r"[^A-Za-z0-9_]", "", name)[:room]  # "-" inside the tag would be ambiguous
    stem = f"{_ID_PREFIX}-{tag}-{stamp}" if tag else f"{_ID_PREFIX}-{stamp}"
    return [f"{stem}-{n}" for n in range(1, count + 1)]


def _price(quote: Quote, side: str) -> float | None:
    touch = quote.ask if side == "buy" else quote.bid
    for price in (touch, quote.last, quote.mark):
        if price is not None and price > 0:
            return price
    return None


class _Sized(NamedTuple):
    quantity: float
    price: float
    notional: float


class _Refused(NamedTuple):
    code: SkipCode
    reason: str


def _size(
    symbol: str, side: str, market: MarketData, round_amount: Callable[[str, float], float], *, notional: float,
    min_order_notional: float, ccy: str,
) -> _Sized | _Refused:
    """Return the order one signal for `symbol` and `side` becomes, or why it cannot become one."""
    rules = market.rules.get(symbol)
    if rules is None:
        return _Refused("unknown_symbol", f"{symbol} is not listed on {market.venue}")
    if not rules.active:
        return _Refused("inactive_market", f"{symbol} is not trading on {market.venue}")
    if rules.quote != ccy:
        # limits are in the account's currency: a notional in another one would be compared wrongly
        return _Refused("quote_currency", f"{symbol} is quoted in {rules.quote}, the account is valued in {ccy}")
    quote = market.quotes.get(symbol)
    price = _price(quote, side) if quote is not None else None
    if price is None:
        return _Refused("no_price", f"no price for {symbol} from {market.venue}")
    quantity = round_amount(symbol, notional / (price * rules.contract_size))
    value = round(quantity * rules.contract_size * price, 8)
    if quantity <= 0:
        return _Refused("zero_quantity", f"{notional:g} {ccy} at {price:g} rounds to a quantity of 0 at the market "
                                         "precision")
    if rules.min_amount is not None and quantity < rules.min_amount:
        return _Refused("below_min_amount",
                        f"quantity {quantity:g} is under the market minimum amount {rules.min_amount:g}")
    if rules.min_cost is not None and value < rules.min_cost:
        return _Refused("below_min_cost",
                        f"notional {value:g} {ccy} is under the market minimum cost {rules.min_cost:g} {ccy}")
    if value < min_order_notional:
        return _Refused("below_min_order_notional", f"notional {value:g} {ccy} is under "
                        f"[live_risk].min_order_notional {min_order_notional:g} {ccy}")
    return _Sized(quantity, price, value)


def build_preview(
    batch: SignalBatch,
    market: MarketData,
    round_amount: Callable[[str, float], float],
    *,
    notional: float,
    min_order_notional: float,
    quote_currency: str,
    name: str,
    created_at: datetime,
) -> OrderPreview:
    """Return the orders `batch` would send at `notional` each, and every skipped signal with its reason."""
    # every signal of one symbol and side is sized at the same price for the same notional, so
    # each (symbol, side) is sized, rounded by the gateway and checked once, not once per signal
    sizing: dict[tuple[str, str], _Sized | _Refused] = {}
    drafts: list[tuple[Signal, Side, _Sized]] = []
    skipped: list[SkippedSignal] = []
    for signal in batch.signals:
        if signal.direction == 0:
            skipped.append(SkippedSignal(row=signal.line, symbol=signal.symbol, reason="direction is 0: no trade",
                                         code="flat_direction"))
            continue
        side: Side = "buy" if signal.direction > 0 else "sell"
        sized = sizing.get((signal.symbol, side))
        if sized is None:
            sized = sizing[signal.symbol, side] = _size(
                signal.symbol, side, market, round_amount, notional=notional,
                min_order_notional=min_order_notional, ccy=quote_currency)
        if isinstance(sized, _Refused):
            skipped.append(SkippedSignal(row=signal.line, symbol=signal.symbol, reason=sized.reason, code=sized.code))
        else:
            drafts.append((signal, side, sized))
    ids = client_order_ids(name, len(drafts), created_at)
    # positional, for speed (keywords double the cost of 100k orders); the signal's optional
    # fields close both field lists in the same order (test_preview_signal_fields_travel_with_the_order)
    orders = [
        PreviewOrder(cid, signal.symbol, side, *sized, signal.line, *signal[CARRIED_FROM_SIGNAL])  # type: ignore[misc]
        for cid, (signal, side, sized) in zip(ids, drafts, strict=False)
    ]
    return OrderPreview(
        preview_name=name,
        created_at=created_at,
        signals_path=batch.path,
        quote_currency=quote_currency,
        notional_per_order=notional,
        num_signals=len(batch.signals),
        num_orders=len(orders),
        total_notional=round(sum(o.notional for o in orders), 8),
        orders=orders,
        skipped=skipped,
    )
