"""`live_health_flow` and `portfolio_flow` run for real under the session's Prefect harness."""

from __future__ import annotations

import asyncio
import sqlite3

import pytest
from live_ops.flows.health import live_health_flow
from live_ops.flows.portfolio import portfolio_flow

from live_ops.errors import ConfigError
from live_ops.risk import Severity

pytestmark = pytest.mark.prefect


def test_health_flow_reports_ok_on_example(prefect_api: str, write_config) -> None:
    report = asyncio.run(live_health_flow(config_path=str(write_config())))
    assert report.overall_status == "OK"
    assert [c.name for c in report.checks] == ["config", "exchange", "alerts", "live_risk"]


def test_health_flow_reports_fail_for_broken_config(prefect_api: str, tmp_path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("[environment\n")
    report = asyncio.run(live_health_flow(config_path=str(bad)))
    assert report.overall_status == "FAIL" and "invalid TOML" in report.config_errors[0]


def test_portfolio_flow_evaluates_risk_and_records_start_of_day(prefect_api: str, write_config, tmp_path) -> None:
    path = write_config(replace={"size = 0.05": "size = 0.08"})  # BTC 4,800 EUR: WARNING vs 5,000
    snapshot = asyncio.run(portfolio_flow(config_path=str(path)))
    assert snapshot.symbol_notional["BTC/EUR"] == pytest.approx(4800.0)
    assert snapshot.risk is not None and snapshot.risk.severity is Severity.WARNING and snapshot.risk.allowed
    assert snapshot.risk.metrics["start_of_day_equity"] == pytest.approx(snapshot.equity)
    with sqlite3.connect(tmp_path / "state.db") as conn:
        assert conn.execute("SELECT COUNT(*) FROM equity_snapshots").fetchone()[0] == 1


def test_portfolio_flow_without_risk(prefect_api: str, write_config) -> None:
    snapshot = asyncio.run(portfolio_flow(config_path=str(write_config()), evaluate_risk=False))
    assert snapshot.risk is None and snapshot.totals.num_open_positions == 3


def test_portfolio_flow_raises_config_error(prefect_api: str, tmp_path) -> None:
    with pytest.raises(ConfigError, match="config file not found"):
        asyncio.run(portfolio_flow(config_path=str(tmp_path / "none.toml")))
