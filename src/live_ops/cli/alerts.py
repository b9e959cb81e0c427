"""`live-ops alerts`: the alert history from the state database, newest first. No Prefect needed."""

from __future__ import annotations

import argparse
import re
from datetime import datetime, timedelta, timezone

from live_ops.cli import Outcome, config_path
from live_ops.errors import UsageError

_AGE = re.compile(r"^\s*(\d+)\s*([mhdw])\s*$", re.IGNORECASE)
_UNIT = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}


def parse_age(text: str) -> timedelta:
    """Return the age `text` names (30m, 24h, 7d, 2w); raises UsageError for anything else."""
    match = _AGE.match(text or "")
    if not match or int(match.group(1)) <= 0:
        raise UsageError(f"--since: expected a positive number with a unit m, h, d or w (30m, 24h, 7d), got {text!r}")
    return timedelta(**{_UNIT[match.group(2).lower()]: int(match.group(1))})


def run(args: argparse.Namespace) -> Outcome:
    from live_ops.alerts import AlertHistory, AlertLevel
    from live_ops.config import load_config
    from live_ops.console import table

    age = parse_age(args.since)
    if args.limit <= 0:
        raise UsageError(f"--limit: expected a positive number, got {args.limit}")
    config = load_config(config_path(args))
    since = datetime.now(timezone.utc) - age
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
        text = table(
            ["time (UTC)", "level", "source", "code", "subject", "delivery", "message"],
            [(f"{r.ts:%Y-%m-%d %H:%M:%S}", r.level.value, r.source, r.code, r.subject or "-",
              " ".join(f"{d['sink']}:{d['status']}" for d in r.deliveries) or "-", r.message)
             for r in rows],
        ) + f"\n{len(rows)} alert(s) since {since:%Y-%m-%d %H:%M} UTC, newest first"
    return Outcome(payload, text)
