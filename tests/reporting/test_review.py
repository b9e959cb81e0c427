"""The Period Review from a real store: figures, FAIL stretch, positions, sparse history said plainly."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from live_ops.errors import UsageError
from live_ops.reporting import render_report
from live_ops.reporting.review import build_review, parse_period, review_period, validate_period
from live_ops.store import Delivery, HealthRun, LimitRatio, PortfolioPoint, PositionRow, Store
from tests.reporting.builders import make_snapshot

NOW = datetime(2026, 11, 23, 7, 0, tzinfo=timezone.utc)


def _point(at: datetime, equity: float, exposure: float, symbols: tuple[str, ...], ratio: float) -> PortfolioPoint:
    return PortfolioPoint(at=at, headline="OK", quote_currency="EUR", equity=equity, free_cash=1.0,
                          total_exposure=exposure, open_positions=len(symbols),
                          limits=[LimitRatio(limit_name="max_total_exposure_notional", ratio=ratio, severity="OK")],
                          positions=[PositionRow(symbol=s, side="long", size=1.0, notional=1.0) for s in symbols])


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store.at(tmp_path / "state.db")


@pytest.mark.parametrize(("text", "hours"), [("90m", 1.5), ("12h", 12), ("7d", 168), ("2w", 336)])
def test_parse_period_units(text: str, hours: float) -> None:
    assert parse_period(text) == timedelta(hours=hours)


@pytest.mark.parametrize("text", ["7", "0d", "-1d", "1y", "d7", "99999d"])
def test_parse_period_rejects_with_the_flag_named(text: str) -> None:
    with pytest.raises(UsageError, match="--period"):
        parse_period(text)


def test_validate_period_empty_is_no_review() -> None:
    assert validate_period(None) is None and validate_period("") is None and validate_period("7d") == "7d"


def test_review_equity_drawdown_exposure_limits_positions(store: Store) -> None:
    series = [(10_000, 100, ("BTC",), 0.1), (10_500, 300, ("BTC", "ETH"), 0.5), (9_450, 200, ("ETH",), 0.9),
              (10_200, 250, ("ETH", "SOL"), 0.3)]
    for i, (equity, exposure, symbols, ratio) in enumerate(series):
        store.record(_point(NOW - timedelta(days=3) + timedelta(hours=i), equity, exposure, symbols, ratio))
    store.record(_point(NOW - timedelta(days=9), 1.0, 1.0, ("OLD",), 5.0))  # before the period: not counted
    review = build_review(store, "7d", NOW)
    assert (review.equity_start, review.equity_end, review.equity_change) == (10_000, 10_200, 200)
    assert review.max_drawdown == 1_050 and review.max_drawdown_pct == pytest.approx(10.0)
    assert (review.exposure_min, review.exposure_max) == (100, 300)
    assert [(p.limit_name, p.peak_ratio) for p in review.limit_peaks] == [("max_total_exposure_notional", 0.9)]
    assert review.positions_opened == ["ETH long", "SOL long"] and review.positions_closed == ["BTC long"]
    assert review.snapshots == 4 and len(review.curve) == 4 and review.notes == [("No health runs were recorded "
                                                                                 "in this period.")]
    payload = review.payload()
    assert payload["from"] == "2026-11-16T07:00:00Z" and "curve" not in payload


def test_review_health_share_and_longest_fail_stretch(store: Store) -> None:
    statuses = ["OK", "FAIL", "FAIL", "OK", "DEGRADED", "FAIL", "FAIL", "FAIL", "OK"]
    start = NOW - timedelta(hours=len(statuses))
    for i, status in enumerate(statuses):
        store.record(HealthRun(at=start + timedelta(hours=i), headline=status, overall_status=status))
    health = build_review(store, "1d", NOW).health
    assert health.runs == 9 and health.fail == pytest.approx(5 / 9, abs=1e-4) and health.degraded == pytest.approx(
        1 / 9, abs=1e-4)
    assert health.longest_fail_minutes == 180 and health.longest_fail_from == start + timedelta(hours=5)


def test_review_fail_until_the_end_counts_to_the_period_end(store: Store) -> None:
    store.record(HealthRun(at=NOW - timedelta(hours=2), headline="FAIL", overall_status="FAIL"))
    assert build_review(store, "1d", NOW).health.longest_fail_minutes == 120


def test_review_alerts_by_code_and_level(store: Store) -> None:
    for code, level, rank in [("A", "WARNING", 1), ("A", "WARNING", 1), ("B", "CRITICAL", 2)]:
        store.record_alert(ts=NOW - timedelta(hours=1), level=level, level_rank=rank, source="s", code=code,
                           subject="x", message="m", context={}, recovers=None,
                           deliveries=[Delivery(sink="log", target="-", status="sent", attempts=1, detail="")])
    alerts = build_review(store, "1d", NOW).alerts
    assert [(a.code, a.level, a.count) for a in alerts] == [("A", "WARNING", 2), ("B", "CRITICAL", 1)]


def test_review_of_empty_or_sparse_history_says_so(store: Store, tmp_path: Path) -> None:
    empty = review_period(tmp_path / "none.db", "7d", NOW)
    assert empty is not None and empty.snapshots == 0 and empty.equity_start is None
    assert any("No portfolio snapshots" in note for note in empty.notes)
    store.record(_point(NOW - timedelta(hours=1), 1.0, 1.0, (), 0.1))
    store.record(_point(NOW - timedelta(hours=2), 1.0, 1.0, (), 0.1))
    sparse = build_review(store, "7d", NOW)
    assert sparse.curve == [] and "2 snapshots in this period: too few for a curve." in sparse.notes


def test_review_of_unreadable_history_is_a_note_not_a_crash(tmp_path: Path) -> None:
    (tmp_path / "state.db").write_text("not a database, but not empty either" * 100)
    review = review_period(tmp_path / "state.db", "7d", NOW)
    assert review is not None and review.notes[0].startswith("The history could not be read")


def test_review_renders_svg_curves_in_html_and_tables_in_markdown(store: Store, write_config) -> None:
    for i, equity in enumerate([10_000, 9_000, 9_500, 10_100]):
        store.record(_point(NOW - timedelta(hours=10 - i), equity, 100 + i, ("BTC",), 0.2))
    snapshot = make_snapshot(write_config()).model_copy(update={"review": build_review(store, "1d", NOW)})
    rendered = render_report(snapshot, "both")
    assert "## 5. Period Review" in rendered.markdown and "| Max drawdown | 1,000.00 EUR (10.00% of peak) |" in (
        rendered.markdown)
    assert rendered.html is not None and rendered.html.count("<polyline") == 2 and 'id="review"' in rendered.html
    assert '"from":' in snapshot.sidecar_json().replace(" ", "")


def test_review_absent_without_period(write_config) -> None:
    rendered = render_report(make_snapshot(write_config()), "both")
    assert "Period Review" not in rendered.markdown and rendered.html is not None and "<polyline" not in rendered.html
