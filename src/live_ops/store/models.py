"""The store's typed records: what was recorded, as it reads back (SPEC §7).

Each series record has `kind`, `id`, `at` (aware UTC), `host` (the worker that recorded it,
so several hosts on one PostgreSQL stay apart) and `mode`; `headline` is SPEC §6's word.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

Kind = Literal["health", "portfolio", "orders", "reports"]
KINDS: tuple[Kind, ...] = ("health", "portfolio", "orders", "reports")


class _Record(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: int | None = None  # set when read back
    at: datetime
    host: str = ""
    mode: str = ""
    headline: str


class HealthRun(_Record):
    """One health run: overall status (OK | DEGRADED | FAIL) and each check's pass | warn | fail."""

    kind: Literal["health"] = "health"
    overall_status: str
    checks: dict[str, str] = Field(default_factory=dict)
    messages: dict[str, list[str]] = Field(default_factory=dict, description="what each warn/fail check said")

    @field_validator("messages", mode="before")
    @classmethod
    def _none_is_empty(cls, value: Any) -> Any:
        return {} if value is None else value  # a run recorded before revision 0003


class LimitRatio(BaseModel):
    """One limit's use at a snapshot: value / limit (1.0 = at the limit)."""

    model_config = ConfigDict(frozen=True)

    limit_name: str
    symbol: str | None = None
    ratio: float
    severity: str


class PositionRow(BaseModel):
    model_config = ConfigDict(frozen=True)

    symbol: str
    side: str
    size: float
    notional: float
    unrealized_pnl: float = 0.0


class PortfolioPoint(_Record):
    """One portfolio snapshot: equity, cash, exposure, positions, daily PnL, risk and each limit's ratio."""

    kind: Literal["portfolio"] = "portfolio"
    quote_currency: str
    equity: float
    free_cash: float
    total_exposure: float
    open_positions: int
    daily_pnl: float | None = None
    risk_severity: str | None = None
    limits: list[LimitRatio] = Field(default_factory=list)
    positions: list[PositionRow] = Field(default_factory=list)


class OrderPreviewRecord(_Record):
    """One order preview: how many orders, whether the risk check blocked it, its severity."""

    kind: Literal["orders"] = "orders"
    name: str
    num_signals: int
    num_orders: int
    num_skipped: int = 0
    total_notional: float = 0.0
    blocked: bool
    severity: str | None = None


class ReportRecord(_Record):
    """One archived report: its name, headline, files, period reviewed, and whether it is kept."""

    kind: Literal["reports"] = "reports"
    name: str
    files: list[str] = Field(default_factory=list)
    period: str | None = None
    kept: bool = False


Record = HealthRun | PortfolioPoint | OrderPreviewRecord | ReportRecord
MODELS: dict[str, type[_Record]] = {
    "health": HealthRun, "portfolio": PortfolioPoint, "orders": OrderPreviewRecord, "reports": ReportRecord,
}


class Delivery(BaseModel):
    model_config = ConfigDict(frozen=True)

    sink: str
    target: str
    status: str  # sent | deduplicated | failed | filtered
    attempts: int
    detail: str
    duration_ms: float = 0.0


class AlertRecord(BaseModel):
    """One alert event as stored, with what each sink did with it."""

    model_config = ConfigDict(frozen=True)

    id: int
    ts: datetime
    level: str  # INFO | WARNING | CRITICAL
    source: str
    code: str
    subject: str
    message: str
    context: dict[str, Any] = Field(default_factory=dict)
    recovers: str | None = None
    deliveries: list[Delivery] = Field(default_factory=list)


class Pruned(BaseModel):
    """Rows retention deleted, per table."""

    cutoff: datetime
    rows: dict[str, int] = Field(default_factory=dict)
