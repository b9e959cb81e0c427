"""`status_report_flow`: health, portfolio and risk, alerts and notes, archived as a report."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path
from typing import Literal

from prefect import flow, get_run_logger

from live_ops.flows.health import live_health_flow
from live_ops.flows.hooks import alert_on_flow_failure
from live_ops.config.models import LiveOpsConfig
from live_ops.errors import LiveOpsError
from live_ops.exchange import build_gateway
from live_ops.health import HealthReport
from live_ops.portfolio import PortfolioSnapshot
from live_ops.reporting import ReportResult, StatusSnapshot, output_directory, validate_tag
from live_ops.tasks.alerts import raise_risk_alerts
from live_ops.tasks.config import load_config
from live_ops.tasks.metrics import write_metrics
from live_ops.tasks.portfolio import evaluate_portfolio_risk, snapshot_portfolio, start_of_day_equity
from live_ops.tasks.report import (
    archive_status_report,
    maintain_report_archive,
    operator_notes,
    publish_report_artifacts,
    recent_alerts,
    render_status_report,
)


def _run_name() -> str:
    from prefect.runtime import flow_run

    return f"status report {flow_run.parameters.get('tag') or 'adhoc'}"


async def _portfolio(health: HealthReport, config: LiveOpsConfig | None) -> tuple[PortfolioSnapshot | None, str | None]:
    """Return the portfolio with risk, or why there is none: a failed read is reported, not raised."""
    if config is None:
        return None, "the config did not load"
    if not health.exchange_ok:
        return None, "the exchange check failed: " + "; ".join(health.exchange_errors)
    gateway = build_gateway(config)
    try:
        snapshot = await snapshot_portfolio(gateway, config.mode)
    except LiveOpsError as exc:
        return None, str(exc)
    finally:
        gateway.close()
    daily = await start_of_day_equity(config, snapshot, None)
    return await evaluate_portfolio_risk(config, snapshot, daily), None


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
    health = await live_health_flow(config_path=str(config_path))
    config = await load_config(str(config_path)) if health.config_ok else None
    portfolio, portfolio_error = await _portfolio(health, config)
    if portfolio_error:
        get_run_logger().warning("portfolio unavailable: %s", portfolio_error)
    if config is not None and portfolio is not None and portfolio.risk is not None:
        # before reading the history, so this run's own alerts are in the report
        await raise_risk_alerts(config, portfolio.risk, "portfolio")
    alerts, alerts_note = await recent_alerts(config, generated_at)
    notes = await operator_notes(notes_file)
    snapshot = StatusSnapshot(generated_at=generated_at, tag=tag, health=health, portfolio=portfolio,
                              portfolio_error=portfolio_error, alerts=alerts, alerts_note=alerts_note, notes=notes)
    rendered = await render_status_report(snapshot, format)
    directory = output_directory(output_dir, config.reports.output_dir if config else None)
    archived = await archive_status_report(directory, snapshot, rendered, format)
    upkeep = await maintain_report_archive(directory, config.reports.keep_days if config else None, generated_at)
    key = await publish_report_artifacts(snapshot, rendered, archived)
    await write_metrics(config)
    get_run_logger().info("status report %s: health %s", archived.stem, health.overall_status)
    return ReportResult(
        overall_status=health.overall_status,
        files=[str(path) for path in archived.files],
        sidecar=str(archived.sidecar),
        index=str(upkeep.index),
        artifact_key=key,
        risk_severity=snapshot.risk_severity,
        deleted=len(upkeep.deleted),
        warnings=[w for w in (notes.warning, portfolio_error and f"portfolio unavailable: {portfolio_error}") if w],
    )
