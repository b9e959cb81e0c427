"""The Period Review as the report shows it: figures as text, curves as SVG polyline geometry.

Like `view.py`, every number is formatted here once for the Markdown and the HTML, and the
chart arithmetic (scales, axis labels) lives here, not in a template.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from live_ops.reporting.review import Review

CURVE_W, CURVE_H, CURVE_LEFT, CURVE_PAD = 640.0, 180.0, 90.0, 12.0


def money(value: float) -> str:
    return f"{value:,.2f}"


def signed(value: float) -> str:
    return f"{value:+,.2f}"


def duration(minutes: float) -> str:
    """Return `minutes` as `2d 3h`, `4h 30m` or `15m`."""
    total = round(minutes)
    days, rest = divmod(total, 1440)
    hours, mins = divmod(rest, 60)
    if days:
        return f"{days}d {hours}h"
    return f"{hours}h {mins}m" if hours else f"{mins}m"


@dataclass(frozen=True)
class Curve:
    """One line chart: `points` is an SVG polyline's points attribute, in the chart's own units."""

    title: str
    points: str
    width: float
    height: float
    left: float
    top: float
    bottom: float
    y_max: str
    y_min: str
    x_from: str
    x_to: str
    tone: str


@dataclass(frozen=True)
class ReviewView:
    period: str
    span: str
    figures: list[tuple[str, str]]
    alerts: list[tuple[str, str, int]]
    limit_peaks: list[tuple[str, str, str, str]]
    positions_opened: list[str]
    positions_closed: list[str]
    notes: list[str]
    curves: list[Curve] = field(default_factory=list)


def _curve(title: str, times: list[datetime], values: list[float], start: datetime, end: datetime,
           unit: str, tone: str) -> Curve:
    low, high = min(values), max(values)
    if high - low < 1e-9:  # a flat line sits in the middle, not on an axis
        low, high = low - 1.0, high + 1.0
    span_s = max((end - start).total_seconds(), 1.0)
    plot_w = CURVE_W - CURVE_LEFT - CURVE_PAD
    top, bottom = CURVE_PAD, CURVE_H - 28.0
    points = " ".join(
        f"{CURVE_LEFT + (t - start).total_seconds() / span_s * plot_w:.1f},"
        f"{bottom - (v - low) / (high - low) * (bottom - top):.1f}"
        for t, v in zip(times, values, strict=False)
    )
    return Curve(title=title, points=points, width=CURVE_W, height=CURVE_H, left=CURVE_LEFT, top=top, bottom=bottom,
                 y_max=f"{money(high)} {unit}".strip(), y_min=f"{money(low)} {unit}".strip(),
                 x_from=f"{start:%Y-%m-%d %H:%M}", x_to=f"{end:%Y-%m-%d %H:%M}", tone=tone)


def build_review_view(review: Review) -> ReviewView:
    """Return the display form of `review`."""
    ccy = review.quote_currency or ""
    figures: list[tuple[str, str]] = []
    if review.equity_start is not None and review.equity_end is not None and review.equity_change is not None:
        pct = f" ({review.equity_change / review.equity_start:+.2%})" if review.equity_start else ""
        figures += [
            ("Equity at start", f"{money(review.equity_start)} {ccy}"),
            ("Equity at end", f"{money(review.equity_end)} {ccy}"),
            ("Change", f"{signed(review.equity_change)} {ccy}{pct}"),
            ("Max drawdown", f"{money(review.max_drawdown or 0.0)} {ccy} ({review.max_drawdown_pct or 0.0:.2f}% of peak)"),
            ("Total exposure", f"{money(review.exposure_min or 0.0)} – {money(review.exposure_max or 0.0)} {ccy}"),
        ]
    figures.append(("Portfolio snapshots", str(review.snapshots)))
    health = review.health
    if health.runs:
        figures.append(("Health availability", (f"OK {health.ok:.1%} · DEGRADED {health.degraded:.1%} · "
                                               f"FAIL {health.fail:.1%} of {health.runs} runs")))
        if health.longest_fail_from is not None and health.longest_fail_to is not None:
            figures.append(("Longest FAIL stretch", (f"{duration(health.longest_fail_minutes)} "
                                                    f"({health.longest_fail_from:%Y-%m-%d %H:%M} – "
                                                    f"{health.longest_fail_to:%Y-%m-%d %H:%M} UTC)")))
        else:
            figures.append(("Longest FAIL stretch", "none"))
    curves: list[Curve] = []
    if review.curve:
        times = [p.at for p in review.curve]
        curves.append(_curve("Equity", times, [p.equity for p in review.curve], review.from_, review.to, ccy, "ok"))
        curves.append(_curve("Total exposure", times, [p.exposure for p in review.curve], review.from_, review.to,
                             ccy, "info"))
    return ReviewView(
        period=review.period,
        span=f"{review.from_:%Y-%m-%d %H:%M} – {review.to:%Y-%m-%d %H:%M} UTC",
        figures=figures,
        alerts=[(a.code, a.level, a.count) for a in review.alerts],
        limit_peaks=[(p.limit_name, p.symbol or "", f"{p.peak_ratio:.0%}", f"{p.at:%Y-%m-%d %H:%M}" if p.at else "")
                     for p in review.limit_peaks],
        positions_opened=review.positions_opened,
        positions_closed=review.positions_closed,
        notes=review.notes,
        curves=curves,
    )
