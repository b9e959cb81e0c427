"""`live-ops history`, `keep`, `compare` and `report --period` at the command line: JSON shape, errors."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

from live_ops.config import load_config
from live_ops.store import HealthRun, PortfolioPoint, Store
from tests.cli.console import live_ops

NOW = datetime(2026, 11, 23, 7, 0, tzinfo=timezone.utc)
AS_OF = {"LIVE_OPS_AS_OF": "2026-11-23T07:00:00Z"}


def test_cli_history_json_newest_first_by_kind(write_config) -> None:
    path = write_config()
    store = Store.at(load_config(path).state)
    store.record(HealthRun(at=NOW - timedelta(hours=2), headline="FAIL", overall_status="FAIL", checks={"exchange": "fail"},
                           messages={"exchange": ["binanceusdm: cannot connect (refused)"]}))
    store.record(PortfolioPoint(at=NOW - timedelta(hours=1), headline="OK", quote_currency="EUR", equity=1.0,
                                free_cash=1.0, total_exposure=0.0, open_positions=0))
    store.record(HealthRun(at=NOW - timedelta(days=9), headline="OK", overall_status="OK"))
    result = live_ops("history", "--config", str(path), "--json", env=AS_OF)
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)
    assert (doc["since"], doc["kind"], doc["count"]) == ("2026-11-16T07:00:00Z", None, 2)
    assert [(r["kind"], r["headline"]) for r in doc["records"]] == [("portfolio", "OK"), ("health", "FAIL")]
    assert list(doc["records"][1])[:3] == ["kind", "at", "headline"] and doc["records"][1]["checks"] == {
        "exchange": "fail"}
    health = json.loads(live_ops("history", "--config", str(path), "--kind", "health", "--since", "30d", "--json",
                                 env=AS_OF).stdout)
    assert [r["headline"] for r in health["records"]] == ["FAIL", "OK"]
    text = live_ops("history", "--config", str(path), env=AS_OF)
    assert "exchange fail" in text.stdout and text.returncode == 0
    assert "binanceusdm: cannot connect (refused)" in " ".join(text.stdout.split())  # why, not only that it failed
    assert doc["records"][1]["messages"] == {"exchange": ["binanceusdm: cannot connect (refused)"]}


def test_cli_history_errors_are_one_line(write_config, tmp_path: Path) -> None:
    path = write_config()
    bad = live_ops("history", "--config", str(path), "--since", "soon", "--json")
    assert bad.returncode == 2 and "--since" in json.loads(bad.stdout)["error"]
    assert live_ops("history", "--config", str(path), "--kind", "trades").returncode == 2
    keep = live_ops("keep", "live_status_2026-01-01_0700", "--config", str(path), "--json")
    assert keep.returncode == 2 and "no archived report named" in json.loads(keep.stdout)["error"]
    compare = live_ops("compare", "live_status_2026-01-01_0700", "x", "--config", str(path), "--json")
    assert compare.returncode == 1 and "Traceback" not in compare.stderr
    assert "no such archived report" in json.loads(compare.stdout)["error"]
    period = live_ops("report", "--config", str(path), "--period", "week", "--json")
    assert period.returncode == 2 and "--period" in json.loads(period.stdout)["error"]
