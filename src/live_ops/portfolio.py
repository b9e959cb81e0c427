"""Portfolio snapshot: the exchange's holdings turned into the view operators and limits read.

`notional = |size| x contract_size x mark` and `unrealized_pnl = size x contract_size x
(mark - entry)` with signed size, computed here rather than taken from the exchange (exchanges
disagree on what "notional" means); an exchange-reported unrealized PnL wins where given.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from live_ops.exchange.gateway import Holdings, Position
from live_ops.risk import Exposure, RiskResult, omitted_risk_field
from live_ops.status import Severity


class PositionView(BaseModel):
    symbol: str
    side: Literal["long", "short"]
    size: float = Field(description="absolute size in contracts (base units for spot)")
    entry_price: float
    mark_price: float
    notional: float
    unrealized_pnl: float
    realized_pnl: float | None = Field(description="as reported by the venue; null where it reports none")


class Totals(BaseModel):
    num_open_positions: int
    total_notional: float
    total_unrealized_pnl: float
    total_realized_pnl: float | None = Field(description="null unless every position reports its realized PnL")


class PortfolioSnapshot(BaseModel):
    as_of: datetime
    mode: str
    quote_currency: str
    positions: list[PositionView]
    totals: Totals
    symbol_notional: dict[str, float]
    equity: float
    free_cash: float
    risk: RiskResult | None = omitted_risk_field("absent with --no-risk")

    @property
    def at_risk(self) -> bool:
        """Whether a limit is at its warning threshold or breached (False when risk was not evaluated)."""
        return self.risk is not None and self.risk.severity > Severity.OK

    def exposure(self) -> Exposure:
        """Return what the risk limits are evaluated on for this snapshot."""
        return Exposure(
            quote_currency=self.quote_currency,
            symbol_notional=self.symbol_notional,
            open_positions=self.totals.num_open_positions,
            equity=self.equity,
        )

    def signed_base_sizes(self) -> dict[str, float]:
        """Return the net signed size per symbol in base units (contracts x contract size)."""
        net: dict[str, float] = {}
        for p in self.positions:
            if p.mark_price > 0:
                signed = p.notional / p.mark_price
                net[p.symbol] = net.get(p.symbol, 0.0) + (signed if p.side == "long" else -signed)
        return net


def position_view(position: Position) -> PositionView:
    """Return the operator's view of one exchange position."""
    base_size = position.size * position.contract_size
    computed_pnl = base_size * (position.mark_price - position.entry_price) * position.value_rate
    unrealized = position.unrealized_pnl if position.unrealized_pnl is not None else computed_pnl
    return PositionView(
        symbol=position.symbol,
        side="long" if position.size > 0 else "short",
        size=abs(position.size),
        entry_price=position.entry_price,
        mark_price=position.mark_price,
        notional=round(abs(base_size) * position.mark_price * position.value_rate, 8),
        unrealized_pnl=round(unrealized, 8),
        realized_pnl=None if position.realized_pnl is None else round(position.realized_pnl, 8),
    )


def build_snapshot(holdings: Holdings, *, mode: str, as_of: datetime) -> PortfolioSnapshot:
    """Return the snapshot of `holdings` (flat positions are left out), without risk."""
    views = [position_view(p) for p in holdings.positions if p.size != 0]
    symbol_notional: dict[str, float] = {}
    for view in views:
        symbol_notional[view.symbol] = round(symbol_notional.get(view.symbol, 0.0) + view.notional, 8)
    totals = Totals(
        num_open_positions=len(views),
        total_notional=round(sum(v.notional for v in views), 8),
        total_unrealized_pnl=round(sum(v.unrealized_pnl for v in views), 8),
        # unknown is not zero: one position without a reported realized PnL makes the total unknown
        total_realized_pnl=None if any(v.realized_pnl is None for v in views)
        else round(sum(v.realized_pnl or 0.0 for v in views), 8),
    )
    return PortfolioSnapshot(
        as_of=as_of,
        mode=mode,
        quote_currency=holdings.account.quote_currency,
        positions=views,
        totals=totals,
        symbol_notional=symbol_notional,
        equity=round(holdings.account.equity, 8),
        free_cash=round(holdings.account.free_cash, 8),
    )
