"""Run steps: one function per step an operator knows, each returning one result with every rule applied.

    context.RunContext          the config loaded once, ONE gateway per run, the alerter, the clock
    health.check_health         HealthReport (which checks run, which are skipped)
    portfolio.assess_portfolio  PortfolioSnapshot with the daily base and risk applied
    portfolio.report_portfolio  the report's portfolio, or why it has none
    orders.preview_orders       OrderPreview with risk on top of the portfolio and `blocked`
    status.build_status         StatusSnapshot, the one model every report rendering is made from
    alerts.raise_alerts         the alerts a result calls for, dispatched
    history.record/review/prune the run in the history store, the Period Review, retention

Plain Python (no Prefect): tasks call exactly one of these; flows wire tasks in the order an
operator would check. A rule is tested here in milliseconds.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from live_ops.runs import history
from live_ops.runs.alerts import raise_alerts
from live_ops.runs.context import RunContext
from live_ops.runs.health import check_health
from live_ops.runs.portfolio import ReportPortfolio, assess_portfolio, daily_base, report_portfolio

if TYPE_CHECKING:
    from live_ops.runs.orders import export_preview, preview_orders
    from live_ops.runs.status import archive_dir, build_status, keep_days, report_result

# the report and order steps load the renderers and the CSV machinery: a health or portfolio run
# (the pre-session check) does not pay for them; they load on first use
_LAZY = {"archive_dir": "status", "build_status": "status", "keep_days": "status", "report_result": "status",
         "export_preview": "orders", "preview_orders": "orders"}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(f"live_ops.runs.{_LAZY[name]}"), name)
    raise AttributeError(f"module 'live_ops.runs' has no attribute {name!r}")

__all__ = [
    "ReportPortfolio",
    "RunContext",
    "archive_dir",
    "assess_portfolio",
    "build_status",
    "check_health",
    "daily_base",
    "export_preview",
    "history",
    "keep_days",
    "preview_orders",
    "raise_alerts",
    "report_portfolio",
    "report_result",
]
