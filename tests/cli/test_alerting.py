"""Finding 1 re-run as written, end to end: a channel that cannot be built never silences a breach."""

from __future__ import annotations

import json

import pytest

from tests.cli.console import live_ops
from tests.fakes.receiver import Receiver

BAD_HOOK = "http://127.0.0.1:99999/hook/T0SECRET"


@pytest.fixture
def breach_config(write_config):
    return write_config(replace={
        'sinks = ["log", "stderr"]': 'sinks = ["log", "stderr", "webhook", "apprise"]',
        "\nwebhook_urls = []": '\nwebhook_urls = ["env:LIVE_OPS_HOOK"]',
        "apprise_urls = []": 'apprise_urls = ["env:LIVE_OPS_PAGER"]',
        "max_total_exposure_notional = 20000.0": "max_total_exposure_notional = 100.0",
    })


@pytest.mark.prefect
def test_bad_port_webhook_does_not_silence_a_breach_end_to_end(prefect_api: str, breach_config) -> None:
    pager = Receiver()
    try:
        env = {"LIVE_OPS_HOOK": BAD_HOOK, "LIVE_OPS_PAGER": pager.url.replace("http://", "json://") + "/T0SECRET"}
        health = live_ops("health", "--json", "--config", str(breach_config), api_url=prefect_api, env=env)
        doc = json.loads(health.stdout)
        assert doc["overall_status"] == "DEGRADED"
        assert any("webhook_urls[0]" in w and "port out of range" in w for w in doc["alert_config_warnings"])
        portfolio = live_ops("portfolio", "--json", "--config", str(breach_config), api_url=prefect_api, env=env)
        assert portfolio.returncode == 0, portfolio.stderr
        assert json.loads(portfolio.stdout)["risk"]["severity"] == "BREACH"
        assert "[ALERT CRITICAL]" in portfolio.stderr or "[ALERT WARNING]" in portfolio.stderr
        assert any(json.loads(r.body)["title"].startswith("[") for r in pager.requests)  # the Apprise target got it
    finally:
        pager.close()
    history = json.loads(live_ops("alerts", "--json", "--config", str(breach_config)).stdout)
    breach = next(a for a in history["alerts"] if a["code"].startswith("RISK_LIMIT_VIOLATION"))
    outcome = {d["sink"]: d["status"] for d in breach["deliveries"]}
    assert outcome == {"log": "sent", "stderr": "sent", "webhook[0]": "invalid", "apprise[0]": "sent"}
    for text in (health.stdout, health.stderr, portfolio.stdout, portfolio.stderr, json.dumps(history)):
        assert "T0SECRET" not in text and "99999" not in text
