"""Plain-text view of an order preview for the terminal (what `live-ops orders` prints without --json).

Long batches are cut to the first rows of each table: a 100k-line table helps nobody, and
the complete list is in `--json` and `--out`.
"""

from __future__ import annotations

from live_ops.console import render, risk_text, table
from live_ops.display import money, price
from live_ops.orders.export import plain
from live_ops.orders.preview import OrderPreview

MAX_ROWS = 50


def _more(total: int, shown: int, what: str, where: str = "--json") -> list[str]:
    return [f"  ... and {total - shown:,} more {what} (all of them are in {where})"] if total > shown else []


def _risk(preview: OrderPreview) -> str:
    risk = preview.risk
    assert risk is not None
    flagged = [d for d in risk.limit_details if d.severity.value != "OK"]
    if len(flagged) <= MAX_ROWS:
        return risk_text(risk)
    verdict = "allowed" if risk.allowed else "NOT allowed"
    lines = [f"Risk: {risk.severity.value} ({verdict})"]
    lines += [f"  {d.severity.value:<7} {d.message}" for d in flagged[:MAX_ROWS]]
    return "\n".join(lines + _more(len(flagged), MAX_ROWS, "limit findings"))


def preview_text(preview: OrderPreview) -> str:
    """Return the preview as a header, an orders table, a skipped-signals table and the risk verdict."""
    ccy = preview.quote_currency
    lines = [
        (f"Order preview {preview.preview_name} ({preview.created_at:%Y-%m-%d %H:%M:%S} UTC) - preview only, "
        "nothing is sent"),
        (f"  {preview.num_signals:,} signals -> {preview.num_orders:,} orders, {len(preview.skipped):,} skipped; "
        f"{money(preview.notional_per_order, ccy)} per order, {money(preview.total_notional, ccy)} in total"),
        "",
    ]
    if preview.orders:
        shown = preview.orders[:MAX_ROWS]
        rows = [(o.row, o.client_order_id, o.symbol, o.side, plain(o.quantity), price(o.price), money(o.notional))
                for o in shown]
        lines.append(render(table(["row", "client_order_id", "symbol", "side", "quantity", f"price ({ccy})",
                                   f"notional ({ccy})"], rows, right=(0, 4, 5, 6))))
        lines += _more(len(preview.orders), len(shown), "orders", "--json and --out")
    else:
        lines.append("  no orders")
    if preview.skipped:
        shown_skipped = preview.skipped[:MAX_ROWS]
        lines += ["", "Skipped signals:"]
        lines.append(render(table(["row", "symbol", "reason"], [(s.row, s.symbol, s.reason) for s in shown_skipped],
                                  right=(0,))))
        lines += _more(len(preview.skipped), len(shown_skipped), "skipped signals")
    lines.append("")
    if preview.risk is None:
        lines.append("Risk: not evaluated (--skip-live-risk)")
    else:
        lines.append(_risk(preview))
    if preview.blocked:
        lines.append("BLOCKED: a limit is breached and enforcement is on; do not send these orders")
        if preview.out_path is None:
            lines.append("  (--out was not written)")
    elif preview.out_path:
        lines.append(f"Orders written to {preview.out_path}")
    return "\n".join(lines)
