"""The status-report step: compose health, portfolio, recent alerts and notes into one snapshot.

Also where the report's files go and how long they are kept, and what the run returns.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from live_ops.errors import StateError
from live_ops.health import HealthReport
from live_ops.reporting import (
    AlertRow,
    ArchivedReport,
    Maintenance,
    ReportResult,
    StatusSnapshot,
    load_notes,
    output_directory,
)
from live_ops.reporting.recent import recent_alerts
from live_ops.reporting.review import Review
from live_ops.runs.context import RunContext
from live_ops.runs.portfolio import ReportPortfolio


def report_alerts(ctx: RunContext, now: datetime) -> tuple[list[AlertRow], str | None]:
    """Return the distinct recent alerts, newest first, and a note when the list may be incomplete."""
    config = ctx.loaded_config()
    if config is None:
        return [], "The config did not load: the alert history could not be read."
    try:
        return recent_alerts(config.state, now), None
    except StateError as exc:  # an unreadable history must not cost the operator the whole report
        return [], f"The alert history could not be read: {exc}"


def build_status(ctx: RunContext, health: HealthReport, portfolio: ReportPortfolio, *, generated_at: datetime,
                 tag: str | None = None, notes_file: Path | str | None = None, review: Review | None = None,
                 kept: bool = False) -> StatusSnapshot:
    """Return the status snapshot every rendering of the report is made from.

    Read after the run's own alerts were raised, so the report lists them.
    """
    alerts, alerts_note = report_alerts(ctx, generated_at)
    return StatusSnapshot(generated_at=generated_at, tag=tag, health=health, portfolio=portfolio.snapshot,
                          portfolio_error=portfolio.error, alerts=alerts, alerts_note=alerts_note,
                          notes=load_notes(Path(notes_file) if notes_file is not None else None),
                          review=review, kept=kept)


def archive_dir(ctx: RunContext, output_dir: Path | str | None) -> Path:
    """Return where the report goes: `output_dir`, else `[reports].output_dir`, else the default."""
    config = ctx.loaded_config()
    return output_directory(output_dir, config.reports.output_dir if config else None)


def keep_days(ctx: RunContext) -> int | None:
    """Return how many days archived reports are kept (None: the config did not load, delete nothing)."""
    config = ctx.loaded_config()
    return config.reports.keep_days if config else None


def report_result(snapshot: StatusSnapshot, archived: ArchivedReport, upkeep: Maintenance,
                  artifact_key: str) -> ReportResult:
    """Return what the report run returns: the verdict, the files, and what the operator should know."""
    unavailable = snapshot.portfolio_error and f"portfolio unavailable: {snapshot.portfolio_error}"
    return ReportResult(
        overall_status=snapshot.overall_status,
        files=[str(path) for path in archived.files],
        sidecar=str(archived.sidecar),
        index=str(upkeep.index),
        artifact_key=artifact_key,
        risk_severity=snapshot.risk_severity,
        headline_text=snapshot.headline_text(),
        deleted=len(upkeep.deleted),
        review=snapshot.review.payload() if snapshot.review is not None else None,
        kept=snapshot.kept,
        warnings=[w for w in (snapshot.notes.warning, unavailable) if w],
    )
