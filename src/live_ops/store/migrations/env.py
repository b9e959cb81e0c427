"""Alembic environment: runs on the connection `live_ops.store.engine` hands over (inside its lock).

Run standalone (`alembic -x url=... upgrade head` with script_location pointing here) it opens
its own connection; the store never needs that.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import context

from live_ops.store.schema import metadata

config = context.config
connection = config.attributes.get("connection")


def _run(conn: sa.Connection) -> None:
    context.configure(connection=conn, target_metadata=metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


if connection is not None:
    _run(connection)
else:
    url = context.get_x_argument(as_dictionary=True).get("url") or config.get_main_option("sqlalchemy.url")
    engine = sa.create_engine(url or "sqlite:///live_ops.db")
    with engine.begin() as conn:
        _run(conn)
