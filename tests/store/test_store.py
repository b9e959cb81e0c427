"""The history store on SQLite and PostgreSQL: record, read back typed, keep, prune, concurrent writers."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from live_ops.config.models import StateConfig
from live_ops.errors import StateError
from live_ops.store import (
    Delivery,
    HealthRun,
    LimitRatio,
    OrderPreviewRecord,
    PortfolioPoint,
    PositionRow,
    ReportRecord,
    Store,
)

T0 = datetime(2026, 11, 23, 7, 0, tzinfo=timezone.utc)
REPO = Path(__file__).resolve().parents[2]


def _snapshot(at: datetime, equity: float, *, positions: tuple[str, ...] = ("BTC/EUR",)) -> PortfolioPoint:
    return PortfolioPoint(
        at=at, mode="paper", headline="OK", quote_currency="EUR", equity=equity, free_cash=equity / 2,
        total_exposure=1000.0 * len(positions), open_positions=len(positions), daily_pnl=-12.5, risk_severity="OK",
        limits=[LimitRatio(limit_name="max_total_exposure_notional", ratio=0.25, severity="OK")],
        positions=[PositionRow(symbol=s, side="long", size=0.1, notional=1000.0) for s in positions],
    )


def test_store_records_each_kind_and_reads_it_back_typed(store: Store) -> None:
    store.record(HealthRun(at=T0, headline="DEGRADED", overall_status="DEGRADED", mode="paper",
                           checks={"config": "pass", "alerts": "warn"}))
    store.record(_snapshot(T0, 10_000.0))
    store.record(OrderPreviewRecord(at=T0, headline="BREACH", name="preview_x", num_signals=3, num_orders=2,
                                    num_skipped=1, total_notional=1500.0, blocked=True, severity="BREACH"))
    store.record(ReportRecord(at=T0, headline="OK", name="live_status_2026-11-23_0700_daily",
                              files=["a.md", "a.html"], period="1d"))
    health = store.latest_health()
    assert health is not None and health.checks == {"config": "pass", "alerts": "warn"}
    assert health.at == T0 and health.at.tzinfo is not None and health.host
    point = store.latest_portfolio()
    assert point is not None and point.equity == 10_000.0 and point.daily_pnl == -12.5
    assert point.limits[0].limit_name == "max_total_exposure_notional" and point.positions[0].symbol == "BTC/EUR"
    orders = store.latest_orders()
    assert orders is not None and orders.blocked is True and orders.severity == "BREACH"
    report = store.latest_report()
    assert report is not None and report.files == ["a.md", "a.html"] and report.kept is False


def test_store_series_is_the_half_open_period_oldest_first(store: Store) -> None:
    for i in range(10):
        store.record(_snapshot(T0 + timedelta(hours=i), 10_000.0 + i))
    rows = store.portfolio_series(T0 + timedelta(hours=2), T0 + timedelta(hours=5))
    assert [r.equity for r in rows] == [10_002.0, 10_003.0, 10_004.0]
    assert store.latest_portfolio().equity == 10_009.0  # type: ignore[union-attr]
    assert len(store.portfolio_series(T0 + timedelta(hours=8))) == 2


def test_store_history_mixes_kinds_newest_first(store: Store) -> None:
    store.record(HealthRun(at=T0, headline="OK", overall_status="OK"))
    store.record(_snapshot(T0 + timedelta(minutes=1), 1.0))
    store.record(HealthRun(at=T0 + timedelta(minutes=2), headline="FAIL", overall_status="FAIL"))
    assert [(r.kind, r.headline) for r in store.history(T0)] == [("health", "FAIL"), ("portfolio", "OK"),
                                                                  ("health", "OK")]
    assert [r.kind for r in store.history(T0, kind="portfolio")] == ["portfolio"]
    assert len(store.history(T0, limit=2)) == 2


def test_store_alerts_come_back_with_their_delivery_outcome(store: Store) -> None:
    for i, (level, rank) in enumerate([("INFO", 0), ("WARNING", 1), ("CRITICAL", 2)]):
        store.record_alert(ts=T0 + timedelta(minutes=i), level=level, level_rank=rank, source="portfolio",
                           code=f"C{i}", subject="s", message="m", context={"i": i}, recovers=None,
                           deliveries=[Delivery(sink="webhook[0]", target="http://h", status="failed", attempts=3,
                                                detail="timeout", duration_ms=3000.0),
                                       Delivery(sink="log", target="-", status="sent", attempts=1, detail="ok")])
    alerts = store.alerts(T0)
    assert [a.code for a in alerts] == ["C2", "C1", "C0"]
    assert [(d.sink, d.status) for d in alerts[0].deliveries] == [("log", "sent"), ("webhook[0]", "failed")]
    assert [a.code for a in store.alerts(T0, min_rank=1)] == ["C2", "C1"]
    assert [a.code for a in store.alerts(T0, T0 + timedelta(minutes=2))] == ["C1", "C0"]
    assert store.last_sent("portfolio", "C2", "s", T0) == {"log": 2}


def test_store_start_of_day_first_equity_wins(store: Store) -> None:
    assert store.start_of_day(10_000.0, "EUR", T0) == 10_000.0
    assert store.start_of_day(9_000.0, "EUR", T0 + timedelta(hours=5)) == 10_000.0
    assert store.start_of_day(9_000.0, "EUR", T0 + timedelta(days=1)) == 9_000.0


def test_store_retention_never_deletes_a_kept_report(store: Store) -> None:
    old = T0 - timedelta(days=30)
    store.record(ReportRecord(at=old, headline="OK", name="old_kept"))
    store.record(ReportRecord(at=old, headline="OK", name="old_plain"))
    store.record(HealthRun(at=old, headline="OK", overall_status="OK"))
    store.record(HealthRun(at=T0, headline="OK", overall_status="OK"))
    store.record_alert(ts=old, level="WARNING", level_rank=1, source="s", code="C", subject="x", message="m",
                       context={}, recovers=None, deliveries=[Delivery(sink="log", target="-", status="sent",
                                                                        attempts=1, detail="")])
    store.start_of_day(1.0, "EUR", old)
    assert store.set_kept("old_kept") == 1
    pruned = store.prune(7, T0)
    assert pruned.rows["reports"] == 1 and pruned.rows["health_runs"] == 1
    assert pruned.rows["alert_events"] == 1 and pruned.rows["alert_deliveries"] == 1
    assert pruned.rows["equity_snapshots"] == 1
    assert [r.name for r in store.history(old - timedelta(days=1), kind="reports")] == ["old_kept"]  # type: ignore[union-attr]
    assert store.kept_names() == {"old_kept"}
    assert store.set_kept("old_kept", False) == 1 and store.kept_names() == set()


def test_store_read_of_a_missing_sqlite_file_creates_nothing(tmp_path: Path) -> None:
    store = Store.at(tmp_path / "none" / "state.db")
    assert store.latest_health() is None and store.alerts(T0) == [] and store.history(T0) == []
    assert not (tmp_path / "none").exists()


def test_store_unwritable_path_is_one_state_error_line(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    with pytest.raises(StateError, match="cannot open state database") as caught:
        Store.at(tmp_path / "file" / "state.db").start_of_day(1.0, "EUR", T0)
    assert "\n" not in str(caught.value)


def test_store_postgres_password_comes_from_env_and_never_shows(pg_database: str,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.fakes.postgres import PASSWORD, PASSWORD_ENV

    with pytest.raises(StateError, match="LIVE_OPS_NOT_SET is not set"):
        Store.at(StateConfig(url=pg_database, password_env="LIVE_OPS_NOT_SET"))
    monkeypatch.setenv("LIVE_OPS_WRONG_PW", "wrong-password-123")
    with pytest.raises(StateError) as caught:
        Store.at(StateConfig(url=pg_database, password_env="LIVE_OPS_WRONG_PW")).latest_health()
    assert "wrong-password-123" not in str(caught.value) and "cannot open state database" in str(caught.value)
    store = Store.at(StateConfig(url=pg_database, password_env=PASSWORD_ENV))
    assert store.latest_health() is None
    assert PASSWORD not in store.target.label


_WRITER = """
import sys
from datetime import datetime, timedelta, timezone
from live_ops.config.models import StateConfig
from live_ops.store import Delivery, HealthRun, Store
where = sys.argv[1]
state = StateConfig(url=where, password_env="LIVE_OPS_TEST_PG_PASSWORD") if "://" in where else StateConfig(path=where)
print("ready", flush=True)
sys.stdin.readline()  # the start gun: both processes migrate and write at once
store = Store.at(state)
t0 = datetime(2026, 11, 23, tzinfo=timezone.utc)
for i in range(int(sys.argv[3])):
    store.record(HealthRun(at=t0 + timedelta(seconds=i), headline="OK", overall_status="OK", host=sys.argv[2]))
    store.record_alert(ts=t0, level="INFO", level_rank=0, source=sys.argv[2], code="C", subject=str(i), message="m",
                       context={}, recovers=None, deliveries=[Delivery(sink="log", target="-", status="sent",
                                                                        attempts=1, detail="")])
