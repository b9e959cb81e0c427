"""`live-ops orders` and `order_preview_flow` end to end on the paper exchange.

Exit codes (enforce, block_on_violation, skip, conflicting flags) go through the CLI funnel
in-process; JSON purity of stdout needs a real process, so one test runs the console script.
The example config holds BTC 0.05 long (3,000 EUR), ETH 0.5 short (1,500), SOL 4 long (600);
max_order_notional is 1,000 EUR, so `--notional 1500` is a BREACH on every order.
"""

from __future__ import annotations

import asyncio
import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bench.gen_signals import write_signals
from live_ops.cli import main
from tests.conftest import REPO

SIGNALS = ("symbol,direction,strategy_key,comment\n"
           "BTC/EUR,1,trend,add to the long\n"
           "ETH/EUR,1,trend,cover some of the short\n"
           "SOL/EUR,-1,mr,\n"
           "DOGE/EUR,1,,not listed\n"
           "XRP/EUR,0,,flat\n")


@pytest.fixture
def signals(tmp_path: Path) -> Path:
    path = tmp_path / "signals.csv"
    path.write_text(SIGNALS)
    return path


def run_cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    code = main(list(argv))
    return code, capsys.readouterr().out


def run_json(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, dict]:
    code, out = run_cli(capsys, *argv, "--json")
    return code, json.loads(out)


def test_orders_cli_conflicting_risk_flags_exit_2(capsys, signals: Path) -> None:
    code, data = run_json(capsys, "orders", "--signals", str(signals), "--enforce-live-risk", "--skip-live-risk")
    assert code == 2 and "not allowed with" in data["error"]


def test_orders_cli_bad_signals_fail_in_one_line_before_prefect(capsys, tmp_path: Path, write_config) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("symbol,direction\nBTC/EUR,1\nETH/EUR,sell\n")
    code, data = run_json(capsys, "orders", "--config", str(write_config()), "--signals", str(bad))
    assert code == 1
    assert data == {"error": f"{bad} line 3, column 2 (direction): 'sell' is not a number"}


@pytest.mark.parametrize(("flag", "value"), [("--notional", "-5"), ("--tag", "no spaces")])
def test_orders_cli_bad_flag_values_exit_2(capsys, signals: Path, write_config, flag: str, value: str) -> None:
    code, data = run_json(capsys, "orders", "--config", str(write_config()), "--signals", str(signals), flag, value)
    assert code == 2 and data["error"].startswith(flag)


@pytest.mark.prefect
def test_orders_cli_preview_within_limits_exit_0(prefect_api, capsys, signals: Path, write_config,
                                                 tmp_path: Path) -> None:
    out = tmp_path / "out" / "orders.csv"
    code, data = run_json(capsys, "orders", "--config", str(write_config()), "--signals", str(signals),
                          "--tag", "t1", "--out", str(out))
    assert code == 0
    assert (data["preview_name"], data["num_signals"], data["num_orders"]) == ("t1", 5, 3)
    assert [(o["symbol"], o["side"]) for o in data["orders"]] == [("BTC/EUR", "buy"), ("ETH/EUR", "buy"),
                                                                  ("SOL/EUR", "sell")]
    assert data["orders"][0]["quantity"] == 0.00166666 and data["orders"][0]["strategy_key"] == "trend"
    assert [(s["row"], s["symbol"]) for s in data["skipped"]] == [(5, "DOGE/EUR"), (6, "XRP/EUR")]
    risk = data["risk"]
    assert risk["severity"] == "OK" and risk["allowed"] is True
    # on top of the portfolio: BTC grows, the ETH short and the SOL long shrink
    exposure = {d["symbol"]: d["current_value"] for d in risk["limit_details"]
                if d["limit_name"] == "max_symbol_exposure_notional"}
    assert exposure["BTC/EUR"] == pytest.approx(3_099.9996)
    assert exposure["ETH/EUR"] == pytest.approx(1_400.00001)
    assert exposure["SOL/EUR"] == pytest.approx(500.000001)
    assert [d["limit_name"] for d in risk["limit_details"]].count("max_order_notional") == 3
    with out.open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["client_order_id"] for r in rows] == [o["client_order_id"] for o in data["orders"]]
    assert data["out_path"] == str(out)


@pytest.mark.prefect
def test_orders_cli_breach_blocks_with_block_on_violation_exit_1(prefect_api, capsys, signals: Path,
                                                                 write_config, tmp_path: Path) -> None:
    out = tmp_path / "orders.csv"
    code, data = run_json(capsys, "orders", "--config", str(write_config()), "--signals", str(signals),
                          "--notional", "1500", "--out", str(out))
    assert code == 1
    assert data["risk"]["severity"] == "BREACH" and data["blocked"] is True
    assert not out.exists() and data["out_path"] is None  # a blocked batch is not handed to execution
    code, text = run_cli(capsys, "orders", "--config", str(write_config()), "--signals", str(signals),
                         "--notional", "1500")
    assert code == 1 and "BLOCKED" in text and "Risk: BREACH (NOT allowed)" in text


