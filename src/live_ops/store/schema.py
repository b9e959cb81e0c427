"""The history store's tables, declared once for SQLite and PostgreSQL.

`alert_events`, `alert_deliveries` and `equity_snapshots` are the tables of the state file
before the store existed (migration 0001 adopts them as they are); the others are the time
series of SPEC §7 (migration 0002). Every series table is indexed by its time column, so a
period query reads the period, not the years kept before it.

Times: `UtcTime` is TIMESTAMPTZ on PostgreSQL and fixed-width UTC text on SQLite
(`2026-11-22T07:00:00.000000Z`, the format the alert history always used), so string order is
time order and old rows compare correctly with new ones.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

_TEXT_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"


class UtcTime(sa.types.TypeDecorator):
    """An aware UTC datetime: TIMESTAMPTZ on PostgreSQL, sortable fixed-width text elsewhere."""

    impl = sa.String(27)
    cache_ok = True

    def load_dialect_impl(self, dialect: sa.Dialect) -> sa.types.TypeEngine[Any]:
        if dialect.name == "postgresql":
            return dialect.type_descriptor(postgresql.TIMESTAMP(timezone=True))
        return dialect.type_descriptor(sa.String(27))

    def process_bind_param(self, value: Any, dialect: sa.Dialect) -> Any:
        if value is None:
            return None
        if not isinstance(value, datetime) or value.tzinfo is None:
            raise ValueError(f"expected an aware datetime, got {value!r}")
        value = value.astimezone(timezone.utc)
        return value if dialect.name == "postgresql" else value.strftime(_TEXT_FORMAT)

    def process_result_value(self, value: Any, dialect: sa.Dialect) -> datetime | None:
        if value is None:
            return None
        if isinstance(value, datetime):
            return value.astimezone(timezone.utc)
        # the fixed-width text this type writes; fromisoformat is ~70x faster than strptime (a year of
        # history is ~35k timestamps per dashboard read); "+00:00" instead of "Z" for Python 3.10
        return datetime.fromisoformat(value.removesuffix("Z") + "+00:00")


metadata = sa.MetaData()

# --- adopted from the state file before the store (migration 0001) -----------------------------

equity_snapshots = sa.Table(
    "equity_snapshots", metadata,
    sa.Column("day", sa.Text, primary_key=True),            # UTC day, YYYY-MM-DD
    sa.Column("equity", sa.Float, nullable=False),          # first equity seen that day
    sa.Column("quote_currency", sa.Text, nullable=False),
    sa.Column("recorded_at", sa.Text, nullable=False),      # ISO-8601 UTC
)

alert_events = sa.Table(
    "alert_events", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("ts", UtcTime, nullable=False),
    sa.Column("level", sa.Text, nullable=False),            # INFO | WARNING | CRITICAL
    sa.Column("level_rank", sa.Integer, nullable=False),    # 0 | 1 | 2
    sa.Column("source", sa.Text, nullable=False),
    sa.Column("code", sa.Text, nullable=False),
    sa.Column("subject", sa.Text, nullable=False),
    sa.Column("message", sa.Text, nullable=False),
    sa.Column("context", sa.Text, nullable=False),          # JSON object
    sa.Column("recovers", sa.Text),                         # level of the alert a recovery closes
    sa.Index("alert_events_ts", "ts"),
    sa.Index("alert_events_subject", "source", "subject", "ts"),
    sqlite_autoincrement=True,
)

alert_deliveries = sa.Table(
    "alert_deliveries", metadata,
    sa.Column("event_id", sa.Integer, sa.ForeignKey("alert_events.id"), primary_key=True),
    sa.Column("sink", sa.Text, primary_key=True),           # log | stderr | webhook[0] | slack[0] | -
    sa.Column("target", sa.Text, nullable=False),           # host only, never a URL path or query
    sa.Column("status", sa.Text, nullable=False),           # sent | deduplicated | failed | filtered
    sa.Column("attempts", sa.Integer, nullable=False),
    sa.Column("detail", sa.Text, nullable=False),
    sa.Column("duration_ms", sa.Float, nullable=False),
)

# --- the time series (migration 0002) -----------------------------------------------------------

health_runs = sa.Table(
    "health_runs", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("at", UtcTime, nullable=False),
    sa.Column("host", sa.Text, nullable=False),
    sa.Column("mode", sa.Text, nullable=False),
    sa.Column("overall_status", sa.Text, nullable=False),   # OK | DEGRADED | FAIL
    sa.Column("headline", sa.Text, nullable=False),
    sa.Column("checks", sa.JSON, nullable=False),           # {check name: pass|warn|fail}
    sa.Column("messages", sa.JSON),                          # {check name: [what it said]}, warn/fail only (0003)
    sa.Index("health_runs_at", "at"),
)

portfolio_snapshots = sa.Table(
    "portfolio_snapshots", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("at", UtcTime, nullable=False),
    sa.Column("host", sa.Text, nullable=False),
    sa.Column("mode", sa.Text, nullable=False),
    sa.Column("quote_currency", sa.Text, nullable=False),
    sa.Column("equity", sa.Float, nullable=False),
    sa.Column("free_cash", sa.Float, nullable=False),
    sa.Column("total_exposure", sa.Float, nullable=False),
    sa.Column("open_positions", sa.Integer, nullable=False),
    sa.Column("daily_pnl", sa.Float),                       # absent when risk was not evaluated
    sa.Column("risk_severity", sa.Text),                    # OK | WARNING | BREACH, absent with --no-risk
    sa.Column("headline", sa.Text, nullable=False),
    sa.Column("limits", sa.JSON, nullable=False),           # [{limit_name, symbol, ratio, severity}]
    sa.Column("positions", sa.JSON, nullable=False),        # [{symbol, side, size, notional, unrealized_pnl}]
    sa.Index("portfolio_snapshots_at", "at"),
)

order_previews = sa.Table(
    "order_previews", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("at", UtcTime, nullable=False),
    sa.Column("host", sa.Text, nullable=False),
    sa.Column("mode", sa.Text, nullable=False),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("num_signals", sa.Integer, nullable=False),
    sa.Column("num_orders", sa.Integer, nullable=False),
    sa.Column("num_skipped", sa.Integer, nullable=False),
    sa.Column("total_notional", sa.Float, nullable=False),
    sa.Column("blocked", sa.Boolean, nullable=False),
    sa.Column("severity", sa.Text),                         # absent with --skip-live-risk
    sa.Column("headline", sa.Text, nullable=False),
    sa.Index("order_previews_at", "at"),
)

reports = sa.Table(
    "reports", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("at", UtcTime, nullable=False),
    sa.Column("host", sa.Text, nullable=False),
    sa.Column("mode", sa.Text, nullable=False),
    sa.Column("name", sa.Text, nullable=False),             # live_status_2026-11-23_0700_daily
    sa.Column("headline", sa.Text, nullable=False),
    sa.Column("files", sa.JSON, nullable=False),            # [path, ...]
    sa.Column("period", sa.Text),                           # "7d" when it carries a period review
    sa.Column("kept", sa.Boolean, nullable=False),
    sa.Index("reports_at", "at"),
    sa.Index("reports_name", "name"),
)

SERIES = {"health": health_runs, "portfolio": portfolio_snapshots, "orders": order_previews, "reports": reports}
