"""The dashboard over real HTTP (uvicorn on 127.0.0.1), reading a desk recorded by real runs."""

from __future__ import annotations

import os
import re
from html.parser import HTMLParser
from pathlib import Path

import httpx
from prometheus_client.parser import text_string_to_metric_families

from tests.dashboard.conftest import Desk, serving


class _Refs(HTMLParser):
    """Every URL a page would fetch or link to."""

    def __init__(self) -> None:
        super().__init__()
        self.refs: list[str] = []
        self.text: list[str] = []  # the visible text, in document order
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.refs += [v or "" for k, v in attrs if k in ("src", "href", "srcset", "action", "poster", "data")]
        self._hidden += tag in ("style", "title", "script")

    def handle_endtag(self, tag: str) -> None:
        self._hidden -= tag in ("style", "title", "script")

    def handle_data(self, data: str) -> None:
        if data.strip() and not self._hidden:
            self.text.append(data.strip())


def _page(client: httpx.Client, base: str) -> tuple[httpx.Response, _Refs]:
    response = client.get(base + "/")
    parser = _Refs()
    parser.feed(response.text)
    return response, parser


def test_page_headline_first_then_every_section(desk: Desk, client: httpx.Client) -> None:
    with serving(desk.reader().read, desk.archive) as base:
        response, page = _page(client, base)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert page.text[0] == "BREACH"  # the first thing shown
    html = response.text
    assert re.search(r'<meta http-equiv="refresh" content="30">', html)
    for section in ("health", "portfolio", "curves", "limits", "positions", "alerts", "reports"):
        assert f'<section id="{section}">' in html
    for check in ("config", "exchange", "alerts", "live_risk"):
        assert f"<td>{check}</td>" in html
    assert re.search(r'<div class="limit bad" data-severity="BREACH">\s*<div class="label"><span>'
                     r"max_symbol_exposure_notional · BTC/EUR", html)
    assert "<td>BTC/EUR</td><td>long</td>" in html and "<td>ETH/EUR</td><td>short</td>" in html
    assert html.count("<polyline points=") == 2  # equity and exposure, 3 points each
    assert "RISK_LIMIT_VIOLATION_PORTFOLIO" in html and "BTC/EUR exposure 3,000.00 EUR" in html
    assert "log: sent" in html and "×3 since" in html


def test_page_needs_nothing_beyond_its_origin(desk: Desk, client: httpx.Client) -> None:
    with serving(desk.reader().read, desk.archive) as base:
        response, page = _page(client, base)
        assert page.refs, "the page links its reports"
        for ref in page.refs:
            assert not re.match(r"^(?:[a-z][a-z0-9+.-]*:|//)", ref, re.IGNORECASE), ref  # relative: this origin only
            assert client.get(f"{base}/{ref}").status_code == 200, ref
    assert "<script" not in response.text and "<link" not in response.text and "@import" not in response.text
    assert "default-src 'none'" in response.headers["content-security-policy"]


def test_api_status_is_the_page_as_json(desk: Desk, client: httpx.Client) -> None:
    with serving(desk.reader().read, desk.archive) as base:
        body = client.get(base + "/api/status").json()
    assert next(iter(body)) == "headline" and body["headline"] == "BREACH"
    assert body["mode"] == "paper" and body["health"]["overall"] == "OK"
    assert [c["name"] for c in body["health"]["checks"]] == ["config", "exchange", "alerts", "live_risk"]
    breached = [lim for lim in body["snapshot"]["limits"] if lim["severity"] == "BREACH"]
    assert [(lim["name"], lim["symbol"]) for lim in breached] == [("max_symbol_exposure_notional", "BTC/EUR")]
    assert len(body["curve"]) == 3 and body["curve"][0]["at"].endswith("Z")
    [breach] = body["alerts"]  # three runs raised it: one row, how often, since when
    assert (breach["code"], breach["occurrences"]) == ("RISK_LIMIT_VIOLATION_PORTFOLIO", 3)
    assert breach["first_at"] < breach["at"]
    # the later runs' repeats were deduplicated; the row says what reached the operator: the first was sent
    assert [(d["sink"], d["status"]) for d in breach["deliveries"]] == [("log", "sent"), ("stderr", "sent")]
    assert set(body["last_runs"]) == {"health", "portfolio", "report"}
    assert 0 <= body["age_seconds"] < 3600


