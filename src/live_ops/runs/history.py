"""The history steps: record a run's result, review a period, apply retention (SPEC §7–8)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from live_ops.health import HealthReport
from live_ops.orders import OrderPreview
from live_ops.portfolio import PortfolioSnapshot
from live_ops.recording import ReportEntry, prune_history, record_history
from live_ops.runs.context import RunContext
from live_ops.store import Pruned

if TYPE_CHECKING:
    from live_ops.reporting.review import Review

Recordable = HealthReport | PortfolioSnapshot | OrderPreview | ReportEntry


def record(ctx: RunContext, result: Recordable | None) -> int | None:
    """Append `result` to the run's history; return its id (None: no config, hence no history, or no result).

    Raises StateError when the history cannot be written.
    """
    config = ctx.loaded_config()
    if config is None or result is None:
        return None
    return record_history(config.state, result, config.mode)


def review(ctx: RunContext, period: str | None, now: datetime) -> Review | None:
    """Return the Period Review of `period` ending at `now` (None: no period asked, or no config)."""
    from live_ops.reporting.review import review_period  # the report package: only where a period is reviewed

    config = ctx.loaded_config()
    return None if config is None else review_period(config.state, period, now)


def prune(ctx: RunContext, now: datetime) -> Pruned | None:
    """Delete history older than `[state].keep_days` (kept reports stay); None without a config."""
    config = ctx.loaded_config()
    return None if config is None else prune_history(config.state, config.state.keep_days, now)
