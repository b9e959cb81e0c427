"""The token rule: loopback by default; any other address needs LIVE_OPS_DASHBOARD_TOKEN, then a bearer token."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from live_ops.dashboard.auth import TOKEN_ENV, dashboard_token, is_loopback
from live_ops.errors import UsageError
from tests.dashboard.conftest import Desk, serving

TOKEN = "s3cret-token-for-the-desk-0123"


@pytest.mark.parametrize(("host", "loopback"), [
    ("127.0.0.1", True), ("::1", True), ("[::1]", True), ("localhost", True), ("LOCALHOST", True),
    ("127.0.0.2", False), ("0.0.0.0", False), ("::", False), ("10.1.2.3", False), ("desk.example", False),
])
def test_is_loopback_only_the_three_names(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback


def test_dashboard_token_refuses_other_addresses_without_one() -> None:
    with pytest.raises(UsageError, match=f"refusing to serve the dashboard on 0.0.0.0 without a token: set {TOKEN_ENV}"):
        dashboard_token("0.0.0.0", {})
    assert dashboard_token("127.0.0.1", {}) is None
    assert dashboard_token("0.0.0.0", {TOKEN_ENV: TOKEN}) == TOKEN
    assert dashboard_token("127.0.0.1", {TOKEN_ENV: TOKEN}) == TOKEN  # set: required on loopback too
    with pytest.raises(UsageError, match="too short") as short:
        dashboard_token("0.0.0.0", {TOKEN_ENV: "abc123"})
    assert "abc123" not in str(short.value)


def test_non_loopback_address_needs_the_bearer_token(desk: Desk, client: httpx.Client) -> None:
    with serving(desk.reader().read, desk.archive, "127.0.0.2", environ={TOKEN_ENV: TOKEN}) as base:
        assert base.startswith("http://127.0.0.2:")
        for route in ("/", "/api/status", "/metrics", "/reports/", f"/reports/{min(p.name for p in desk.archive.glob('live_status_*.md'))}"):
            none = client.get(base + route)
            wrong = client.get(base + route, headers={"Authorization": f"Bearer {TOKEN[:-1]}x"})
            basic = client.get(base + route, headers={"Authorization": f"Basic {TOKEN}"})
            right = client.get(base + route, headers={"Authorization": f"Bearer {TOKEN}"})
            assert (none.status_code, wrong.status_code, basic.status_code, right.status_code) == (401, 401, 401, 200), route
            assert none.headers["www-authenticate"].startswith("Bearer") and "BREACH" not in none.text
        assert client.get(base + "/healthz").status_code == 200


def test_cli_refuses_a_non_loopback_address_without_a_token(write_config) -> None:
    config = write_config()
    result = subprocess.run([sys.executable, "-m", "live_ops.cli", "dashboard", "--config", str(config),
                             "--host", "127.0.0.2", "--port", "0"],
                            capture_output=True, text=True, timeout=60, env=_env(), check=False)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        (f"live-ops: error: refusing to serve the dashboard on 127.0.0.2 without a token: set {TOKEN_ENV} "
         "(clients send 'Authorization: Bearer <token>'), or bind 127.0.0.1")]


def test_cli_names_a_port_in_use(write_config) -> None:
    import socket

    config = write_config()
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run([sys.executable, "-m", "live_ops.cli", "dashboard", "--config", str(config),
                                 "--port", str(port)], capture_output=True, text=True, timeout=60, env=_env(), check=False)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines()[-1].startswith(f"live-ops: error: cannot serve the dashboard on 127.0.0.1:{port}")


def _env() -> dict[str, str]:
    import os

    return {k: v for k, v in os.environ.items() if not k.startswith("LIVE_OPS_")} | {"PYTHONPATH": str(Path.cwd())}


def test_cli_serves_until_terminated(write_config, client: httpx.Client) -> None:
    import re
    import signal

    config = write_config()
    proc = subprocess.Popen([sys.executable, "-m", "live_ops.cli", "dashboard", "--config", str(config),
                             "--port", "0"], stderr=subprocess.PIPE, text=True, env=_env())
    try:
        assert proc.stderr is not None
        line = proc.stderr.readline()  # printed once the socket listens
        url = re.search(r"on (http://127\.0\.0\.1:\d+/)", line)
        assert url, line
        assert client.get(url.group(1) + "healthz").json() == {"status": "ok"}
        page = client.get(url.group(1))
        assert page.status_code == 200 and "No health run recorded." in page.text
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGTERM  # uvicorn stops cleanly, then re-raises the signal it caught
