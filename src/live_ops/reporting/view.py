"""The report view: a `StatusSnapshot` turned into display strings and chart geometry.

Templates only place what this module computed. Every number is formatted here, once, so the
Markdown and the HTML show the same figures, and every piece of arithmetic (bar widths, limit
lines, colours by severity) lives here where a test can check it, not in a template.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from live_ops.display import ADHOC_TAG, amount, limit_value, money, ratio, tone, worst_tone
from live_ops.reporting.review_view import ReviewView, build_review_view
from live_ops.reporting.snapshot import AlertRow, StatusSnapshot
from live_ops.risk import LimitDetail

__all__ = ["ReportView", "amount", "build_view", "exposure_chart", "money", "tone", "worst_tone"]

CHART_MAX_BARS = 20  # a glanceable chart; the full list is in the limits table
CHART_LABEL_W, CHART_PLOT_W, CHART_ROW_H, CHART_PAD = 150.0, 400.0, 24.0, 70.0
CHART_TEXT_W = 150.0  # room a value label needs to the right of its bar


@dataclass(frozen=True)
class CheckRow:
    name: str
    status: str
    tone: str
    duration: str
    messages: list[str]


@dataclass(frozen=True)
class PositionRow:
    symbol: str
    side: str
    size: str
    notional: str
    unrealized_pnl: str
    pnl_tone: str
    realized_pnl: str = "n/a"  # "n/a" where the venue reports none: unknown is not zero


@dataclass(frozen=True)
class LimitRow:
    name: str
    symbol: str
    value: str
    limit: str
    ratio: str
    severity: str
    tone: str
    message: str
    flagged: bool = False  # WARNING or BREACH: marked in every table


@dataclass(frozen=True)
class Bar:
    label: str
    rect_y: float
    text_y: float
    width: float
    value_x: float
    text_anchor: str  # "start" right of the bar, "end" inside a bar too long to leave room
    text: str
    tone: str


@dataclass(frozen=True)
class Chart:
    """An SVG bar chart of exposure per symbol as a share of its limit."""

    bars: list[Bar]
    width: float
    height: float
    plot_x: float
    plot_bottom: float
    label_y: float
    limit_x: float
    warn_x: float
    limit_text: str
    hidden: int


@dataclass(frozen=True)
class AlertLine:
    ts: str
    level: str
    tone: str
    source: str
    code: str
    message: str
    repeats: str  # "" for a single occurrence, else e.g. "×12 since 2026-11-21 07:00"
    delivery: str = "-"  # what each sink did with the latest one: "stderr sent, webhook failed"
    delivery_tone: str = "na"


@dataclass
class ReportView:
    title: str
    generated_at: str
    tag: str
    status: str
    status_tone: str
    mode: str
    checks: list[CheckRow]
    headline: str = "OK"
    headline_text: str = "OK"  # the headline and what drives it, the first thing every format says
    headline_tone: str = "ok"
    portfolio_error: str | None = None
    quote: str = ""
    equity: str = ""
    exposure: str = ""
    free_cash: str = ""
    unrealized_pnl: str = ""
    num_positions: int = 0
    positions: list[PositionRow] = field(default_factory=list)
    risk_severity: str | None = None
    risk_tone: str = "na"
    risk_verdict: str = ""
    risk_reasons: list[str] = field(default_factory=list)
    limits: list[LimitRow] = field(default_factory=list)
    chart: Chart | None = None
    alerts: list[AlertLine] = field(default_factory=list)
    alerts_note: str | None = None
    notes_markdown: str | None = None
    notes_html: str | None = None
    notes_placeholder: str = ""
    notes_warning: str | None = None
    review: ReviewView | None = None


def exposure_chart(details: list[LimitDetail], quote: str = "") -> Chart | None:
    """Return the chart of the per-symbol exposure limits, worst first (None when there are none)."""
    rows = sorted((d for d in details if d.limit_name == "max_symbol_exposure_notional" and d.symbol),
                  key=lambda d: (-d.ratio, d.symbol or ""))
    if not rows:
        return None
    shown = rows[:CHART_MAX_BARS]
    # the axis always shows the limit line, and a breach's bar beyond it
    axis = max(1.0, *(d.ratio for d in shown)) * 1.1
    scale = CHART_PLOT_W / axis
    bars = []
    for index, detail in enumerate(shown):
        y = 8.0 + index * CHART_ROW_H
        width = max(detail.ratio * scale, 1.0)
        inside = width + CHART_TEXT_W > CHART_PLOT_W + CHART_PAD
        bars.append(Bar(
            label=(detail.symbol or "")[:20], rect_y=y + 4, text_y=round(y + CHART_ROW_H * 0.62, 2),
            width=round(width, 2), value_x=round(CHART_LABEL_W + (width - 4 if inside else width + 4), 2),
            text_anchor="end" if inside else "start", text=f"{money(detail.current_value)} ({ratio(detail.ratio)})",
            tone=tone(detail.severity.value),
        ))
    plot_bottom = 8.0 + len(shown) * CHART_ROW_H
    factor = shown[0].warning_threshold / shown[0].limit_value  # the same factor for every limit
    return Chart(
        bars=bars, width=CHART_LABEL_W + CHART_PLOT_W + CHART_PAD, height=plot_bottom + 22,
        plot_x=CHART_LABEL_W, plot_bottom=plot_bottom, label_y=plot_bottom + 16,
        limit_x=round(CHART_LABEL_W + scale, 2), warn_x=round(CHART_LABEL_W + factor * scale, 2),
        limit_text=f"limit {money(shown[0].limit_value)} {quote}".rstrip(), hidden=len(rows) - len(shown),
    )


def _repeats(alert: AlertRow) -> str:
    if alert.occurrences <= 1 or alert.first_ts is None:
        return ""
    return f"×{alert.occurrences} since {alert.first_ts:%Y-%m-%d %H:%M}"


def build_view(snapshot: StatusSnapshot, *, notes_html: str | None = None) -> ReportView:
    """Return the display view of `snapshot`; `notes_html` is the notes already sanitized for HTML."""
    health = snapshot.health
    view = ReportView(
        title=f"Live status {snapshot.generated_at:%Y-%m-%d %H:%M} UTC" + (f" ({snapshot.tag})" if snapshot.tag else ""),
        generated_at=f"{snapshot.generated_at:%Y-%m-%d %H:%M:%S} UTC",
        tag=snapshot.tag or ADHOC_TAG,
        status=health.overall_status,
        status_tone=tone(health.overall_status),
        headline=snapshot.headline.value,
        headline_text=snapshot.headline_text(),
        headline_tone=tone(snapshot.headline),
        mode=health.mode or "unknown",
        checks=[CheckRow(c.name, c.status, tone(c.status), f"{c.duration_ms:,.0f} ms", list(c.messages))
                for c in health.checks],
        portfolio_error=snapshot.portfolio_error,
        alerts=[AlertLine(f"{a.ts:%Y-%m-%d %H:%M:%S}", a.level.upper(), tone(a.level.upper()), a.source, a.code,
                          a.message, _repeats(a), a.delivery_text(), tone(a.delivery_status()))
                for a in snapshot.alerts],
        alerts_note=snapshot.alerts_note,
        notes_markdown=snapshot.notes.markdown,
        notes_html=notes_html,
        notes_placeholder=snapshot.notes.placeholder,
        notes_warning=snapshot.notes.warning,
        review=build_review_view(snapshot.review) if snapshot.review is not None else None,
    )
    portfolio = snapshot.portfolio
    if portfolio is None:
        return view
    view.mode = portfolio.mode
    view.quote = portfolio.quote_currency
    ccy = portfolio.quote_currency
    view.equity = money(portfolio.equity, ccy)
    view.exposure = money(portfolio.totals.total_notional, ccy)
    view.free_cash = money(portfolio.free_cash, ccy)
    view.unrealized_pnl = money(portfolio.totals.total_unrealized_pnl, ccy)
    view.num_positions = portfolio.totals.num_open_positions
    view.positions = [
        PositionRow(p.symbol, p.side, amount(p.size), money(p.notional, ccy), money(p.unrealized_pnl, ccy),
                    "bad" if p.unrealized_pnl < 0 else "ok",
                    "n/a" if p.realized_pnl is None else money(p.realized_pnl, ccy))
        for p in portfolio.positions
    ]
    risk = portfolio.risk
    if risk is not None:
        view.risk_severity = risk.severity.value
        view.risk_tone = tone(risk.severity.value)
        view.risk_verdict = "allowed" if risk.allowed else "NOT allowed"
        view.risk_reasons = list(risk.reasons)
        view.limits = [
            LimitRow(d.limit_name, d.symbol or "", limit_value(d, d.current_value, ccy),
                     limit_value(d, d.limit_value, ccy), ratio(d.ratio), d.severity.value, tone(d.severity.value),
                     d.message, flagged=d.severity.value != "OK")
            for d in risk.limit_details
        ]
        view.chart = exposure_chart(risk.limit_details, portfolio.quote_currency)
    return view