@pytest.mark.prefect
def test_orders_cli_breach_without_block_on_violation_exit_0_unless_enforced(prefect_api, capsys, signals: Path,
                                                                            write_config) -> None:
    config = str(write_config(replace={"block_on_violation = true": "block_on_violation = false"}))
    code, data = run_json(capsys, "orders", "--config", config, "--signals", str(signals), "--notional", "1500")
    assert code == 0 and data["risk"]["severity"] == "BREACH" and data["blocked"] is False
    code, data = run_json(capsys, "orders", "--config", config, "--signals", str(signals), "--notional", "1500",
                          "--enforce-live-risk")
    assert code == 1 and data["blocked"] is True


@pytest.mark.prefect
def test_orders_cli_skip_live_risk_has_no_risk_key_exit_0(prefect_api, capsys, signals: Path, write_config,
                                                          tmp_path: Path) -> None:
    out = tmp_path / "orders.csv"
    code, data = run_json(capsys, "orders", "--config", str(write_config()), "--signals", str(signals),
                          "--notional", "1500", "--skip-live-risk", "--out", str(out))
    assert code == 0 and "risk" not in data and data["num_orders"] == 3
    assert out.exists()
    code, text = run_cli(capsys, "orders", "--config", str(write_config()), "--signals", str(signals),
                         "--skip-live-risk")
    assert code == 0 and "Risk: not evaluated" in text


@pytest.mark.prefect
def test_orders_console_script_stdout_is_one_json_document(prefect_api, signals: Path, write_config) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LIVE_OPS_")}
    env.update(PREFECT_API_URL=prefect_api, PYTHONPATH=f"{REPO / 'src'}{os.pathsep}{REPO}")
    result = subprocess.run([sys.executable, "-m", "live_ops.cli", "orders", "--json", "--verbose",
                             "--config", str(write_config()), "--signals", str(signals)], capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)  # raises if anything but one JSON document is on stdout
    assert set(data) >= {"preview_name", "num_signals", "num_orders", "orders", "skipped", "risk"}
    assert set(data["orders"][0]) >= {"client_order_id", "symbol", "side", "order_type", "quantity", "price",
                                      "notional"}
    assert set(data["skipped"][0]) == {"row", "symbol", "reason", "code"}
    assert "Flow run" in result.stderr  # Prefect's own output (--verbose) went to stderr


@pytest.mark.prefect
def test_order_preview_flow_100k_signals(prefect_api, write_config, tmp_path: Path) -> None:
    from live_ops.flows.orders import order_preview_flow

    path = write_signals(tmp_path / "100k.csv", 100_000, balanced=True)  # buys and sells net out per symbol
    out = tmp_path / "orders.csv"
    preview = asyncio.run(order_preview_flow(signals_path=str(path), config_path=str(write_config()),
                                             tag="big", out_path=str(out))).unquote()
    assert (preview.num_signals, preview.num_orders, len(preview.skipped)) == (100_000, 100_000, 0)
    assert len({o.client_order_id for o in preview.orders}) == 100_000
    assert preview.risk is not None and preview.risk.allowed
    assert preview.risk.metrics["total_exposure_notional"] == pytest.approx(5_100.0)  # netted back to the portfolio
    # all 100k orders are within max_order_notional: one detail for each symbol's largest order
    assert [d.symbol for d in preview.risk.limit_details if d.limit_name == "max_order_notional"] == [
        "BTC/EUR", "ETH/EUR", "SOL/EUR", "XRP/EUR"]
    with out.open() as handle:
        assert sum(1 for _ in handle) == 100_001


@pytest.mark.prefect
def test_orders_out_neutralises_hyperlink_formula_end_to_end(prefect_api, capsys, tmp_path: Path,
                                                             write_config) -> None:
    signals = tmp_path / "evil.csv"
    signals.write_text('symbol,direction,comment\nBTC/EUR,1,"=HYPERLINK(""http://evil.example"",""x"")"\n')
    out = tmp_path / "orders.csv"
    code, data = run_json(capsys, "orders", "--config", str(write_config()), "--signals", str(signals),
                          "--out", str(out))
    assert code == 0 and data["num_orders"] == 1
    with out.open(newline="") as handle:
        assert next(csv.DictReader(handle))["comment"] == "'=HYPERLINK(\"http://evil.example\",\"x\")"
