"""Status report tasks: recent alerts, notes, render, archive, archive upkeep, Prefect artifacts."""

from __future__ import annotations

import asyncio
from datetime import datetime
from pathlib import Path

from prefect import get_run_logger, task
from prefect.artifacts import acreate_link_artifact, acreate_markdown_artifact, acreate_table_artifact
from prefect.cache_policies import NO_CACHE

from live_ops.config.models import LiveOpsConfig
from live_ops.errors import StateError
from live_ops.reporting import (
    AlertRow,
    ArchivedReport,
    Maintenance,
    OperatorNotes,
    RenderedReport,
    ReportFormat,
    StatusSnapshot,
    archive_report,
    artifact_key,
    load_notes,
    maintain_archive,
    render_report,
    report_stem,
)
from live_ops.reporting.recent import RECENT_ALERTS_WINDOW
from live_ops.reporting.recent import recent_alerts as read_recent_alerts


@task(name="recent-alerts", cache_policy=NO_CACHE)
async def recent_alerts(config: LiveOpsConfig | None, now: datetime) -> tuple[list[AlertRow], str | None]:
    """Return the distinct alerts of the last 7 days (newest 20 first), and a note if incomplete."""
    if config is None:
        return [], "The config did not load: the alert history could not be read."
    try:
        rows = read_recent_alerts(config.state, now)
    except StateError as exc:  # an unreadable history must not cost the operator the whole report
        get_run_logger().warning("alert history unavailable: %s", exc)
        return [], f"The alert history could not be read: {exc}"
    get_run_logger().info("%d distinct alerts in the last %d days from %s", len(rows), RECENT_ALERTS_WINDOW.days,
                          config.state.url and "the shared history" or config.state.path)
    return rows, None


@task(name="operator-notes", cache_policy=NO_CACHE)
async def operator_notes(notes_file: Path | None) -> OperatorNotes:
    """Return the operator notes to include; a missing file is a warning in the log and the report."""
    notes = load_notes(notes_file)
    if notes.warning:
        get_run_logger().warning(notes.warning)
    return notes


@task(name="render-report", cache_policy=NO_CACHE)
async def render_status_report(snapshot: StatusSnapshot, fmt: ReportFormat) -> RenderedReport:
    """Return the report rendered as Markdown (always: it is the artifact) and HTML when asked."""
    rendered = render_report(snapshot, fmt)
    get_run_logger().info("rendered %s report: %d Markdown chars%s", fmt, len(rendered.markdown),
                          f", {len(rendered.html)} HTML chars" if rendered.html else "")
    return rendered


@task(name="archive-report", cache_policy=NO_CACHE)
async def archive_status_report(output_dir: Path, snapshot: StatusSnapshot, rendered: RenderedReport,
                          fmt: ReportFormat) -> ArchivedReport:
    """Write the report files and the JSON sidecar atomically under a name that is not taken yet."""
    archived = archive_report(output_dir, report_stem(snapshot.generated_at, snapshot.tag),
                              rendered.documents(fmt), snapshot.sidecar_json())
    get_run_logger().info("archived %s", ", ".join(str(p) for p in [*archived.files, archived.sidecar]))
    return archived


@task(name="maintain-report-archive", cache_policy=NO_CACHE)
async def maintain_report_archive(output_dir: Path, keep_days: int | None, now: datetime) -> Maintenance:
    """Apply retention (reports older than keep_days) and rebuild index.html."""
    # waits on the archive's file lock while a concurrent run rebuilds the index: off the event loop
    done = await asyncio.to_thread(maintain_archive, output_dir, keep_days, now)
    get_run_logger().info("retention removed %d files; index %s lists %d reports", len(done.deleted), done.index,
                          done.reports)
    return done


@task(name="publish-report-artifacts", cache_policy=NO_CACHE)
async def publish_report_artifacts(snapshot: StatusSnapshot, rendered: RenderedReport, archived: ArchivedReport) -> str:
    """Publish the Markdown report, the positions table and a link to the archived file; return the key."""
    key = artifact_key(snapshot.tag)
    status = f"health {snapshot.overall_status}" + (f", risk {snapshot.risk_severity}" if snapshot.risk_severity else "")
    await acreate_markdown_artifact(markdown=rendered.markdown, key=key, description=f"Live status report: {status}")
    positions = snapshot.portfolio.positions if snapshot.portfolio is not None else []
    await acreate_table_artifact(table=[p.model_dump(mode="json") for p in positions], key=f"{key}-positions",
                          description=f"Open positions at {snapshot.generated_at:%Y-%m-%d %H:%M} UTC")
    main_file = archived.files[-1] if archived.files else archived.sidecar  # the HTML when there is one
    await acreate_link_artifact(link=main_file.resolve().as_uri(), link_text=main_file.name, key=f"{key}-file",
                         description="The archived report on the machine that ran the flow")
    get_run_logger().info("published artifacts %s, %s-positions, %s-file", key, key, key)
    return key
