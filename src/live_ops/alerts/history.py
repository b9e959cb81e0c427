"""The alert history: every event and its outcome per sink, in the history store.

The tables live in `live_ops.store` (`alert_events`, `alert_deliveries`); this module speaks
the alerts' own types (`AlertEvent`, `DeliveryResult`, `AlertLevel`) on top of it. Each event
and its deliveries are written in one transaction, so two processes writing at once queue
instead of interleaving or losing rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field

from live_ops.alerts.events import AlertEvent, AlertLevel, OpenAlert
from live_ops.alerts.sinks.base import DeliveryResult
from live_ops.store import Delivery, Store


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
    """Reads and appends the alert history of one store (a Store, an SQLite path or `[state]`)."""

    def __init__(self, where: Store | Path | str | Any) -> None:
        self.store = Store.at(where)

    @property
    def path(self) -> Path | None:
        return self.store.target.path

    def record(self, event: AlertEvent, deliveries: Sequence[DeliveryResult]) -> int:
        """Append `event` with its deliveries in one transaction; return the event's id."""
        return self.store.record_alert(
            ts=event.ts, level=event.level.value, level_rank=event.level.rank, source=event.source,
            code=event.code, subject=event.subject, message=event.message, context=event.context,
            recovers=event.recovers.value if event.recovers else None,
            deliveries=[Delivery(sink=d.sink, target=d.target, status=d.status, attempts=d.attempts,
                                 detail=d.detail, duration_ms=d.duration_ms) for d in deliveries],
        )

    def last_sent(self, key: tuple[str, str, str], since: datetime) -> dict[str, AlertLevel]:
        """Return, per sink, the highest level at which `key` was sent since `since` and still stands."""
        by_rank = {level.rank: level for level in AlertLevel}
        return {sink: by_rank[rank] for sink, rank in self.store.last_sent(*key, since).items()}

    def open_alerts(self, source: str) -> list[OpenAlert]:
        """Return the subjects of `source` whose latest event is a WARNING or CRITICAL (not yet recovered)."""
        return [OpenAlert(source, a.subject, a.code, AlertLevel(a.level), a.ts) for a in self.store.open_alerts(source)]

    def query(self, *, since: datetime, min_level: AlertLevel | None = None, limit: int = 50) -> list[StoredAlert]:
        """Return up to `limit` events since `since` at or above `min_level`, newest first, with deliveries."""
        rows = self.store.alerts(since, min_rank=min_level.rank if min_level else 0, limit=limit)
        return [
            StoredAlert(id=a.id, ts=a.ts, level=AlertLevel(a.level), source=a.source, code=a.code, subject=a.subject,
                        message=a.message, context=a.context,
                        deliveries=[d.model_dump(exclude={"duration_ms"}) for d in a.deliveries])
            for a in rows
        ]
