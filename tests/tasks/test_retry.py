"""The tasks' retry rule: transient exchange errors only, never earlier than the exchange's Retry-After."""

from __future__ import annotations

import pytest
from live_ops.tasks.retry import EXCHANGE_RETRY_DELAYS, MAX_RETRY_AFTER_S, retry_wait_s

from live_ops import errors


@pytest.mark.parametrize(
    ("error", "wait"),
    [
        (errors.ExchangeUnavailable("down"), 0.0),
        (errors.ExchangeTimeout("slow"), 0.0),
        (errors.ExchangeRateLimited("429"), 0.0),
        # Prefect waits the shortest delay itself: the extra makes up the rest of Retry-After
        (errors.ExchangeRateLimited("429", retry_after_s=5.0), 5.0 - min(EXCHANGE_RETRY_DELAYS)),
        (errors.ExchangeRateLimited("429", retry_after_s=0.5), 0.0),
        # longer than a run should sit waiting: fail now and say when
        (errors.ExchangeRateLimited("429", retry_after_s=MAX_RETRY_AFTER_S + 1), None),
        (errors.ExchangeBanned("418", retry_after_s=3.0), None),
        (errors.ExchangeAuthError("401"), None),
        (errors.ExchangeBadResponse("cut off"), None),
        (ValueError("not ours"), None),
        (None, None),
    ],
)
def test_retry_wait_honours_retry_after_and_never_retries_bans_or_auth(error, wait):
    assert retry_wait_s(error) == wait
