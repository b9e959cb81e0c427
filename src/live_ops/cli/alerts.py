"""`live-ops alerts`: the alert history from the state database, newest first. No Prefect needed."""

from __future__ import annotations

import argparse
import re
from datetime import timedelta

from live_ops import clock
from live_ops.cli import Outcome, config_path
from live_ops.errors import UsageError

_AGE = re.compile(r"^\s*(\d+)\s*([mhdw])\s*$", re.IGNORECASE)
_SECONDS = {"m": 60, "h": 3600, "d": 86_400, "w": 604_800}
MAX_AGE = timedelta(days=36_500)  # a century: anything older overflows datetime arithmetic


def parse_age(text: str) -> timedelta:
    """Return the age `text` names (30m, 24h, 7d, 2w); raises UsageError for anything else."""
    match = _AGE.match(text or "")
    if not match or int(match.group(1)) <= 0:
        raise UsageError(f"--since: expected a positive number with a unit m, h, d or w (30m, 24h, 7d), got {text!r}")
    seconds = int(match.group(1)) * _SECONDS[match.group(2).lower()]  # int: no overflow before the check
    if seconds > MAX_AGE.total_seconds():
        raise UsageError(f"--since: at most {MAX_AGE.days} days, got {text!r}")
    return timedelta(seconds=seconds)


def delivery_text(deliveries: list[dict[str, object]]) -> str:
    """Return the delivery of one alert in a few characters: `sent`, `webhook[0] failed`, `-`."""
    if not deliveries:
        return "-"
    if all(d.get("status") == "sent" for d in deliveries):
        return "sent"
    return ", ".join(f"{d.get('sink')} {d.get('status')}" for d in deliveries if d.get("status") != "sent")


def run(args: argparse.Namespace) -> Outcome:
    from live_ops.alerts import AlertHistory, AlertLevel
    from live_ops.config import load_config
    from live_ops.console import render, table, verdict

    age = parse_age(args.since)
    if args.limit <= 0:
        raise UsageError(f"--limit: expected a positive number, got {args.limit}")
    config = load_config(config_path(args))
    since = clock.now() - age
    level = AlertLevel.parse(args.level) if args.level else None
    rows = AlertHistory(config.state).query(since=since, min_level=level, limit=args.limit)
    payload = {
        "since": since.isoformat().replace("+00:00", "Z"),
        "min_level": level.value if level else None,
        "limit": args.limit,
        "count": len(rows),
        "alerts": [row.model_dump(mode="json") for row in rows],
    }
    if not rows:
        text = f"No alerts since {since:%Y-%m-%d %H:%M} UTC" + (f" at {level.value} or above" if level else "") + "."
    else:
        text = render(table(
            ["time (UTC)", "level", "code", "delivery", "message"],
            [(f"{r.ts:%m-%d %H:%M}", verdict(r.level.value), r.code, delivery_text(r.deliveries), r.message)
             for r in rows],
        )) + f"\n{len(rows)} alert(s) since {since:%Y-%m-%d %H:%M} UTC, newest first"
    return Outcome(payload, text)
