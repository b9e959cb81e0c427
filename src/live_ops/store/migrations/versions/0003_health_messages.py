"""Health runs keep what their failing or warning checks said, so the wall screen can say why.

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # nullable: a run recorded before this revision has no messages, and reads back with none
    op.add_column("health_runs", sa.Column("messages", sa.JSON))


def downgrade() -> None:
    with op.batch_alter_table("health_runs") as batch:  # SQLite drops a column by copying the table
        batch.drop_column("messages")
