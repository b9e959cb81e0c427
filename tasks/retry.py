"""Retry policy shared by the tasks that read the exchange: transient errors only, never auth."""

from __future__ import annotations

from typing import Any

from live_ops.errors import ExchangeError

EXCHANGE_RETRIES = 2
EXCHANGE_RETRY_DELAYS = [1.0, 4.0]  # exponential backoff between attempts, seconds


def retry_transient_exchange_errors(task: Any, task_run: Any, state: Any) -> bool:
    """Prefect `retry_condition_fn`: retry outages, timeouts and throttling; never auth or bad input."""
    try:
        state.result()
    except ExchangeError as exc:
        return exc.transient
    except Exception:  # noqa: BLE001 - anything that is not an exchange fault is not retried
        return False
    return False
