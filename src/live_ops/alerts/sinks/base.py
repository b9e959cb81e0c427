"""What every sink shares: the `Sink` protocol and the `DeliveryResult` it returns.

A sink is one channel (log, stderr, a webhook URL, a Slack URL). `send(event)` never raises:
every failure comes back as a `failed` result whose `detail` an operator can read and which
never holds a URL's path or query. `sink` names the channel instance (`webhook[0]`), `target`
where it points, host only.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Protocol

from live_ops.alerts.events import AlertEvent

# invalid: the sink could not even be built from the config (bad URL, unset env var, unknown Apprise scheme)
DeliveryStatus = Literal["sent", "failed", "deduplicated", "filtered", "invalid"]


@dataclass(frozen=True)
class DeliveryResult:
    """The outcome of one event on one sink."""

    sink: str  # log | stderr | webhook[0] | slack[1] ...
    target: str  # where it went, never more than scheme://host:port
    status: DeliveryStatus
    attempts: int = 0
    detail: str = ""
    duration_ms: float = 0.0

    def to_dict(self) -> dict[str, object]:
        """Return the result as a JSON-ready dict."""
        return {"sink": self.sink, "target": self.target, "status": self.status, "attempts": self.attempts,
                "detail": self.detail, "duration_ms": round(self.duration_ms, 3)}


class Sink(Protocol):
    """One alert channel."""

    name: str
    target: str

    def send(self, event: AlertEvent) -> DeliveryResult:
        """Deliver `event`; return how it went (never raises)."""
        ...


class InvalidSink:
    """A configured channel that could not be built: every event is recorded `invalid` with the reason.

    It stands in the sink list so the history and `health` say which channel is dead and why,
    instead of the channel silently missing (or, worse, its error silencing the others).
    """

    local = True  # answers at once: never waits on the network or the time budget

    def __init__(self, name: str, target: str, reason: str) -> None:
        self.name = name
        self.target = target
        self.reason = reason

    def send(self, event: AlertEvent) -> DeliveryResult:
        """Return an `invalid` result naming why this channel cannot deliver."""
        return DeliveryResult(self.name, self.target, "invalid", attempts=0, detail=self.reason)
