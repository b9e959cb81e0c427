"""The embedded state database (`[state].path`, SQLite via the standard library).

One file holds the equity ledger (start-of-day equity) and, through other modules, the alert
history. Concurrent runs (the daily and weekly report at the same minute) are safe: WAL mode,
a busy timeout, and single-statement writes that are idempotent per key.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterable
from datetime import datetime, timezone
from pathlib import Path

from live_ops.errors import StateError

BUSY_TIMEOUT_S = 15.0

_SCHEMA = """
CREATE TABLE IF NOT EXISTS equity_snapshots (
    day TEXT PRIMARY KEY,          -- UTC day, YYYY-MM-DD
    equity REAL NOT NULL,          -- first equity seen that day
    quote_currency TEXT NOT NULL,
    recorded_at TEXT NOT NULL      -- ISO-8601 UTC
);
"""


def connect(path: Path | str, schemas: Iterable[str] = ()) -> sqlite3.Connection:
    """Return a connection to the state database at `path`, creating file, folder and schema."""
    path = Path(path)
    deadline = time.monotonic() + BUSY_TIMEOUT_S
    delay = 0.01
    while True:
        conn = None
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            for schema in (_SCHEMA, *schemas):
                conn.executescript(schema)
            return conn
        except sqlite3.OperationalError as exc:
            if conn is not None:
                conn.close()
            # switching a new file to WAL needs an exclusive lock, and SQLite reports that contention
            # as "locked" at once, without its busy handler: two first runs at the same minute meet here
            transient = "locked" in str(exc) or "busy" in str(exc)
            if not transient or time.monotonic() > deadline:
                raise StateError(f"{path}: cannot open state database ({exc})") from None
            time.sleep(delay)
            delay = min(delay * 2, 0.2)
        except (sqlite3.Error, OSError) as exc:
            if conn is not None:
                conn.close()
            raise StateError(f"{path}: cannot open state database ({exc})") from None


class EquityLedger:
    """Start-of-day equity per UTC day: the base of the daily-loss limits."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)

    def start_of_day(self, equity: float, quote_currency: str, now: datetime) -> float:
        """Record `equity` if it is the day's first snapshot; return the day's first equity."""
        now = now.astimezone(timezone.utc)
        day = now.date().isoformat()
        conn = connect(self.path)
        try:
            conn.execute(
                "INSERT OR IGNORE INTO equity_snapshots(day, equity, quote_currency, recorded_at) VALUES (?,?,?,?)",
                (day, equity, quote_currency, now.isoformat()),
            )
            row = conn.execute("SELECT equity FROM equity_snapshots WHERE day = ?", (day,)).fetchone()
        except sqlite3.Error as exc:
            raise StateError(f"{self.path}: cannot record start-of-day equity ({exc})") from None
        finally:
            conn.close()
        return float(row[0])
