"""No part of a webhook URL's path or query shows anywhere: logs, stderr, results, history, JSON."""

from __future__ import annotations

import json
import logging
import sqlite3
from datetime import timedelta

from live_ops.alerts import Alerter
from live_ops.config import load_config
from live_ops.risk import Exposure, evaluate_risk
from tests.alerts.helpers import SECRET_PATH, T0, assert_no_secret, make_event
from tests.fakes.receiver import Reply, refused_url


def test_no_secret_in_logs_stderr_results_or_history(receivers, dispatcher_for, history, caplog, capsys) -> None:
    ok, failing, refusing, slow = receivers(), receivers(), receivers(), receivers()
    ok.default = Reply(200, "ok")
    failing.default = Reply(500, f"bad hook {failing.url_for(SECRET_PATH)}")  # a server that echoes the URL
    refusing.default = Reply(400, "invalid_token")
    slow.slow()
    caplog.set_level(logging.DEBUG)  # every logger, every level, httpx's request lines included
    dispatcher = dispatcher_for(
        sinks=["log", "stderr", "webhook", "slack"], timeout_seconds=0.3, retries=1,
        webhook_urls=[ok.url_for(SECRET_PATH), failing.url_for(SECRET_PATH), refused_url(SECRET_PATH)],
        slack_webhook_urls=[refusing.url_for(SECRET_PATH), slow.url_for(SECRET_PATH)])
    outcomes = dispatcher.dispatch([make_event(ts=T0), make_event(ts=T0, code="OTHER")])
    statuses = sorted({d.status for o in outcomes for d in o.deliveries})
    assert statuses == ["failed", "sent"]  # both paths were exercised
    assert any("HTTP Request" in r.getMessage() for r in caplog.records)  # httpx did log its requests
    captured = capsys.readouterr()
    for text in (caplog.text, "\n".join(r.getMessage() for r in caplog.records), captured.out, captured.err,
                 json.dumps([o.to_dict() for o in outcomes]), repr(outcomes),
                 json.dumps([r.model_dump(mode="json") for r in history.query(since=T0 - timedelta(days=1))])):
        assert_no_secret(text)
    with sqlite3.connect(history.path) as conn:
        assert_no_secret("\n".join(conn.iterdump()))


def test_no_secret_when_url_comes_from_env(write_config, receivers, monkeypatch, capsys, caplog) -> None:
    rx = receivers()
    monkeypatch.setenv("LIVE_OPS_TEST_HOOK", rx.url_for(SECRET_PATH))
    path = write_config(replace={'sinks = ["log", "stderr"]': 'sinks = ["stderr", "webhook"]',
                                 "\nwebhook_urls = []": '\nwebhook_urls = ["env:LIVE_OPS_TEST_HOOK"]',
                                 "max_symbol_exposure_notional = 5000.0": "max_symbol_exposure_notional = 2000.0"})
    config = load_config(path)
    caplog.set_level(logging.DEBUG)
    result = evaluate_risk(Exposure("EUR", {"BTC/EUR": 3000.0}, 1, 10000.0), config.live_risk, None)
    (outcome,) = Alerter(config).risk(result, "portfolio")
    assert [d.status for d in outcome.deliveries] == ["sent", "sent"] and rx.requests[0].path == SECRET_PATH
    assert_no_secret(caplog.text + capsys.readouterr().err + json.dumps(outcome.to_dict()) + repr(config))
