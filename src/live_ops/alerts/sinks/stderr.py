"""The `stderr` sink: one line per event on standard error (stdout stays clean for --json)."""

from __future__ import annotations

import sys
import time
from typing import TextIO

from live_ops.alerts.events import AlertEvent
from live_ops.alerts.sinks.base import DeliveryResult


def format_line(event: AlertEvent) -> str:
    """Return the one-line terminal form of `event`."""
    return f"[ALERT {event.level.value}] {event.ts:%Y-%m-%d %H:%M:%S}Z {event.source} {event.code}: {event.message}"


class StderrSink:
    """Writes `format_line(event)` to `stream` (default: the process's stderr at send time)."""

    name = "stderr"
    local = True  # answers at once: never waits on the network or the time budget
    target = "stderr"

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream

    def send(self, event: AlertEvent) -> DeliveryResult:
        """Write the event's line; return `sent`, or `failed` when the stream is closed or broken."""
        started = time.perf_counter()
        stream = self.stream or sys.stderr
        try:
            stream.write(format_line(event) + "\n")
            stream.flush()
        except (OSError, ValueError) as exc:  # closed pipe / closed file
            return DeliveryResult(self.name, self.target, "failed", attempts=1, detail=f"cannot write: {exc}",
                                  duration_ms=(time.perf_counter() - started) * 1000)
        return DeliveryResult(self.name, self.target, "sent", attempts=1,
                              duration_ms=(time.perf_counter() - started) * 1000)
