"""Retry policy shared by the tasks that read the exchange: transient errors only, never auth.

The exchange's own back-off wins over ours: when it said `Retry-After: 5` (or Binance's
`retryAfter`), the retry starts no earlier than that, however short our delay would have been.
"""

from __future__ import annotations

import asyncio
from typing import Any

from live_ops.errors import ExchangeError

EXCHANGE_RETRIES = 2
EXCHANGE_RETRY_DELAYS = [1.0, 4.0]  # exponential backoff between attempts, seconds
#: a Retry-After longer than this is not waited for inside a run: the run fails and says when to retry
MAX_RETRY_AFTER_S = 30.0


def retry_wait_s(error: BaseException | None) -> float | None:
    """Return the extra seconds to wait before retrying after `error`, or None when it is not retried.

    Prefect waits at least the shortest of EXCHANGE_RETRY_DELAYS on its own; the extra makes the
    total reach the exchange's Retry-After.
    """
    if not isinstance(error, ExchangeError) or not error.transient:
        return None
    asked = error.retry_after_s or 0.0
    if asked > MAX_RETRY_AFTER_S:
        return None
    return max(0.0, asked - min(EXCHANGE_RETRY_DELAYS))


async def retry_transient_exchange_errors(task: Any, task_run: Any, state: Any) -> bool:
    """Prefect `retry_condition_fn`: retry outages, timeouts and throttling; never auth or bad input."""
    # Prefect hands over `Failed(data=<the exception>)`; reading it directly (not `state.result()`,
    # which is a coroutine inside async tasks) works the same for sync and async tasks
    wait = retry_wait_s(getattr(state, "data", None))
    if wait is None:
        return False
    if wait:
        await asyncio.sleep(wait)  # the exchange named the time: honour it before Prefect's own delay
    return True
