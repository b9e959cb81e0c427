"""`[metrics] textfile`: every flow run ends by writing the desk's metrics for node_exporter."""

from __future__ import annotations

import asyncio

import pytest
from live_ops.flows.health import live_health_flow
from live_ops.flows.portfolio import portfolio_flow
from prometheus_client.parser import text_string_to_metric_families

pytestmark = pytest.mark.prefect


def test_flows_write_the_metrics_textfile(prefect_api: str, write_config, tmp_path) -> None:
    prom = tmp_path / "textfile" / "live_ops.prom"
    path = write_config(replace={"[schedule]": f'[metrics]\ntextfile = "{prom.as_posix()}"\n\n[schedule]'})
    asyncio.run(live_health_flow(config_path=str(path)))
    names = {f.name for f in text_string_to_metric_families(prom.read_text())}
    assert "live_ops_headline_status" in names
    prom.unlink()
    asyncio.run(portfolio_flow(config_path=str(path)))
    assert prom.exists()


def test_an_unwritable_textfile_does_not_fail_the_run(prefect_api: str, write_config, tmp_path) -> None:
    (tmp_path / "blocker").write_text("")
    path = write_config(replace={"[schedule]": f'[metrics]\ntextfile = "{(tmp_path / "blocker" / "x.prom").as_posix()}"\n\n[schedule]'})
    report = asyncio.run(live_health_flow(config_path=str(path)))
    assert report.overall_status == "OK"
