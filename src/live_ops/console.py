"""Terminal views of results: what `live-ops` prints without --json.

Tables and colour go through `rich`; numbers and verdict colours through `live_ops.display`, so
the terminal reads like the report. Colour is on only when stdout is a terminal and `NO_COLOR`
is not set (https://no-color.org); a pipe or a file gets plain text.
"""

from __future__ import annotations

import io
import os
import shutil
import sys
from collections.abc import Sequence

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from live_ops.display import amount, headline_line, headline_reason, money, rich_style
from live_ops.health import HealthReport
from live_ops.portfolio import PortfolioSnapshot
from live_ops.risk import RiskResult
from live_ops.status import headline

_MARK = {"pass": "ok  ", "warn": "WARN", "fail": "FAIL"}
PLAIN_WIDTH = 100  # a pipe or a file: what `alerts` and the tables fit in


def colour_enabled(stream: object = None) -> bool:
    """Return whether to colour output on `stream` (stdout): a terminal, and NO_COLOR unset."""
    stream = stream or sys.stdout
    return bool(getattr(stream, "isatty", lambda: False)()) and not os.environ.get("NO_COLOR")


def render(*renderables: object, width: int | None = None) -> str:
    """Return `renderables` as terminal text (ANSI colour only when `colour_enabled()`)."""
    colour = colour_enabled()
    if width is None:
        width = shutil.get_terminal_size((PLAIN_WIDTH, 24)).columns if sys.stdout.isatty() else PLAIN_WIDTH
    console = Console(file=io.StringIO(), width=width, force_terminal=colour, no_color=not colour,
                      color_system="standard" if colour else None, highlight=False, emoji=False)
    for renderable in renderables:
        console.print(renderable)
    text = console.file.getvalue()  # type: ignore[attr-defined]
    return "\n".join(line.rstrip() for line in text.rstrip("\n").split("\n"))


def verdict(word: object) -> Text:
    """Return a verdict word in its colour."""
    return Text(str(getattr(word, "value", word)), style=rich_style(word))


def table(headers: Sequence[str], rows: Sequence[Sequence[object]], right: Sequence[int] = (),
          styles: Sequence[str | None] | None = None) -> Table:
    """Return a rich table; columns whose index is in `right` are right-aligned (numbers)."""
    grid = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, padding=(0, 1))
    for i, header in enumerate(headers):
        grid.add_column(header, justify="right" if i in right else "left", overflow="fold")
    for n, row in enumerate(rows):
        grid.add_row(*(c if isinstance(c, Text) else str(c) for c in row),
                     style=styles[n] if styles else None)
    return grid


def health_text(report: HealthReport) -> str:
    """Return the health report as the operator reads it in a terminal."""
    title = Text.assemble("Health: ", verdict(report.overall_status),
                          f"  (mode {report.mode or '?'}, {report.checked_at:%Y-%m-%d %H:%M:%S} UTC)")
    lines: list[object] = [title]
    for check in report.checks:
        lines.append(Text.assemble("  [", (_MARK[check.status], rich_style(check.status)), "] ",
                                   f"{check.name:<10} {check.duration_ms:8.1f} ms"))
        lines.extend(Text(f"         {message}") for message in check.messages)
    return render(*lines)


def _risk_lines(risk: RiskResult) -> list[object]:
    verdict_word = "allowed" if risk.allowed else "NOT allowed"
    lines: list[object] = [Text.assemble("Risk: ", verdict(risk.severity), f" ({verdict_word})")]
    shown = [d for d in risk.limit_details if d.severity.value != "OK"]
    lines.extend(Text.assemble("  ", (f"{d.severity.value:<7}", rich_style(d.severity)), f" {d.message}")
                 for d in shown)
    if not shown:
        lines.extend(Text(f"  {reason}") for reason in risk.reasons)
        lines.append(Text(f"  {len(risk.limit_details)} limits checked, all within bounds"))
    return lines


def risk_text(risk: RiskResult) -> str:
    """Return the risk verdict and every limit that is not OK (all limits when everything is OK)."""
    return render(*_risk_lines(risk))


def portfolio_text(snapshot: PortfolioSnapshot) -> str:
    """Return the portfolio: its headline, totals, a positions table and the risk verdict."""
    ccy = snapshot.quote_currency
    t = snapshot.totals
    parts: list[object] = []
    if snapshot.risk is not None:
        word = headline(None, snapshot.risk.severity)
        parts.append(Text(headline_line(word, headline_reason(word, risk=snapshot.risk)), style=rich_style(word)))
    parts += [
        Text(f"Portfolio ({snapshot.mode}, {snapshot.as_of:%Y-%m-%d %H:%M:%S} UTC)"),
        Text(f"  equity {money(snapshot.equity, ccy)}   free cash {money(snapshot.free_cash, ccy)}   "
             f"exposure {money(t.total_notional, ccy)}   unrealized PnL {money(t.total_unrealized_pnl, ccy)}"),
        Text(""),
    ]
    if snapshot.positions:
        rows = [
            (p.symbol, p.side, amount(p.size), money(p.entry_price), money(p.mark_price), money(p.notional),
             money(p.unrealized_pnl), money(p.realized_pnl))
            for p in snapshot.positions
        ]
        parts.append(table(["symbol", "side", "size", f"entry ({ccy})", f"mark ({ccy})", f"notional ({ccy})",
                            "uPnL", "rPnL"], rows, right=(2, 3, 4, 5, 6, 7)))
    else:
        parts.append(Text("  no open positions"))
    if snapshot.risk is not None:
        parts += [Text(""), *_risk_lines(snapshot.risk)]
    return render(*parts)
