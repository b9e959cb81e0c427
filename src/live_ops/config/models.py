"""The config file's schema: one pydantic model per TOML table, composed into `LiveOpsConfig`.

Every model forbids unknown keys (a typo must never silently disable a limit) and every
limit is constrained to be positive. Webhook URLs carry tokens, so they are `SecretStr`
from the moment they are read: no repr, log line or JSON dump can show them.
"""

from __future__ import annotations

import re
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SecretStr,
    ValidationInfo,
    field_serializer,
    field_validator,
    model_validator,
)

from live_ops.config.secrets import HTTP_SCHEMES, redact_mapping, redact_userinfo, redact_value, url_problem

Mode = Literal["paper", "testnet", "live"]
AlertLevelName = Literal["info", "warning", "critical"]
SinkName = Literal["log", "stderr", "webhook", "slack", "apprise"]

# Sane upper bounds: a number this large is a typo, and an unbounded one overflows (timedelta, floats)
MAX_MONEY = 1e15
MAX_DAYS = 36_500

_CRON_FIELD = re.compile(r"^[\d*/,\-A-Za-z?LW#]+$")


class _Table(BaseModel):
    # allow_inf_nan=False: `inf` or `nan` in a limit would switch the limit off without a word
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    def __repr_args__(self) -> Any:
        return [(k, redact_value(k, v) if k is not None else v) for k, v in super().__repr_args__()]

    def __getstate__(self) -> dict[str, Any]:
        # pickled (Prefect result persistence, multiprocessing) without a single secret value
        state = super().__getstate__()
        state = dict(state)
        state["__dict__"] = {k: redact_value(k, v, for_pickle=True) for k, v in state["__dict__"].items()}
        return state


class EnvironmentConfig(_Table):
    mode: Mode = Field(description="paper: embedded paper exchange; testnet/live: a real exchange via ccxt")


