"""The portfolio step: daily base (start-of-day / --starting-cash), risk, the report's portfolio, without Prefect."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from live_ops.errors import ExchangeUnavailable
from live_ops.exchange import build_gateway
from live_ops.risk import Severity
from live_ops.runs import RunContext, assess_portfolio, check_health, report_portfolio

NOW = datetime(2026, 11, 22, 9, 30, tzinfo=timezone.utc)


def _ctx(path, now=NOW, build=build_gateway) -> RunContext:
    return RunContext(path, environ={}, clock=lambda: now, build=build)


def test_assess_portfolio_records_the_days_first_equity_and_measures_from_it(write_config) -> None:
    path = write_config()
    with _ctx(path) as ctx:
        first = assess_portfolio(ctx)
    assert first.risk is not None and first.risk.metrics["start_of_day_source"] == "state"
    assert first.risk.metrics["start_of_day_equity"] == pytest.approx(first.equity)
    lower = write_config(replace={"cash = 10000.0": "cash = 9000.0"})  # the same state file: 1,000 EUR down
    with _ctx(lower, NOW + timedelta(hours=1)) as ctx:
        later = assess_portfolio(ctx)
    assert later.risk.metrics["start_of_day_equity"] == pytest.approx(first.equity)
    assert later.risk.metrics["daily_pnl"] == pytest.approx(-1000.0)
    assert later.risk.severity is Severity.BREACH  # above max_daily_loss_abs = 500


def test_starting_cash_is_the_base_but_the_day_is_still_recorded(write_config) -> None:
    path = write_config()
    with _ctx(path) as ctx:
        snap = assess_portfolio(ctx, starting_cash=20_000.0)
    assert snap.risk.metrics["start_of_day_source"] == "starting_cash"
    assert snap.risk.metrics["start_of_day_equity"] == 20_000.0
    with _ctx(path, NOW + timedelta(hours=1)) as ctx:
        again = assess_portfolio(ctx)
    assert again.risk.metrics["start_of_day_equity"] == pytest.approx(snap.equity)  # recorded by the first run


def test_without_risk_limits_nothing_is_evaluated(write_config) -> None:
    with _ctx(write_config()) as ctx:
        snap = assess_portfolio(ctx, with_risk_limits=False)
    assert snap.risk is None and snap.totals.num_open_positions == 3


def test_report_portfolio_says_why_there_is_none(write_config, tmp_path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("[environment\n")
    with _ctx(bad) as ctx:
        none = report_portfolio(ctx, check_health(ctx))
    assert none.snapshot is None and none.error == "the config did not load"

    def unreachable(config, environ):
        raise ExchangeUnavailable("paper: connection refused")

    with _ctx(write_config(), build=unreachable) as ctx:
        health = check_health(ctx)
        result = report_portfolio(ctx, health)
    assert result.snapshot is None and result.error == "the exchange check failed: paper: connection refused"


def test_report_portfolio_raises_a_transient_fault_only_when_asked(write_config) -> None:
    class Flaky:
        name, quote_currency = "flaky", "EUR"

        def probe(self, *, deadline_s):
            return []

        def fetch_holdings(self):
            raise ExchangeUnavailable("flaky: 503")

        def close(self):
            pass

    with _ctx(write_config(), build=lambda config, environ: Flaky()) as ctx:
        health = check_health(ctx)
        with pytest.raises(ExchangeUnavailable):
            report_portfolio(ctx, health, raise_transient=True)
        last = report_portfolio(ctx, health)
    assert last.snapshot is None and last.error == "flaky: 503"
