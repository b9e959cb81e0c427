"""A simulated week through the run steps, the report flow and the installed CLI, on SQLite and PostgreSQL.

Every twelve hours of the simulated week (`LIVE_OPS_AS_OF`) a health and a portfolio run go
through the run steps the flows' tasks call (`live_ops.runs`: check, alert, record; the flows
around them are tested in tests/flows) against the paper exchange, whose prices the config moves: BTC drops on day 3 (daily-loss
alerts) and recovers, the exchange is unreachable for a day on day 5 (health FAIL), and an XRP
position is opened on day 6. Then the weekly report's review must tell that story, compare
must show the opened position, and a kept report must survive retention.
"""

from __future__ import annotations

import asyncio
import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from live_ops.flows.report import status_report_flow

from live_ops.health import HealthReport
from live_ops.runs import RunContext, assess_portfolio, check_health, history, raise_alerts
from tests.cli.console import live_ops
from tests.fakes.postgres import PASSWORD, PASSWORD_ENV

pytestmark = pytest.mark.prefect

T0 = datetime(2026, 11, 16, 7, 0, tzinfo=timezone.utc)  # a Monday
STEP = timedelta(hours=12)
STEPS = 14
DAILY = 7  # the step that writes the daily report (Thursday 19:00), the baseline of the compare
OUTAGE = range(8, 10)  # steps with the exchange unreachable: FAIL from Friday 07:00 to Saturday 07:00
XRP_FROM = 11  # the step an XRP position appears
BTC = {5: 48_000.0, 6: 55_000.0}  # else 60,000: Wednesday 07:00 -> 19:00 loses 600 EUR in a day
XRP_POSITION = '[[paper.positions]]\nsymbol = "XRP/EUR"\nsize = 1000.0\nentry_price = 0.5\n\n[live_risk]'
UNREACHABLE = {'mode = "paper"': 'mode = "testnet"', 'api_base_url = ""': 'api_base_url = "http://127.0.0.1:9"'}


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request: pytest.FixtureRequest) -> str:
    return request.param


def _config(write_config, backend: str, step: int, request: pytest.FixtureRequest, keep_days: int = 90) -> Path:
    replace = {'"BTC/EUR" = 60000.0': f'"BTC/EUR" = {BTC.get(step, 60_000.0)}', "keep_days = 90": f"keep_days = {keep_days}"}
    if step in OUTAGE:
        replace.update(UNREACHABLE)
    if step >= XRP_FROM:
        replace["\n[live_risk]"] = "\n" + XRP_POSITION
    path = write_config(replace=replace)
    if backend == "postgresql":
        url = request.getfixturevalue("pg_database")
        text = path.read_text().replace("[state]\n", f'[state]\nurl = "{url}"\npassword_env = "{PASSWORD_ENV}"\n')
        path.write_text(text)
    return path


def _at(monkeypatch: pytest.MonkeyPatch, when: datetime) -> str:
    text = when.strftime("%Y-%m-%dT%H:%M:%SZ")
    monkeypatch.setenv("LIVE_OPS_AS_OF", text)
    return text


def _health_then_portfolio(config: str) -> HealthReport:
    """What `live_health_flow` then `portfolio_flow` do, step for step, without Prefect around them."""
    with RunContext(config) as ctx:
        report = check_health(ctx)
        raise_alerts(ctx, report)
        history.record(ctx, report)
    if report.exchange_ok:
        with RunContext(config) as ctx:
            snapshot = assess_portfolio(ctx)
            raise_alerts(ctx, snapshot)
            history.record(ctx, snapshot)
    return report


