"""Live risk limits: evaluate an exposure (a portfolio, or a portfolio plus previewed orders).

Each limit yields a `LimitDetail` with a severity: at or above `warning_threshold_factor x limit`
is a WARNING, strictly above the limit a BREACH (equal to the limit is allowed). The result's
severity is the worst detail; any BREACH makes `allowed` false. Exposure is gross: shorts count
positively. Only a loss counts against the daily-loss limits, never a profit.

`max_order_notional` is graded for every order, but a preview may hold 100k of them, so it
reports a detail for every order at WARNING or BREACH (each one stays visible) and, for each
symbol, one for its largest order (so a symbol whose orders are all OK still shows how close
its largest came). The other OK orders are not listed: none is larger than its symbol's largest.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, Field

from live_ops.config.models import LiveRiskConfig
from live_ops.status import Severity
from live_ops.status import worst as worst_of


def worst(severities: Sequence[Severity] | Sequence[str]) -> Severity:
    """Return the most severe of `severities` (OK for none)."""
    return worst_of([Severity(s) for s in severities], Severity.OK)


class LimitDetail(BaseModel):
    limit_name: str
    current_value: float
    limit_value: float
    warning_threshold: float
    severity: Severity
    message: str
    ratio: float = Field(description="current_value / limit_value")
    symbol: str | None = None


class RiskResult(BaseModel):
    allowed: bool
    severity: Severity
    reasons: list[str] = Field(default_factory=list, description="one line per WARNING or BREACH")
    limit_details: list[LimitDetail] = Field(default_factory=list)
    metrics: dict[str, float | int | str | None] = Field(default_factory=dict)


def _is_none(value: object) -> bool:
    return value is None


def omitted_risk_field(description: str = "absent when the risk evaluation was skipped") -> Any:
    """Return the field of an optional `risk`: left out of every dump and JSON when None (SPEC §2).

    One mechanism for every result that may skip risk (portfolio --no-risk, orders
    --skip-live-risk): pydantic's `exclude_if`, which needs pydantic >= 2.12 (the floor in
    pyproject.toml); older versions would silently print `"risk": null`.
    """
    return Field(None, exclude_if=_is_none, description=description)


@dataclass(frozen=True)
class Exposure:
    """What the limits are evaluated on, already netted per symbol and valued in `quote_currency`."""

    quote_currency: str
    symbol_notional: Mapping[str, float]  # gross notional per symbol
    open_positions: int
    equity: float
    order_notionals: Sequence[tuple[str, float]] = field(default_factory=tuple)  # (symbol, notional)

    @property
    def total_notional(self) -> float:
        return sum(self.symbol_notional.values())


@dataclass(frozen=True)
class DailyBase:
    """Start-of-day equity the daily PnL is measured from, and where it came from."""

    equity: float
    source: str  # "state" (first snapshot of the UTC day) or "starting_cash" (--starting-cash)


def enforcing(limits: LiveRiskConfig, *, enforce: bool = False) -> bool:
    """Return whether a BREACH blocks: `--enforce-live-risk`, else `[live_risk].block_on_violation`.

    The one blocking rule: the order preview's `blocked` and the CRITICAL level of a BREACH alert
    both read it.
    """
    return enforce or limits.block_on_violation


def blocks(risk: RiskResult | None, *, enforced: bool) -> bool:
    """Return True when the orders must not go out: a BREACH while enforcement is on."""
    return risk is not None and not risk.allowed and enforced


def _money(value: float, ccy: str) -> str:
    return f"{value:,.2f} {ccy}"


def _grade(value: float, limit: float, factor: float) -> Severity:
    if not (math.isfinite(value) and math.isfinite(limit)):
        return Severity.BREACH  # fail closed: nan compares False with everything, inf is no amount
    if value > limit:
        return Severity.BREACH
    if value >= factor * limit:
        return Severity.WARNING
    return Severity.OK


class _Evaluator:
    """Collects details for one evaluation; `add` grades a value against a limit."""

    def __init__(self, limits: LiveRiskConfig) -> None:
        self.limits = limits
        self.details: list[LimitDetail] = []

    def add(self, name: str, value: float, limit: float, what: str, fmt, symbol: str | None = None) -> None:
        factor = self.limits.warning_threshold_factor
        severity = _grade(value, limit, factor)
        finite = math.isfinite(value) and math.isfinite(limit)
        ratio = (value / limit if limit else 0.0) if finite else math.inf
        if not finite:
            message = (f"{what} is not a finite number ({value!r} against a limit of {limit!r}): "
                       "the limit cannot be checked, treated as breached")
        elif severity is Severity.BREACH:
            message = f"{what} {fmt(value)} is above the limit of {fmt(limit)} ({ratio:.0%})"
        elif severity is Severity.WARNING:
            message = f"{what} {fmt(value)} is at {ratio:.0%} of the limit of {fmt(limit)}"
        else:
            message = f"{what} {fmt(value)} is within the limit of {fmt(limit)} ({ratio:.0%})"
        self.details.append(
            LimitDetail(
                limit_name=name,
                current_value=round(value, 8) if finite else value,
                limit_value=limit,
                warning_threshold=round(factor * limit, 8),
                severity=severity,
                message=message,
                ratio=round(ratio, 6),
                symbol=symbol,
            )
        )


def _orders_to_report(orders: Sequence[tuple[str, float]], limit: float, factor: float) -> list[int]:
    """Return the indices, in order, of every order at WARNING or BREACH and of each symbol's largest order."""
    warn = factor * limit
    report: set[int] = set()
    largest: dict[str, tuple[float, int]] = {}  # symbol -> (notional, index); the first of equals wins
    for i, (symbol, notional) in enumerate(orders):
        if notional >= warn or notional > limit:  # the grade is not OK (same test as _grade)
            report.add(i)
        top = largest.get(symbol)
        if top is None or notional > top[0]:
            largest[symbol] = (notional, i)
    report.update(i for _, i in largest.values())
    return sorted(report)