print("done", flush=True)
"""


def test_store_two_processes_first_run_and_write_at_once_lose_no_row(state: StateConfig) -> None:
    where = state.url or state.path
    n = 150
    procs = [subprocess.Popen([sys.executable, "-c", _WRITER, where, name, str(n)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=REPO, env=os.environ)
             for name in ("a", "b")]
    for proc in procs:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
    for proc in procs:
        assert proc.stdin is not None
        proc.stdin.write("go\n")
        proc.stdin.flush()
    for proc in procs:
        _out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
    store = Store.at(state)
    runs = store.history(T0 - timedelta(days=1), kind="health")
    assert sorted((r.host, r.at) for r in runs) == sorted(
        (h, datetime(2026, 11, 23, tzinfo=timezone.utc) + timedelta(seconds=i)) for h in "ab" for i in range(n))
    alerts = store.alerts(T0 - timedelta(days=1))
    assert len(alerts) == 2 * n and all(len(a.deliveries) == 1 for a in alerts)


@pytest.mark.parametrize("at", [datetime(2026, 12, 4, 17, 0, 46, 561939, tzinfo=timezone.utc),
                                datetime(2026, 1, 2, 3, 4, 5, tzinfo=timezone.utc),
                                datetime(2026, 6, 1, 12, 0, tzinfo=timezone(timedelta(hours=2)))])
def test_store_time_text_round_trips_to_the_same_utc_instant(at: datetime) -> None:
    from sqlalchemy.dialects import sqlite

    from live_ops.store.schema import UtcTime

    kind, dialect = UtcTime(), sqlite.dialect()
    text = kind.process_bind_param(at, dialect)
    assert len(text) == 27 and text.endswith("Z")  # fixed width: text order is time order
    back = kind.process_result_value(text, dialect)
    assert back == at and back.tzinfo == timezone.utc
