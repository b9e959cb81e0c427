"""`live-ops history`: what the history store recorded, newest first. No Prefect needed."""

from __future__ import annotations

import argparse
from typing import Any

from live_ops import clock
from live_ops.cli import Outcome, config_path
from live_ops.cli.alerts import parse_age


def _summary(record: Any) -> str:
    """Return the one-line gist of a record for the terminal."""
    if record.kind == "health":
        said = next((f" — {name}: {lines[0]}" for name, lines in record.messages.items() if lines), "")
        return (f"{record.overall_status}: " + " · ".join(f"{name} {status}" for name, status in record.checks.items())
                + said)
    if record.kind == "portfolio":
        pnl = f" · daily PnL {record.daily_pnl:+,.2f}" if record.daily_pnl is not None else ""
        return (f"equity {record.equity:,.2f} {record.quote_currency} · exposure {record.total_exposure:,.2f} · "
                f"{record.open_positions} positions{pnl} · risk {record.risk_severity or 'not evaluated'}")
    if record.kind == "orders":
        return (f"{record.name}: {record.num_orders} orders of {record.num_signals} signals"
                f"{', BLOCKED' if record.blocked else ''} · risk {record.severity or 'skipped'}")
    kept = " (kept)" if record.kept else ""
    period = f" · review {record.period}" if record.period else ""
    return f"{record.name}{kept}{period}"


def _json(record: Any) -> dict[str, Any]:
    data = record.model_dump(mode="json")
    return {"kind": data.pop("kind"), "at": data.pop("at"), "headline": data.pop("headline"), **data}


def run(args: argparse.Namespace) -> Outcome:
    from live_ops.config import load_config
    from live_ops.console import render, table
    from live_ops.store import Store

    age = parse_age(args.since)
    config = load_config(config_path(args))
    since = clock.now() - age
    records = Store.at(config.state).history(since, kind=args.kind)
    payload = {
        "since": since.isoformat().replace("+00:00", "Z"),
        "kind": args.kind,
        "count": len(records),
        "records": [_json(r) for r in records],
    }
    what = f"{args.kind} records" if args.kind else "records"
    if not records:
        return Outcome(payload, f"No {what} since {since:%Y-%m-%d %H:%M} UTC.")
    text = render(table(["time (UTC)", "kind", "headline", "host", "what"],
                        [(f"{r.at:%Y-%m-%d %H:%M:%S}", r.kind, r.headline, r.host, _summary(r)) for r in records]))
    return Outcome(payload, text + f"\n{len(records)} {what} since {since:%Y-%m-%d %H:%M} UTC, newest first")
