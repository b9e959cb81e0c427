"""Retry policy shared by the tasks that read the exchange: transient errors only, never auth."""

from __future__ import annotations

from typing import Any

from live_ops.errors import ExchangeError

EXCHANGE_RETRIES = 2
EXCHANGE_RETRY_DELAYS = [1.0, 4.0]  # exponential backoff between attempts, seconds


def retry_transient_exchange_errors(task: Any, task_run: Any, state: Any) -> bool:
    """Prefect `retry_condition_fn`: retry outages, timeouts and throttling; never auth or bad input."""
    # Prefect hands over `Failed(data=<the exception>)`; reading it directly (not `state.result()`,
    # which is a coroutine inside async tasks) works the same for sync and async tasks
    error = getattr(state, "data", None)
    return isinstance(error, ExchangeError) and error.transient
