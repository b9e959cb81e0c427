"""Which alerts a step's result raises, and through which sinks.

Health: its warn/fail checks (default log and stderr sinks when the config did not load, nothing
recorded). Portfolio and report: the risk result's WARNING/BREACH limits, CRITICAL when the desk
blocks on a BREACH. Orders: the same, CRITICAL when this preview was enforced. Recoveries of
earlier alerts come with each (see `live_ops.alerts.service`).
"""

from __future__ import annotations

from live_ops.alerts import EventOutcome, alert_health_without_config
from live_ops.health import HealthReport
from live_ops.orders import OrderPreview
from live_ops.portfolio import PortfolioSnapshot
from live_ops.runs.context import RunContext
from live_ops.runs.portfolio import ReportPortfolio

Alertable = HealthReport | PortfolioSnapshot | OrderPreview | ReportPortfolio


def raise_alerts(ctx: RunContext, result: Alertable) -> list[EventOutcome]:
    """Dispatch the alerts `result` calls for (and recoveries); return every outcome ([] for none)."""
    if isinstance(result, HealthReport):
        if ctx.loaded_config() is None:
            return alert_health_without_config(result, environ=ctx.environ)
        return ctx.alerter.health(result)
    if isinstance(result, ReportPortfolio):
        return [] if result.snapshot is None else raise_alerts(ctx, result.snapshot)
    if result.risk is None:
        return []
    if isinstance(result, OrderPreview):
        return ctx.alerter.risk(result.risk, "orders", block_on_violation=result.enforced)
    return ctx.alerter.risk(result.risk, "portfolio")


def describe(outcomes: list[EventOutcome]) -> str:
    """Return one log line for `outcomes`: each event's level, code, subject and delivery per sink."""
    return "; ".join(
        f"{o.event.level.value} {o.event.code} [{o.event.subject}] "
        + ", ".join(f"{d.sink}={d.status}" for d in o.deliveries) for o in outcomes) or "none"
