"""`live-ops alerts` end to end as a subprocess: history newest first, JSON, usage errors."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from live_ops.alerts import AlertHistory, AlertLevel
from live_ops.alerts.sinks import DeliveryResult
from live_ops.config import load_config
from tests.alerts.helpers import assert_no_secret, make_event

REPO = Path(__file__).resolve().parents[2]


def live_ops(*args: str) -> subprocess.CompletedProcess:
    env = {"PYTHONPATH": "src:.", "PATH": "/usr/bin:/bin", "HOME": str(REPO)}
    return subprocess.run([sys.executable, "-m", "live_ops.cli", *args], cwd=REPO, env=env, capture_output=True,
                          text=True, timeout=60)


@pytest.fixture
def config_with_history(write_config) -> Path:
    path = write_config()
    history = AlertHistory(load_config(path).state.path)
    now = datetime.now(timezone.utc)
    sent = [DeliveryResult("webhook[0]", "https://hooks.example", "sent", attempts=2, detail="HTTP 200")]
    history.record(make_event(AlertLevel.WARNING, code="OLD", ts=now - timedelta(days=3)), sent)
    history.record(make_event(AlertLevel.INFO, code="RECOVERED", ts=now - timedelta(hours=2)), sent)
    history.record(make_event(AlertLevel.CRITICAL, code="NEWEST", ts=now - timedelta(minutes=5)),
                   [DeliveryResult("slack[0]", "https://hooks.slack.com", "failed", attempts=3, detail="HTTP 500")])
    return path


def test_alerts_json_newest_first_within_since(config_with_history: Path) -> None:
    started = time.monotonic()
    result = live_ops("alerts", "--json", "--config", str(config_with_history))
    assert time.monotonic() - started < 10  # no Prefect: a plain SQLite read
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)
    assert [a["code"] for a in doc["alerts"]] == ["NEWEST", "RECOVERED"] and doc["count"] == 2
    newest = doc["alerts"][0]
    assert newest["level"] == "CRITICAL" and newest["ts"].endswith("Z")
    assert newest["deliveries"] == [{"sink": "slack[0]", "target": "https://hooks.slack.com", "status": "failed",
                                     "attempts": 3, "detail": "HTTP 500"}]
    assert "prefect" not in result.stderr.lower()


def test_alerts_level_limit_and_since_filters(config_with_history: Path) -> None:
    doc = json.loads(live_ops("alerts", "--json", "--since", "7d", "--level", "warning",
                              "--config", str(config_with_history)).stdout)
    assert [a["code"] for a in doc["alerts"]] == ["NEWEST", "OLD"]
    doc = json.loads(live_ops("alerts", "--json", "--since", "7d", "--limit", "1",
                              "--config", str(config_with_history)).stdout)
    assert [a["code"] for a in doc["alerts"]] == ["NEWEST"]
    doc = json.loads(live_ops("alerts", "--json", "--since", "30m", "--config", str(config_with_history)).stdout)
    assert [a["code"] for a in doc["alerts"]] == ["NEWEST"]


def test_alerts_table_output(config_with_history: Path) -> None:
    result = live_ops("alerts", "--since", "7d", "--config", str(config_with_history))
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    assert lines[0].split()[:4] == ["time", "(UTC)", "level", "code"]
    assert "CRITICAL" in lines[2] and "slack[0] failed" in lines[2]
    assert "OLD" in result.stdout and result.stdout.index("NEWEST") < result.stdout.index("OLD")
    assert max(len(line) for line in lines) <= 100  # fits 100 columns, long messages wrap in their column
    assert "\x1b[" not in result.stdout  # no colour into a pipe
    assert_no_secret(result.stdout)


@pytest.mark.parametrize("since", ["24", "1y", "-3h", "0h", "abc"])
def test_alerts_bad_since_is_usage_error(config_with_history: Path, since: str) -> None:
    result = live_ops("alerts", "--json", f"--since={since}", "--config", str(config_with_history))
    assert result.returncode == 2
    assert "--since" in json.loads(result.stdout)["error"]


def test_alerts_empty_history_without_creating_the_database(write_config, tmp_path: Path) -> None:
    path = write_config()
    result = live_ops("alerts", "--config", str(path))
    assert result.returncode == 0 and "No alerts since" in result.stdout
    assert not (tmp_path / "state.db").exists()
