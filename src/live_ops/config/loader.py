"""Read a TOML config file into `LiveOpsConfig`, turning every failure into one `ConfigError` line.

The message always names the file; for a validation error also the dotted key and the bad
value; for a TOML syntax error the line and column. Secret values are never echoed back.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from live_ops.config.models import LiveOpsConfig
from live_ops.errors import ConfigError
from live_ops.inputs import decode_utf8, read_bytes

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib

DEFAULT_CONFIG_PATH = Path("config/config.toml")
CONFIG_ENV_VAR = "LIVE_OPS_CONFIG"
REQUIRED_SECTIONS = ("environment", "live_risk", "live_alerts")
# keys whose values are secrets: a validation error names them but never shows the value
# (webhook/slack/apprise URLs, api_base_url and [state].url may carry tokens or user:password@)
_SECRET_KEYS = ("url", "ccxt_config")
MAX_CONFIG_BYTES = 1 << 20  # 1 MiB: a real config is a few KiB
MAX_DEPTH = 16  # tables and arrays nested deeper than this are not a config


def default_config_path(environ: Mapping[str, str] | None = None) -> Path:
    """Return the config path used when `--config` is not given: $LIVE_OPS_CONFIG, else config/config.toml."""
    env: Mapping[str, str] = os.environ if environ is None else environ
    return Path(env.get(CONFIG_ENV_VAR) or DEFAULT_CONFIG_PATH)


def read_toml(path: Path) -> dict[str, Any]:
    """Return the parsed TOML document at `path`; raises ConfigError naming the file (and line)."""
    raw = read_bytes(path, what="config file", error=ConfigError, max_bytes=MAX_CONFIG_BYTES)
    text = decode_utf8(raw, path, error=ConfigError)
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None
    except RecursionError:  # tomllib recurses once per nested [ or {
        raise ConfigError(f"{path}: invalid TOML: nested deeper than the parser can follow") from None
    if _depth(document) > MAX_DEPTH:
        raise ConfigError(f"{path}: tables or arrays nested deeper than {MAX_DEPTH} levels: not a config")
    return document


def _depth(value: Any, level: int = 0) -> int:
    if level > MAX_DEPTH:
        return level
    if isinstance(value, dict):
        return max((_depth(v, level + 1) for v in value.values()), default=level + 1)
    if isinstance(value, list):
        return max((_depth(v, level + 1) for v in value), default=level + 1)
    return level


def load_config(path: Path | str) -> LiveOpsConfig:
    """Return the validated config at `path`; raises ConfigError with file, key and bad value."""
    path = Path(path)
    document = read_toml(path)
    missing = [name for name in REQUIRED_SECTIONS if name not in document]
    if missing:
        names = ", ".join(f"[{name}]" for name in missing)
        raise ConfigError(f"{path}: missing required section{'s' if len(missing) > 1 else ''} {names}")
    try:
        return LiveOpsConfig.model_validate(document)
    except ValidationError as exc:
        raise ConfigError(f"{path}: {describe_validation_error(exc)}") from None


def describe_validation_error(exc: ValidationError) -> str:
    """Return the first validation problem as 'key: problem (got value)'; counts the rest."""
    errors = exc.errors(include_url=False)
    first = errors[0]
    key = ".".join(str(part) for part in first["loc"]) or "(document)"
    if first["type"] == "extra_forbidden":
        text = f"unknown key '{key}'"
    elif first["type"] == "missing":
        text = f"{key}: required key is missing"
    else:
        message = first["msg"].removeprefix("Value error, ")
        text = f"{key}: {message}"
        if not any(secret in key for secret in _SECRET_KEYS) and "input" in first:
            value = first["input"]
            if not isinstance(value, (dict, list)):
                text += f" (got {value!r})"
    if len(errors) > 1:
        text += f" (and {len(errors) - 1} more problem{'s' if len(errors) > 2 else ''})"
    return text
