"""The store tests run on both databases: an SQLite file and a fresh PostgreSQL database."""

from __future__ import annotations

from pathlib import Path

import pytest

from live_ops.config.models import StateConfig
from live_ops.store import Store
from tests.fakes.postgres import PASSWORD_ENV


@pytest.fixture(params=["sqlite", "postgresql"])
def state(request: pytest.FixtureRequest, tmp_path: Path) -> StateConfig:
    """The `[state]` table of an empty history on each backend."""
    if request.param == "sqlite":
        return StateConfig(path=str(tmp_path / "state.db"))
    return StateConfig(url=request.getfixturevalue("pg_database"), password_env=PASSWORD_ENV)


@pytest.fixture
def store(state: StateConfig) -> Store:
    return Store.at(state)
