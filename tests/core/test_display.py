"""The one formatter: money, prices, ratios, verdict colours and the headline line."""

from __future__ import annotations

from live_ops.display import driving_limit, headline_line, headline_reason, money, price, ratio, tone, worst_tone
from live_ops.risk import LimitDetail, RiskResult
from live_ops.status import Headline, Severity


def _detail(name: str, ratio_: float, severity: str, symbol: str | None = None) -> LimitDetail:
    return LimitDetail(limit_name=name, current_value=ratio_ * 100, limit_value=100.0, warning_threshold=80.0,
                       severity=Severity(severity), message="m", ratio=ratio_, symbol=symbol)


def test_money_and_prices_share_one_format_with_currency() -> None:
    assert money(58000, "EUR") == "58,000.00 EUR"
    assert money(60000.0) == "60,000.00"
    assert price(0.5) == "0.50" and price(0.00012345) == "0.00012345"
    assert money(None, "EUR") == "n/a"
    assert ratio(1.2) == "120%"


def test_tone_is_one_colour_per_verdict_across_families() -> None:
    assert tone("BREACH") == tone("fail") == tone(Headline.FAIL) == "bad"
    assert tone("warn") == tone("DEGRADED") == tone(Severity.WARNING) == "warn"
    assert tone("pass") == tone("OK") == "ok" and tone(None) == "na"
    assert worst_tone("OK", "BREACH") == "bad"


def test_headline_line_names_the_worst_limit() -> None:
    risk = RiskResult(allowed=False, severity=Severity.BREACH, limit_details=[
        _detail("max_symbol_exposure_notional", 0.9, "WARNING", "ETH/EUR"),
        _detail("max_symbol_exposure_notional", 1.2, "BREACH", "BTC/EUR"),
        _detail("max_total_exposure_notional", 1.1, "BREACH")])
    assert driving_limit(risk).symbol == "BTC/EUR"
    assert headline_line(Headline.BREACH, headline_reason(Headline.BREACH, risk=risk)) == \
        "BREACH — BTC/EUR exposure 120% of its limit"
    assert headline_line("FAIL", headline_reason("FAIL", health_problems=["exchange unreachable"])) == \
        "FAIL — exchange unreachable"
    assert headline_line("OK", headline_reason("OK", risk=risk)) == "OK"
