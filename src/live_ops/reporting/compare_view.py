"""A `Comparison` as text: Markdown (the default on stdout), self-contained HTML, or JSON."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from live_ops.reporting.compare import Comparison, Delta, PositionChange
from live_ops.reporting.render import render_template
from live_ops.reporting.view import amount, tone

CompareFormat = Literal["markdown", "html", "json"]


def _num(value: float | None) -> str:
    return "–" if value is None else f"{value:,.2f}"


def _change(value: float | None) -> str:
    return "–" if value is None else f"{value:+,.2f}"


@dataclass(frozen=True)
class _Row:
    label: str
    before: str
    after: str
    change: str
    tone: str


def _delta_row(label: str, delta: Delta) -> _Row:
    direction = "na" if not delta.change else ("ok" if delta.change > 0 else "bad")
    return _Row(label, _num(delta.before), _num(delta.after), _change(delta.change), direction)


def _size(change: PositionChange) -> str:
    before = amount(change.size_before) if change.size_before is not None else "–"
    after = amount(change.size_after) if change.size_after is not None else "–"
    return f"{before} → {after}"


@dataclass(frozen=True)
class CompareView:
    title: str
    before: str
    after: str
    headline_before: str
    headline_after: str
    headline_before_tone: str
    headline_after_tone: str
    quote: str
    rows: list[_Row]
    opened: list[tuple[str, str, str]]
    closed: list[tuple[str, str, str]]
    resized: list[tuple[str, str, str]]
    limits: list[tuple[str, str, str, str]]
    alerts: list[tuple[str, str, str, str, str, str]]
    notes: list[str]


def build_compare_view(c: Comparison) -> CompareView:
    """Return the display form of `c`: every number formatted once for Markdown and HTML."""
    return CompareView(
        title=f"Compare {c.before} → {c.after}",
        before=f"{c.before} ({c.before_at:%Y-%m-%d %H:%M} UTC)",
        after=f"{c.after} ({c.after_at:%Y-%m-%d %H:%M} UTC)",
        headline_before=c.headline.before, headline_after=c.headline.after,
        headline_before_tone=tone(c.headline.before), headline_after_tone=tone(c.headline.after),
        quote=c.quote_currency or "",
        rows=[_delta_row("Equity", c.equity), _delta_row("Total exposure", c.exposure),
              _delta_row("Daily PnL", c.daily_pnl)],
        opened=[(p.symbol, p.side, _size(p)) for p in c.positions.opened],
        closed=[(p.symbol, p.side, _size(p)) for p in c.positions.closed],
        resized=[(p.symbol, p.side, _size(p)) for p in c.positions.resized],
        limits=[(lc.limit_name, lc.symbol or "", f"{lc.before or 'not evaluated'} → {lc.after or 'not evaluated'}",
                 " → ".join("–" if r is None else f"{r:.0%}" for r in (lc.ratio_before, lc.ratio_after)))
                for lc in c.limits],
        alerts=[(f"{a.ts:%Y-%m-%d %H:%M:%S}", a.level, tone(a.level.upper()), a.source, a.code, a.message)
                for a in c.alerts],
        notes=list(c.notes),
    )


def render_comparison(c: Comparison, fmt: CompareFormat = "markdown") -> str:
    """Return `c` as Markdown, HTML or JSON text."""
    if fmt == "json":
        return c.model_dump_json(indent=2) + "\n"
    view = build_compare_view(c)
    return render_template("compare.html.j2" if fmt == "html" else "compare.md.j2", v=view)
