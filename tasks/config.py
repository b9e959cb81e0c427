"""Config task: every flow starts by loading and validating the config file."""

from __future__ import annotations

from prefect import get_run_logger, task
from prefect.cache_policies import NO_CACHE

from live_ops.config import LiveOpsConfig
from live_ops.config import load_config as load_config_file


@task(name="load-config", cache_policy=NO_CACHE)
async def load_config(config_path: str) -> LiveOpsConfig:
    """Return the validated config at `config_path` (raises ConfigError naming file and key)."""
    config = load_config_file(config_path)
    get_run_logger().info("config %s loaded: %s mode", config_path, config.mode)
    return config
