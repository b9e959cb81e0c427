"""The metrics textfile task: the last step of every flow run."""

from __future__ import annotations

import asyncio

from prefect import get_run_logger, task
from prefect.cache_policies import NO_CACHE

from live_ops.errors import LiveOpsError
from live_ops.metrics import export_metrics
from live_ops.runs import RunContext


@task(name="write-metrics-textfile", cache_policy=NO_CACHE)
async def write_metrics_textfile(ctx: RunContext) -> str | None:
    """Write `[metrics] textfile` for node_exporter; a failure is a warning, never the run's failure."""
    try:
        path = await asyncio.to_thread(export_metrics, ctx.loaded_config())
    except LiveOpsError as exc:
        get_run_logger().warning("metrics textfile not written: %s", exc)
        return None
    if path is not None:
        get_run_logger().info("metrics written to %s", path)
    return None if path is None else str(path)


async def write_metrics(ctx: RunContext) -> str | None:
    """The last step of a flow: the textfile task when `[metrics] textfile` is set, else nothing (no task run)."""
    config = ctx.loaded_config()
    if config is None or not config.metrics.textfile:
        return None
    return await write_metrics_textfile(ctx)
