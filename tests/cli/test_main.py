"""The installed `live-ops` console script end to end: JSON purity, exit codes, one-line errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli.console import LIVE_OPS, live_ops
from tests.conftest import REPO


def test_console_script_is_installed() -> None:
    assert LIVE_OPS.exists(), "install the package first: pip install '.[test]'"


def test_help_imports_neither_prefect_nor_ccxt() -> None:
    code = ("import sys, live_ops.cli as c\n"
            "try:\n    c.main(['--help'])\nexcept SystemExit:\n    pass\n"
            "heavy = sorted({m.split('.')[0] for m in sys.modules} & {'prefect', 'ccxt'})\n"
            "print(heavy)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, check=True,
                         env={**os.environ, "PYTHONPATH": "src:."})
    assert out.stdout.strip().splitlines()[-1] == "[]"


def test_usage_errors_exit_2() -> None:
    result = live_ops("orders", "--json")
    assert result.returncode == 2
    assert "--signals" in json.loads(result.stdout)["error"]
    assert live_ops("nonsense").returncode == 2
    both = live_ops("orders", "--signals", "x.csv", "--enforce-live-risk", "--skip-live-risk")
    assert both.returncode == 2 and "not allowed with" in both.stderr


def test_bad_config_is_one_line_json_error(tmp_path: Path) -> None:
    bad = tmp_path / "c.toml"
    bad.write_text('[environment]\nmode = "paper"\n[live_risk]\nmax_order_notional = -1\n[live_alerts]\n')
    result = live_ops("portfolio", "--config", str(bad), "--json")
    assert result.returncode == 1
    assert json.loads(result.stdout) == {
        "error": f"{bad}: live_risk.max_order_notional: Input should be greater than 0 (got -1)"
    }
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1


@pytest.mark.prefect
def test_health_json_is_ok_on_the_example_config(prefect_api: str, write_config) -> None:
    result = live_ops("health", "--json", "--config", str(write_config()), api_url=prefect_api)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)  # stdout is exactly one JSON document
    assert report["overall_status"] == "OK" and report["mode"] == "paper"
    assert report["checked_at"].endswith("Z")


@pytest.mark.prefect
def test_health_missing_config_is_fail_json_exit_1(prefect_api: str, tmp_path: Path) -> None:
    result = live_ops("health", "--json", "--config", str(tmp_path / "none.toml"), api_url=prefect_api)
    assert result.returncode == 1
    report = json.loads(result.stdout)
    assert report["overall_status"] == "FAIL" and "config file not found" in report["config_errors"][0]


@pytest.mark.prefect
def test_portfolio_json_shows_paper_positions(prefect_api: str, write_config, tmp_path: Path) -> None:
    env = {"LIVE_OPS_CONFIG": str(write_config())}  # the default config path comes from the environment
    result = live_ops("portfolio", "--json", "--starting-cash", "10500", api_url=prefect_api, env=env, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    positions = {p["symbol"]: p for p in data["positions"]}
    assert positions["BTC/EUR"] == {
        "symbol": "BTC/EUR", "side": "long", "size": 0.05, "entry_price": 58000.0, "mark_price": 60000.0,
        "notional": 3000.0, "unrealized_pnl": 100.0, "realized_pnl": None,  # the paper book records no realized PnL: unknown, not zero
    }
    assert positions["ETH/EUR"]["side"] == "short" and positions["ETH/EUR"]["unrealized_pnl"] == 50.0
    assert data["equity"] == 10190.0 and data["free_cash"] == 10000.0 and data["quote_currency"] == "EUR"
    assert data["totals"]["total_notional"] == 5100.0
    assert data["risk"]["severity"] == "OK" and data["risk"]["metrics"]["daily_pnl"] == -310.0
    text = live_ops("portfolio", "--no-risk", api_url=prefect_api, env=env, cwd=tmp_path)
    assert text.returncode == 0 and "BTC/EUR" in text.stdout and "Risk:" not in text.stdout


@pytest.mark.prefect
def test_fast_exit_still_delivers_the_run_to_the_server(prefect_api: str, write_config) -> None:
    """The CLI skips the interpreter's teardown: the run, its task runs and logs must still arrive."""
    import asyncio

    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterName, LogFilter, LogFilterFlowRunId

    path = write_config(name="fast-exit.toml")
    result = live_ops("health", "--json", "--config", str(path), api_url=prefect_api)
    assert result.returncode == 0, result.stderr

    async def read(deadline_s: float = 30.0):
        # task runs arrive as events that the server records in the background: poll, with a deadline
        loop = asyncio.get_running_loop()
        give_up = loop.time() + deadline_s
        async with get_client() as client:
            while True:
                [run] = await client.read_flow_runs(
                    flow_run_filter=FlowRunFilter(name=FlowRunFilterName(any_=[f"live health {path}"])))
                tasks = await client.read_task_runs(flow_run_filter=FlowRunFilter(id={"any_": [run.id]}))
                logs = await client.read_logs(log_filter=LogFilter(flow_run_id=LogFilterFlowRunId(any_=[run.id])))
                settled = len(tasks) == 3 and all(t.state_name == "Completed" for t in tasks)
                if settled or loop.time() > give_up:
                    return run, tasks, logs
                await asyncio.sleep(0.2)

    run, tasks, logs = asyncio.run(read())
    assert run.state_name == "Completed"
    assert sorted(t.name.rsplit("-", 1)[0] for t in tasks) == ["check-health", "raise-alerts", "record-history"]
    assert all(t.state_name == "Completed" for t in tasks)
    assert any("Finished in state Completed" in log.message for log in logs)
