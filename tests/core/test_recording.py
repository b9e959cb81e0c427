"""What each run records: the conversions to history records, and the one call that stores them."""

from __future__ import annotations

from pathlib import Path

from live_ops.config import load_config
from live_ops.exchange import build_gateway
from live_ops.portfolio import build_snapshot
from live_ops.recording import health_record, portfolio_record, record_history
from live_ops.risk import DailyBase, evaluate_risk
from live_ops.runs import RunContext, check_health
from live_ops.store import Store
from tests.reporting.builders import WHEN


def test_health_record_has_each_check_and_the_headline(write_config) -> None:
    path = write_config()
    with RunContext(path, clock=lambda: WHEN) as ctx:
        report = check_health(ctx)
    record = health_record(report)
    assert record.checks == {"config": "pass", "exchange": "pass", "alerts": "pass", "live_risk": "pass"}
    assert (record.at, record.headline, record.overall_status, record.mode) == (WHEN, "OK", "OK", "paper")


def test_portfolio_record_has_equity_exposure_pnl_and_each_limit_ratio(write_config, tmp_path: Path) -> None:
    config = load_config(write_config())
    snapshot = build_snapshot(build_gateway(config).fetch_holdings(), mode="paper", as_of=WHEN)
    risk = evaluate_risk(snapshot.exposure(), config.live_risk, DailyBase(equity=10_500.0, source="state"))
    record = portfolio_record(snapshot.model_copy(update={"risk": risk}))
    assert record.equity == snapshot.equity and record.total_exposure == snapshot.totals.total_notional
    assert record.daily_pnl == snapshot.equity - 10_500.0 and record.risk_severity == risk.severity.value
    assert {(limit.limit_name, limit.symbol) for limit in record.limits} == {
        (d.limit_name, d.symbol) for d in risk.limit_details}
    assert [p.symbol for p in record.positions] == [p.symbol for p in snapshot.positions]
    store = Store.at(tmp_path / "h.db")
    assert record_history(store, snapshot) is not None and record_history(store, None) is None
    stored = store.latest_portfolio()
    assert stored is not None and stored.risk_severity is None and stored.daily_pnl is None  # no risk evaluated


def test_health_record_keeps_what_a_warning_check_said_for_the_wall_screen(write_config, tmp_path: Path) -> None:
    path = write_config(replace={'sinks = ["log", "stderr"]': 'sinks = ["log", "stderr", "webhook"]'})
    with RunContext(path, clock=lambda: WHEN, environ={}) as ctx:
        report = check_health(ctx)
    assert report.overall_status == "DEGRADED"
    record = health_record(report)
    assert list(record.messages) == ["alerts"]  # passing checks say nothing worth keeping
    assert any("'webhook' sink is listed" in m for m in record.messages["alerts"])
    store = Store.at(tmp_path / "h.db")
    record_history(store, report)
    stored = store.latest_health()
    assert stored is not None and stored.messages == record.messages


def test_health_record_bounds_what_it_keeps() -> None:
    from live_ops import health
    from live_ops.recording import MESSAGE_CHARS, MESSAGES_PER_CHECK

    noisy = health.AlertsCheck(status="warn", duration_ms=1.0, messages=["x" * 1000] * 20)
    report = health.summarize([health.skipped("config"), health.skipped("exchange"), noisy, health.skipped("live_risk")],
                              mode=None, checked_at=WHEN)
    kept = health_record(report).messages["alerts"]
    assert len(kept) == MESSAGES_PER_CHECK and all(len(m) == MESSAGE_CHARS for m in kept)
