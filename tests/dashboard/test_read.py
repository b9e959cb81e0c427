"""Reading the desk from what runs recorded; what cannot be read is said, never a crash."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

from live_ops.dashboard.read import DeskReader
from tests.dashboard.conftest import Desk


def test_reader_of_an_empty_desk(tmp_path: Path) -> None:
    desk = DeskReader(tmp_path / "state.db", tmp_path / "reports").read()
    assert (desk.health, desk.snapshot, desk.curve, desk.alerts, desk.reports, desk.problems) == (
        None, None, (), (), (), ())
    assert not (tmp_path / "state.db").exists()  # reading never creates the state database


def test_reader_takes_the_newest_run_and_a_week_of_curve(write_config) -> None:
    d = Desk(write_config())
    now = datetime.now(timezone.utc)
    for days in (9, 6, 3, 0):
        d.record_run(now - timedelta(days=days, minutes=1))
    desk = d.reader().read()
    assert desk.health is not None and desk.health.at == now - timedelta(minutes=1)
    assert len(desk.curve) == 3  # the 9-day-old report is outside the 7 days
    assert [r.headline for r in desk.reports] == ["OK"] * 4 and desk.archive_index
    assert desk.last_runs["report"] == now - timedelta(minutes=1)  # from the sidecar, to the second


def test_reader_sees_a_new_run_at_once(write_config) -> None:
    d = Desk(write_config())
    now = datetime.now(timezone.utc)
    d.record_run(now - timedelta(hours=1))
    reader = d.reader()
    first = reader.read()
    assert (len(first.reports), len(first.curve)) == (1, 1)
    assert len(reader.read().curve) == 1  # from the reader's cache: the newest snapshot is the same
    d.record_run(now)
    second = reader.read()
    assert (len(second.reports), len(second.curve)) == (2, 2)
    assert second.snapshot is not None and second.snapshot.at == now


def test_damaged_sidecar_is_left_out_the_report_still_linked(write_config) -> None:
    d = Desk(write_config())
    now = datetime.now(timezone.utc)
    d.record_run(now - timedelta(hours=2))
    newest = d.record_run(now - timedelta(hours=1))
    (d.archive / f"{newest}.json").write_text('{"summary": {}, "snapshot": {"health": 12')
    desk = d.reader().read()
    assert (desk.reports[0].name, desk.reports[0].headline) == (newest, None)  # linked, its status unknown
    assert desk.health is not None and desk.health.at == now - timedelta(hours=1)  # the history has it


def test_unreadable_history_is_a_problem_not_a_crash(write_config, tmp_path: Path) -> None:
    d = Desk(write_config())
    Path(d.config.state.path).mkdir()  # a folder where the database should be
    d.archive.mkdir()
    (d.archive / "live_status_2026-11-23_0700_daily.md").write_text("# report")
    (d.archive / "live_status_2026-11-23_0700_daily.json").write_text("{}")  # the sidecar: a complete set
    (d.archive / "live_status_2026-11-23_0800_daily.md").write_text("# killed before its sidecar: not shown")
    desk = d.reader().read()
    assert desk.snapshot is None and [r.name for r in desk.reports] == ["live_status_2026-11-23_0700_daily"]
    assert [p.split(":")[0] for p in desk.problems] == ["The history could not be read", "The alert history could not be read"]


def test_collapse_keeps_what_reached_the_operator() -> None:
    from live_ops.dashboard.model import Alert, Delivery
    from live_ops.dashboard.read import collapse

    t = datetime(2026, 11, 23, 7, 0, tzinfo=timezone.utc)
    sent, dedup, failed = (Delivery("webhook[0]", s) for s in ("sent", "deduplicated", "failed"))
    rows = collapse([
        Alert(t, "CRITICAL", "portfolio", "BREACH", "newest", (dedup,), subject="a", first_at=t),
        Alert(t - timedelta(hours=1), "WARNING", "health", "DEGRADED", "other", (failed,), subject="x",
              first_at=t - timedelta(hours=1)),
        Alert(t - timedelta(hours=2), "CRITICAL", "portfolio", "BREACH", "middle", (dedup,), subject="a",
              first_at=t - timedelta(hours=2)),
        Alert(t - timedelta(hours=3), "CRITICAL", "portfolio", "BREACH", "first", (sent,), subject="a",
              first_at=t - timedelta(hours=3)),
    ], limit=10)
    assert [(r.code, r.message, r.occurrences, r.first_at, r.deliveries) for r in rows] == [
        ("BREACH", "newest", 3, t - timedelta(hours=3), (sent,)),
        ("DEGRADED", "other", 1, t - timedelta(hours=1), (failed,)),
    ]
