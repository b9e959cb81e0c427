"""Alembic migrations of the history store, shipped inside the package and applied on first use."""
