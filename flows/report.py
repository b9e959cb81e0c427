"""`status_report_flow`: health, portfolio and risk, alerts and notes, archived as a report."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path
from typing import Literal

from prefect import flow, get_run_logger

from live_ops import runs
from live_ops.flows.hooks import alert_on_flow_failure
from live_ops.reporting import ReportResult, validate_tag
from live_ops.runs import RunContext
from live_ops.tasks.alerts import raise_alerts
from live_ops.tasks.health import check_health
from live_ops.tasks.metrics import write_metrics
from live_ops.tasks.portfolio import report_portfolio
from live_ops.tasks.report import (
    archive_status_report,
    build_status,
    maintain_report_archive,
    publish_report_artifacts,
    render_status_report,
)


def _run_name() -> str:
    from prefect.runtime import flow_run

    return f"status report {flow_run.parameters.get('tag') or 'adhoc'}"


@flow(flow_run_name=_run_name,
      on_failure=[alert_on_flow_failure], on_crashed=[alert_on_flow_failure])
async def status_report_flow(
    config_path: Path = Path("config/config.toml"),
    format: Literal["markdown", "html", "both"] = "markdown",  # noqa: A002 - the parameter operators see
    tag: str | None = None,
    notes_file: Path | None = None,
    output_dir: Path | None = None,
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
    """
    tag = validate_tag(tag)  # a bad tag fails before any work: it could name a file
    generated_at = datetime.now(timezone.utc)
    # one context per run: the config loads once; health and portfolio share one gateway (markets load once)
    with RunContext(config_path) as ctx:
        health = await check_health(ctx)
        await raise_alerts(ctx, health)
        portfolio = await report_portfolio(ctx, health)
        await raise_alerts(ctx, portfolio)  # before the history is read: this run's alerts are in the report
        snapshot = await build_status(ctx, health, portfolio, generated_at, tag, notes_file)
        rendered = await render_status_report(snapshot, format)
        archived = await archive_status_report(ctx, output_dir, snapshot, rendered, format)
        upkeep = await maintain_report_archive(ctx, output_dir, generated_at)
        key = await publish_report_artifacts(snapshot, rendered, archived)
        await write_metrics(ctx)
    get_run_logger().info("status report %s: health %s", archived.stem, health.overall_status)
    return runs.report_result(snapshot, archived, upkeep, key)