def evaluate_risk(exposure: Exposure, limits: LiveRiskConfig, daily: DailyBase | None) -> RiskResult:
    """Return every limit's detail for `exposure`, the worst severity and whether it is allowed."""
    ccy = exposure.quote_currency
    metrics: dict[str, float | int | str | None] = {
        "total_exposure_notional": round(exposure.total_notional, 8),
        "num_open_positions": exposure.open_positions,
        "equity": round(exposure.equity, 8),
    }
    if daily is not None:
        pnl = exposure.equity - daily.equity
        metrics.update(
            start_of_day_equity=round(daily.equity, 8),
            start_of_day_source=daily.source,
            daily_pnl=round(pnl, 8),
        )
    if not limits.enabled:
        return RiskResult(
            allowed=True, severity=Severity.OK, reasons=["live risk checks are disabled in [live_risk]"], metrics=metrics
        )

    money = lambda v: _money(v, ccy)  # noqa: E731 - tiny formatter passed to the evaluator
    ev = _Evaluator(limits)
    ev.add("max_total_exposure_notional", exposure.total_notional, limits.max_total_exposure_notional,
           "Total exposure", money)
    for symbol, notional in sorted(exposure.symbol_notional.items()):
        ev.add("max_symbol_exposure_notional", notional, limits.max_symbol_exposure_notional,
               f"{symbol} exposure", money, symbol=symbol)
    ev.add("max_open_positions", exposure.open_positions, limits.max_open_positions,
           "Open positions", lambda v: f"{v:.0f}")
    orders = exposure.order_notionals
    for i in _orders_to_report(orders, limits.max_order_notional, limits.warning_threshold_factor):
        symbol, notional = orders[i]
        ev.add("max_order_notional", notional, limits.max_order_notional, f"{symbol} order", money, symbol=symbol)
    if daily is not None:
        loss = daily.equity - exposure.equity
        loss = max(0.0, loss) if math.isfinite(loss) else math.nan  # max() would hide a nan
        ev.add("max_daily_loss_abs", loss, limits.max_daily_loss_abs, "Daily loss", money)
        if math.isfinite(loss) and daily.equity > 0:
            loss_pct = loss / daily.equity * 100
        elif loss == 0:
            loss_pct = 0.0  # nothing lost: whatever the base, the limit holds
        else:
            # a loss on a base that is not a positive number: no percentage exists, so it cannot pass
            loss_pct = math.nan
        metrics["daily_loss_pct"] = round(loss_pct, 6) if math.isfinite(loss_pct) else None
        ev.add("max_daily_loss_pct", loss_pct, limits.max_daily_loss_pct,
               "Daily loss (% of start-of-day equity)", lambda v: f"{v:.2f}%")

    severity = worst([d.severity for d in ev.details])
    reasons = [d.message for d in ev.details if d.severity is not Severity.OK]
    return RiskResult(
        allowed=severity is not Severity.BREACH,
        severity=severity,
        reasons=reasons,
        limit_details=ev.details,
        metrics=metrics,
    )
