"""`live-ops serve`: the scheduled deployments served by one long-running process, no cron.

`status_report_flow` is ONE deployment with two `Cron` schedules (daily and weekly, each with
its own parameters and slug), and `live_health_flow` has its own schedule; times and time zone
come from `[schedule]`. Every deployment keeps its typed parameters, so the Prefect UI can start
any of them on demand with a form.

On SIGTERM or Ctrl-C, `prefect.serve` pauses the deployments' schedules (`pause_on_shutdown`),
so a stopped server does not pile up late runs; the next `live-ops serve` re-applies the
deployments unpaused and scheduling resumes from then on (missed slots are not backfilled).
"""

from __future__ import annotations

from pathlib import Path

from live_ops.flows.health import live_health_flow
from live_ops.flows.report import status_report_flow
from prefect import serve
from prefect.deployments.runner import EntrypointType, RunnerDeployment
from prefect.schedules import Cron, Schedule

from live_ops.config import load_config
from live_ops.config.models import ScheduleConfig

REPORT_DEPLOYMENT = "status-report"
HEALTH_DEPLOYMENT = "live-health"
SCHEDULED_FORMAT = "both"  # scheduled reports archive the Markdown and the HTML
TAGS = ["live-ops"]


def report_schedules(schedule: ScheduleConfig, fmt: str = SCHEDULED_FORMAT) -> list[Schedule]:
    """Return the daily and weekly report schedules, each tagging its runs (and artifact key)."""
    return [
        Cron(schedule.daily_cron, timezone=schedule.timezone, slug="daily", parameters={"tag": "daily", "format": fmt, "period": "1d"}),
        Cron(schedule.weekly_cron, timezone=schedule.timezone, slug="weekly",
             parameters={"tag": "weekly", "format": fmt, "period": "7d"}),
    ]


def build_deployments(config_path: Path | str) -> list[RunnerDeployment]:
    """Return the report and health deployments for the config at `config_path` (made absolute)."""
    path = Path(config_path).resolve()  # runs start in their own process: never depend on its cwd
    schedule = load_config(path).schedule
    # module entrypoints load from the installed package, wherever `serve` was started
    report = status_report_flow.to_deployment(
        name=REPORT_DEPLOYMENT,
        schedules=report_schedules(schedule),
        parameters={"config_path": str(path)},
        description="Daily and weekly status reports (Markdown/HTML archive and Prefect artifacts).",
        tags=TAGS,
        entrypoint_type=EntrypointType.MODULE_PATH,
    )
    health = live_health_flow.to_deployment(
        name=HEALTH_DEPLOYMENT,
        schedules=[Cron(schedule.health_cron, timezone=schedule.timezone, slug="health")],
        parameters={"config_path": str(path)},
        description="Health checks of config, exchange, alerting and risk limits.",
        tags=TAGS,
        entrypoint_type=EntrypointType.MODULE_PATH,
    )
    return [report, health]


def serve_deployments(config_path: Path | str, *, pause_on_shutdown: bool = True, announce: bool = True) -> None:
    """Serve the deployments until SIGTERM or Ctrl-C; returns when the runner has stopped.

    `announce=False` keeps Prefect's start banner off stdout (for `--json`).
    """
    serve(*build_deployments(config_path), pause_on_shutdown=pause_on_shutdown, print_starting_message=announce)


if __name__ == "__main__":  # python -m live_ops.deployments.serve [CONFIG]
    import sys

    serve_deployments(sys.argv[1] if len(sys.argv) > 1 else "config/config.toml")
