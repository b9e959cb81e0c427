"""The metrics rendering and the node_exporter textfile, on desks built by hand (no Prefect)."""

from __future__ import annotations

import os
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from prometheus_client.parser import text_string_to_metric_families

from live_ops.dashboard.model import Alert, Check, Desk, HealthRun, Limit, Snapshot
from live_ops.errors import StateError
from live_ops.metrics import MAX_LIMIT_SERIES, render_metrics, write_textfile

NOW = datetime(2026, 11, 23, 7, 0, tzinfo=timezone.utc)


def _desk(*, overall: str = "OK", severity: str | None = "OK", limits: tuple[Limit, ...] = ()) -> Desk:
    return Desk(
        read_at=NOW, mode="paper",
        health=HealthRun(at=NOW - timedelta(minutes=10), overall=overall,
                         checks=(Check("config", "pass"), Check("exchange", "warn" if overall != "OK" else "pass"))),
        snapshot=Snapshot(at=NOW - timedelta(minutes=5), quote_currency="EUR", equity=10_250.5, free_cash=5_000.0,
                          exposure_total=5_100.0, open_positions=3, daily_pnl=-12.5, risk_severity=severity,
                          limits=limits),
        alerts=(Alert(NOW - timedelta(hours=1), "CRITICAL", "portfolio", "X", "m"),
                Alert(NOW - timedelta(hours=30), "CRITICAL", "portfolio", "X", "older than a day")),
        last_runs={"health": NOW - timedelta(minutes=10), "portfolio": NOW - timedelta(minutes=5)},
    )


def _values(text: bytes) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    return {(s.name, tuple(sorted(s.labels.items()))): s.value
            for f in text_string_to_metric_families(text.decode()) for s in f.samples}


@pytest.mark.parametrize(("overall", "severity", "rank"), [
    ("OK", "OK", 0), ("OK", "WARNING", 1), ("DEGRADED", "WARNING", 2), ("DEGRADED", "BREACH", 3),
    ("FAIL", "BREACH", 4), ("OK", None, 0),
])
def test_headline_status_is_the_headline_rank(overall: str, severity: str | None, rank: int) -> None:
    assert _values(render_metrics(_desk(overall=overall, severity=severity)))[("live_ops_headline_status", ())] == rank


def test_render_metrics_values_and_labels() -> None:
    values = _values(render_metrics(_desk(overall="DEGRADED", limits=(
        Limit("max_symbol_exposure_notional", "BTC/EUR", 0.6, "OK"), Limit("max_open_positions", None, 0.3, "OK")))))
    assert values[("live_ops_equity", ())] == 10_250.5
    assert values[("live_ops_exposure_total", ())] == 5_100.0
    assert values[("live_ops_daily_pnl", ())] == -12.5
    assert values[("live_ops_health_check_status", (("check", "exchange"),))] == 1
    assert values[("live_ops_limit_utilization_ratio", (("limit", "max_symbol_exposure_notional"), ("symbol", "BTC/EUR")))] == 0.6
    assert values[("live_ops_limit_utilization_ratio", (("limit", "max_open_positions"), ("symbol", "")))] == 0.3
    assert values[("live_ops_last_run_timestamp_seconds", (("flow", "health"),))] == (NOW - timedelta(minutes=10)).timestamp()
    assert values[("live_ops_data_age_seconds", ())] == 300


def test_render_metrics_bounds_the_limit_series() -> None:
    limits = tuple(Limit("max_symbol_exposure_notional", f"S{i}/EUR", i / 1000, "OK") for i in range(MAX_LIMIT_SERIES + 50))
    values = _values(render_metrics(_desk(limits=limits)))
    shown = [k for k in values if k[0] == "live_ops_limit_utilization_ratio"]
    assert len(shown) == MAX_LIMIT_SERIES
    assert ("live_ops_limit_utilization_ratio", (("limit", "max_symbol_exposure_notional"), ("symbol", "S249/EUR"))) in values
    assert values[("live_ops_limit_series_dropped", ())] == 50


def test_render_metrics_of_an_empty_desk() -> None:
    values = _values(render_metrics(Desk(read_at=NOW)))
    assert values[("live_ops_headline_status", ())] == 0
    assert not any(name == "live_ops_equity" for name, _ in values)  # unknown is absent, never a fake 0


def test_write_textfile_replaces_atomically(tmp_path: Path) -> None:
    path = tmp_path / "collector" / "live_ops.prom"
    write_textfile(path, _desk(severity="OK"))
    before = os.stat(path).st_ino
    write_textfile(path, _desk(severity="BREACH"))
    assert os.stat(path).st_ino != before  # a new file renamed over the old one, never rewritten in place
    assert _values(path.read_bytes())[("live_ops_headline_status", ())] == 3
    assert sorted(p.name for p in path.parent.iterdir()) == ["live_ops.prom"]  # no temp file left
    assert oct(path.stat().st_mode & 0o777) == "0o644"


def test_write_textfile_names_the_path_it_cannot_write(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    with pytest.raises(StateError, match=r"\[metrics\] textfile .*file/live_ops.prom: cannot write"):
        write_textfile(blocker / "live_ops.prom", _desk())


def test_config_textfile_must_be_a_prom_file(write_config) -> None:
    from live_ops.config import load_config
    from live_ops.errors import ConfigError

    path = write_config(replace={"[schedule]": '[metrics]\ntextfile = "/var/lib/node_exporter/live_ops.txt"\n\n[schedule]'})
    with pytest.raises(ConfigError, match=r"metrics\.textfile.*must end in \.prom"):
        load_config(path)
