"""The `log` sink: an event becomes one Python logging record on `live_ops.alerts`."""

from __future__ import annotations

import logging
import time

from live_ops.alerts.events import AlertEvent, AlertLevel
from live_ops.alerts.sinks.base import DeliveryResult

_LOG_LEVEL = {AlertLevel.INFO: logging.INFO, AlertLevel.WARNING: logging.WARNING, AlertLevel.CRITICAL: logging.CRITICAL}


class LogSink:
    """Logs each event at the matching logging level (INFO, WARNING, CRITICAL)."""

    name = "log"
    local = True  # answers at once: never waits on the network or the time budget

    def __init__(self, logger: logging.Logger | None = None, *, on_stderr: bool = False) -> None:
        self.logger = logger or logging.getLogger("live_ops.alerts")
        # the `stderr` sink prints the same alert: a terminal may drop this record (the CLI does)
        self.on_stderr = on_stderr
        self.target = f"logger:{self.logger.name}"

    def send(self, event: AlertEvent) -> DeliveryResult:
        """Log `event`; return a `sent` result."""
        started = time.perf_counter()
        self.logger.log(_LOG_LEVEL[event.level], "ALERT %s %s %s [%s]: %s", event.level.value, event.source,
                        event.code, event.subject, event.message, extra={"live_ops_on_stderr": self.on_stderr})
        return DeliveryResult(self.name, self.target, "sent", attempts=1,
                              duration_ms=(time.perf_counter() - started) * 1000)