def test_metrics_parse_as_prometheus_with_bounded_labels(desk: Desk, client: httpx.Client) -> None:
    with serving(desk.reader().read, desk.archive) as base:
        response = client.get(base + "/metrics")
    assert response.headers["content-type"].startswith("text/plain; version=0.0.4")
    families = {f.name: f for f in text_string_to_metric_families(response.text)}
    value = {f.name: f.samples[0].value for f in families.values() if len(f.samples) == 1}
    assert value["live_ops_headline_status"] == 3  # BREACH
    assert value["live_ops_equity"] > 0 and value["live_ops_exposure_total"] > 0
    checks = {s.labels["check"]: s.value for s in families["live_ops_health_check_status"].samples}
    assert checks == {"config": 0, "exchange": 0, "alerts": 0, "live_risk": 0}
    ratios = {(s.labels["limit"], s.labels["symbol"]): s.value
              for s in families["live_ops_limit_utilization_ratio"].samples}
    assert ratios[("max_symbol_exposure_notional", "BTC/EUR")] == 1.5
    assert ratios[("max_total_exposure_notional", "")] > 0
    runs = {s.labels["flow"] for s in families["live_ops_last_run_timestamp_seconds"].samples}
    assert runs == {"health", "portfolio", "report"}
    for family in families.values():  # no label carries a message, an alert or a time
        for sample in family.samples:
            assert set(sample.labels) <= {"check", "flow", "limit", "symbol"}


