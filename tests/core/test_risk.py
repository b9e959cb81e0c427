"""Risk semantics (SPEC §4): WARNING from factor x limit, BREACH strictly above, gross exposure."""

from __future__ import annotations

import pytest

from live_ops.config import LiveRiskConfig
from live_ops.risk import DailyBase, Exposure, Severity, evaluate_risk

LIMITS = LiveRiskConfig(
    max_order_notional=1000, max_symbol_exposure_notional=5000, max_total_exposure_notional=20000,
    max_open_positions=10, max_daily_loss_abs=500, max_daily_loss_pct=5, warning_threshold_factor=0.8,
)


def exposure(symbols: dict[str, float], *, equity: float = 10_000.0, positions: int | None = None, orders=()) -> Exposure:
    return Exposure("EUR", symbols, len(symbols) if positions is None else positions, equity, tuple(orders))


def detail(result, name: str, symbol: str | None = None):
    return next(d for d in result.limit_details if d.limit_name == name and d.symbol == symbol)


@pytest.mark.parametrize(
    ("notional", "severity"),
    [(3999.99, Severity.OK), (4000.0, Severity.WARNING), (5000.0, Severity.WARNING), (5000.01, Severity.BREACH)],
)
def test_symbol_exposure_grades_at_threshold_and_limit(notional: float, severity: Severity) -> None:
    result = evaluate_risk(exposure({"BTC/EUR": notional}), LIMITS, None)
    assert detail(result, "max_symbol_exposure_notional", "BTC/EUR").severity is severity
    assert result.severity is severity
    assert result.allowed is (severity is not Severity.BREACH)


def test_breach_message_names_symbol_value_and_limit() -> None:
    result = evaluate_risk(exposure({"BTC/EUR": 6000.0}), LIMITS, None)
    d = detail(result, "max_symbol_exposure_notional", "BTC/EUR")
    assert d.message == "BTC/EUR exposure 6,000.00 EUR is above the limit of 5,000.00 EUR (120%)"
    assert d.ratio == pytest.approx(1.2) and d.warning_threshold == pytest.approx(4000)
    assert result.reasons == [d.message]


def test_total_exposure_sums_symbols() -> None:
    result = evaluate_risk(exposure({f"S{i}/EUR": 4100.0 for i in range(5)}), LIMITS, None)
    total = detail(result, "max_total_exposure_notional")
    assert total.current_value == pytest.approx(20500.0) and total.severity is Severity.BREACH
    assert result.metrics["total_exposure_notional"] == pytest.approx(20500.0)


def test_open_positions_limit() -> None:
    assert detail(evaluate_risk(exposure({}, positions=11), LIMITS, None), "max_open_positions").severity is Severity.BREACH
    assert detail(evaluate_risk(exposure({}, positions=8), LIMITS, None), "max_open_positions").severity is Severity.WARNING


def test_order_notional_checked_per_order() -> None:
    result = evaluate_risk(exposure({}, orders=[("BTC/EUR", 1200.0), ("ETH/EUR", 100.0)]), LIMITS, None)
    assert detail(result, "max_order_notional", "BTC/EUR").severity is Severity.BREACH
    assert detail(result, "max_order_notional", "ETH/EUR").severity is Severity.OK


def test_order_notional_lists_every_flagged_order_and_each_symbols_largest() -> None:
    orders = [("BTC/EUR", 100.0)] * 50_000 + [("ETH/EUR", 300.0), ("BTC/EUR", 1200.0), ("ETH/EUR", 100.0),
                                              ("BTC/EUR", 850.0), ("BTC/EUR", 1300.0)] + [("ETH/EUR", 200.0)] * 50_000
    result = evaluate_risk(exposure({}, orders=orders), LIMITS, None)
    per_order = [(d.symbol, d.current_value, d.severity) for d in result.limit_details
                 if d.limit_name == "max_order_notional"]
    # in order: ETH's largest (OK), both breaches and the warning; not the 100k OK orders in between
    assert per_order == [("ETH/EUR", 300.0, Severity.OK), ("BTC/EUR", 1200.0, Severity.BREACH),
                         ("BTC/EUR", 850.0, Severity.WARNING), ("BTC/EUR", 1300.0, Severity.BREACH)]
    assert len(result.reasons) == 3 and result.severity is Severity.BREACH


def test_order_notional_every_breach_is_listed() -> None:
    result = evaluate_risk(exposure({}, orders=[("BTC/EUR", 1500.0)] * 10_000), LIMITS, None)
    breaches = [d for d in result.limit_details if d.limit_name == "max_order_notional"]
    assert len(breaches) == 10_000 and all(d.severity is Severity.BREACH for d in breaches)


def test_daily_loss_counts_losses_only() -> None:
    loss = evaluate_risk(exposure({}, equity=9_400.0), LIMITS, DailyBase(10_000.0, "state"))
    assert detail(loss, "max_daily_loss_abs").severity is Severity.BREACH
    assert detail(loss, "max_daily_loss_pct").current_value == pytest.approx(6.0)
    assert loss.metrics["daily_pnl"] == pytest.approx(-600.0)
    profit = evaluate_risk(exposure({}, equity=12_000.0), LIMITS, DailyBase(10_000.0, "state"))
    assert detail(profit, "max_daily_loss_abs").current_value == 0.0
    assert profit.severity is Severity.OK


def test_daily_loss_pct_uses_start_of_day_equity() -> None:
    # 450 lost of 5,000: under the absolute limit (WARNING at 400) but 9% of the day's start
    result = evaluate_risk(exposure({}, equity=4_550.0), LIMITS, DailyBase(5_000.0, "starting_cash"))
    assert detail(result, "max_daily_loss_abs").severity is Severity.WARNING
    assert detail(result, "max_daily_loss_pct").severity is Severity.BREACH
    assert result.metrics["start_of_day_source"] == "starting_cash"


def test_disabled_limits_allow_everything_and_say_so() -> None:
    limits = LIMITS.model_copy(update={"enabled": False})
    result = evaluate_risk(exposure({"BTC/EUR": 1e9}), limits, None)
    assert result.allowed and result.severity is Severity.OK and not result.limit_details
    assert "disabled" in result.reasons[0]


# finding 2 of the hardening campaign: nan and infinity fail closed


@pytest.mark.parametrize("bad", [float("nan"), float("inf")])
def test_nan_or_infinite_exposure_fails_closed_as_breach(bad: float) -> None:
    exposure = Exposure("EUR", {"BTC/EUR": bad}, 1, 10_000.0)
    result = evaluate_risk(exposure, LIMITS, None)
    assert result.severity is Severity.BREACH and not result.allowed
    assert any("not a finite number" in reason for reason in result.reasons)


@pytest.mark.parametrize("base", [float("nan"), float("inf"), -100.0])
def test_starting_cash_nan_inf_or_negative_never_passes_daily_loss(base: float) -> None:
    exposure = Exposure("EUR", {}, 0, 9_000.0)
    result = evaluate_risk(exposure, LIMITS, DailyBase(equity=base, source="starting_cash"))
    pct = next(d for d in result.limit_details if d.limit_name == "max_daily_loss_pct")
    absolute = next(d for d in result.limit_details if d.limit_name == "max_daily_loss_abs")
    if base == -100.0:  # equity above a negative base: no loss at all
        assert pct.severity is Severity.OK and absolute.severity is Severity.OK
    else:
        assert pct.severity is Severity.BREACH and absolute.severity is Severity.BREACH
