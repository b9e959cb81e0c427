"""The desk turned into display strings and chart geometry; the template only places them.

Numbers, verdict colours and money go through the report's formatter (`reporting.view`), so the
dashboard and the reports say the same thing in the same colours.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from live_ops.dashboard.model import CurvePoint, Desk
from live_ops.display import amount, money, tone

STALE_AFTER = timedelta(hours=1)  # the health schedule runs every 30 min: two missed runs is news
CURVE_W, CURVE_H, CURVE_PAD = 600.0, 140.0, 6.0
MAX_CURVE_POINTS = 700  # about one per pixel of the widest screen the chart is drawn on
LIMITS_SHOWN = 24


def age_text(seconds: float | None) -> str:
    """Return how old something is, in the largest sensible unit (`45 s`, `12 min`, `3 h`, `2 d`)."""
    if seconds is None:
        return "never"
    if seconds < 90:
        return f"{seconds:.0f} s ago"
    if seconds < 90 * 60:
        return f"{seconds / 60:.0f} min ago"
    if seconds < 36 * 3600:
        return f"{seconds / 3600:.1f} h ago"
    return f"{seconds / 86400:.1f} d ago"


def _when(value: datetime) -> str:
    return f"{value.astimezone(timezone.utc):%Y-%m-%d %H:%M} UTC"


@dataclass(frozen=True)
class Curve:
    """A line chart of one series over the window, as SVG geometry."""

    title: str
    points: str  # SVG polyline points
    last: str
    low: str
    high: str
    start: str
    end: str
    width: float = CURVE_W
    height: float = CURVE_H
    note: str = ""


@dataclass(frozen=True)
class LimitBar:
    name: str
    symbol: str
    ratio: str
    width_pct: float  # of the bar's track
    marker_pct: float  # where 100 % of the limit sits on the track
    severity: str
    tone: str
    value: str


@dataclass(frozen=True)
class CheckLine:
    name: str
    status: str
    tone: str
    messages: tuple[str, ...]


@dataclass(frozen=True)
class PositionLine:
    symbol: str
    side: str
    size: str
    notional: str
    pnl: str
    pnl_tone: str


@dataclass(frozen=True)
class AlertLine:
    at: str
    level: str
    tone: str
    code: str
    message: str
    repeats: str  # "" once, else e.g. "×12 since 11-21 07:00"
    deliveries: tuple[tuple[str, str, str], ...]  # (sink, status, tone)


@dataclass(frozen=True)
class ReportLine:
    name: str
    when: str
    headline: str
    tone: str
    links: tuple[tuple[str, str], ...]  # (file name, label)


@dataclass(frozen=True)
class DeskView:
    headline: str
    headline_tone: str
    mode: str
    read_at: str
    data_at: str
    age: str
    stale: bool
    health_line: str
    checks: tuple[CheckLine, ...]
    cards: tuple[tuple[str, str], ...]
    curves: tuple[Curve, ...]
    curve_note: str
    limits: tuple[LimitBar, ...]
    limits_hidden: int
    positions: tuple[PositionLine, ...]
    alerts: tuple[AlertLine, ...]
    reports: tuple[ReportLine, ...]
    archive_index: bool
    problems: tuple[str, ...]


def _thin(points: list[CurvePoint]) -> list[CurvePoint]:
    if len(points) <= MAX_CURVE_POINTS:
        return points
    step = len(points) / MAX_CURVE_POINTS
    kept = [points[int(i * step)] for i in range(MAX_CURVE_POINTS - 1)]
    return [*kept, points[-1]]


def curve(title: str, points: list[CurvePoint], value: str, start: datetime, end: datetime,
          quote: str) -> Curve | None:
    """Return the chart of `value` ('equity' or 'exposure') over [start, end]; None with fewer than 2 points."""
    points = _thin([p for p in points if p.at >= start])
    if len(points) < 2:
        return None
    values = [getattr(p, value) for p in points]
    low, high = min(values), max(values)
    span = (high - low) or max(abs(high), 1.0) * 0.01  # a flat line is drawn mid-height, not divided by zero
    seconds = max((end - start).total_seconds(), 1.0)
    inner_h = CURVE_H - 2 * CURVE_PAD
    coords = []
    for point, v in zip(points, values, strict=False):
        # a point stamped after `end` (another host's clock) is drawn at the right edge
        x = min((point.at - start).total_seconds() / seconds, 1.0) * CURVE_W
        y = CURVE_PAD + (inner_h / 2 if high == low else (high - v) / span * inner_h)
        coords.append(f"{x:.1f},{y:.1f}")
    return Curve(title=title, points=" ".join(coords), last=f"{money(values[-1])} {quote}".strip(),
                 low=money(low), high=money(high), start=f"{start:%a %d %b}", end=f"{end:%a %d %b %H:%M}",
                 note=f"{len(points)} points")


def _limit_value(name: str, value: float | None) -> str:
    if value is None:
        return ""
    if name == "max_open_positions":
        return f"{value:.0f}"
    if name.endswith("_pct"):
        return f"{value:.2f}%"
    return money(value)


def build_view(desk: Desk, window: timedelta = timedelta(days=7)) -> DeskView:
    """Return what the page shows of `desk`."""
    head = desk.headline.value
    age = desk.age_seconds()
    snap = desk.snapshot
    quote = snap.quote_currency if snap else ""
    cards: list[tuple[str, str]] = []
    if snap is not None:
        cards = [("Equity", f"{money(snap.equity)} {quote}"), ("Exposure", f"{money(snap.exposure_total)} {quote}"),
                 ("Free cash", f"{money(snap.free_cash)} {quote}"), ("Open positions", str(snap.open_positions))]
        if snap.daily_pnl is not None:
            cards.append(("Daily PnL", f"{money(snap.daily_pnl)} {quote}"))
        cards.append(("Risk", snap.risk_severity or "not evaluated"))
    end = desk.read_at
    start = end - window
    points = list(desk.curve)
    curves = tuple(c for c in (curve("Equity", points, "equity", start, end, quote),
                               curve("Exposure", points, "exposure", start, end, quote)) if c)
    curve_note = "" if curves else (
        f"{len(points)} snapshot{'s' if len(points) != 1 else ''} in the last {window.days} days: no curve yet.")
    limits = sorted(snap.limits if snap else (), key=lambda lim: (-lim.ratio, lim.name, lim.symbol or ""))
    axis = max([1.0, *(lim.ratio for lim in limits[:LIMITS_SHOWN])]) * 1.05
    bars = tuple(
        LimitBar(name=lim.name, symbol=lim.symbol or "", ratio=f"{lim.ratio:.0%}",
                 width_pct=round(min(lim.ratio, axis) / axis * 100, 2), marker_pct=round(100 / axis, 2),
                 severity=lim.severity, tone=tone(lim.severity),
                 value=f"{_limit_value(lim.name, lim.current_value)} / {_limit_value(lim.name, lim.limit_value)}"
                 if lim.limit_value is not None else "")
        for lim in limits[:LIMITS_SHOWN])
    health = desk.health
    return DeskView(
        headline=head, headline_tone=tone(head), mode=desk.mode or "unknown mode",
        read_at=_when(desk.read_at), data_at=_when(desk.data_at) if desk.data_at else "no data recorded yet",
        age=age_text(age), stale=age is None or age > STALE_AFTER.total_seconds(),
        health_line=f"health {health.overall}, checked {_when(health.at)}" if health else "no health run recorded",
        checks=tuple(CheckLine(c.name, c.status, tone(c.status), c.messages) for c in (health.checks if health else ())),
        cards=tuple(cards), curves=curves, curve_note=curve_note, limits=bars,
        limits_hidden=max(0, len(limits) - LIMITS_SHOWN),
        positions=tuple(PositionLine(p.symbol, p.side, amount(p.size), money(p.notional), money(p.unrealized_pnl),
                                     "ok" if p.unrealized_pnl > 0 else "bad" if p.unrealized_pnl < 0 else "na")
                        for p in sorted(snap.positions if snap else (), key=lambda p: -p.notional)),
        alerts=tuple(AlertLine(at=f"{a.at.astimezone(timezone.utc):%m-%d %H:%M}", level=a.level, tone=tone(a.level),
                               code=a.code, message=a.message,
                               repeats=f"×{a.occurrences} since {a.first_at.astimezone(timezone.utc):%m-%d %H:%M}"
                               if a.occurrences > 1 and a.first_at else "",
                               deliveries=tuple((d.sink, d.status, {"sent": "ok", "failed": "bad"}.get(d.status, "na"))
                                                for d in a.deliveries))
                     for a in desk.alerts),
        reports=tuple(ReportLine(name=r.name, when=_when(r.generated_at), headline=r.headline or "?",
                                 tone=tone(r.headline), links=tuple((f, f.rsplit(".", 1)[-1]) for f in r.files))
                      for r in desk.reports),
        archive_index=desk.archive_index, problems=desk.problems,
    )