def test_healthz_answers_without_reading(tmp_path: Path, client: httpx.Client) -> None:
    def unreadable():
        raise AssertionError("healthz must not read the desk")

    with serving(unreadable, tmp_path) as base:
        response = client.get(base + "/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}


def test_reports_served_from_the_archive(desk: Desk, client: httpx.Client) -> None:
    name = min(p.name for p in desk.archive.glob("live_status_*.html"))
    with serving(desk.reader().read, desk.archive) as base:
        html = client.get(f"{base}/reports/{name}")
        sidecar = client.get(f"{base}/reports/{name[:-5]}.json")
        index = client.get(f"{base}/reports/")
        (desk.archive / "index.html").unlink()
        missing_index = client.get(f"{base}/reports/")
    assert html.status_code == 200 and html.headers["content-type"] == "text/html; charset=utf-8"
    assert html.content == (desk.archive / name).read_bytes()
    assert sidecar.status_code == 200 and sidecar.json()["summary"]["risk_severity"] == "BREACH"
    assert index.status_code == 200 and name in index.text  # the archive's own index
    assert missing_index.status_code == 404


def test_report_paths_cannot_escape_the_archive(desk: Desk, tmp_path: Path, client: httpx.Client) -> None:
    secret = tmp_path / "live_status_2020-01-01_0000.html"  # a report-like name, but outside the archive
    secret.write_text("outside")
    (tmp_path / "config.toml").write_text("outside")
    os.symlink(secret, desk.archive / "live_status_2020-01-02_0000.html")
    (desk.archive / "live_status_2020-01-03_0000.html").mkdir()
    (desk.archive / "notes.txt").write_text("not a report")
    attempts = ["../config.toml", "..%2Fconfig.toml", "%2e%2e/config.toml", "%2E%2E%2Fconfig.toml",
                "../live_status_2020-01-01_0000.html", "..%2flive_status_2020-01-01_0000.html",
                "%2e%2e%2flive_status_2020-01-01_0000.html", f"{secret}", f"%2F{str(secret)[1:]}",
                "live_status_2020-01-02_0000.html", "live_status_2020-01-03_0000.html", "notes.txt",
                "..\\config.toml", "live_status_2020-01-01_0000.html%00.html", "./config.toml", "x/../../config.toml"]
    with serving(desk.reader().read, desk.archive) as base:
        for attempt in attempts:
            # a raw path, not normalised by the client
            response = client.send(httpx.Request("GET", f"{base}/reports/{attempt}"))
            assert response.status_code == 404, attempt
            assert "outside" not in response.text and "not a report" not in response.text, attempt


def test_no_secret_on_any_route(write_config, client: httpx.Client, monkeypatch) -> None:
    from tests.fakes.receiver import Receiver

    receiver = Receiver()
    try:
        hook = receiver.url_for("/hooks/T0KEN-abcdef0123456789")
        monkeypatch.setenv("LIVE_OPS_TEST_HOOK", hook)
        path = write_config(replace={'sinks = ["log", "stderr"]': 'sinks = ["log", "webhook"]',
                                     "webhook_urls = []": 'webhook_urls = ["env:LIVE_OPS_TEST_HOOK"]',
                                     **_breach()})
        desk = Desk(path)
        from datetime import datetime, timezone

        desk.record_run(datetime.now(timezone.utc))
        assert receiver.requests, "the breach alert went out through the webhook"
    finally:
        receiver.close()
    token = "dashboard-token-0123456789abcdef"
    with serving(desk.reader().read, desk.archive, environ={"LIVE_OPS_DASHBOARD_TOKEN": token}) as base:
        headers = {"Authorization": f"Bearer {token}"}
        bodies = [client.get(base + route, headers=headers).text for route in ("/", "/api/status", "/metrics")]
    assert "webhook[0]: sent" in bodies[0]
    for body in bodies:
        assert "T0KEN" not in body and "/hooks/" not in body and token not in body


def _breach() -> dict[str, str]:
    from tests.dashboard.conftest import BREACH_CONFIG

    return dict(BREACH_CONFIG)


def test_dashboard_reads_a_postgresql_history(pg_database: str, write_config, client: httpx.Client) -> None:
    from datetime import datetime, timedelta, timezone

    from tests.fakes.postgres import PASSWORD, PASSWORD_ENV

    path = write_config(replace={**_breach(), "[state]\n": f'[state]\nurl = "{pg_database}"\npassword_env = "{PASSWORD_ENV}"\n'})
    desk = Desk(path)
    now = datetime.now(timezone.utc)
    desk.record_run(now - timedelta(hours=1))
    desk.record_run(now)
    assert not Path(desk.config.state.path).exists()  # nothing went to SQLite
    with serving(desk.reader().read, desk.archive) as base:
        body = client.get(base + "/api/status").json()
        metrics = client.get(base + "/metrics").text
    assert body["headline"] == "BREACH" and len(body["curve"]) == 2 and body["alerts"][0]["occurrences"] == 2
    assert "live_ops_headline_status 3.0" in metrics
    assert PASSWORD not in str(body) and PASSWORD not in metrics


def test_page_says_why_a_check_warns(desk: Desk, client: httpx.Client) -> None:
    from datetime import datetime, timezone

    from live_ops.store import HealthRun, Store

    said = "webhook[0]: its last 3 deliveries failed: its alerts are not arriving"
    Store.at(desk.config.state).record(HealthRun(
        at=datetime.now(timezone.utc), headline="DEGRADED", overall_status="DEGRADED",
        checks={"config": "pass", "exchange": "pass", "alerts": "warn", "live_risk": "pass"},
        messages={"alerts": [said]}))
    with serving(desk.reader().read, desk.archive) as base:
        html = client.get(base + "/").text
        body = client.get(base + "/api/status").json()
    assert re.search(r"<td>alerts</td><td><span class=\"pill [a-z]+\">warn</span></td>\s*<td><ul><li>"
                     + re.escape(said.replace("'", "&#39;")), html)
    assert {c["name"]: c["messages"] for c in body["health"]["checks"]}["alerts"] == [said]
