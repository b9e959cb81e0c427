"""Shared fixtures: a clean environment for every test, one Prefect harness per session.

Tests of the core never start Prefect. Tests that run flows request `prefect_api` (marker
`prefect`), which enters ONE session-scoped `prefect_test_harness` (~11 s) and yields its
API URL, so subprocess tests of the installed CLI can run against the same server.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest_plugins = [
    "tests.fakes.fixtures",  # the fake exchange (tests/fakes/exchange_server.py)
    "tests.fakes.postgres",  # a throwaway PostgreSQL cluster (tests/fakes/postgres.py)
]

REPO = Path(__file__).resolve().parents[1]
EXAMPLE_CONFIG = REPO / "config" / "config.toml"

# Prefect reads its settings at import: give the whole session its own PREFECT_HOME before that.
_PREFECT_HOME = tempfile.mkdtemp(prefix="live-ops-test-prefect-")
os.environ["PREFECT_HOME"] = _PREFECT_HOME
os.environ["PREFECT_SERVER_ANALYTICS_ENABLED"] = "false"
os.environ.pop("PREFECT_API_URL", None)
os.environ.pop("PREFECT_PROFILES_PATH", None)


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """Clear LIVE_OPS_* variables so no test sees an operator's keys or config."""
    for name in list(os.environ):
        if name.startswith("LIVE_OPS_"):
            monkeypatch.delenv(name)


@pytest.fixture(scope="session")
def prefect_api() -> Iterator[str]:
    """Enter one Prefect test harness for the session; yield its API URL."""
    from prefect.settings import PREFECT_API_URL
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=60):
        yield str(PREFECT_API_URL.value())


@pytest.fixture
def write_config(tmp_path: Path):
    """Return a function that writes a config (example config with edits) and returns its path."""

    def write(text: str | None = None, *, replace: dict[str, str] | None = None, name: str = "config.toml") -> Path:
        body = EXAMPLE_CONFIG.read_text() if text is None else text
        for old, new in (replace or {}).items():
            assert old in body, f"{old!r} not in the config text"
            body = body.replace(old, new)
        body = body.replace('path = "reports/live_ops.db"', f'path = "{(tmp_path / "state.db").as_posix()}"')
        body = body.replace('output_dir = "reports/live_status"', f'output_dir = "{(tmp_path / "reports").as_posix()}"')
        path = tmp_path / name
        path.write_text(body)
        return path

    return write
