"""`status_report_flow`: health, portfolio and risk, alerts and notes, archived as a report."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from live_ops.flows.announce import announce
from live_ops.flows.hooks import alert_on_flow_failure
from live_ops.tasks.alerts import raise_alerts, run_alert_budget
from live_ops.tasks.health import check_health
from live_ops.tasks.history import prune_history, record_history, review_period
from live_ops.tasks.metrics import write_metrics
from live_ops.tasks.portfolio import report_portfolio
from live_ops.tasks.report import (
    archive_status_report,
    build_status,
    maintain_report_archive,
    publish_report_artifacts,
    render_status_report,
)
from prefect import flow, get_run_logger

from live_ops import clock, runs
from live_ops.display import ADHOC_TAG
from live_ops.errors import ArchiveError
from live_ops.recording import report_entry
from live_ops.reporting import ReportResult, validate_tag
from live_ops.reporting.review import validate_period
from live_ops.runs import RunContext


def _run_name() -> str:
    from prefect.runtime import flow_run

    return f"status report {flow_run.parameters.get('tag') or ADHOC_TAG}"


@flow(flow_run_name=_run_name,
      on_failure=[alert_on_flow_failure], on_crashed=[alert_on_flow_failure])
async def status_report_flow(
    config_path: Path = Path("config/config.toml"),
    format: Literal["markdown", "html", "both"] = "markdown",
    tag: str | None = None,
    notes_file: Path | None = None,
    output_dir: Path | None = None,
    period: str | None = None,
    keep: bool = False,
) -> ReportResult:
    """Check health, snapshot the portfolio against the risk limits, and archive a status report.

    A FAIL health is reported, not hidden: the report is still written and the run completes;
    the result's `overall_status` says FAIL.

    Args:
        config_path: path of the TOML config on the machine that runs the flow.
        format: markdown, html or both (the Markdown is always published as an artifact).
        tag: suffix of the report name and artifact key, e.g. daily or weekly (letters, digits, - and _).
        notes_file: operator notes (Markdown) to include; a missing file is a warning, not a failure.
        output_dir: where reports are archived (default: [reports].output_dir).
        period: add section 5, the Period Review of this long a period from the history (1d, 7d, 30d, ...).
        keep: archive the report as kept: retention never deletes it.
    """
    tag = validate_tag(tag)  # a bad tag fails before any work: it could name a file
    period = validate_period(period)
    generated_at = clock.now()
    # one context per run: the config loads once; health and portfolio share one gateway (markets load once)
    with RunContext(config_path, alert_budget=run_alert_budget()) as ctx:
        health = await check_health(ctx)
        await raise_alerts(ctx, health)
        await record_history(ctx, health)  # a report's health check is a health run of the history too
        portfolio = await report_portfolio(ctx, health)
        await raise_alerts(ctx, portfolio)  # before the history is read: this run's alerts are in the report
        await record_history(ctx, portfolio.snapshot)
        review = await review_period(ctx, period, generated_at)
        snapshot = await build_status(ctx, health, portfolio, generated_at, tag, notes_file, review, keep)
        rendered = await render_status_report(snapshot, format)
        try:
            archived = await archive_status_report(ctx, output_dir, snapshot, rendered, format)
        except ArchiveError:
            # the archive cannot be written: the rendered report is not lost, it is still the run's artifact
            await publish_report_artifacts(snapshot, rendered, None)
            raise
        upkeep = await maintain_report_archive(ctx, output_dir, generated_at)
        await record_history(ctx, report_entry(archived, snapshot))
        await prune_history(ctx, generated_at)
        key = await publish_report_artifacts(snapshot, rendered, archived)
        await write_metrics(ctx)
    get_run_logger().info("status report %s: health %s", archived.stem, health.overall_status)
    return announce(ctx, "status-report", runs.report_result(snapshot, archived, upkeep, key))
