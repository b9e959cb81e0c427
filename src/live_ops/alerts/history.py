"""The alert history: every event and its outcome per sink, in the state database.

Two tables in the same SQLite file as the equity ledger (`[state].path`). Each event and its
deliveries are written in one `BEGIN IMMEDIATE` transaction, so two processes writing at once
(daily and weekly runs at the same minute) queue on SQLite's lock (WAL + busy timeout) instead
of interleaving or losing rows. Timestamps are stored as fixed-width UTC text so that string
order is time order.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field

from live_ops.alerts.events import AlertEvent, AlertLevel, OpenAlert
from live_ops.alerts.sinks.base import DeliveryResult
from live_ops.errors import StateError
from live_ops.state import connect

SCHEMA = """
CREATE TABLE IF NOT EXISTS alert_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    ts TEXT NOT NULL,              -- UTC, YYYY-MM-DDTHH:MM:SS.ffffffZ
    level TEXT NOT NULL,           -- INFO | WARNING | CRITICAL
    level_rank INTEGER NOT NULL,   -- 0 | 1 | 2, for --level filters
    source TEXT NOT NULL,
    code TEXT NOT NULL,
    subject TEXT NOT NULL,
    message TEXT NOT NULL,
    context TEXT NOT NULL,         -- JSON object
    recovers TEXT                  -- level of the alert a recovery closes
);
CREATE INDEX IF NOT EXISTS alert_events_ts ON alert_events(ts);
CREATE INDEX IF NOT EXISTS alert_events_subject ON alert_events(source, subject, ts);
CREATE TABLE IF NOT EXISTS alert_deliveries (
    event_id INTEGER NOT NULL REFERENCES alert_events(id),
    sink TEXT NOT NULL,            -- log | stderr | webhook[0] | slack[0] | -
    target TEXT NOT NULL,          -- host only, never a URL path or query
    status TEXT NOT NULL,          -- sent | deduplicated | failed | filtered
    attempts INTEGER NOT NULL,
    detail TEXT NOT NULL,
    duration_ms REAL NOT NULL,
    PRIMARY KEY (event_id, sink)
);
"""


def _ts(value: datetime) -> str:
    return value.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _parse_ts(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=timezone.utc)


class StoredAlert(BaseModel):
    """One history row: the event and what each sink did with it."""

    id: int
    ts: datetime
    level: AlertLevel
    source: str
    code: str
    subject: str
    message: str
    context: dict[str, Any] = Field(default_factory=dict)
    deliveries: list[dict[str, Any]] = Field(default_factory=list)


class AlertHistory:
    """Reads and appends the alert history in the SQLite file at `path`."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)

    @contextmanager
    def _conn(self, what: str) -> Iterator[sqlite3.Connection]:
        conn = connect(self.path, schemas=[SCHEMA])
        try:
            yield conn
        except sqlite3.Error as exc:
            raise StateError(f"{self.path}: cannot {what} the alert history ({exc})") from None
        finally:
            conn.close()

    def record(self, event: AlertEvent, deliveries: Sequence[DeliveryResult]) -> int:
        """Append `event` with its deliveries in one transaction; return the event's id."""
        with self._conn("write") as conn:
            conn.execute("BEGIN IMMEDIATE")
            try:
                cursor = conn.execute(
                    "INSERT INTO alert_events(ts, level, level_rank, source, code, subject, message, context, recovers)"
                    " VALUES (?,?,?,?,?,?,?,?,?)",
                    (_ts(event.ts), event.level.value, event.level.rank, event.source, event.code, event.subject,
                     event.message, json.dumps(event.context, default=str),
                     event.recovers.value if event.recovers else None),
                )
                event_id = int(cursor.lastrowid)
                conn.executemany(
                    "INSERT INTO alert_deliveries(event_id, sink, target, status, attempts, detail, duration_ms)"
                    " VALUES (?,?,?,?,?,?,?)",
                    [(event_id, d.sink, d.target, d.status, d.attempts, d.detail, d.duration_ms) for d in deliveries],
                )
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
        return event_id

    def last_sent(self, key: tuple[str, str, str], since: datetime) -> dict[str, AlertLevel]:
        """Return, per sink, the highest level at which `key` was sent since `since` and still stands.

        A send stops counting once the same sink was later told the opposite about the subject
        (a recovery after an alert, a new alert after a recovery): that news must go out again.
        """
        source, code, subject = key
        with self._conn("read") as conn:
            rows = conn.execute(
                "SELECT d.sink, MAX(e.level_rank) FROM alert_events e JOIN alert_deliveries d ON d.event_id = e.id"
                " WHERE e.source = ? AND e.code = ? AND e.subject = ? AND e.ts >= ? AND d.status = 'sent'"
                " AND NOT EXISTS (SELECT 1 FROM alert_events r JOIN alert_deliveries rd ON rd.event_id = r.id"
                "   WHERE r.source = e.source AND r.subject = e.subject AND r.id > e.id AND rd.sink = d.sink"
                "   AND rd.status = 'sent' AND (r.recovers IS NULL) != (e.recovers IS NULL))"
                " GROUP BY d.sink",
                (source, code, subject, _ts(since)),
            ).fetchall()
        by_rank = {level.rank: level for level in AlertLevel}
        return {sink: by_rank[rank] for sink, rank in rows}

    def open_alerts(self, source: str) -> list[OpenAlert]:
        """Return the subjects of `source` whose latest event is a WARNING or CRITICAL (not yet recovered)."""
        if not self.path.exists():
            return []
        with self._conn("read") as conn:
            rows = conn.execute(
                "SELECT e.subject, e.code, e.level, e.ts FROM alert_events e"
                " WHERE e.source = ? AND e.level_rank >= 1 AND e.id = ("
                "   SELECT x.id FROM alert_events x WHERE x.source = e.source AND x.subject = e.subject"
                "   ORDER BY x.ts DESC, x.id DESC LIMIT 1)",
                (source,),
            ).fetchall()
        return [OpenAlert(source, subject, code, AlertLevel(level), _parse_ts(ts)) for subject, code, level, ts in rows]

    def query(self, *, since: datetime, min_level: AlertLevel | None = None, limit: int = 50) -> list[StoredAlert]:
        """Return up to `limit` events since `since` at or above `min_level`, newest first, with deliveries."""
        if not self.path.exists():
            return []  # nothing was ever recorded; reading must not create the file
        selected = ("SELECT id FROM alert_events WHERE ts >= ? AND level_rank >= ?"
                    " ORDER BY ts DESC, id DESC LIMIT ?")
        params = (_ts(since), min_level.rank if min_level else 0, limit)
        with self._conn("read") as conn:
            conn.execute("BEGIN")  # one snapshot for both reads, whatever other writers do meanwhile
            events = conn.execute(
                "SELECT id, ts, level, source, code, subject, message, context FROM alert_events"
                f" WHERE id IN ({selected}) ORDER BY ts DESC, id DESC", params,
            ).fetchall()
            deliveries: dict[int, list[dict[str, Any]]] = {row[0]: [] for row in events}
            for event_id, sink, target, status, attempts, detail in conn.execute(
                "SELECT event_id, sink, target, status, attempts, detail FROM alert_deliveries"
                f" WHERE event_id IN ({selected}) ORDER BY event_id, sink", params,
            ):
                deliveries[event_id].append(
                    {"sink": sink, "target": target, "status": status, "attempts": attempts, "detail": detail})
            conn.execute("COMMIT")
        return [
            StoredAlert(id=i, ts=_parse_ts(ts), level=AlertLevel(level), source=source, code=code, subject=subject,
                        message=message, context=json.loads(context), deliveries=deliveries[i])
            for i, ts, level, source, code, subject, message, context in events
        ]
