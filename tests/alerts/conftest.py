"""Fixtures for the alert tests (local receivers: tests/fakes/fixtures.py): a recording sleep, a history, a dispatcher factory."""

from __future__ import annotations

from pathlib import Path

import pytest

from live_ops.alerts import AlertHistory, Dispatcher
from live_ops.config.models import AlertsConfig
from tests.alerts.helpers import Sleeps


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


@pytest.fixture
def history(tmp_path: Path) -> AlertHistory:
    return AlertHistory(tmp_path / "state.db")


@pytest.fixture
def dispatcher_for(history: AlertHistory, sleeps: Sleeps):
    """Return a function building a Dispatcher from AlertsConfig fields (recording sleep, real history)."""

    def build(**fields) -> Dispatcher:
        fields.setdefault("sinks", ["webhook"])
        fields.setdefault("timeout_seconds", 1.0)
        fields.setdefault("retries", 2)
        return Dispatcher.from_config(AlertsConfig(**fields), history=history, sleep=sleeps)

    return build
