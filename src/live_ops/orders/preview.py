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
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from live_ops.errors import UsageError
from live_ops.exchange.gateway import ExchangeGateway, MarketRules, Quote
from live_ops.orders.signals import Signal, SignalBatch
from live_ops.risk import RiskResult

#: binance's limit, the strictest of the large venues
MAX_CLIENT_ORDER_ID = 36
_TAG = re.compile(r"[A-Za-z0-9_-]{1,64}")
_ID_PREFIX = "plo"  # "peak live ops": recognisable in the exchange's order history

SkipCode = Literal[
    "flat_direction", "unknown_symbol", "inactive_market", "quote_currency", "no_price",
    "zero_quantity", "below_min_amount", "below_min_cost", "below_min_order_notional",
]


class PreviewOrder(BaseModel):
    """One order the signals would send; the optional signal fields are carried over verbatim."""

    client_order_id: str
    symbol: str
    side: Literal["buy", "sell"]
    order_type: Literal["market"] = "market"
    quantity: float = Field(description="in contracts (base units for spot), rounded down to the market precision")
    price: float = Field(description="price the order was sized at: ask for a buy, bid for a sell, else last")
    notional: float = Field(description="quantity x contract size x price, in the quote currency")
    row: int = Field(description="line of the signal in the CSV (the header is line 1)")
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
    risk: RiskResult | None = Field(None, exclude_if=lambda risk: risk is None,
                                    description="absent when the risk check was skipped")
    blocked: bool = Field(False, description="a BREACH with enforcement on: the orders must not be sent")
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


def client_order_ids(name: str, count: int, token: str | None = None) -> list[str]:
    """Return `count` distinct ids `plo-<name>-<token>-<n>`, each at most 36 characters.

    `token` (8 hex by default, random) keeps ids of different previews apart on the exchange;
    the name is cut to what fits, since binance refuses ids longer than 36 characters.
    """
    token = token or uuid.uuid4().hex[:8]
    digits = len(str(max(count, 1)))
    room = MAX_CLIENT_ORDER_ID - len(_ID_PREFIX) - len(token) - digits - 3  # three dashes
    short = re.sub(r"[^A-Za-z0-9_]", "", name)[: max(room - 1, 0)]  # "-" inside the name would be ambiguous
    stem = f"{_ID_PREFIX}-{short}-{token}" if short else f"{_ID_PREFIX}-{token}"
    return [f"{stem}-{n}" for n in range(1, count + 1)]


def _price(quote: Quote, side: str) -> float | None:
    touch = quote.ask if side == "buy" else quote.bid
    for price in (touch, quote.last, quote.mark):
        if price is not None and price > 0:
            return price
    return None


def _skip(signal: Signal, code: SkipCode, reason: str) -> SkippedSignal:
    return SkippedSignal(row=signal.line, symbol=signal.symbol, reason=reason, code=code)


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
    token: str | None = None,
) -> OrderPreview:
    """Return the orders `batch` would send at `notional` each, and every skipped signal with its reason."""
    ccy = quote_currency
    drafts: list[dict] = []
    skipped: list[SkippedSignal] = []
    for signal in batch.signals:
        rules = market.rules.get(signal.symbol)
        if signal.direction == 0:
            skipped.append(_skip(signal, "flat_direction", "direction is 0: no trade"))
            continue
        if rules is None:
            skipped.append(_skip(signal, "unknown_symbol", f"{signal.symbol} is not listed on {market.venue}"))
            continue
        if not rules.active:
            skipped.append(_skip(signal, "inactive_market", f"{signal.symbol} is not trading on {market.venue}"))
            continue
        if rules.quote != ccy:
            # limits are in the account's currency: a notional in another one would be compared wrongly
            skipped.append(_skip(signal, "quote_currency",
                                 f"{signal.symbol} is quoted in {rules.quote}, the account is valued in {ccy}"))
            continue
        side = "buy" if signal.direction > 0 else "sell"
        quote = market.quotes.get(signal.symbol)
        price = _price(quote, side) if quote is not None else None
        if price is None:
            skipped.append(_skip(signal, "no_price", f"no price for {signal.symbol} from {market.venue}"))
            continue
        quantity = round_amount(signal.symbol, notional / (price * rules.contract_size))
        value = round(quantity * rules.contract_size * price, 8)
        if quantity <= 0:
            skipped.append(_skip(signal, "zero_quantity",
                                 f"{notional:g} {ccy} at {price:g} rounds to a quantity of 0 at the market precision"))
            continue
        if rules.min_amount is not None and quantity < rules.min_amount:
            skipped.append(_skip(signal, "below_min_amount",
                                 f"quantity {quantity:g} is under the market minimum amount {rules.min_amount:g}"))
            continue
        if rules.min_cost is not None and value < rules.min_cost:
            skipped.append(_skip(signal, "below_min_cost",
                                 f"notional {value:g} {ccy} is under the market minimum cost {rules.min_cost:g} {ccy}"))
            continue
        if value < min_order_notional:
            skipped.append(_skip(signal, "below_min_order_notional",
                                 f"notional {value:g} {ccy} is under [live_risk].min_order_notional "
                                 f"{min_order_notional:g} {ccy}"))
            continue
        drafts.append(dict(
            symbol=signal.symbol, side=side, quantity=quantity, price=price, notional=value, row=signal.line,
            as_of=signal.as_of, strategy_key=signal.strategy_key, run_name=signal.run_name,
            size_hint=signal.size_hint, comment=signal.comment, extra_json=signal.extra_json,
            generated_at=signal.generated_at,
        ))
    ids = client_order_ids(name, len(drafts), token)
    # every value above is already typed (floats computed here, strings from the parser), so the
    # orders skip re-validation: for 100k orders that halves the time spent here
    orders = [PreviewOrder.model_construct(client_order_id=cid, **draft) for cid, draft in zip(ids, drafts)]
    return OrderPreview(
        preview_name=name,
        created_at=created_at,
        signals_path=batch.path,
        quote_currency=ccy,
        notional_per_order=notional,
        num_signals=len(batch.signals),
        num_orders=len(orders),
        total_notional=round(sum(o.notional for o in orders), 8),
        orders=orders,
        skipped=skipped,
    )
