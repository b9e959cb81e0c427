"""Turn ccxt's dicts into the gateway's frozen dataclasses, once, at the edge.

Nothing here talks to the network. A value the exchange did not send stays None; a reply that
parses to nothing usable raises ExchangeBadResponse instead of becoming an empty portfolio.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timezone
from typing import Any

from live_ops.errors import ExchangeBadResponse
from live_ops.exchange.gateway import Balance, MarketKind, MarketRules, Position, Quote

_KINDS: dict[str, MarketKind] = {"spot": "spot", "margin": "spot", "swap": "swap", "future": "future",
                                 "option": "option"}


def number(value: Any) -> float | None:
    """Return `value` as a float, or None when it is missing or not a number."""
    if value is None or value == "":
        return None
    try:
        result = float(value)
    except (TypeError, ValueError):
        return None
    return result if result == result else None  # NaN is "missing"


def utc(timestamp_ms: Any) -> datetime | None:
    """Return a timezone-aware UTC datetime for a millisecond timestamp, or None."""
    ms = number(timestamp_ms)
    return datetime.fromtimestamp(ms / 1000, tz=timezone.utc) if ms else None


def amount_step(market: Mapping[str, Any], precision_mode: int, tick_size_mode: int) -> float | None:
    """Return the smallest amount increment: ccxt's precision is a step (TICK_SIZE) or a digit count."""
    precision = number((market.get("precision") or {}).get("amount"))
    if precision is None:
        return None
    return precision if precision_mode == tick_size_mode else 10.0 ** -precision


def market_rules(market: Mapping[str, Any], *, precision_mode: int, tick_size_mode: int) -> MarketRules:
    """Return the order rules of one ccxt market structure."""
    limits = market.get("limits") or {}
    return MarketRules(
        symbol=market["symbol"],
        base=market.get("base") or "",
        quote=market.get("quote") or "",
        kind=_KINDS.get(market.get("type") or "spot", "spot"),
        contract_size=number(market.get("contractSize")) or 1.0,
        min_amount=number((limits.get("amount") or {}).get("min")),
        min_cost=number((limits.get("cost") or {}).get("min")),
        amount_step=amount_step(market, precision_mode, tick_size_mode),
        active=market.get("active") is not False,
        settle=market.get("settle") or "",
        inverse=bool(market.get("inverse")),
    )


def quote(ticker: Mapping[str, Any]) -> Quote | None:
    """Return the quote of one ccxt ticker, or None when it carries no usable price."""
    last = number(ticker.get("last")) or number(ticker.get("close"))
    mark = number(ticker.get("markPrice")) or last
    if not last or not mark:
        return None
    return Quote(symbol=ticker["symbol"], last=last, mark=mark, bid=number(ticker.get("bid")),
                 ask=number(ticker.get("ask")))


def position(raw: Mapping[str, Any], *, contract_size: float, mark: float | None) -> Position | None:
    """Return a signed position from one ccxt position structure, or None when it is flat.

    `contract_size` comes from the market (exchanges omit it on positions); `mark` is the
    fallback mark price when the position reply carries none.
    """
    contracts = number(raw.get("contracts"))
    if not contracts:
        return None
    side = (raw.get("side") or "").lower()
    if side not in ("long", "short"):
        raise ExchangeBadResponse(f"position {raw.get('symbol')}: side {side or 'missing'} is neither long nor short")
    mark_price = number(raw.get("markPrice")) or mark
    entry = number(raw.get("entryPrice"))
    if not mark_price or entry is None:
        raise ExchangeBadResponse(f"position {raw.get('symbol')}: no mark or entry price in the reply")
    return Position(
        symbol=raw["symbol"],
        size=abs(contracts) if side == "long" else -abs(contracts),
        entry_price=entry,
        mark_price=mark_price,
        contract_size=number(raw.get("contractSize")) or contract_size,
        unrealized_pnl=number(raw.get("unrealizedPnl")),
        realized_pnl=number(raw.get("realizedPnl")),
    )


def balances(raw: Mapping[str, Any]) -> tuple[Balance, ...]:
    """Return every currency of a ccxt balance structure; raise when it holds none (a reply that parsed to nothing)."""
    totals = raw.get("total")
    if not isinstance(totals, Mapping) or not totals or not raw.get("info"):
        raise ExchangeBadResponse("the balance reply holds no currencies")
    free = raw.get("free") or {}
    return tuple(
        Balance(currency=currency, free=number(free.get(currency)) or 0.0, total=number(total) or 0.0)
        for currency, total in sorted(totals.items())
    )
