"""Status report tasks: the status snapshot, render, archive, archive upkeep, Prefect artifacts."""

from __future__ import annotations

import asyncio
import os
from datetime import datetime
from pathlib import Path

from prefect import get_run_logger, task
from prefect.artifacts import acreate_link_artifact, acreate_markdown_artifact, acreate_table_artifact
from prefect.cache_policies import NO_CACHE

from live_ops import runs
from live_ops.health import HealthReport
from live_ops.reporting import (
    ArchivedReport,
    Maintenance,
    RenderedReport,
    ReportFormat,
    StatusSnapshot,
    archive_report,
    artifact_key,
    maintain_archive,
    render_report,
    report_artifacts,
    report_stem,
)
from live_ops.reporting.recent import RECENT_ALERTS_WINDOW
from live_ops.reporting.review import Review
from live_ops.runs import ReportPortfolio, RunContext


@task(name="build-status", cache_policy=NO_CACHE)
async def build_status(ctx: RunContext, health: HealthReport, portfolio: ReportPortfolio, generated_at: datetime,
                       tag: str | None, notes_file: Path | None, review: Review | None = None,
                       kept: bool = False) -> StatusSnapshot:
    """Return the status snapshot: health, portfolio with risk, the recent alerts and the operator notes."""
    # reads the alert history (may wait on a lock): off the event loop
    snapshot = await asyncio.to_thread(runs.build_status, ctx, health, portfolio, generated_at=generated_at,
                                       tag=tag, notes_file=notes_file, review=review, kept=kept)
    logger = get_run_logger()
    for warning in (snapshot.notes.warning, snapshot.alerts_note):
        if warning:
            logger.warning(warning)
    logger.info("%d distinct alerts in the last %d days", len(snapshot.alerts), RECENT_ALERTS_WINDOW.days)
    return snapshot


@task(name="render-report", cache_policy=NO_CACHE)
async def render_status_report(snapshot: StatusSnapshot, fmt: ReportFormat) -> RenderedReport:
    """Return the report rendered as Markdown (always: it is the artifact) and HTML when asked."""
    rendered = render_report(snapshot, fmt)
    get_run_logger().info("rendered %s report: %d Markdown chars%s", fmt, len(rendered.markdown),
                          f", {len(rendered.html)} HTML chars" if rendered.html else "")
    return rendered


@task(name="archive-report", cache_policy=NO_CACHE)
async def archive_status_report(ctx: RunContext, output_dir: Path | None, snapshot: StatusSnapshot,
                                rendered: RenderedReport, fmt: ReportFormat) -> ArchivedReport:
    """Write the report files and the JSON sidecar atomically under a name that is not taken yet.

    `output_dir` overrides `[reports].output_dir`.
    """
    archived = archive_report(runs.archive_dir(ctx, output_dir), report_stem(snapshot.generated_at, snapshot.tag),
                              rendered.documents(fmt), snapshot.sidecar_json(), kept=snapshot.kept)
    get_run_logger().info("archived %s", ", ".join(str(p) for p in [*archived.files, archived.sidecar]))
    return archived


@task(name="maintain-report-archive", cache_policy=NO_CACHE)
async def maintain_report_archive(ctx: RunContext, output_dir: Path | None, now: datetime) -> Maintenance:
    """Apply retention (reports older than `[reports].keep_days`) and rebuild index.html."""
    # waits on the archive's file lock while a concurrent run rebuilds the index: off the event loop
    done = await asyncio.to_thread(maintain_archive, runs.archive_dir(ctx, output_dir), runs.keep_days(ctx), now)
    get_run_logger().info("retention removed %d files; index %s lists %d reports", len(done.deleted), done.index,
                          done.reports)
    return done


@task(name="publish-report-artifacts", cache_policy=NO_CACHE)
async def publish_report_artifacts(snapshot: StatusSnapshot, rendered: RenderedReport,
                                   archived: ArchivedReport | None) -> str:
    """Publish the Markdown report, the positions table and where the archived file is; return the key.

    `archived` None: the archive could not be written; the Markdown and the table are still published.
    """
    key = artifact_key(snapshot.tag)
    content = report_artifacts(snapshot, archived, os.environ.get("LIVE_OPS_DASHBOARD_URL"))
    await acreate_markdown_artifact(markdown=rendered.markdown, key=key, description=content.description)
    await acreate_table_artifact(table=content.positions, key=f"{key}-positions", description=content.positions_title)
    if archived is None:
        get_run_logger().warning("report not archived: published as artifact %s only", key)
        return key
    if content.file_url:
        await acreate_link_artifact(link=content.file_url, link_text=content.file_name, key=f"{key}-file",
                                    description=content.file_title)
    else:
        await acreate_markdown_artifact(markdown=content.file_markdown, key=f"{key}-file",
                                        description=content.file_title)
    get_run_logger().info("published artifacts %s, %s-positions, %s-file", key, key, key)
    return key
