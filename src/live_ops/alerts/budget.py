"""The alert time budget of one run: every dispatch of a run together waits at most `total_s`.

A run dispatches more than once (health alerts, then risk alerts, then perhaps a failure alert);
each dispatch draws from the same budget, so a dead channel holds a pre-session check for at
most `ALERT_BUDGET_S` in all, whatever `timeout_seconds` and `retries` say. Local sinks (log,
stderr) deliver whatever is left. `for_run(key)` hands out one budget per run key (a Prefect
root flow run id), kept for `KEEP_S` so that a long-lived `serve` process does not grow.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

ALERT_BUDGET_S = 15.0
KEEP_S = 3600.0


class AlertBudget:
    """Seconds of waiting on network sinks that a run may still spend."""

    def __init__(self, total_s: float = ALERT_BUDGET_S) -> None:
        self.total_s = total_s
        self._spent = 0.0
        self._lock = threading.Lock()

    def remaining(self) -> float:
        """Return the seconds left (never below 0)."""
        with self._lock:
            return max(0.0, self.total_s - self._spent)

    def spend(self, seconds: float) -> None:
        """Count `seconds` of waiting against the budget."""
        with self._lock:
            self._spent += max(0.0, seconds)


_runs: dict[str, tuple[float, AlertBudget]] = {}
_runs_lock = threading.Lock()


def for_run(key: str | None, *, clock: Callable[[], float] = time.monotonic) -> AlertBudget:
    """Return the budget of run `key` (a new one for None); forget runs older than an hour."""
    if not key:
        return AlertBudget()
    now = clock()
    with _runs_lock:
        for old in [k for k, (at, _) in _runs.items() if now - at > KEEP_S]:
            del _runs[old]
        if key not in _runs:
            _runs[key] = (now, AlertBudget())
        return _runs[key][1]
