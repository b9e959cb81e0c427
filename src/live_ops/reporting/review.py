"""The Period Review (report section 5, SPEC §8): what the history says about the last period.

`build_review(store, period, now)` reads the period's portfolio snapshots, health runs and alerts
(each one indexed range query) and returns one `Review`: equity start/end/change and max
drawdown, exposure min/max, health availability and the longest FAIL stretch, alerts by code and
level, each limit's peak ratio, positions opened and closed, and the curves. Sparse history is
said plainly in `notes`, never drawn as a fake curve.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from datetime import datetime, timedelta, timezone
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from live_ops.errors import StateError, UsageError
from live_ops.store import HealthRun, PortfolioPoint, Store

_PERIOD = re.compile(r"^(\d{1,5})([mhdw])$")
_UNIT = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}
MAX_PERIOD = timedelta(days=3650)


def validate_period(period: str | None) -> str | None:
    """Return `period` (None or empty: no review); raise UsageError unless it is a duration like 7d."""
    if period is None or period.strip() == "":
        return None
    parse_period(period)
    return period.strip()


def parse_period(text: str, *, flag: str = "--period") -> timedelta:
    """Return the duration of `text` (`90m`, `12h`, `7d`, `2w`); raise UsageError naming `flag` otherwise."""
    match = _PERIOD.match(text.strip()) if text else None
    if match is None or int(match[1]) == 0:
        raise UsageError(f"{flag} {text!r} is invalid: use a positive number and m, h, d or w (e.g. 7d)")
    value = timedelta(**{_UNIT[match[2]]: int(match[1])})
    if value > MAX_PERIOD:
        raise UsageError(f"{flag} {text!r} is too long: at most 3650d")
    return value


class HealthShare(BaseModel):
    """Health availability: share of runs per status (0..1) and the longest FAIL stretch."""

    runs: int = 0
    ok: float = 0.0
    degraded: float = 0.0
    fail: float = 0.0
    longest_fail_minutes: float = 0.0
    longest_fail_from: datetime | None = None
    longest_fail_to: datetime | None = None


class AlertCount(BaseModel):
    code: str
    level: str
    count: int


class LimitPeak(BaseModel):
    limit_name: str
    symbol: str | None = None
    peak_ratio: float
    at: datetime | None = None


class CurvePoint(BaseModel):
    at: datetime
    equity: float
    exposure: float


class Review(BaseModel):
    """The review of one period: `review{...}` in the JSON sidecar and `report --json`."""

    model_config = ConfigDict(populate_by_name=True)

    period: str
    from_: datetime = Field(alias="from")
    to: datetime
    quote_currency: str | None = None
    snapshots: int = 0
    equity_start: float | None = None
    equity_end: float | None = None
    equity_change: float | None = None
    max_drawdown: float | None = None
    max_drawdown_pct: float | None = None
    exposure_min: float | None = None
    exposure_max: float | None = None
    health: HealthShare = Field(default_factory=HealthShare)
    alerts: list[AlertCount] = Field(default_factory=list)
    limit_peaks: list[LimitPeak] = Field(default_factory=list)
    positions_opened: list[str] = Field(default_factory=list)
    positions_closed: list[str] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list, description="what the history could not say, said plainly")
    curve: list[CurvePoint] = Field(default_factory=list, exclude=True)  # drawn in the HTML, not in the JSON

    def payload(self) -> dict[str, object]:
        """Return the JSON form (`from` spelled as in SPEC §8)."""
        return self.model_dump(mode="json", by_alias=True)


def _drawdown(points: list[PortfolioPoint]) -> tuple[float, float]:
    peak, worst, worst_pct = float("-inf"), 0.0, 0.0
    for point in points:
        peak = max(peak, point.equity)
        drop = peak - point.equity
        if drop > worst:
            worst, worst_pct = drop, (drop / peak * 100 if peak > 0 else 0.0)
    return worst, worst_pct


def _health(runs: list[HealthRun], to: datetime) -> HealthShare:
    if not runs:
        return HealthShare()
    counts = Counter(run.overall_status for run in runs)
    share = HealthShare(runs=len(runs), ok=round(counts["OK"] / len(runs), 4),
                        degraded=round(counts["DEGRADED"] / len(runs), 4), fail=round(counts["FAIL"] / len(runs), 4))
    # a stretch lasts from its first failing run until the first run that no longer fails (or the period's end)
    stretches: list[tuple[datetime, datetime]] = []
    start: datetime | None = None
    for run in runs:
        if run.overall_status == "FAIL" and start is None:
            start = run.at
        elif run.overall_status != "FAIL" and start is not None:
            stretches.append((start, run.at))
            start = None
    if start is not None:
        stretches.append((start, to))
    if stretches:
        begin, end = max(stretches, key=lambda s: s[1] - s[0])
        share.longest_fail_minutes = round((end - begin).total_seconds() / 60, 1)
        share.longest_fail_from, share.longest_fail_to = begin, end
    return share


def _positions(points: list[PortfolioPoint]) -> tuple[list[str], list[str]]:
    opened: list[str] = []
    closed: list[str] = []
    for before, after in itertools.pairwise(points):
        was = {(p.symbol, p.side) for p in before.positions}
        now = {(p.symbol, p.side) for p in after.positions}
        opened += [f"{symbol} {side}" for symbol, side in sorted(now - was) if f"{symbol} {side}" not in opened]
        closed += [f"{symbol} {side}" for symbol, side in sorted(was - now) if f"{symbol} {side}" not in closed]
    return opened, closed


def _limit_peaks(points: list[PortfolioPoint]) -> list[LimitPeak]:
    peaks: dict[tuple[str, str | None], LimitPeak] = {}
    for point in points:
        for limit in point.limits:
            key = (limit.limit_name, limit.symbol)
            if key not in peaks or limit.ratio > peaks[key].peak_ratio:
                peaks[key] = LimitPeak(limit_name=limit.limit_name, symbol=limit.symbol,
                                       peak_ratio=round(limit.ratio, 6), at=point.at)
    return sorted(peaks.values(), key=lambda p: (-p.peak_ratio, p.limit_name, p.symbol or ""))


def build_review(store: Store, period: str, now: datetime) -> Review:
    """Return the review of the `period` (e.g. "7d") ending at `now`, from the history in `store`."""
    length = parse_period(period)
    to = now.astimezone(timezone.utc)
    since = to - length
    points = store.portfolio_series(since, to + timedelta(microseconds=1))
    runs = store.health_series(since, to + timedelta(microseconds=1))
    alerts = store.alerts(since, to + timedelta(microseconds=1))
    review = Review.model_validate({"period": period, "from": since, "to": to, "snapshots": len(points)})
    review.health = _health(runs, to)
    counts = Counter((a.code, a.level) for a in alerts)
    review.alerts = [AlertCount(code=code, level=level, count=n)
                     for (code, level), n in sorted(counts.items(), key=lambda item: (-item[1], item[0]))]
    if not runs:
        review.notes.append("No health runs were recorded in this period.")
    if not points:
        review.notes.append("No portfolio snapshots were recorded in this period: no equity or exposure figures.")
        return review
    first, last = points[0], points[-1]
    review.quote_currency = last.quote_currency
    review.equity_start, review.equity_end = first.equity, last.equity
    review.equity_change = round(last.equity - first.equity, 8)
    drop, drop_pct = _drawdown(points)
    review.max_drawdown, review.max_drawdown_pct = round(drop, 8), round(drop_pct, 4)
    review.exposure_min = min(p.total_exposure for p in points)
    review.exposure_max = max(p.total_exposure for p in points)
    review.limit_peaks = _limit_peaks(points)
    review.positions_opened, review.positions_closed = _positions(points)
    if len(points) < 3:
        review.notes.append(f"{len(points)} snapshot{'s' if len(points) != 1 else ''} in this period: "
                            "too few for a curve.")
    else:
        review.curve = [CurvePoint(at=p.at, equity=p.equity, exposure=p.total_exposure) for p in points]
    return review


def review_period(state: Any, period: str | None, now: datetime) -> Review | None:
    """Return the review of `period` from the history of `[state]` (None when no period was asked).

    An unreadable history does not cost the operator the report: the review says so instead.
    """
    if not period:
        return None
    try:
        return build_review(Store.at(state), period, now)
    except StateError as exc:
        to = now.astimezone(timezone.utc)
        return Review.model_validate({"period": period, "from": to - parse_period(period), "to": to,
                                      "notes": [f"The history could not be read: {exc}"]})
