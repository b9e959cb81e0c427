"""`status_report_flow` under the session's Prefect harness, and `live-ops report` as a subprocess."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

import pytest

from tests.conftest import REPO

pytestmark = pytest.mark.prefect

# loads, but the exchange check fails: testnet without keys against a closed local port
FAILING_EXCHANGE = {'mode = "paper"': 'mode = "testnet"', 'api_base_url = ""': 'api_base_url = "http://127.0.0.1:9"'}


def _run_flow(**params):
    from live_ops.flows.report import status_report_flow

    return asyncio.run(status_report_flow(**params))


async def _artifacts(key: str) -> list:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterKey

    async with get_client() as client:
        return await client.read_artifacts(artifact_filter=ArtifactFilter(key=ArtifactFilterKey(any_=[key])))


def live_ops(api_url: str, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LIVE_OPS_")}
    env.update(PREFECT_API_URL=api_url, PYTHONPATH=os.pathsep.join(["src", "."]))
    return subprocess.run([sys.executable, "-m", "live_ops.cli", "report", *args], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=180)


def test_report_flow_archives_both_formats_and_publishes_artifacts(prefect_api: str, write_config,
                                                                   tmp_path: Path) -> None:
    from live_ops.alerts.events import AlertEvent, AlertLevel
    from live_ops.alerts.history import AlertHistory

    notes = tmp_path / "notes.md"
    notes.write_text("Desk: **quiet** session\n")
    AlertHistory(tmp_path / "state.db").record(  # the state path of the written config
        AlertEvent(ts=datetime.now(timezone.utc), level=AlertLevel.WARNING, source="portfolio",
                   code="RISK_LIMIT_WARNING_PORTFOLIO", message="BTC/EUR exposure <at 85%>"), [])
    result = _run_flow(config_path=write_config(), format="both", tag="daily", notes_file=notes)
    out = tmp_path / "reports"  # [reports].output_dir of the written config
    assert result.overall_status == "OK" and result.risk_severity == "OK" and result.exit_code == 0
    assert [Path(f).suffix for f in result.files] == [".md", ".html"]
    assert all(Path(f).parent == out and Path(f).exists() for f in result.files)
    assert "Desk: **quiet** session" in Path(result.files[0]).read_text()
    assert "| WARNING | portfolio | RISK_LIMIT_WARNING_PORTFOLIO | BTC/EUR exposure &lt;at 85%&gt; | once | - |" in Path(
        result.files[0]).read_text()
    assert "<strong>quiet</strong>" in Path(result.files[1]).read_text()
    assert Path(result.index) == out / "index.html" and Path(result.files[1]).name in Path(result.index).read_text()
    assert result.artifact_key == "live-status-daily"
    [markdown] = [a for a in asyncio.run(_artifacts("live-status-daily")) if a.data == Path(result.files[0]).read_text()]
    assert markdown.type == "markdown"
    [table] = asyncio.run(_artifacts("live-status-daily-positions"))[:1]
    assert table.type == "table" and "BTC/EUR" in str(table.data)
    [link] = asyncio.run(_artifacts("live-status-daily-file"))[:1]
    # a path an operator can paste (a browser will not open a file:// link from the Prefect UI)
    assert f"`{Path(result.files[1]).resolve()}`" in str(link.data) and "file://" not in str(link.data)
    # the run is in the history three times: its health check, its portfolio snapshot and the report
    from live_ops.store import Store

    store = Store.at(tmp_path / "state.db")
    recorded = [store.latest_health(), store.latest_portfolio(), store.latest_report()]
    assert all(r is not None for r in recorded), recorded
    assert recorded[2] is not None and recorded[2].name == Path(result.files[0]).stem


def test_report_flow_fail_health_is_reported_not_hidden(prefect_api: str, write_config, tmp_path: Path) -> None:
    result = _run_flow(config_path=write_config(replace=FAILING_EXCHANGE), output_dir=tmp_path / "out")
    assert result.overall_status == "FAIL" and result.exit_code == 1
    [md] = [Path(f) for f in result.files]
    text = md.read_text()
    assert md.parent == tmp_path / "out" and text.startswith("# FAIL — ") and "Health: **FAIL**" in text
    assert "**Portfolio unavailable:** the exchange check failed" in text
    assert result.artifact_key == "live-status-adhoc"


def test_report_flow_broken_config_still_writes_a_fail_report(prefect_api: str, tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("[environment\n")
    result = _run_flow(config_path=bad, output_dir=tmp_path / "out", tag="weekly")
    assert result.overall_status == "FAIL" and "live_status_" in result.files[0]
    assert "invalid TOML" in Path(result.files[0]).read_text() or "bad.toml" in Path(result.files[0]).read_text()


def test_report_flow_bad_tag_fails_before_writing(prefect_api: str, write_config, tmp_path: Path) -> None:
    from live_ops.errors import UsageError

    with pytest.raises(UsageError):
        _run_flow(config_path=write_config(), tag="../../etc", output_dir=tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_cli_report_json_is_status_and_files(prefect_api: str, write_config, tmp_path: Path) -> None:
    result = live_ops(prefect_api, "--config", str(write_config()), "--format", "both", "--tag", "cli", "--json",
                      "--notes-file", str(tmp_path / "missing.md"))
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)  # stdout is exactly one JSON document
    assert set(payload) == {"headline_status", "overall_status", "risk_severity", "files"}
    assert payload["overall_status"] == "OK" and payload["headline_status"] == "OK" and payload["risk_severity"] == "OK"
    assert [Path(f).suffix for f in payload["files"]] == [".md", ".html"] and all(Path(f).exists() for f in payload["files"])
    assert "missing.md not found" in result.stderr  # the warning reaches the operator
    assert "missing.md not found" in Path(payload["files"][0]).read_text()


def test_cli_report_fail_health_exits_1_after_writing(prefect_api: str, write_config, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = live_ops(prefect_api, "--config", str(write_config(replace=FAILING_EXCHANGE)), "--output-dir", str(out),
                      "--json")
    assert result.returncode == 1, result.stderr
    payload = json.loads(result.stdout)
    assert payload["overall_status"] == "FAIL" and Path(payload["files"][0]).exists()


def test_cli_report_bad_tag_is_a_usage_error(prefect_api: str, write_config, tmp_path: Path) -> None:
    result = live_ops(prefect_api, "--config", str(write_config()), "--tag", "../x", "--json",
                      "--output-dir", str(tmp_path / "out"))
    assert result.returncode == 2 and "--tag" in json.loads(result.stdout)["error"]
    assert not (tmp_path / "out").exists()


# finding 3 of the hardening campaign: a bad --output-dir is one line, and the report is not lost


@pytest.mark.parametrize("kind", ["a_file/sub", "/dev/null"])  # the others: test_report_archive.py
def test_bad_output_dir_is_one_line_error_exit_1_and_artifact_still_published(prefect_api: str, write_config,
                                                                              tmp_path: Path, kind: str) -> None:
    import uuid

    (tmp_path / "a_file").write_text("not a directory")
    out = tmp_path / "a_file" / "sub" if kind == "a_file/sub" else Path(kind)
    tag = f"io{uuid.uuid4().hex[:8]}"
    result = live_ops(prefect_api, "--config", str(write_config()), "--output-dir", str(out), "--json", "--tag", tag)
    assert result.returncode == 1, result.stderr
    payload = json.loads(result.stdout)
    assert set(payload) == {"error"} and "cannot write the report archive at" in payload["error"]
    assert str(out) in payload["error"] or str(out.parent) in payload["error"]
    assert "Traceback" not in result.stderr
    [markdown] = asyncio.run(_artifacts(f"live-status-{tag}"))
    assert markdown.type == "markdown" and "Health Overview" in str(markdown.data)
