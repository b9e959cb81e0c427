"""The history task: append one run's result to the history store. It never fails the flow.

Recording is a side channel, like alerting: an unreachable database is logged as a warning and
the run keeps its own result and exit code (the next run records again).
"""

from __future__ import annotations

import asyncio
from datetime import datetime

from prefect import get_run_logger, task
from prefect.cache_policies import NO_CACHE

from live_ops.config.models import LiveOpsConfig
from live_ops.errors import LiveOpsError
from live_ops.health import HealthReport
from live_ops.orders import OrderPreview
from live_ops.portfolio import PortfolioSnapshot
from live_ops.recording import ReportEntry
from live_ops.recording import prune_history as prune
from live_ops.recording import record_history as record
from live_ops.reporting import review as reviews
from live_ops.reporting.review import Review
from live_ops.store import Pruned


@task(name="record-history", cache_policy=NO_CACHE)
async def record_history(config: LiveOpsConfig | None,
                         result: HealthReport | PortfolioSnapshot | OrderPreview | ReportEntry | None) -> int | None:
    """Append `result` to the history of `[state]`; return the record's id (None: not recorded)."""
    if config is None or result is None:
        return None  # no config: no idea where the history lives; no result: nothing to record
    try:
        # SQLite may wait on a concurrent writer, PostgreSQL is a network round trip: off the event loop
        record_id = await asyncio.to_thread(record, config.state, result, config.mode)
    except LiveOpsError as exc:
        get_run_logger().warning("history not recorded (the run goes on): %s", exc)
        return None
    get_run_logger().info("recorded %s in the history (#%d)", type(result).__name__, record_id)
    return record_id


@task(name="review-period", cache_policy=NO_CACHE)
async def review_period(config: LiveOpsConfig | None, period: str | None, now: datetime) -> Review | None:
    """Return the Period Review of `period` ending at `now` from the history (None: no period asked)."""
    if config is None:
        return None
    review = await asyncio.to_thread(reviews.review_period, config.state, period, now)
    if review is not None:
        get_run_logger().info("period review %s: %d snapshots, %d health runs, %d alert codes%s", period,
                              review.snapshots, review.health.runs, len(review.alerts),
                              "".join(f"; {note}" for note in review.notes))
    return review


@task(name="prune-history", cache_policy=NO_CACHE)
async def prune_history(config: LiveOpsConfig | None, now: datetime) -> Pruned | None:
    """Delete history older than `[state].keep_days` (kept reports stay); never fails the flow."""
    if config is None:
        return None
    try:
        pruned = await asyncio.to_thread(prune, config.state, config.state.keep_days, now)
    except LiveOpsError as exc:
        get_run_logger().warning("history retention skipped (the run goes on): %s", exc)
        return None
    get_run_logger().info("history retention (%d days): removed %s", config.state.keep_days,
                          ", ".join(f"{n} {table}" for table, n in pruned.rows.items() if n) or "nothing")
    return pruned