def test_a_simulated_week_reviewed_compared_and_kept(prefect_api: str, write_config, backend: str, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch,
                                                     request: pytest.FixtureRequest) -> None:
    env = {PASSWORD_ENV: PASSWORD} if backend == "postgresql" else {}
    daily = None
    for step in range(STEPS):
        _at(monkeypatch, T0 + step * STEP)
        config = str(_config(write_config, backend, step, request))
        if step == DAILY:
            daily = asyncio.run(status_report_flow(config_path=Path(config), tag="sim-daily", period="1d",
                                                   format="both"))
            assert daily.review is not None and daily.review["period"] == "1d"
            continue
        health = _health_then_portfolio(config)
        assert health.overall_status == ("FAIL" if step in OUTAGE else "OK")
    assert daily is not None
    daily_name = Path(daily.sidecar).name.removesuffix(".json")

    # the weekly report, through the installed CLI, as the weekly schedule runs it
    config = str(_config(write_config, backend, STEPS, request))
    weekly_at = _at(monkeypatch, T0 + STEPS * STEP)
    result = live_ops("report", "--config", config, "--period", "7d", "--tag", "sim-weekly", "--format", "both", "--json",
                      api_url=prefect_api, env={"LIVE_OPS_AS_OF": weekly_at, **env})
    assert result.returncode == 0, result.stderr[-2000:]
    payload = json.loads(result.stdout)
    review = payload["review"]
    assert review["period"] == "7d" and review["from"] == "2026-11-16T07:00:00Z" and review["to"] == weekly_at
    # BTC 60k -> 48k -> 60k on 0.05 BTC: 600 EUR down and back
    assert review["max_drawdown"] == pytest.approx(600.0) and review["max_drawdown_pct"] > 5
    assert review["equity_start"] == pytest.approx(10_190.0) and review["equity_change"] == pytest.approx(0.0)
    assert review["exposure_max"] > review["exposure_min"]
    assert review["health"]["fail"] > 0 and review["health"]["longest_fail_minutes"] == 24 * 60
    codes = {(a["code"], a["level"]) for a in review["alerts"]}
    assert any(code.startswith("RISK_LIMIT_VIOLATION") for code, _ in codes), codes
    assert ("HEALTH_FAIL", "CRITICAL") in codes, codes
    assert "XRP/EUR long" in review["positions_opened"]
    peaks = {(p["limit_name"], p["symbol"]): p["peak_ratio"] for p in review["limit_peaks"]}
    assert peaks[("max_daily_loss_abs", None)] > 1.0

    weekly_md = Path(payload["files"][0]).read_text()
    assert "## 5. Period Review" in weekly_md and "Longest FAIL stretch | 1d 0h" in weekly_md
    weekly_html = Path(payload["files"][1]).read_text()
    assert weekly_html.count("<polyline") == 2  # the equity and exposure curves
    weekly_name = Path(payload["files"][0]).stem

    # compare: the daily baseline vs the weekly report
    out = tmp_path / "cmp" / "drill.html"
    compared = live_ops("compare", daily_name, weekly_name, "--config", config, "--format", "json", "--json",
                        env=env)
    assert compared.returncode == 0, compared.stderr
    comparison = json.loads(compared.stdout)
    assert [p["symbol"] for p in comparison["positions"]["opened"]] == ["XRP/EUR"]
    assert comparison["headline"] == {"before": comparison["headline"]["before"], "after": "OK"}
    assert any(a["code"] == "HEALTH_FAIL" for a in comparison["alerts"])  # raised between the two, from the history
    html = live_ops("compare", daily_name, weekly_name, "--config", config, "--format", "html", "--output", str(out),
                    env=env)
    assert html.returncode == 0 and "XRP/EUR" in out.read_text()

    # keep the daily report; a month later retention (7 days) removes the weekly one but not it
    kept = live_ops("keep", daily_name, "--config", config, "--json", env=env)
    assert kept.returncode == 0, kept.stderr
    assert json.loads(kept.stdout)["kept"] is True
    later = _config(write_config, backend, STEPS, request, keep_days=7)
    _at(monkeypatch, T0 + timedelta(days=40))
    asyncio.run(status_report_flow(config_path=later, tag="sim-later"))
    reports = Path(payload["files"][0]).parent
    assert (reports / f"{daily_name}.md").exists() and (reports / f"{daily_name}.json").exists()
    assert not (reports / f"{weekly_name}.md").exists()
    assert "kept" in (reports / "index.html").read_text()
    history = live_ops("history", "--config", str(later), "--since", "60d", "--kind", "reports", "--json",
                       env={"LIVE_OPS_AS_OF": (T0 + timedelta(days=40)).strftime("%Y-%m-%dT%H:%M:%SZ"), **env})
    assert history.returncode == 0, history.stderr
    records = json.loads(history.stdout)["records"]
    assert {r["name"]: r["kept"] for r in records}[daily_name] is True
