"""The alert history: queries, open alerts, two processes writing at once."""

from __future__ import annotations

import subprocess
import sys
from datetime import timedelta
from pathlib import Path

from live_ops.alerts import AlertHistory, AlertLevel
from live_ops.alerts.sinks import DeliveryResult
from tests.alerts.helpers import T0, make_event

REPO = Path(__file__).resolve().parents[2]


def test_history_query_newest_first_with_level_since_and_limit(history: AlertHistory) -> None:
    levels = [AlertLevel.INFO, AlertLevel.WARNING, AlertLevel.CRITICAL, AlertLevel.WARNING]
    for i, level in enumerate(levels):
        history.record(make_event(level, code=f"C{i}", ts=T0 + timedelta(hours=i)),
                       [DeliveryResult("webhook[0]", "http://h", "sent", attempts=1, detail="HTTP 200")])
    rows = history.query(since=T0 - timedelta(days=1))
    assert [r.code for r in rows] == ["C3", "C2", "C1", "C0"]
    assert rows[0].deliveries == [{"sink": "webhook[0]", "target": "http://h", "status": "sent", "attempts": 1,
                                   "detail": "HTTP 200"}]
    assert [r.code for r in history.query(since=T0 - timedelta(days=1), min_level=AlertLevel.WARNING)] == [
        "C3", "C2", "C1"]
    assert [r.code for r in history.query(since=T0 - timedelta(days=1), min_level=AlertLevel.CRITICAL)] == ["C2"]
    assert [r.code for r in history.query(since=T0 + timedelta(minutes=90))] == ["C3", "C2"]
    assert [r.code for r in history.query(since=T0 - timedelta(days=1), limit=2)] == ["C3", "C2"]
    assert rows[0].context["symbol"] == "BTC/EUR"


def test_history_query_of_missing_file_is_empty_and_creates_nothing(tmp_path: Path) -> None:
    history = AlertHistory(tmp_path / "none" / "state.db")
    assert history.query(since=T0) == [] and history.open_alerts("portfolio") == []
    assert not (tmp_path / "none").exists()


def test_history_open_alerts_until_an_info_event_closes_them(history: AlertHistory) -> None:
    history.record(make_event(AlertLevel.WARNING, ts=T0), [])
    history.record(make_event(AlertLevel.CRITICAL, subject="max_total_exposure_notional", ts=T0), [])
    history.record(make_event(AlertLevel.INFO, code="RISK_LIMIT_RECOVERED_PORTFOLIO", recovers=AlertLevel.CRITICAL,
                              subject="max_total_exposure_notional", ts=T0 + timedelta(minutes=1)), [])
    (open_alert,) = history.open_alerts("portfolio")
    assert (open_alert.subject, open_alert.level) == ("max_symbol_exposure_notional:BTC/EUR", AlertLevel.WARNING)
    assert history.open_alerts("orders") == []


_WRITER = """
import sys
from datetime import datetime, timezone
from live_ops.alerts import AlertEvent, AlertHistory
from live_ops.alerts.sinks import DeliveryResult
history = AlertHistory(sys.argv[1])
history.query(since=datetime.now(timezone.utc))  # schema exists before the race
print("ready", flush=True)
sys.stdin.readline()  # the start gun: both processes write at once
for i in range(int(sys.argv[3])):
    event = AlertEvent(ts=datetime.now(timezone.utc), level="WARNING", source=sys.argv[2], code="C", subject=str(i),
                       message="m")
    history.record(event, [DeliveryResult("log", "l", "sent"), DeliveryResult("stderr", "s", "sent")])
print("done", flush=True)
"""


def test_history_two_processes_writing_at_once_lose_nothing(tmp_path: Path) -> None:
    db = tmp_path / "state.db"
    env = {"PYTHONPATH": f"{REPO / 'src'}:{REPO}", "PATH": "/usr/bin:/bin"}
    writers = [subprocess.Popen([sys.executable, "-c", _WRITER, str(db), source, "150"], stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE, text=True, env=env, cwd=REPO)
               for source in ("daily", "weekly")]
    for w in writers:
        assert w.stdout.readline().strip() == "ready"
    for w in writers:
        w.stdin.write("go\n")
        w.stdin.flush()
    for w in writers:
        out, _ = w.communicate(timeout=60)
        assert w.returncode == 0 and out.strip() == "done"
    rows = AlertHistory(db).query(since=T0 - timedelta(days=3650), limit=1000)
    assert len(rows) == 300
    assert {r.source for r in rows} == {"daily", "weekly"}
    assert all(len(r.deliveries) == 2 for r in rows)
