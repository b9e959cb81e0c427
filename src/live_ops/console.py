"""Plain-text views of results for the terminal: what `live-ops` prints without --json."""

from __future__ import annotations

from collections.abc import Sequence

from live_ops.health import HealthReport
from live_ops.portfolio import PortfolioSnapshot
from live_ops.risk import RiskResult

_MARK = {"pass": "ok  ", "warn": "WARN", "fail": "FAIL"}


def table(headers: Sequence[str], rows: Sequence[Sequence[object]], right: Sequence[int] = ()) -> str:
    """Return an aligned text table; columns whose index is in `right` are right-aligned."""
    cells = [[str(h) for h in headers]] + [[str(c) for c in row] for row in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]

    def line(row: list[str]) -> str:
        return "  ".join(c.rjust(w) if i in right else c.ljust(w) for i, (c, w) in enumerate(zip(row, widths))).rstrip()

    return "\n".join([line(cells[0]), line(["-" * w for w in widths]), *(line(r) for r in cells[1:])])


def num(value: float, places: int = 2) -> str:
    """Return `value` with thousands separators."""
    return f"{value:,.{places}f}"


def health_text(report: HealthReport) -> str:
    """Return the health report as the operator reads it in a terminal."""
    lines = [f"Health: {report.overall_status}  (mode {report.mode or '?'}, {report.checked_at:%Y-%m-%d %H:%M:%S} UTC)"]
    for check in report.checks:
        lines.append(f"  [{_MARK[check.status]}] {check.name:<10} {check.duration_ms:8.1f} ms")
        lines.extend(f"         {message}" for message in check.messages)
    return "\n".join(lines)


def risk_text(risk: RiskResult) -> str:
    """Return the risk verdict and every limit that is not OK (all limits when everything is OK)."""
    verdict = "allowed" if risk.allowed else "NOT allowed"
    lines = [f"Risk: {risk.severity.value} ({verdict})"]
    shown = [d for d in risk.limit_details if d.severity.value != "OK"]
    lines.extend(f"  {d.severity.value:<7} {d.message}" for d in shown)
    if not shown:
        lines.extend(f"  {reason}" for reason in risk.reasons)
        lines.append(f"  {len(risk.limit_details)} limits checked, all within bounds")
    return "\n".join(lines)


def portfolio_text(snapshot: PortfolioSnapshot) -> str:
    """Return the portfolio snapshot as a header, a positions table and the risk verdict."""
    ccy = snapshot.quote_currency
    t = snapshot.totals
    lines = [
        f"Portfolio ({snapshot.mode}, {snapshot.as_of:%Y-%m-%d %H:%M:%S} UTC)",
        f"  equity {num(snapshot.equity)} {ccy}   free cash {num(snapshot.free_cash)} {ccy}   "
        f"exposure {num(t.total_notional)} {ccy}   unrealized PnL {num(t.total_unrealized_pnl)} {ccy}",
        "",
    ]
    if snapshot.positions:
        rows = [
            (p.symbol, p.side, f"{p.size:g}", num(p.entry_price, 4), num(p.mark_price, 4), num(p.notional),
             num(p.unrealized_pnl), "n/a" if p.realized_pnl is None else num(p.realized_pnl))
            for p in snapshot.positions
        ]
        lines.append(table(["symbol", "side", "size", "entry", "mark", "notional", "uPnL", "rPnL"], rows,
                           right=(2, 3, 4, 5, 6, 7)))
    else:
        lines.append("  no open positions")
    if snapshot.risk is not None:
        lines += ["", risk_text(snapshot.risk)]
    return "\n".join(lines)
