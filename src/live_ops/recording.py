"""What each run leaves in the history: one typed record per result (SPEC §7), and the one call that stores it.

`record_history(state, result)` takes a `HealthReport`, a `PortfolioSnapshot`, an `OrderPreview`
or a `ReportEntry` and appends the matching record to the store of `[state]`. The conversions
are pure functions, so the fields recorded are tested without a database.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from live_ops.health import HealthReport
from live_ops.orders import OrderPreview
from live_ops.portfolio import PortfolioSnapshot
from live_ops.status import headline
from live_ops.store import (
    HealthRun,
    LimitRatio,
    OrderPreviewRecord,
    PortfolioPoint,
    PositionRow,
    Pruned,
    Record,
    ReportRecord,
    Store,
)

if TYPE_CHECKING:  # only a report run records a report; the others do not load the report package
    from live_ops.reporting.archive import ArchivedReport
    from live_ops.reporting.snapshot import StatusSnapshot


@dataclass(frozen=True)
class ReportEntry:
    """An archived report as the history records it."""

    name: str
    generated_at: datetime
    overall_status: str
    risk_severity: str | None
    mode: str | None
    files: list[str] = field(default_factory=list)
    period: str | None = None
    kept: bool = False


def report_entry(archived: ArchivedReport, snapshot: StatusSnapshot) -> ReportEntry:
    """Return the history entry of a report `snapshot` archived as `archived`."""
    return ReportEntry(name=archived.stem, generated_at=snapshot.generated_at, overall_status=snapshot.overall_status,
                       risk_severity=snapshot.risk_severity, mode=snapshot.health.mode,
                       files=[str(path) for path in [*archived.files, archived.sidecar]],
                       period=snapshot.review.period if snapshot.review is not None else None, kept=snapshot.kept)


MESSAGES_PER_CHECK = 5  # a year of health runs is ~17,500 rows: keep what an operator reads, not every line
MESSAGE_CHARS = 300


def health_record(report: HealthReport) -> HealthRun:
    """Return the health run: time, headline, overall status, each check's status and what a warn/fail check said."""
    return HealthRun(at=report.checked_at, mode=report.mode or "", overall_status=report.overall_status,
                     headline=headline(report.overall_status, None).value,
                     checks={check.name: check.status for check in report.checks},
                     messages={check.name: [m[:MESSAGE_CHARS] for m in said[:MESSAGES_PER_CHECK]]
                               for check in report.checks if (said := check.problems())})


def portfolio_record(snapshot: PortfolioSnapshot) -> PortfolioPoint:
    """Return the snapshot: equity, cash, exposure, positions, daily PnL, risk severity, each limit's ratio."""
    risk = snapshot.risk
    daily_pnl = risk.metrics.get("daily_pnl") if risk is not None else None
    return PortfolioPoint(
        at=snapshot.as_of, mode=snapshot.mode, quote_currency=snapshot.quote_currency, equity=snapshot.equity,
        free_cash=snapshot.free_cash, total_exposure=snapshot.totals.total_notional,
        open_positions=snapshot.totals.num_open_positions,
        daily_pnl=float(daily_pnl) if isinstance(daily_pnl, (int, float)) else None,
        risk_severity=risk.severity.value if risk is not None else None,
        headline=headline(None, risk.severity if risk is not None else None).value,
        limits=[LimitRatio(limit_name=d.limit_name, symbol=d.symbol, ratio=d.ratio, severity=d.severity.value)
                for d in (risk.limit_details if risk is not None else [])],
        positions=[PositionRow(symbol=p.symbol, side=p.side, size=p.size, notional=p.notional,
                               unrealized_pnl=p.unrealized_pnl) for p in snapshot.positions],
    )


def orders_record(preview: OrderPreview, mode: str = "") -> OrderPreviewRecord:
    """Return the preview: time, orders, blocked, severity."""
    risk = preview.risk
    return OrderPreviewRecord(
        at=preview.created_at, mode=mode, name=preview.preview_name, num_signals=preview.num_signals,
        num_orders=preview.num_orders, num_skipped=len(preview.skipped), total_notional=preview.total_notional,
        blocked=preview.blocked, severity=risk.severity.value if risk is not None else None,
        headline=headline(None, risk.severity if risk is not None else None).value,
    )


def report_record(entry: ReportEntry) -> ReportRecord:
    """Return the report: name, headline, files, period reviewed, kept."""
    return ReportRecord(at=entry.generated_at, mode=entry.mode or "", name=entry.name,
                        headline=headline(entry.overall_status, entry.risk_severity).value, files=list(entry.files),
                        period=entry.period, kept=entry.kept)


def to_record(result: HealthReport | PortfolioSnapshot | OrderPreview | ReportEntry, mode: str = "") -> Record:
    """Return the history record of one run's result."""
    if isinstance(result, HealthReport):
        return health_record(result)
    if isinstance(result, PortfolioSnapshot):
        return portfolio_record(result)
    if isinstance(result, OrderPreview):
        return orders_record(result, mode)
    if isinstance(result, ReportEntry):
        return report_record(result)
    raise TypeError(f"nothing to record for a {type(result).__name__}")


def record_history(state: Any, result: HealthReport | PortfolioSnapshot | OrderPreview | ReportEntry | None,
                   mode: str = "") -> int | None:
    """Append `result` to the history of `[state]` (a StateConfig, a Store or an SQLite path); return its id.

    Returns None for no result (a report run whose portfolio could not be read). Raises StateError
    when the history cannot be written.
    """
    if result is None:
        return None
    return Store.at(state).record(to_record(result, mode))


def prune_history(state: Any, keep_days: int, now: datetime) -> Pruned:
    """Delete history older than `keep_days` from `[state]` (kept reports stay); return what went."""
    return Store.at(state).prune(keep_days, now)
