"""Migrations: the scripts match the tables, a state file of the release before the store is
upgraded in place with every row, and concurrent first runs upgrade once."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from live_ops.alerts import AlertHistory, AlertLevel
from live_ops.config.models import StateConfig
from live_ops.state import EquityLedger
from live_ops.store import HEAD, HealthRun, Store
from live_ops.store.engine import MIGRATIONS
from live_ops.store.schema import metadata

# Made by the release before the store (commit 37bd267) with its own EquityLedger and AlertHistory:
# 3 start-of-day equities, 6 alert events (one a recovery), 11 deliveries.
STATE_V0 = Path(__file__).with_name("data") / "state_v0.db"
T0 = datetime(2026, 11, 20, 7, 0, tzinfo=timezone.utc)
REPO = Path(__file__).resolve().parents[2]


def _rows(path: Path, table: str) -> list[tuple[object, ...]]:  # in rowid order
    with sqlite3.connect(path) as conn:
        return conn.execute(f"SELECT * FROM {table}").fetchall()


def test_migrations_head_is_the_scripts_head() -> None:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    assert ScriptDirectory.from_config(config).get_current_head() == HEAD


def test_migrations_build_exactly_the_declared_tables(store: Store) -> None:
    store.latest_health()  # first use migrates
    with store.engine.connect() as conn:
        assert conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar() == HEAD
        diffs = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": False}), metadata)
    assert diffs == []


def test_migrations_upgrade_a_state_file_of_the_previous_release_in_place(tmp_path: Path) -> None:
    path = tmp_path / "live_ops.db"
    shutil.copy(STATE_V0, path)
    before = {table: _rows(path, table) for table in ("equity_snapshots", "alert_events", "alert_deliveries")}
    assert [len(rows) for rows in before.values()] == [3, 6, 11]

    history = AlertHistory(path)
    alerts = history.query(since=T0, limit=100)
    assert len(alerts) == 6 and alerts[0].code == "RISK_LIMIT_RECOVERED_PORTFOLIO"
    assert {d["status"] for d in alerts[1].deliveries} == {"sent", "failed"}
    assert {a.subject for a in history.open_alerts("portfolio")} == {"limit0", "limit2", "limit3", "limit4"}
    assert EquityLedger(path).start_of_day(1.0, "EUR", datetime(2026, 11, 21, 9, tzinfo=timezone.utc)) == 9_900.0

    for table, rows in before.items():
        assert _rows(path, table) == rows, table  # no row lost, none changed
    assert _rows(path, "alembic_version") == [(HEAD,)]
    store = Store.at(path)
    store.record(HealthRun(at=T0, headline="OK", overall_status="OK"))
    assert store.latest_health() is not None
    assert history.store.alerts(T0)[0].level == AlertLevel.INFO.value


_OPENER = """
import sys
from datetime import datetime, timezone
from live_ops.config.models import StateConfig
from live_ops.store import HealthRun, Store
print("ready", flush=True)
sys.stdin.readline()
store = Store.at(StateConfig(path=sys.argv[1]))
store.record(HealthRun(at=datetime.now(timezone.utc), headline="OK", overall_status="OK"))
"""


def test_migrations_two_first_runs_on_an_old_file_upgrade_it_once(tmp_path: Path) -> None:
    path = tmp_path / "live_ops.db"
    shutil.copy(STATE_V0, path)
    procs = [subprocess.Popen([sys.executable, "-c", _OPENER, str(path)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=REPO, env=os.environ)
             for _ in range(3)]
    for proc in procs:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
    for proc in procs:
        assert proc.stdin is not None
        proc.stdin.write("go\n")
        proc.stdin.flush()
    for proc in procs:
        _, err = proc.communicate(timeout=60)
        assert proc.returncode == 0, err
    assert _rows(path, "alembic_version") == [(HEAD,)]
    assert len(_rows(path, "alert_events")) == 6 and len(_rows(path, "health_runs")) == 3
    assert StateConfig(path=str(path)).keep_days == 400


def test_migrations_0003_keeps_health_runs_recorded_before_it_and_adds_their_messages(tmp_path: Path) -> None:
    from alembic import command

    path = tmp_path / "live_ops.db"
    engine = sa.create_engine(f"sqlite:///{path}")
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as conn:  # a history written by the release of revision 0002
        config.attributes["connection"] = conn
        command.upgrade(config, "0002")
        conn.execute(sa.text("INSERT INTO health_runs (at, host, mode, overall_status, headline, checks) VALUES "
                             "('2026-11-20T07:00:00.000000Z', 'h1', 'paper', 'DEGRADED', 'DEGRADED', "
                             "'{\"config\": \"pass\", \"alerts\": \"warn\"}')"))
    engine.dispose()

    store = Store.at(path)  # first use upgrades to HEAD
    old = store.latest_health()
    assert old is not None and old.checks == {"config": "pass", "alerts": "warn"} and old.messages == {}
    assert _rows(path, "alembic_version") == [(HEAD,)]
    store.record(HealthRun(at=T0.replace(hour=8), headline="DEGRADED", overall_status="DEGRADED",
                           checks={"alerts": "warn"}, messages={"alerts": ["webhook[0]: its last 3 deliveries failed"]}))
    new = store.latest_health()
    assert new is not None and new.messages == {"alerts": ["webhook[0]: its last 3 deliveries failed"]}
