"""Before/after: two archived reports compared (SPEC §8), for incident drills and weekly reviews.

`load_report(ref, output_dir)` reads a report's JSON sidecar (by archived name or path);
`compare(before, after, alerts)` returns one `Comparison`: the headline before → after, equity,
exposure and daily PnL deltas, positions opened / closed / resized, limits whose severity
changed, and the alerts raised in between. Renderers (Markdown, HTML) only place its fields.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field, ValidationError

from live_ops.errors import InputError
from live_ops.reporting.archive import report_stem_of
from live_ops.reporting.snapshot import StatusSnapshot
from live_ops.status import headline

SIZE_TOLERANCE = 1e-12


class Delta(BaseModel):
    before: float | None = None
    after: float | None = None
    change: float | None = None


class HeadlineChange(BaseModel):
    before: str
    after: str


class PositionChange(BaseModel):
    symbol: str
    side: str
    size_before: float | None = None
    size_after: float | None = None
    notional_before: float | None = None
    notional_after: float | None = None


class LimitChange(BaseModel):
    limit_name: str
    symbol: str | None = None
    before: str | None = Field(None, description="severity before (None: the limit was not evaluated)")
    after: str | None = None
    ratio_before: float | None = None
    ratio_after: float | None = None


class AlertBetween(BaseModel):
    ts: datetime
    level: str
    source: str
    code: str
    message: str


class Positions(BaseModel):
    opened: list[PositionChange] = Field(default_factory=list)
    closed: list[PositionChange] = Field(default_factory=list)
    resized: list[PositionChange] = Field(default_factory=list)


class Comparison(BaseModel):
    """BEFORE → AFTER: the JSON of `live-ops compare --format json`."""

    before: str
    after: str
    before_at: datetime
    after_at: datetime
    quote_currency: str | None = None
    headline: HeadlineChange
    equity: Delta
    exposure: Delta
    daily_pnl: Delta
    positions: Positions
    limits: list[LimitChange] = Field(default_factory=list)
    alerts: list[AlertBetween] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)


class LoadedReport(BaseModel):
    name: str
    snapshot: StatusSnapshot


def load_report(ref: str, output_dir: Path | str) -> LoadedReport:
    """Return the archived report `ref`: a report name (looked up in `output_dir`) or a sidecar path.

    Raises InputError naming the file when it is missing or not a report sidecar.
    """
    path = Path(ref)
    if not (path.suffix == ".json" and path.is_file()):
        stem = report_stem_of(path.name)
        if stem is None:
            raise InputError(f"{ref}: not a report name (live_status_YYYY-MM-DD_HHMM[_TAG]) or a .json sidecar")
        path = Path(output_dir) / f"{stem}.json"
        if not path.is_file():
            raise InputError(f"{path}: no such archived report (its .json sidecar is missing)")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        snapshot = StatusSnapshot.model_validate(data["snapshot"])
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read ({exc})") from None
    except (ValueError, KeyError, TypeError, ValidationError):
        raise InputError(f"{path}: not a Peak Live Ops report sidecar") from None
    name = path.name[: -len(".json")] if path.name.endswith(".json") else path.stem
    return LoadedReport(name=name, snapshot=snapshot)


def _headline(snapshot: StatusSnapshot) -> str:
    return headline(snapshot.overall_status, snapshot.risk_severity).value


def _delta(before: float | None, after: float | None) -> Delta:
    change = round(after - before, 8) if before is not None and after is not None else None
    return Delta(before=before, after=after, change=change)


def _daily_pnl(snapshot: StatusSnapshot) -> float | None:
    risk = snapshot.portfolio.risk if snapshot.portfolio is not None else None
    value = risk.metrics.get("daily_pnl") if risk is not None else None
    return float(value) if isinstance(value, (int, float)) else None


def _positions(before: StatusSnapshot, after: StatusSnapshot) -> Positions:
    was = {(p.symbol, p.side): p for p in (before.portfolio.positions if before.portfolio else [])}
    now = {(p.symbol, p.side): p for p in (after.portfolio.positions if after.portfolio else [])}
    result = Positions()
    for key in sorted(now.keys() - was.keys()):
        p = now[key]
        result.opened.append(PositionChange(symbol=p.symbol, side=p.side, size_after=p.size, notional_after=p.notional))
    for key in sorted(was.keys() - now.keys()):
        p = was[key]
        result.closed.append(PositionChange(symbol=p.symbol, side=p.side, size_before=p.size,
                                            notional_before=p.notional))
    for key in sorted(was.keys() & now.keys()):
        b, a = was[key], now[key]
        if abs(a.size - b.size) > SIZE_TOLERANCE * max(1.0, abs(b.size)):
            result.resized.append(PositionChange(symbol=a.symbol, side=a.side, size_before=b.size, size_after=a.size,
                                                 notional_before=b.notional, notional_after=a.notional))
    return result


def _limits(before: StatusSnapshot, after: StatusSnapshot) -> list[LimitChange]:
    def details(snapshot: StatusSnapshot) -> dict[tuple[str, str | None], Any]:
        risk = snapshot.portfolio.risk if snapshot.portfolio is not None else None
        return {(d.limit_name, d.symbol): d for d in (risk.limit_details if risk is not None else [])}

    was, now = details(before), details(after)
    changes = []
    for key in sorted(was.keys() | now.keys(), key=lambda k: (k[0], k[1] or "")):
        b, a = was.get(key), now.get(key)
        sev_b = b.severity.value if b is not None else None
        sev_a = a.severity.value if a is not None else None
        if sev_b != sev_a:
            changes.append(LimitChange(limit_name=key[0], symbol=key[1], before=sev_b, after=sev_a,
                                       ratio_before=b.ratio if b is not None else None,
                                       ratio_after=a.ratio if a is not None else None))
    return changes


def compare(before: LoadedReport, after: LoadedReport, alerts: list[AlertBetween] | None = None) -> Comparison:
    """Return BEFORE → AFTER. `alerts`: those raised in between (None: take them from AFTER's own list)."""
    b, a = before.snapshot, after.snapshot
    notes: list[str] = []
    if a.generated_at < b.generated_at:
        notes.append("AFTER was generated before BEFORE: the deltas read backwards in time.")
    for label, snap in (("BEFORE", b), ("AFTER", a)):
        if snap.portfolio is None:
            notes.append(f"{label} has no portfolio ({snap.portfolio_error or 'not read'}): no equity or positions.")
    if alerts is None:
        alerts = [AlertBetween(ts=r.ts, level=r.level, source=r.source, code=r.code, message=r.message)
                  for r in a.alerts if b.generated_at < r.ts <= a.generated_at]
        notes.append("Alerts from AFTER's report (the history was not available): one row per distinct alert.")
    either = a.portfolio or b.portfolio
    quote = either.quote_currency if either is not None else None
    return Comparison(
        before=before.name, after=after.name, before_at=b.generated_at, after_at=a.generated_at,
        quote_currency=quote,
        headline=HeadlineChange(before=_headline(b), after=_headline(a)),
        equity=_delta(b.portfolio.equity if b.portfolio else None, a.portfolio.equity if a.portfolio else None),
        exposure=_delta(b.portfolio.totals.total_notional if b.portfolio else None,
                        a.portfolio.totals.total_notional if a.portfolio else None),
        daily_pnl=_delta(_daily_pnl(b), _daily_pnl(a)),
        positions=_positions(b, a),
        limits=_limits(b, a),
        alerts=alerts,
        notes=notes,
    )
