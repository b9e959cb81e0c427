"""The status step: one snapshot from health, portfolio, the run's own alerts and notes; the run's result."""

from __future__ import annotations

from datetime import datetime, timezone

from live_ops.runs import RunContext, build_status, check_health, raise_alerts, report_portfolio
from live_ops.runs.status import archive_dir, keep_days

NOW = datetime(2026, 11, 22, 9, 30, tzinfo=timezone.utc)


def test_status_lists_the_runs_own_alerts_and_the_missing_notes(write_config, tmp_path) -> None:
    with RunContext(write_config(replace={"size = 0.05": "size = 0.08"}), environ={}, clock=lambda: NOW) as ctx:
        health = check_health(ctx)
        portfolio = report_portfolio(ctx, health)
        raise_alerts(ctx, portfolio)
        snapshot = build_status(ctx, health, portfolio, generated_at=NOW, tag="daily",
                                notes_file=tmp_path / "missing.md")
        assert archive_dir(ctx, None) == tmp_path / "reports" and keep_days(ctx) == 90
        assert archive_dir(ctx, tmp_path / "x") == tmp_path / "x"
    assert snapshot.overall_status == "OK" and snapshot.risk_severity == "WARNING"
    assert [a.code for a in snapshot.alerts] == ["RISK_LIMIT_WARNING_PORTFOLIO"]
    assert snapshot.notes.warning and "missing.md" in snapshot.notes.warning


def test_status_without_config_says_why_alerts_and_portfolio_are_missing(tmp_path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("[environment\n")
    with RunContext(bad, environ={}, clock=lambda: NOW) as ctx:
        health = check_health(ctx)
        snapshot = build_status(ctx, health, report_portfolio(ctx, health), generated_at=NOW)
        assert keep_days(ctx) is None
    assert snapshot.overall_status == "FAIL" and snapshot.portfolio is None
    assert snapshot.portfolio_error == "the config did not load"
    assert snapshot.alerts == [] and "config did not load" in (snapshot.alerts_note or "")
