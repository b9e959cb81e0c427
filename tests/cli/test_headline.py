"""End to end: health OK with one limit breached reads BREACH first everywhere; quiet terminals."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.console import live_ops

BREACH = {"max_symbol_exposure_notional = 5000.0": "max_symbol_exposure_notional = 2500.0"}


@pytest.mark.prefect
def test_report_with_one_breached_limit_says_breach_first_and_fails_on_breach(prefect_api: str, write_config,
                                                                             tmp_path: Path) -> None:
    path = str(write_config(replace=BREACH))
    result = live_ops("report", "--json", "--format", "both", "--fail-on", "breach", "--config", path,
                      api_url=prefect_api)
    assert result.returncode == 1, result.stderr  # --fail-on breach
    payload = json.loads(result.stdout)
    assert payload["headline_status"] == "BREACH"
    assert payload["overall_status"] == "OK" and payload["risk_severity"] == "BREACH"
    md, html = (Path(f).read_text() for f in payload["files"])
    assert md.startswith("# BREACH — BTC/EUR exposure 120% of its limit")
    assert 'id="headline">BREACH — BTC/EUR exposure 120% of its limit<' in html
    index = (tmp_path / "reports" / "index.html").read_text()
    assert '<span class="pill bad">BREACH</span>' in index and "1 report ·" in index
    # the default --fail-on fail: a breach is written and reported, the exit code stays 0
    default = live_ops("report", "--json", "--config", path, api_url=prefect_api)
    assert default.returncode == 0 and json.loads(default.stdout)["headline_status"] == "BREACH"
    # one line per alert on stderr (the log sink's record is not echoed), no Prefect INFO lines
    assert default.stderr.count("RISK_LIMIT_VIOLATION_PORTFOLIO") <= 1
    assert "| INFO " not in default.stderr


@pytest.mark.prefect
def test_portfolio_fail_on_and_no_risk_contract(prefect_api: str, write_config) -> None:
    path = str(write_config(replace=BREACH))
    assert live_ops("portfolio", "--config", path, api_url=prefect_api).returncode == 0  # default: never
    failed = live_ops("portfolio", "--fail-on", "warning", "--config", path, api_url=prefect_api)
    assert failed.returncode == 1 and failed.stdout.startswith("BREACH — BTC/EUR exposure 120% of its limit")
    no_risk = live_ops("portfolio", "--no-risk", "--json", "--config", path, api_url=prefect_api)
    assert no_risk.returncode == 0 and "risk" not in json.loads(no_risk.stdout)  # absent, not null


@pytest.mark.prefect
def test_health_in_a_terminal_shows_no_prefect_info_lines(prefect_api: str, write_config) -> None:
    path = str(write_config())
    quiet = live_ops("health", "--config", path, api_url=prefect_api)
    assert quiet.returncode == 0 and quiet.stdout.startswith("Health: OK")
    assert quiet.stderr.strip() == "", quiet.stderr
    verbose = live_ops("health", "--verbose", "--config", path, api_url=prefect_api)
    assert "| INFO    | Flow run" in verbose.stderr


def test_fail_on_is_a_usage_error_when_unknown() -> None:
    result = live_ops("report", "--fail-on", "meh")
    assert result.returncode == 2 and "--fail-on" in result.stderr
