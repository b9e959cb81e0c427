"""Deployments against a real `prefect server start`: the prefect.yaml work-pool path and `serve`.

Slow (a server, a worker, flow-run processes): `pytest -m "not slow"` skips them; CI runs them.
Every process is started in its own session and stopped by its PID's process group.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.conftest import REPO

pytestmark = pytest.mark.slow
POOL = "live-ops"
DEPLOYMENT = "status-report-flow/status-report"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _start(args: list[str], env: dict[str, str], log: Path) -> subprocess.Popen:
    handle = log.open("wb")
    return subprocess.Popen(args, cwd=REPO, env=env, stdout=handle, stderr=subprocess.STDOUT, start_new_session=True)


def _stop(proc: subprocess.Popen, sig: int = signal.SIGTERM, timeout: float = 30.0) -> int | None:
    """Stop `proc` and its process group by PID; return its exit code (None if it had to be killed)."""
    if proc.poll() is None:
        try:
            os.killpg(proc.pid, sig)
            return proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)
            return None
        except ProcessLookupError:
            pass
    return proc.returncode


def _until(what: str, condition, deadline_s: float, proc: subprocess.Popen | None = None, log: Path | None = None):
    """Poll `condition` until it returns something truthy; fail with the log if the deadline passes."""
    deadline = time.monotonic() + deadline_s
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        if proc is not None and proc.poll() is not None:
            break
        time.sleep(0.25)
    tail = log.read_text(errors="replace")[-3000:] if log and log.exists() else ""
    pytest.fail(f"{what} did not happen within {deadline_s:.0f} s\n{tail}")


class Server:
    def __init__(self, url: str, env: dict[str, str], logs: Path) -> None:
        self.url, self.env, self.logs = url, env, logs

    def get(self, path: str) -> httpx.Response:
        return httpx.get(f"{self.url}{path}", timeout=10)

    def post(self, path: str, body: dict) -> httpx.Response:
        return httpx.post(f"{self.url}{path}", json=body, timeout=10)

    def prefect(self, *args: str, env: dict[str, str] | None = None, timeout: float = 240) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "prefect", *args], cwd=REPO, env={**self.env, **(env or {})},
                              capture_output=True, text=True, timeout=timeout)

    def deployment(self) -> dict | None:
        response = self.get(f"/deployments/name/{DEPLOYMENT}")
        return response.json() if response.status_code == 200 else None

    def artifacts(self, key: str) -> list[dict]:
        return self.post("/artifacts/filter", {"artifacts": {"key": {"any_": [key]}}}).json()


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    """Start `prefect server start` on 127.0.0.1 with its own PREFECT_HOME; stop it by PID."""
    home = Path(tempfile.mkdtemp(prefix="live-ops-prefect-server-"))
    port = _free_port()
    base = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "LIVE_OPS_"))}
    base.update(PREFECT_HOME=str(home), PREFECT_SERVER_ANALYTICS_ENABLED="false", PREFECT_UI_ENABLED="false",
                PYTHONPATH=os.pathsep.join(["src", "."]))
    log = home / "server.log"
    proc = _start([sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1", "--port", str(port)],
                  base, log)
    url = f"http://127.0.0.1:{port}/api"

    def healthy() -> bool:
        try:
            return httpx.get(f"{url}/health", timeout=2).status_code == 200
        except httpx.HTTPError:
            return False

    try:
        _until("the Prefect server answering /api/health", healthy, 120, proc, log)
        client_env = {**base, "PREFECT_API_URL": url, "PREFECT_WORKER_QUERY_SECONDS": "1",
                      "PREFECT_RUNNER_POLL_FREQUENCY": "1", "PREFECT_WORKER_PREFETCH_SECONDS": "5"}
        yield Server(url, client_env, home)
    finally:
        _stop(proc)


def _run_deployment(server: Server, config: Path, out: Path, tag: str) -> subprocess.CompletedProcess:
    return server.prefect("deployment", "run", DEPLOYMENT, "--param", f"tag={tag}", "--param", "format=both",
                          "--param", f"config_path={config}", "--param", f"output_dir={out}",
                          "--watch", "--watch-timeout", "180")


def _archived(out: Path, tag: str) -> list[str]:
    return sorted(p.suffix for p in out.glob(f"live_status_*_{tag}.*")) if out.is_dir() else []


def test_prefect_yaml_deploys_to_a_process_pool_and_a_worker_runs_the_weekly_report(server: Server, write_config,
                                                                                      tmp_path: Path) -> None:
    created = server.prefect("work-pool", "create", POOL, "--type", "process")
    assert created.returncode == 0, created.stdout + created.stderr
    deployed = server.prefect("--no-prompt", "deploy", "--all", "--prefect-file", "deployments/prefect.yaml")
    assert deployed.returncode == 0, deployed.stdout + deployed.stderr
    deployment = server.deployment()
    assert deployment["work_pool_name"] == POOL
    schedules = {s["slug"]: s for s in deployment["schedules"]}
    assert schedules["weekly"]["parameters"] == {"tag": "weekly", "format": "both", "period": "7d"}
    assert schedules["daily"]["schedule"]["cron"] == "0 7 * * *"

    log = tmp_path / "worker.log"
    worker = _start([sys.executable, "-m", "prefect", "worker", "start", "--pool", POOL, "--type", "process"],
                    {**server.env, "LIVE_OPS_HOME": str(REPO)}, log)
    try:
        out = tmp_path / "archive"
        run = _run_deployment(server, write_config(), out, "weekly")
        assert run.returncode == 0, run.stdout + run.stderr + log.read_text(errors="replace")[-3000:]
        assert "Completed" in run.stdout + run.stderr
    finally:
        _stop(worker)
    assert _archived(out, "weekly") == [".html", ".json", ".md"]
    assert (out / "index.html").exists()
    [artifact] = server.artifacts("live-status-weekly")[:1]
    assert artifact["type"] == "markdown" and "## 1. Health Overview" in artifact["data"]


def test_serve_registers_daily_and_weekly_schedules_runs_on_demand_and_pauses_on_sigterm(
        server: Server, write_config, tmp_path: Path) -> None:
    # crons unlike prefect.yaml's tell serve's registration from the work-pool one
    config = write_config(replace={'daily_cron = "0 7 * * *"': 'daily_cron = "15 6 * * *"',
                                   'health_cron = "*/30 * * * *"': 'health_cron = "*/20 * * * *"',
                                   'timezone = "UTC"': 'timezone = "Europe/Zurich"'})
    log = tmp_path / "serve.log"
    serve = _start([sys.executable, "-m", "live_ops.cli", "serve", "--config", str(config)], server.env, log)
    try:
        def registered() -> dict | None:
            deployment = server.deployment() or {}
            crons = {s["slug"]: s["schedule"].get("cron") for s in deployment.get("schedules", [])}
            health = server.get("/deployments/name/live-health-flow/live-health")
            health_crons = [s["schedule"]["cron"] for s in health.json().get("schedules", [])] if health.is_success else []
            done = crons.get("daily") == "15 6 * * *" and "weekly" in crons and health_crons == ["*/20 * * * *"]
            return deployment if done else None

        deployment = _until("serve registering the report deployment", registered, 120, serve, log)
        schedules = {s["slug"]: s for s in deployment["schedules"]}
        assert schedules["daily"]["schedule"]["cron"] == "15 6 * * *"
        assert schedules["daily"]["schedule"]["timezone"] == "Europe/Zurich"
        assert schedules["weekly"]["schedule"]["cron"] == "0 7 * * 1"
        assert schedules["daily"]["parameters"] == {"tag": "daily", "format": "both", "period": "1d"}
        assert schedules["weekly"]["parameters"] == {"tag": "weekly", "format": "both", "period": "7d"}
        assert deployment["parameters"] == {"config_path": str(config.resolve())}
        assert deployment["paused"] is False
        form = deployment["parameter_openapi_schema"]["properties"]
        assert set(form) == {"config_path", "format", "tag", "notes_file", "output_dir", "period", "keep"}
        assert form["format"]["enum"] == ["markdown", "html", "both"]
        health = server.get("/deployments/name/live-health-flow/live-health").json()
        assert [(s["slug"], s["schedule"]["timezone"]) for s in health["schedules"]] == [("health", "Europe/Zurich")]

        # on demand, as from the UI: the served process picks the run up
        out = tmp_path / "ondemand"
        run = _run_deployment(server, config, out, "ondemand")
        assert run.returncode == 0, run.stdout + run.stderr + log.read_text(errors="replace")[-3000:]
        assert _archived(out, "ondemand") == [".html", ".json", ".md"]

        os.kill(serve.pid, signal.SIGTERM)  # what systemd or docker stop sends
        assert serve.wait(timeout=60) == 0, log.read_text(errors="replace")[-3000:]
    finally:
        _stop(serve)
    assert server.deployment()["paused"] is True  # pause_on_shutdown
    assert server.get("/deployments/name/live-health-flow/live-health").json()["paused"] is True

    # a restart re-applies the deployments unpaused: scheduling resumes without touching the UI
    restarted = _start([sys.executable, "-m", "live_ops.cli", "serve", "--config", str(config)], server.env, log)
    try:
        _until("the restarted serve unpausing the deployment",
               lambda: server.deployment()["paused"] is False, 120, restarted, log)
    finally:
        _stop(restarted)  # may land before the runner installs its SIGTERM handler: no exit code to check
