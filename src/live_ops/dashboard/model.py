"""The dashboard's read model: the desk now, as plain frozen dataclasses.

`dashboard.read` fills a `Desk` from the history store, the alert history and the report archive;
everything else (the page, `/api/status`, `/metrics`, the metrics textfile) only reads a `Desk`.
So the store's API is known in one module, and the renderers can be tested on a `Desk` built by hand.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, is_dataclass
from datetime import datetime, timezone
from typing import Any

from live_ops.status import Headline, HealthStatus, Severity, headline

# the history kinds; `live_ops_last_run_timestamp_seconds{flow}` takes exactly these labels
RUN_KINDS = ("health", "portfolio", "orders", "report")


@dataclass(frozen=True)
class Check:
    """One health check of the latest health run."""

    name: str
    status: str  # pass | warn | fail
    messages: tuple[str, ...] = ()


@dataclass(frozen=True)
class HealthRun:
    """The latest health run."""

    at: datetime
    overall: str  # OK | DEGRADED | FAIL
    checks: tuple[Check, ...] = ()


@dataclass(frozen=True)
class Limit:
    """One risk limit of the latest portfolio snapshot, as a share of the limit."""

    name: str
    symbol: str | None
    ratio: float
    severity: str  # OK | WARNING | BREACH
    current_value: float | None = None
    limit_value: float | None = None


@dataclass(frozen=True)
class Position:
    symbol: str
    side: str  # long | short
    size: float
    notional: float
    unrealized_pnl: float
    mark_price: float | None = None


@dataclass(frozen=True)
class Snapshot:
    """The latest portfolio snapshot with its risk evaluation."""

    at: datetime
    quote_currency: str
    equity: float
    free_cash: float
    exposure_total: float
    open_positions: int
    daily_pnl: float | None = None
    risk_severity: str | None = None  # None: risk not evaluated
    limits: tuple[Limit, ...] = ()
    positions: tuple[Position, ...] = ()


@dataclass(frozen=True)
class CurvePoint:
    at: datetime
    equity: float
    exposure: float


@dataclass(frozen=True)
class Delivery:
    sink: str
    status: str  # sent | deduplicated | failed | filtered
    target: str = ""  # a host at most, never a URL


@dataclass(frozen=True)
class Alert:
    at: datetime
    level: str  # INFO | WARNING | CRITICAL
    source: str
    code: str
    message: str
    deliveries: tuple[Delivery, ...] = ()  # of the newest occurrence
    subject: str = ""
    occurrences: int = 1  # how often it was raised in the window (a persisting condition is re-raised each run)
    first_at: datetime | None = None  # the first of those times


@dataclass(frozen=True)
class Report:
    """An archived report: its name (stem) and the files served under /reports/."""

    name: str
    generated_at: datetime
    headline: str | None
    files: tuple[str, ...] = ()


@dataclass(frozen=True)
class Desk:
    """Everything the dashboard shows, read at `read_at`."""

    read_at: datetime
    mode: str | None = None
    health: HealthRun | None = None
    snapshot: Snapshot | None = None
    curve: tuple[CurvePoint, ...] = ()
    alerts: tuple[Alert, ...] = ()
    reports: tuple[Report, ...] = ()
    archive_index: bool = False  # the archive has its index.html (linked as /reports/)
    last_runs: dict[str, datetime] = field(default_factory=dict)  # kind (RUN_KINDS) -> time of its latest run
    problems: tuple[str, ...] = ()  # what could not be read, said plainly on the page

    @property
    def headline(self) -> Headline:
        """Return the headline of the latest health run and portfolio risk (SPEC §6)."""
        return headline(HealthStatus(self.health.overall) if self.health else None,
                        Severity(self.snapshot.risk_severity) if self.snapshot and self.snapshot.risk_severity else None)

    @property
    def data_at(self) -> datetime | None:
        """Return the time of the newest health run or snapshot (None: nothing recorded yet)."""
        times = [t for t in (self.health and self.health.at, self.snapshot and self.snapshot.at) if t]
        return max(times) if times else None

    def age_seconds(self) -> float | None:
        """Return how old the newest data is at `read_at`, in seconds."""
        at = self.data_at
        return None if at is None else max(0.0, (self.read_at - at).total_seconds())

    def to_json(self) -> dict[str, Any]:
        """Return the desk as JSON-ready data (`/api/status`): ISO-8601 UTC times, `headline` first."""
        body = _jsonable(self)
        return {"headline": self.headline.value, "data_at": _iso(self.data_at), "age_seconds": self.age_seconds(),
                **body}


def _iso(value: datetime | None) -> str | None:
    if value is None:
        return None
    return value.astimezone(timezone.utc).isoformat().replace("+00:00", "Z")


def _jsonable(value: Any) -> Any:
    # dataclasses.asdict deep-copies every leaf; this walks once (336 curve points: 3x faster)
    if isinstance(value, datetime):
        return _iso(value)
    if is_dataclass(value):
        return {f.name: _jsonable(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    return value
