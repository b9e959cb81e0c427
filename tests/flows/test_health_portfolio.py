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


async def _events_of_run(flow_run_id: object, name: str) -> list:
    """Return the events named `name` related to the flow run, once the server has stored them."""
    from prefect import get_client
    from prefect.events.filters import EventFilter, EventNameFilter, EventRelatedFilter
    async with get_client() as client:
        for _ in range(150):  # events reach the server and its store asynchronously: ask until stored (<= ~15 s)
            page = await client.read_events(limit=50, filter=EventFilter(
                event=EventNameFilter(name=[name]), related=EventRelatedFilter(id=[f"prefect.flow-run.{flow_run_id}"])))
            if page.events:
                return page.events
            await asyncio.sleep(0.1)
    return []


def test_breached_portfolio_run_ends_in_a_state_named_breach_and_emits_its_event(prefect_api: str, write_config) -> None:
    path = write_config(replace={"size = 0.05": "size = 0.1"})  # BTC 6,000 EUR: BREACH vs 5,000
    state = asyncio.run(portfolio_flow(config_path=str(path), return_state=True))
    assert state.is_completed() and state.name == "Breach"
    snapshot = state.result()
    assert snapshot.risk is not None and snapshot.risk.severity is Severity.BREACH  # the caller still gets the result
    (event,) = asyncio.run(_events_of_run(state.state_details.flow_run_id, "live-ops.portfolio.breach"))
    assert event.resource.id == "live-ops.account.paper.paper"
    assert event.payload["headline"] == "BREACH"
