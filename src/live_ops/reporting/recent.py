"""The report's recent alerts: read from the alert history, one row per alert."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from live_ops.alerts.history import AlertHistory
from live_ops.reporting.snapshot import AlertRow, collapse_alerts

RECENT_ALERTS_WINDOW = timedelta(days=7)
RECENT_ALERTS_LIMIT = 20
# a week of half-hourly health runs re-raising a persistent condition stays well inside this
HISTORY_SCAN_LIMIT = 5_000


def recent_alerts(state_path: Path | str | Any, now: datetime, *, window: timedelta = RECENT_ALERTS_WINDOW,
                  limit: int = RECENT_ALERTS_LIMIT) -> list[AlertRow]:
    """Return up to `limit` distinct alerts raised since `now - window`, newest first, with repeat counts.

    Raises StateError when the history cannot be read.
    """
    stored = AlertHistory(state_path).query(since=now - window, limit=HISTORY_SCAN_LIMIT)
    return collapse_alerts([AlertRow.from_record(alert) for alert in stored], limit)
