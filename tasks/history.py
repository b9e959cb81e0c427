"""History tasks: record a run's result, review a period, apply retention. They never fail the flow.

Recording is a side channel, like alerting: an unreachable database is logged as a warning and
the run keeps its own result and exit code (the next run records again).
"""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import TYPE_CHECKING

from prefect import get_run_logger, task
from prefect.cache_policies import NO_CACHE

from live_ops.errors import LiveOpsError
from live_ops.runs import RunContext, history
from live_ops.store import Pruned

if TYPE_CHECKING:
    from live_ops.reporting.review import Review


@task(name="record-history", cache_policy=NO_CACHE)
async def record_history(ctx: RunContext, result: history.Recordable | None) -> int | None:
    """Append `result` to the history of `[state]`; return the record's id (None: not recorded)."""
    try:
        # SQLite may wait on a concurrent writer, PostgreSQL is a network round trip: off the event loop
        record_id = await asyncio.to_thread(history.record, ctx, result)
    except LiveOpsError as exc:
        get_run_logger().warning("history not recorded (the run goes on): %s", exc)
        return None
    if record_id is not None:
        get_run_logger().info("recorded %s in the history (#%d)", type(result).__name__, record_id)
    return record_id


@task(name="review-period", cache_policy=NO_CACHE)
async def review_period(ctx: RunContext, period: str | None, now: datetime) -> Review | None:
    """Return the Period Review of `period` ending at `now` from the history (None: no period asked)."""
    review = await asyncio.to_thread(history.review, ctx, period, now)
    if review is not None:
        get_run_logger().info("period review %s: %d snapshots, %d health runs, %d alert codes%s", period,
                              review.snapshots, review.health.runs, len(review.alerts),
                              "".join(f"; {note}" for note in review.notes))
    return review


@task(name="prune-history", cache_policy=NO_CACHE)
async def prune_history(ctx: RunContext, now: datetime) -> Pruned | None:
    """Delete history older than `[state].keep_days` (kept reports stay); never fails the flow."""
    try:
        pruned = await asyncio.to_thread(history.prune, ctx, now)
    except LiveOpsError as exc:
        get_run_logger().warning("history retention skipped (the run goes on): %s", exc)
        return None
    if pruned is not None:
        get_run_logger().info("history retention: removed %s",
                              ", ".join(f"{n} {table}" for table, n in pruned.rows.items() if n) or "nothing")
    return pruned
