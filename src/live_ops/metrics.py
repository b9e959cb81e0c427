"""Prometheus metrics of the desk: one rendering for `/metrics` and the node_exporter textfile.

Every value comes from a `dashboard.model.Desk`. Labels are bounded: `check` (the four health
checks), `flow` (the four history kinds), `limit` × `symbol` (the configured limits × the symbols
held, at most `MAX_LIMIT_SERIES`); never an alert, a message or a run id.
Status gauges carry the rank of their verdict, so a rule can say `>= 3`:

    live_ops_headline_status       0 OK, 1 WARNING, 2 DEGRADED, 3 BREACH, 4 FAIL
    live_ops_health_status         0 OK, 1 DEGRADED, 2 FAIL
    live_ops_health_check_status   0 pass, 1 warn, 2 fail
    live_ops_risk_severity         0 OK, 1 WARNING, 2 BREACH
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric

from live_ops.dashboard.model import RUN_KINDS, Desk
from live_ops.errors import StateError
from live_ops.status import CheckStatus, HealthStatus, Severity

MAX_LIMIT_SERIES = 200  # the worst first; a desk holding more symbols than this is told so by a gauge


def _ts(value: datetime) -> float:
    return value.timestamp()


class _DeskCollector:
    def __init__(self, desk: Desk) -> None:
        self.desk = desk

    def collect(self) -> Iterator[Metric]:
        desk = self.desk
        g = GaugeMetricFamily
        yield g("live_ops_headline_status", "Headline: 0 OK, 1 WARNING, 2 DEGRADED, 3 BREACH, 4 FAIL",
                value=desk.headline.rank)
        age = desk.age_seconds()
        if age is not None:
            yield g("live_ops_data_age_seconds", "Age of the newest health run or portfolio snapshot", value=age)
        runs = g("live_ops_last_run_timestamp_seconds", "Unix time of the latest recorded run of each kind",
                 labels=["flow"])
        for kind in RUN_KINDS:
            if kind in desk.last_runs:
                runs.add_metric([kind], _ts(desk.last_runs[kind]))
        yield runs
        if desk.health is not None:
            yield g("live_ops_health_status", "Latest health run: 0 OK, 1 DEGRADED, 2 FAIL",
                    value=HealthStatus(desk.health.overall).rank)
            checks = g("live_ops_health_check_status", "Each health check: 0 pass, 1 warn, 2 fail", labels=["check"])
            for check in desk.health.checks:
                checks.add_metric([check.name], CheckStatus(check.status).rank)
            yield checks
        snap = desk.snapshot
        if snap is not None:
            yield g("live_ops_equity", f"Equity in the quote currency ({snap.quote_currency})", value=snap.equity)
            yield g("live_ops_free_cash", "Free cash in the quote currency", value=snap.free_cash)
            yield g("live_ops_exposure_total", "Gross exposure in the quote currency", value=snap.exposure_total)
            yield g("live_ops_open_positions", "Open positions", value=snap.open_positions)
            if snap.daily_pnl is not None:
                yield g("live_ops_daily_pnl", "Equity now minus the day's first equity", value=snap.daily_pnl)
            yield g("live_ops_snapshot_timestamp_seconds", "Unix time of the latest portfolio snapshot",
                    value=_ts(snap.at))
            if snap.risk_severity is not None:
                yield g("live_ops_risk_severity", "Portfolio risk: 0 OK, 1 WARNING, 2 BREACH",
                        value=Severity(snap.risk_severity).rank)
            limits = g("live_ops_limit_utilization_ratio", "Current value / limit (1 is at the limit)",
                       labels=["limit", "symbol"])
            worst = sorted(snap.limits, key=lambda lim: -lim.ratio)
            for limit in worst[:MAX_LIMIT_SERIES]:
                limits.add_metric([limit.name, limit.symbol or ""], limit.ratio)
            yield limits
            if len(worst) > MAX_LIMIT_SERIES:
                yield g("live_ops_limit_series_dropped", "Limit series left out (the least used)",
                        value=len(worst) - MAX_LIMIT_SERIES)


def render_metrics(desk: Desk) -> bytes:
    """Return the Prometheus text exposition (format 0.0.4) of `desk`."""
    registry = CollectorRegistry(auto_describe=False)
    registry.register(_DeskCollector(desk))
    return generate_latest(registry)


def write_textfile(path: Path | str, desk: Desk) -> Path:
    """Write the metrics of `desk` to `path` atomically (node_exporter never reads half a file); return it.

    The file appears by rename from a temp file in the same folder, as node_exporter's textfile
    collector expects (it only reads `*.prom`). Raises StateError naming the path when it cannot.
    """
    path = Path(path)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")  # not *.prom: the collector ignores it
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(tmp, "wb") as handle:
            handle.write(render_metrics(desk))
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except OSError as exc:
        try:
            tmp.unlink(missing_ok=True)
        except OSError:
            pass  # the folder itself is the problem: there is no temp file to remove
        raise StateError(f"[metrics] textfile {path}: cannot write ({exc.strerror or exc})") from None
    return path


def export_metrics(config: Any) -> Path | None:
    """Write the desk's metrics to `[metrics] textfile` (a `LiveOpsConfig`); return the path, None when off.

    Called at the end of every flow run, after the run's own records, so the file says what the
    run found. Raises StateError when the file cannot be written.
    """
    if config is None or not config.metrics.textfile:
        return None
    from live_ops.dashboard.read import reader_for

    return write_textfile(config.metrics.textfile, reader_for(config).read())
