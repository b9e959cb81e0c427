"""The desk's display: curve geometry, limit bars, ages, and what an empty desk says."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from live_ops.dashboard.model import CurvePoint, Desk, Limit, Snapshot
from live_ops.dashboard.view import MAX_CURVE_POINTS, age_text, build_view, curve

NOW = datetime(2026, 11, 23, 7, 0, tzinfo=timezone.utc)
START = NOW - timedelta(days=7)


def _points(values: list[float]) -> list[CurvePoint]:
    step = timedelta(days=7) / (len(values) - 1)
    return [CurvePoint(at=START + i * step, equity=v, exposure=v / 2) for i, v in enumerate(values)]


def _xy(points: str) -> list[tuple[float, float]]:
    return [tuple(map(float, pair.split(","))) for pair in points.split()]  # type: ignore[misc]


def test_curve_spans_the_window_top_is_the_high() -> None:
    c = curve("Equity", _points([100.0, 50.0, 150.0]), "equity", START, NOW, "EUR")
    assert c is not None
    xy = _xy(c.points)
    assert [x for x, _ in xy] == [0.0, 300.0, 600.0]
    assert xy[2][1] == 6.0 and xy[1][1] == 134.0  # the high at the top pad, the low at the bottom
    assert (c.low, c.high, c.last) == ("50.00", "150.00", "150.00 EUR")


def test_flat_curve_is_drawn_mid_height() -> None:
    c = curve("Equity", _points([10.0, 10.0]), "equity", START, NOW, "EUR")
    assert c is not None and {y for _, y in _xy(c.points)} == {70.0}


def test_fewer_than_two_points_is_no_curve_said_plainly() -> None:
    assert curve("Equity", _points([1.0, 2.0])[:1], "equity", START, NOW, "") is None
    view = build_view(Desk(read_at=NOW, curve=tuple(_points([1.0, 2.0])[:1])))
    assert view.curves == () and view.curve_note == "1 snapshot in the last 7 days: no curve yet."


def test_long_curve_is_thinned_keeping_the_last_point() -> None:
    points = _points([float(i) for i in range(5000)])
    c = curve("Equity", points, "equity", START, NOW, "")
    assert c is not None and len(c.points.split()) == MAX_CURVE_POINTS and c.last == "4,999.00"


def test_limit_bars_worst_first_breach_red_beyond_the_marker() -> None:
    snap = Snapshot(at=NOW, quote_currency="EUR", equity=1.0, free_cash=1.0, exposure_total=1.0, open_positions=1,
                    risk_severity="BREACH", limits=(
                        Limit("max_open_positions", None, 0.3, "OK", 3, 10),
                        Limit("max_symbol_exposure_notional", "BTC/EUR", 1.5, "BREACH", 3000, 2000),
                        Limit("max_total_exposure_notional", None, 0.85, "WARNING", 17000, 20000)))
    bars = build_view(Desk(read_at=NOW, snapshot=snap)).limits
    assert [(b.name, b.tone) for b in bars] == [("max_symbol_exposure_notional", "bad"),
                                                ("max_total_exposure_notional", "warn"), ("max_open_positions", "ok")]
    assert bars[0].width_pct > bars[0].marker_pct  # past the limit line
    assert bars[0].marker_pct == pytest.approx(100 / (1.5 * 1.05), abs=0.01)
    assert (bars[0].ratio, bars[0].value, bars[2].value) == ("150%", "3,000.00 / 2,000.00", "3 / 10")


@pytest.mark.parametrize(("seconds", "text"), [(None, "never"), (5, "5 s ago"), (600, "10 min ago"),
                                               (7200, "2.0 h ago"), (3 * 86400, "3.0 d ago")])
def test_age_text(seconds: float | None, text: str) -> None:
    assert age_text(seconds) == text


def test_empty_desk_is_stale_and_says_so() -> None:
    view = build_view(Desk(read_at=NOW))
    assert (view.headline, view.stale, view.data_at, view.health_line) == (
        "OK", True, "no data recorded yet", "no health run recorded")
