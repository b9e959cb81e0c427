"""The report view: a `StatusSnapshot` turned into display strings and chart geometry.

Templates only place what this module computed. Every number is formatted here, once, so the
Markdown and the HTML show the same figures, and every piece of arithmetic (bar widths, limit
lines, colours by severity) lives here where a test can check it, not in a template.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from live_ops.reporting.snapshot import AlertRow, StatusSnapshot
from live_ops.risk import LimitDetail

# status word -> CSS class of its colour
_TONE = {"OK": "ok", "pass": "ok", "DEGRADED": "warn", "warn": "warn", "WARNING": "warn",
         "FAIL": "bad", "fail": "bad", "BREACH": "bad", "CRITICAL": "bad", "INFO": "info"}
CHART_MAX_BARS = 20  # a glanceable chart; the full list is in the limits table
CHART_LABEL_W, CHART_PLOT_W, CHART_ROW_H, CHART_PAD = 150.0, 400.0, 24.0, 70.0
CHART_TEXT_W = 150.0  # room a value label needs to the right of its bar


def tone(status: str | None) -> str:
    """Return the colour class of a status word (`ok`, `warn`, `bad`, `info`; `na` if unknown)."""
    return _TONE.get(status or "", _TONE.get((status or "").upper(), "na"))


_TONE_RANK = {"na": 0, "info": 0, "ok": 1, "warn": 2, "bad": 3}


def worst_tone(*statuses: str | None) -> str:
    """Return the colour class of the worst of `statuses`: a green banner never carries a BREACH."""
    return max((tone(s) for s in statuses if s), key=_TONE_RANK.__getitem__, default="na")


def money(value: float) -> str:
    return f"{value:,.2f}"


def amount(value: float) -> str:
    """Return a size with up to 8 decimals and no trailing zeros (crypto sizes are small)."""
    text = f"{value:,.8f}".rstrip("0").rstrip(".")
    return text if text not in ("", "-0") else "0"


def _limit_value(detail: LimitDetail, value: float) -> str:
    if detail.limit_name == "max_open_positions":
        return f"{value:.0f}"
    if detail.limit_name.endswith("_pct"):
        return f"{value:.2f}%"
    return money(value)


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


@dataclass
class ReportView:
    title: str
    generated_at: str
    tag: str
    status: str
    status_tone: str
    mode: str
    checks: list[CheckRow]
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


def exposure_chart(details: list[LimitDetail], quote: str = "") -> Chart | None:
    """Return the chart of the per-symbol exposure limits, worst first (None when there are none)."""
    rows = sorted((d for d in details if d.limit_name == "max_symbol_exposure_notional" and d.symbol),
                  key=lambda d: (-d.ratio, d.symbol or ""))
    if not rows:
        return None
    shown = rows[:CHART_MAX_BARS]
    # the axis always shows the limit line, and a breach's bar beyond it
    axis = max(1.0, max(d.ratio for d in shown)) * 1.1
    scale = CHART_PLOT_W / axis
    bars = []
    for index, detail in enumerate(shown):
        y = 8.0 + index * CHART_ROW_H
        width = max(detail.ratio * scale, 1.0)
        inside = width + CHART_TEXT_W > CHART_PLOT_W + CHART_PAD
        bars.append(Bar(
            label=(detail.symbol or "")[:20], rect_y=y + 4, text_y=round(y + CHART_ROW_H * 0.62, 2),
            width=round(width, 2), value_x=round(CHART_LABEL_W + (width - 4 if inside else width + 4), 2),
            text_anchor="end" if inside else "start", text=f"{money(detail.current_value)} ({detail.ratio:.0%})",
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
        tag=snapshot.tag or "ad hoc",
        status=health.overall_status,
        status_tone=worst_tone(health.overall_status, snapshot.risk_severity),
        mode=health.mode or "unknown",
        checks=[CheckRow(c.name, c.status, tone(c.status), f"{c.duration_ms:,.0f} ms", list(c.messages))
                for c in health.checks],
        portfolio_error=snapshot.portfolio_error,
        alerts=[AlertLine(f"{a.ts:%Y-%m-%d %H:%M:%S}", a.level.upper(), tone(a.level.upper()), a.source, a.code,
                          a.message, _repeats(a)) for a in snapshot.alerts],
        alerts_note=snapshot.alerts_note,
        notes_markdown=snapshot.notes.markdown,
        notes_html=notes_html,
        notes_placeholder=snapshot.notes.placeholder,
        notes_warning=snapshot.notes.warning,
    )
    portfolio = snapshot.portfolio
    if portfolio is None:
        return view
    view.mode = portfolio.mode
    view.quote = portfolio.quote_currency
    view.equity = money(portfolio.equity)
    view.exposure = money(portfolio.totals.total_notional)
    view.free_cash = money(portfolio.free_cash)
    view.unrealized_pnl = money(portfolio.totals.total_unrealized_pnl)
    view.num_positions = portfolio.totals.num_open_positions
    view.positions = [
        PositionRow(p.symbol, p.side, amount(p.size), money(p.notional), money(p.unrealized_pnl),
                    "bad" if p.unrealized_pnl < 0 else "ok",
                    "n/a" if p.realized_pnl is None else money(p.realized_pnl))
        for p in portfolio.positions
    ]
    risk = portfolio.risk
    if risk is not None:
        view.risk_severity = risk.severity.value
        view.risk_tone = tone(risk.severity.value)
        view.risk_verdict = "allowed" if risk.allowed else "NOT allowed"
        view.risk_reasons = list(risk.reasons)
        view.limits = [
            LimitRow(d.limit_name, d.symbol or "", _limit_value(d, d.current_value), _limit_value(d, d.limit_value),
                     f"{d.ratio:.0%}", d.severity.value, tone(d.severity.value), d.message)
            for d in risk.limit_details
        ]
        view.chart = exposure_chart(risk.limit_details, portfolio.quote_currency)
    return view
