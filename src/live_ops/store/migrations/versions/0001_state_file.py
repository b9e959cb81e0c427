"""The state file as it was before the history store: equity ledger and alert history.

A file made by that release already holds these tables (without an alembic_version row): they
are adopted as they are, no row touched. A new database gets them created.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    existing = set(sa.inspect(op.get_bind()).get_table_names())
    if "equity_snapshots" not in existing:
        op.create_table(
            "equity_snapshots",
            sa.Column("day", sa.Text, primary_key=True),
            sa.Column("equity", sa.Float, nullable=False),
            sa.Column("quote_currency", sa.Text, nullable=False),
            sa.Column("recorded_at", sa.Text, nullable=False),
        )
    if "alert_events" not in existing:
        op.create_table(
            "alert_events",
            sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
            # fixed-width UTC text on SQLite, TIMESTAMPTZ on PostgreSQL (schema.UtcTime)
            sa.Column("ts", sa.String(27).with_variant(sa.TIMESTAMP(timezone=True), "postgresql"), nullable=False),
            sa.Column("level", sa.Text, nullable=False),
            sa.Column("level_rank", sa.Integer, nullable=False),
            sa.Column("source", sa.Text, nullable=False),
            sa.Column("code", sa.Text, nullable=False),
            sa.Column("subject", sa.Text, nullable=False),
            sa.Column("message", sa.Text, nullable=False),
            sa.Column("context", sa.Text, nullable=False),
            sa.Column("recovers", sa.Text),
            sqlite_autoincrement=True,
        )
        op.create_index("alert_events_ts", "alert_events", ["ts"])
        op.create_index("alert_events_subject", "alert_events", ["source", "subject", "ts"])
    if "alert_deliveries" not in existing:
        op.create_table(
            "alert_deliveries",
            sa.Column("event_id", sa.Integer, sa.ForeignKey("alert_events.id"), primary_key=True),
            sa.Column("sink", sa.Text, primary_key=True),
            sa.Column("target", sa.Text, nullable=False),
            sa.Column("status", sa.Text, nullable=False),
            sa.Column("attempts", sa.Integer, nullable=False),
            sa.Column("detail", sa.Text, nullable=False),
            sa.Column("duration_ms", sa.Float, nullable=False),
        )


def downgrade() -> None:
    op.drop_table("alert_deliveries")
    op.drop_table("alert_events")
    op.drop_table("equity_snapshots")