class ExchangeConfig(_Table):
    id: str = Field("binance", min_length=1, description="any ccxt exchange id, e.g. binance, binanceusdm, bybit")
    api_key_env: str = Field("LIVE_OPS_API_KEY", description="name of the env var holding the API key")
    api_secret_env: str = Field("LIVE_OPS_API_SECRET", description="name of the env var holding the API secret")
    password_env: str = Field("", description="name of the env var holding the passphrase (okx, kucoin, bitget)")
    quote_currency: str = Field("USDT", min_length=1, description="currency exposure, equity and PnL are valued in")
    timeout_ms: int = Field(10_000, gt=0, le=300_000, description="per-request HTTP timeout")
    demo: bool = Field(False, description="use the exchange's demo-trading URLs instead of its sandbox (testnet mode)")
    api_base_url: str = Field("", description="send every API call to this base URL (proxy, mirror, local test exchange)")
    recv_window_ms: int = Field(5_000, gt=0, le=60_000, description="clock drift above this fails the health check")
    ccxt_config: dict[str, Any] = Field(default_factory=dict, description="deep-merged into the ccxt constructor config")

    @field_validator("api_base_url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        if value:
            problem = url_problem(value)
            if problem:  # may carry user:password@: never echoed
                raise ValueError(problem)
        return value.rstrip("/")

    @field_serializer("api_base_url")
    def _dump_base_url(self, value: str) -> str:
        return redact_userinfo(value)

    @field_serializer("ccxt_config")
    def _dump_ccxt_config(self, value: dict[str, Any]) -> dict[str, Any]:
        return redact_mapping(value)

    @field_validator("ccxt_config")
    @classmethod
    def _no_secrets_in_file(cls, value: dict[str, Any]) -> dict[str, Any]:
        for key in ("apiKey", "secret", "password", "privateKey", "uid"):
            if key in value:
                raise ValueError(f"'{key}' must not be in the file: name an env var in [exchange] instead")
        if value.get("verbose"):
            raise ValueError("'verbose' prints the API key header and is refused")
        return value


class PaperPosition(_Table):
    symbol: str = Field(min_length=1)
    size: float = Field(ge=-MAX_MONEY, le=MAX_MONEY, description="signed: > 0 long, < 0 short")
    entry_price: float = Field(gt=0, le=MAX_MONEY)


class PaperConfig(_Table):
    quote_currency: str = Field("EUR", min_length=1)
    cash: float = Field(10_000.0, ge=0, le=MAX_MONEY)
    prices: dict[str, float] = Field(default_factory=dict, description="mark prices by symbol")
    positions: list[PaperPosition] = Field(default_factory=list)

    @field_validator("prices")
    @classmethod
    def _positive_prices(cls, value: dict[str, float]) -> dict[str, float]:
        for symbol, price in value.items():
            if not 0 < price <= MAX_MONEY:  # also false for nan
                raise ValueError(f"price of {symbol} must be greater than 0 and at most {MAX_MONEY:g} (got {price})")
        return value

    @model_validator(mode="after")
    def _every_position_priced(self) -> PaperConfig:
        for index, position in enumerate(self.positions):
            if position.symbol not in self.prices:
                raise ValueError(f"positions[{index}] {position.symbol} has no price in [paper.prices]")
        return self


class LiveRiskConfig(_Table):
    enabled: bool = True
    max_order_notional: float = Field(1_000.0, gt=0, le=MAX_MONEY)
    max_symbol_exposure_notional: float = Field(5_000.0, gt=0, le=MAX_MONEY)
    max_total_exposure_notional: float = Field(20_000.0, gt=0, le=MAX_MONEY)
    max_open_positions: int = Field(10, gt=0, le=1_000_000)
    max_daily_loss_abs: float = Field(500.0, gt=0, le=MAX_MONEY)
    max_daily_loss_pct: float = Field(5.0, gt=0, le=100)
    min_order_notional: float = Field(10.0, ge=0, le=MAX_MONEY)
    default_order_notional: float = Field(100.0, gt=0, le=MAX_MONEY,
                                          description="per-order notional when `orders` gets no --notional")
    warning_threshold_factor: float = Field(0.8, gt=0, le=1)
    block_on_violation: bool = True


class AlertsConfig(_Table):
    enabled: bool = True
    min_level: AlertLevelName = "warning"
    sinks: list[SinkName] = Field(default_factory=lambda: list[SinkName](["log", "stderr"]))
    webhook_urls: list[SecretStr] = Field(default_factory=list, description='URLs or "env:VAR_NAME"')
    slack_webhook_urls: list[SecretStr] = Field(default_factory=list, description='URLs or "env:VAR_NAME"')
    apprise_urls: list[SecretStr] = Field(default_factory=list,
                                          description='Apprise URLs (tgram://, discord://, pagerduty://, mailto://) '
                                                      'or "env:VAR_NAME"')
    timeout_seconds: float = Field(3.0, gt=0, le=30, description="per attempt; a run's alerting is bounded anyway")
    retries: int = Field(2, ge=0, le=5)
    repeat_after_minutes: float = Field(60.0, ge=0, le=10_080, description="dedup window, at most a week")

    @field_validator("sinks")
    @classmethod
    def _unique(cls, value: list[str]) -> list[str]:
        return list(dict.fromkeys(value))

    @field_validator("webhook_urls", "slack_webhook_urls", "apprise_urls")
    @classmethod
    def _url_or_env(cls, value: list[SecretStr], info: ValidationInfo) -> list[SecretStr]:
        schemes = None if info.field_name == "apprise_urls" else HTTP_SCHEMES
        if len(value) > 20:
            raise ValueError(f"at most 20 entries (got {len(value)})")
        for index, entry in enumerate(value):
            raw = entry.get_secret_value().strip()
            if raw.startswith("env:"):
                if not re.fullmatch(r"env:[A-Za-z_][A-Za-z0-9_]*", raw):
                    raise ValueError(f"entry {index} is not a valid env:VAR_NAME reference")
                continue
            # the value itself is a secret: name the position and the problem, never the text
            problem = url_problem(raw, schemes=schemes)
            if problem:
                what = "an Apprise URL" if schemes is None else "an http(s) URL"
                raise ValueError(f"entry {index} {problem} (expected {what} or env:VAR_NAME)")
        return value


class ReportsConfig(_Table):
    output_dir: str = "reports/live_status"
    keep_days: int = Field(90, gt=0, le=MAX_DAYS)


class StateConfig(_Table):
    path: str = Field("reports/live_ops.db", min_length=1, description="embedded SQLite history (used without url)")
    url: str = Field("", description="shared PostgreSQL history, e.g. postgresql+psycopg://ops@db-host/live_ops")
    password_env: str = Field("", description="name of the env var holding the database password")
    keep_days: int = Field(400, ge=1, le=3650, description="history older than this is deleted (kept reports stay)")

    @field_validator("url")
    @classmethod
    def _postgres_url(cls, value: str) -> str:
        if not value:
            return value
        if not value.startswith(("postgresql://", "postgresql+psycopg://")):
            # the value may hold a password: name the scheme, never the text
            raise ValueError("must be a postgresql:// or postgresql+psycopg:// URL")
        if "@" in value and ":" in value.split("://", 1)[1].split("@", 1)[0]:
            raise ValueError("must not contain a password: name an env var in [state].password_env instead")
        return value


class MetricsConfig(_Table):
    textfile: str = Field("", description="write the Prometheus metrics here after every run "
                                          "(node_exporter's textfile collector; *.prom), empty: off")

    @field_validator("textfile")
    @classmethod
    def _prom_file(cls, value: str) -> str:
        if value and not value.endswith(".prom"):
            raise ValueError(f"{value!r} must end in .prom (node_exporter's textfile collector reads only those)")
        return value


def _check_cron(value: str) -> str:
    fields = value.split()
    if len(fields) != 5 or not all(_CRON_FIELD.match(field) for field in fields):
        raise ValueError(f"{value!r} is not a 5-field cron expression")
    return value


class ScheduleConfig(_Table):
    timezone: str = "UTC"
    daily_cron: str = "0 7 * * *"
    weekly_cron: str = "0 7 * * 1"
    health_cron: str = Field("*/30 * * * *", description="live_health_flow's own schedule under `live-ops serve`")

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {value!r}") from None
        return value

    @field_validator("daily_cron", "weekly_cron", "health_cron")
    @classmethod
    def _five_field_cron(cls, value: str) -> str:
        return _check_cron(value)


class LiveOpsConfig(_Table):
    environment: EnvironmentConfig
    exchange: ExchangeConfig = Field(default_factory=ExchangeConfig)
    paper: PaperConfig = Field(default_factory=PaperConfig)
    live_risk: LiveRiskConfig
    live_alerts: AlertsConfig
    reports: ReportsConfig = Field(default_factory=ReportsConfig)
    state: StateConfig = Field(default_factory=StateConfig)
    schedule: ScheduleConfig = Field(default_factory=ScheduleConfig)
    metrics: MetricsConfig = Field(default_factory=MetricsConfig)

    @property
    def mode(self) -> Mode:
        return self.environment.mode

    @property
    def quote_currency(self) -> str:
        return self.paper.quote_currency if self.mode == "paper" else self.exchange.quote_currency
