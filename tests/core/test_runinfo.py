"""The run's verdict for Prefect (SPEC §6): event name, resource id and the name of its final state."""

from __future__ import annotations

import pytest

from live_ops.config import load_config
from live_ops.exchange.gateway import Position
from live_ops.reporting.result import ReportResult
from live_ops.runinfo import run_verdict
from live_ops.runs import RunContext, check_health
from live_ops.status import Headline
from tests.reporting.builders import make_snapshot


def _position(notional: float) -> Position:
    return Position(symbol="BTC/EUR", size=notional / 60_000.0, entry_price=60_000.0, mark_price=60_000.0)


@pytest.mark.parametrize(("notional", "word", "state"), [
    (1000.0, Headline.OK, None), (4800.0, Headline.WARNING, "Warning"), (7200.0, Headline.BREACH, "Breach")])
def test_portfolio_verdict_names_event_and_state_after_the_risk(write_config, notional, word, state) -> None:
    path = write_config()
    snapshot = make_snapshot(path, positions=[_position(notional)]).portfolio
    verdict = run_verdict("portfolio", snapshot, load_config(path))
    assert verdict.headline is word and verdict.state_name == state
    assert verdict.event == f"live-ops.portfolio.{word.value.lower()}"
    assert verdict.resource == {"prefect.resource.id": "live-ops.account.paper.paper"}


def test_health_and_preview_runs_emit_but_keep_a_plain_completed_state(write_config, tmp_path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("[environment\n")
    with RunContext(bad) as ctx:
        report = check_health(ctx)
    verdict = run_verdict("health", report, None)
    assert (verdict.event, verdict.state_name) == ("live-ops.health.fail", None)
    assert verdict.resource["prefect.resource.id"] == "live-ops.account.unknown.unknown"
    breached = make_snapshot(write_config(), positions=[_position(7200.0)]).portfolio
    assert run_verdict("order-preview", breached, None).state_name is None


def test_report_verdict_follows_the_headline_and_live_venue_names_the_exchange(write_config) -> None:
    result = ReportResult(overall_status="OK", risk_severity="BREACH", files=[], sidecar="s.json", index="i.html",
                          artifact_key="k", headline_text="BREACH — BTC/EUR exposure 144 % of its limit")
    live = load_config(write_config(replace={'mode = "paper"': 'mode = "live"'}))
    verdict = run_verdict("status-report", result, live)
    assert (verdict.event, verdict.state_name) == ("live-ops.status-report.breach", "Breach")
    assert verdict.resource == {"prefect.resource.id": "live-ops.account.live.binanceusdm"}
    assert verdict.payload == {"headline": "BREACH", "summary": "BREACH — BTC/EUR exposure 144 % of its limit"}
    degraded = result.model_copy(update={"overall_status": "DEGRADED", "risk_severity": "OK"})
    assert run_verdict("status-report", degraded, live).state_name == "Degraded"


def test_unknown_flow_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown flow 'status'"):
        run_verdict("status", None, None)
