"""The history of SPEC §7: health runs, portfolio snapshots, order previews, reports.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

_TIME = sa.String(27).with_variant(sa.TIMESTAMP(timezone=True), "postgresql")


def _series(name: str, *columns: sa.Column) -> None:
    op.create_table(
        name,
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("at", _TIME, nullable=False),
        sa.Column("host", sa.Text, nullable=False),
        sa.Column("mode", sa.Text, nullable=False),
        *columns,
    )
    op.create_index(f"{name}_at", name, ["at"])


def upgrade() -> None:
    _series(
        "health_runs",
        sa.Column("overall_status", sa.Text, nullable=False),
        sa.Column("headline", sa.Text, nullable=False),
        sa.Column("checks", sa.JSON, nullable=False),
    )
    _series(
        "portfolio_snapshots",
        sa.Column("quote_currency", sa.Text, nullable=False),
        sa.Column("equity", sa.Float, nullable=False),
        sa.Column("free_cash", sa.Float, nullable=False),
        sa.Column("total_exposure", sa.Float, nullable=False),
        sa.Column("open_positions", sa.Integer, nullable=False),
        sa.Column("daily_pnl", sa.Float),
        sa.Column("risk_severity", sa.Text),
        sa.Column("headline", sa.Text, nullable=False),
        sa.Column("limits", sa.JSON, nullable=False),
        sa.Column("positions", sa.JSON, nullable=False),
    )
    _series(
        "order_previews",
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("num_signals", sa.Integer, nullable=False),
        sa.Column("num_orders", sa.Integer, nullable=False),
        sa.Column("num_skipped", sa.Integer, nullable=False),
        sa.Column("total_notional", sa.Float, nullable=False),
        sa.Column("blocked", sa.Boolean, nullable=False),
        sa.Column("severity", sa.Text),
        sa.Column("headline", sa.Text, nullable=False),
    )
    _series(
        "reports",
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("headline", sa.Text, nullable=False),
        sa.Column("files", sa.JSON, nullable=False),
        sa.Column("period", sa.Text),
        sa.Column("kept", sa.Boolean, nullable=False),
    )
    op.create_index("reports_name", "reports", ["name"])


def downgrade() -> None:
    for name in ("reports", "order_previews", "portfolio_snapshots", "health_runs"):
        op.drop_table(name)
