"""Config: TOML on disk, validated by pydantic, with secrets kept out of every repr."""

from live_ops.config.loader import CONFIG_ENV_VAR, DEFAULT_CONFIG_PATH, default_config_path, load_config
from live_ops.config.models import (
    AlertsConfig,
    EnvironmentConfig,
    ExchangeConfig,
    LiveOpsConfig,
    LiveRiskConfig,
    Mode,
    PaperConfig,
    PaperPosition,
    ReportsConfig,
    ScheduleConfig,
    StateConfig,
)
from live_ops.config.secrets import ResolvedUrls, redact_url, resolve_url_entries

__all__ = [
    "CONFIG_ENV_VAR",
    "DEFAULT_CONFIG_PATH",
    "AlertsConfig",
    "EnvironmentConfig",
    "ExchangeConfig",
    "LiveOpsConfig",
    "LiveRiskConfig",
    "Mode",
    "PaperConfig",
    "PaperPosition",
    "ReportsConfig",
    "ResolvedUrls",
    "ScheduleConfig",
    "StateConfig",
    "default_config_path",
    "load_config",
    "redact_url",
    "resolve_url_entries",
]
