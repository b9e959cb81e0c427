"""The history store (SPEC §7): one database, SQLite by default or PostgreSQL, on SQLAlchemy Core.

    schema.py      the tables, declared once for both databases
    engine.py      targets ([state].path / [state].url), engines, migrations under a lock, the error seam
    models.py      typed records: HealthRun, PortfolioPoint, OrderPreviewRecord, ReportRecord, AlertRecord
    store.py       Store: record each kind, latest / series / history / alerts, kept reports, retention
    migrations/    Alembic scripts, applied automatically on first use in each process

Usage: `Store.at(config.state)` (or an SQLite path), then `store.record(HealthRun(...))`,
`store.latest_portfolio()`, `store.portfolio_series(since)`, `store.alerts(since)`.
"""

from live_ops.store.engine import HEAD, Target, dispose_all, server_target, sqlite_target
from live_ops.store.models import (
    KINDS,
    AlertRecord,
    Delivery,
    HealthRun,
    Kind,
    LimitRatio,
    OrderPreviewRecord,
    PortfolioPoint,
    PositionRow,
    Pruned,
    Record,
    ReportRecord,
)
from live_ops.store.store import Store

__all__ = [
    "HEAD", "KINDS", "AlertRecord", "Delivery", "HealthRun", "Kind", "LimitRatio", "OrderPreviewRecord",
    "PortfolioPoint", "PositionRow", "Pruned", "Record", "ReportRecord", "Store", "Target", "dispose_all",
    "server_target", "sqlite_target",
]
