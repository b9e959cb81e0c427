"""A year at the default schedules, written through the project's own code (for bench/dashboard.py).

- the alert history: a persisting WARNING re-raised by every half-hourly health run (17,520 events,
  each with its deliveries), as dedup records them;
- the report archive as retention leaves it: 90 days of daily reports and the weekly ones
  (Markdown, HTML and the JSON sidecar each).
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta
from pathlib import Path

from live_ops.alerts.events import AlertEvent, AlertLevel
from live_ops.alerts.history import AlertHistory
from live_ops.alerts.sinks.base import DeliveryResult
from live_ops.config import load_config
from live_ops.reporting import archive_report, maintain_archive, render_report, report_stem

REPO = Path(__file__).resolve().parents[1]
HEALTH_RUNS = 17_520
KEEP_DAYS = 90


def _config(root: Path):  # noqa: ANN202 - a LiveOpsConfig
    text = (REPO / "config" / "config.toml").read_text()
    text = text.replace('path = "reports/live_ops.db"', f'path = "{(root / "state.db").as_posix()}"')
    text = text.replace('output_dir = "reports/live_status"', f'output_dir = "{(root / "reports").as_posix()}"')
    path = root / "config.toml"
    path.write_text(text)
    return path, load_config(path)


def write_year(root: Path, now: datetime) -> tuple[object, dict[str, int]]:
    """Write the year under `root`; return the config and the counts written."""
    from tests.reporting.builders import make_snapshot

    path, config = _config(root)
    history = AlertHistory(config.state.path)
    start = now - timedelta(minutes=30 * HEALTH_RUNS)
    for i in range(HEALTH_RUNS):
        at = start + timedelta(minutes=30 * i)
        event = AlertEvent(ts=at, level=AlertLevel.WARNING, source="health", code="HEALTH_DEGRADED",
                           subject="alerts", message="health DEGRADED: alerts: webhook listed but no URL",
                           context={"run": i})
        status = "sent" if i % 2 == 0 else "deduplicated"
        history.record(event, [DeliveryResult(sink="log", target="-", status=status, attempts=1, detail="",
                                              duration_ms=0.1)])
    base = make_snapshot(path, tag="daily", generated_at=now)
    reports = 0
    for day in range(KEEP_DAYS, -1, -1):
        at = (now - timedelta(days=day)).replace(hour=7, minute=0, second=0, microsecond=0)
        if at > now:
            continue
        portfolio = base.portfolio.model_copy(update={"as_of": at, "equity": 10_000 + 400 * math.sin(day / 5)})
        health = base.health.model_copy(update={"checked_at": at})
        for tag in ("daily", "weekly") if at.weekday() == 0 else ("daily",):
            snap = base.model_copy(update={"generated_at": at, "tag": tag, "portfolio": portfolio, "health": health})
            rendered = render_report(snap, "both")
            archive_report(config.reports.output_dir, report_stem(at, tag), rendered.documents("both"),
                           snap.sidecar_json())
            reports += 1
    maintain_archive(config.reports.output_dir, KEEP_DAYS, now)
    return config, {"alert_events": HEALTH_RUNS, "reports": reports}
