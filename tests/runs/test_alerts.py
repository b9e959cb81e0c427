"""Which alerts a step's result raises: health, portfolio risk, orders (CRITICAL when enforced), without Prefect."""

from __future__ import annotations

from datetime import datetime, timezone

from live_ops.orders import Signal, SignalBatch
from live_ops.runs import RunContext, assess_portfolio, check_health, preview_orders, raise_alerts, report_portfolio

NOW = datetime(2026, 11, 22, 9, 30, tzinfo=timezone.utc)
WARNING_BTC = {"size = 0.05": "size = 0.08"}  # BTC 4,800 EUR: WARNING vs 5,000


def _ctx(path) -> RunContext:
    return RunContext(path, environ={}, clock=lambda: NOW)


def test_portfolio_warning_raises_one_warning(write_config) -> None:
    with _ctx(write_config(replace=WARNING_BTC)) as ctx:
        outcomes = raise_alerts(ctx, assess_portfolio(ctx))
    assert [(o.event.level.value, o.event.code) for o in outcomes] == [("WARNING", "RISK_LIMIT_WARNING_PORTFOLIO")]


def test_no_risk_no_alerts(write_config) -> None:
    with _ctx(write_config(replace=WARNING_BTC)) as ctx:
        assert raise_alerts(ctx, assess_portfolio(ctx, with_risk_limits=False)) == []


def test_enforced_orders_breach_is_critical_else_warning(write_config) -> None:
    batch = SignalBatch(path="s.csv", signals=(Signal(line=2, symbol="BTC/EUR", direction=1),))
    for block, level in (("true", "CRITICAL"), ("false", "WARNING")):
        path = write_config(replace={"block_on_violation = true": f"block_on_violation = {block}"},
                            name=f"c-{block}.toml")
        with _ctx(path) as ctx:
            preview = preview_orders(ctx, batch, name=f"t{block}", created_at=NOW, notional=2500.0)
            breaches = [o for o in raise_alerts(ctx, preview) if o.event.code == "RISK_LIMIT_VIOLATION_ORDERS"]
        assert {o.event.level.value for o in breaches} == {level}


def test_health_without_config_alerts_through_the_default_sinks(tmp_path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("[environment\n")
    with _ctx(bad) as ctx:
        report = check_health(ctx)
        outcomes = raise_alerts(ctx, report)
        assert raise_alerts(ctx, report_portfolio(ctx, report)) == []
    assert outcomes and {d.sink for o in outcomes for d in o.deliveries} == {"log", "stderr"}
