"""Prefect tasks: thin wrappers over `live_ops` (retries, timeouts, logging). No business logic."""
