"""The equity ledger (start-of-day equity) in the history store (`live_ops.store`).

Kept as its own small seam because the risk check reads it: the day's first equity, recorded
once per UTC day whichever process or host gets there first (an `INSERT ... ON CONFLICT DO
NOTHING` on the day, then a read), on SQLite or on a shared PostgreSQL.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from live_ops.store import Store


class EquityLedger:
    """Start-of-day equity per UTC day: the base of the daily-loss limits."""

    def __init__(self, where: Store | Path | str | Any) -> None:
        """`where`: a Store, an SQLite path, or the `[state]` config table."""
        self.store = Store.at(where)

    def start_of_day(self, equity: float, quote_currency: str, now: datetime) -> float:
        """Record `equity` if it is the day's first snapshot; return the day's first equity."""
        return self.store.start_of_day(equity, quote_currency, now)
